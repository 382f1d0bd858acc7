"""The tenancy doors: who sees which organisations, contracts and orders."""

import pytest

from partnerdesk.contracts.models import Contract, Order
from partnerdesk.parties.models import Organisation

pytestmark = pytest.mark.django_db

VENDOR_PERSONAS = ["cs_agent", "cs_responsible", "expert", "project_lead", "sales", "admin"]


@pytest.mark.parametrize("persona", VENDOR_PERSONAS)
def test_it_shows_vendor_staff_everything(world, persona):
    user = world.persona(persona)
    assert Organisation.objects.visible_to(user).count() == Organisation.objects.count()
    assert Contract.objects.visible_to(user).count() == Contract.objects.count()
    assert Order.objects.visible_to(user).count() == Order.objects.count()


@pytest.mark.parametrize("persona", ["coordinator", "employee"])
def test_it_shows_partner_people_their_partner_and_its_customers(world, persona):
    user = world.persona(persona)
    assert set(Organisation.objects.visible_to(user)) == {
        world.vendor,
        world.partner,
        world.customer,
    }
    assert set(Contract.objects.visible_to(user)) == {world.contract}
    assert set(Order.objects.visible_to(user)) == {
        world.partnership_order,
        world.lead_order,
        world.engagement,
    }


def test_it_shows_a_customer_contact_its_customer_and_its_partner(world):
    user = world.customer_contact
    assert set(Organisation.objects.visible_to(user)) == {
        world.vendor,
        world.customer,
        world.partner,
    }
    assert set(Contract.objects.visible_to(user)) == {world.contract}
    assert not Order.objects.visible_to(user).exists()


def test_it_hides_our_tenants_from_the_outsiders(world):
    for outsider in (world.outsider_partner, world.outsider_customer):
        organisations = set(Organisation.objects.visible_to(outsider))
        assert world.partner not in organisations
        assert world.customer not in organisations
        assert world.contract not in set(Contract.objects.visible_to(outsider))
        assert not Order.objects.visible_to(outsider).filter(partner=world.partner).exists()


def test_it_shows_nothing_to_a_deactivated_person(world):
    world.coordinator.is_active = False
    world.coordinator.save()
    assert not Organisation.objects.visible_to(world.coordinator).exists()
    assert not Contract.objects.visible_to(world.coordinator).exists()
    assert not Order.objects.visible_to(world.coordinator).exists()


def test_it_shows_nothing_to_an_anonymous_visitor(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Organisation.objects.visible_to(AnonymousUser()).exists()
    assert not Contract.objects.visible_to(AnonymousUser()).exists()
    assert not Order.objects.visible_to(AnonymousUser()).exists()
