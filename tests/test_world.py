def test_it_builds_a_world_with_every_persona(world):
    from tests.conftest import OUTSIDERS, PERSONAS

    for name in PERSONAS + OUTSIDERS:
        assert world.persona(name).pk
