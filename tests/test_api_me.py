"""GET /api/v1/me/: who the caller is."""

import pytest

from tests.conftest import OUTSIDERS, PERSONAS


@pytest.mark.parametrize("persona", PERSONAS + OUTSIDERS)
def test_it_tells_every_persona_who_they_are(world, client_for, persona):
    user = world.persona(persona)

    response = client_for(user).get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "organisation": {
            "id": user.organisation.pk,
            "kind": user.organisation.kind,
            "name": user.organisation.display_name,
        },
        "roles": sorted(user.roles),
        "language": "de-ch",
    }


def test_it_lists_several_roles_sorted(world, client_for):
    from partnerdesk.parties.models import RoleGrant

    RoleGrant.objects.create(user=world.cs_agent, role="cs_responsible")

    response = client_for(world.cs_agent).get("/api/v1/me/")

    assert response.json()["roles"] == ["cs_agent", "cs_responsible"]


def test_it_names_the_vendor_by_its_display_name(world, client_for, settings):
    settings.VENDOR_NAME = "Acme Software"

    response = client_for(world.sales).get("/api/v1/me/")

    assert response.json()["organisation"] == {
        "id": world.vendor.pk,
        "kind": "vendor",
        "name": "Acme Software",
    }


def test_it_refuses_anonymous_callers(db, client):
    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required.", "code": "not_authenticated"}


def test_it_refuses_a_deactivated_person_with_a_session(world, client_for):
    client = client_for(world.employee)
    world.employee.is_active = False
    world.employee.save(update_fields=["is_active"])

    assert client.get("/api/v1/me/").status_code == 401
