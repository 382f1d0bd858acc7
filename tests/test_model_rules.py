"""The rules of parties, contracts and orders, with their errors, at the action and the
database level."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from partnerdesk.contracts.actions import (
    contract_create,
    order_create_engagement,
    order_create_lead,
    order_ensure_partnership,
)
from partnerdesk.contracts.models import BillTo, Contract, Filers, Order, OrderKind, SlaCalendar
from partnerdesk.parties.actions import (
    cs_team_create,
    customer_create,
    partner_create,
    partner_set_coordinator,
    person_create,
)
from partnerdesk.parties.models import Organisation, OrganisationKind, Role, RoleGrant

pytestmark = pytest.mark.django_db


def _contract(world, **overrides):
    fields = {
        "acting_user": world.admin,
        "customer": world.customer,
        "partner": world.partner,
        "valid_from": datetime.date(2026, 1, 1),
        "hourly_rate": Decimal("150"),
    }
    return contract_create(**(fields | overrides))


def test_it_allows_exactly_one_vendor(world):
    second = Organisation(kind=OrganisationKind.VENDOR, name="Noch ein Hersteller", short_name="v2")
    with pytest.raises(ValidationError, match="bereits einen Hersteller"):
        second.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_it_requires_cs_team_and_responsible_for_a_partner(world):
    partner = Organisation(kind=OrganisationKind.PARTNER, name="Ohne Team AG", short_name="ohne")
    with pytest.raises(ValidationError) as caught:
        partner.full_clean()
    assert {"cs_team", "cs_responsible", "hourly_rate"} <= set(caught.value.message_dict)
    with pytest.raises(IntegrityError), transaction.atomic():
        partner.save()


def test_it_refuses_partner_fields_on_a_customer(world):
    customer = Organisation(
        kind=OrganisationKind.CUSTOMER, name="Kunde", short_name="kunde-x", cs_team=world.team
    )
    with pytest.raises(ValidationError) as caught:
        customer.full_clean()
    assert "cs_team" in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        customer.save()


def test_it_refuses_a_cs_responsible_outside_the_vendor(world):
    with pytest.raises(ValidationError) as caught:
        partner_create(
            acting_user=world.admin,
            name="Falsch AG",
            short_name="falsch",
            cs_team=world.team,
            cs_responsible=world.employee,
            hourly_rate=Decimal("100"),
            coordinator_email="k@falsch.test",
            coordinator_name="K",
        )
    assert "cs_responsible" in caught.value.message_dict
    assert not Organisation.objects.filter(short_name="falsch").exists()


def test_it_creates_a_partner_with_coordinator_and_one_partnership_order(world):
    partner = partner_create(
        acting_user=world.admin,
        name="Neu AG",
        short_name="neu",
        cs_team=world.team,
        cs_responsible=world.cs_responsible,
        hourly_rate=Decimal("140"),
        coordinator_email="Chefin@Neu.test",
        coordinator_name="Nora Neu",
    )
    assert partner.coordinator.email == "chefin@neu.test"
    assert partner.coordinator.roles == {Role.PARTNER_COORDINATOR}
    assert not partner.coordinator.has_usable_password()
    orders = Order.objects.filter(partner=partner)
    assert [o.kind for o in orders] == [OrderKind.PARTNERSHIP]
    # ensuring it again never makes a second one
    order_ensure_partnership(partner=partner)
    assert Order.objects.filter(partner=partner).count() == 1


def test_it_refuses_a_second_partnership_order(world):
    second = Order(
        number="PA-ZWEI", kind=OrderKind.PARTNERSHIP, partner=world.partner, title="Zweiter"
    )
    with pytest.raises(ValidationError, match="bereits einen Partnerschaftsauftrag"):
        second.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_it_moves_the_coordinator_role(world):
    partner_set_coordinator(acting_user=world.admin, partner=world.partner, person=world.employee)
    world.partner.refresh_from_db()
    assert world.partner.coordinator == world.employee
    assert RoleGrant.objects.filter(user=world.coordinator, role=Role.PARTNER_EMPLOYEE).exists()
    assert not RoleGrant.objects.filter(
        user=world.coordinator, role=Role.PARTNER_COORDINATOR
    ).exists()


def test_it_refuses_a_coordinator_from_another_organisation(world):
    with pytest.raises(ValidationError):
        partner_set_coordinator(
            acting_user=world.admin, partner=world.partner, person=world.outsider_partner
        )


def test_it_refuses_a_role_that_does_not_fit_the_organisation(world):
    with pytest.raises(ValidationError) as caught:
        person_create(
            acting_user=world.admin,
            organisation=world.partner,
            email="falsch@alpina.test",
            full_name="Falsche Rolle",
            roles=[Role.CS_AGENT],
        )
    assert "roles" in caught.value.message_dict


def test_it_refuses_a_duplicate_email(world):
    with pytest.raises(ValidationError) as caught:
        person_create(
            acting_user=world.admin,
            organisation=world.partner,
            email="MITARBEITER@alpina.test",
            full_name="Doppelt",
            roles=[Role.PARTNER_EMPLOYEE],
        )
    assert "email" in caught.value.message_dict


def test_it_builds_cs_teams_only_of_vendor_people(world):
    with pytest.raises(ValidationError):
        cs_team_create(acting_user=world.admin, name="Gemischt", members=[world.employee])


def test_it_refuses_a_contract_that_ends_before_it_starts(world):
    with pytest.raises(ValidationError) as caught:
        _contract(world, valid_until=datetime.date(2025, 12, 31))
    assert "valid_until" in caught.value.message_dict
    bad = Contract(
        number="SV-X",
        customer=world.customer,
        partner=world.partner,
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2025, 1, 1),
        hourly_rate=Decimal("1"),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()


def test_it_knows_whether_a_contract_is_valid_on_a_day(world):
    contract = _contract(world, valid_until=datetime.date(2026, 6, 30))
    assert contract.is_valid_on(datetime.date(2026, 6, 30))
    assert not contract.is_valid_on(datetime.date(2026, 7, 1))
    assert not contract.is_valid_on(datetime.date(2025, 12, 31))
    assert contract in Contract.objects.valid_on(datetime.date(2026, 3, 1))
    assert contract not in Contract.objects.valid_on(datetime.date(2026, 7, 1))


@pytest.mark.parametrize(
    ("calendar", "canton", "field"),
    [
        (SlaCalendar.BUSINESS_HOURS, "", "sla_canton"),
        (SlaCalendar.ON_THE_CLOCK, "ZH", "sla_canton"),
    ],
)
def test_it_pairs_business_hours_with_a_canton(world, calendar, canton, field):
    with pytest.raises(ValidationError) as caught:
        _contract(world, sla_calendar=calendar, sla_canton=canton)
    assert field in caught.value.message_dict


def test_it_defaults_to_a_24_hour_check_on_the_clock(world):
    contract = _contract(world)
    assert contract.sla_first_check_hours == 24
    assert contract.sla_calendar == SlaCalendar.ON_THE_CLOCK


def test_it_refuses_a_zero_hour_check(world):
    with pytest.raises(ValidationError) as caught:
        _contract(world, sla_first_check_hours=0)
    assert "sla_first_check_hours" in caught.value.message_dict


@pytest.mark.parametrize(
    ("filers", "bill_to", "field"),
    [(Filers.PARTNER, BillTo.CUSTOMER, "filers"), (Filers.CUSTOMER, BillTo.PARTNER, "bill_to")],
)
def test_it_needs_a_partner_for_partner_rules(world, filers, bill_to, field):
    with pytest.raises(ValidationError) as caught:
        _contract(world, partner=None, filers=filers, bill_to=bill_to)
    assert field in caught.value.message_dict


def test_it_accepts_a_customer_only_contract_with_its_cs_team(world):
    contract = _contract(
        world, partner=None, filers=Filers.CUSTOMER, bill_to=BillTo.CUSTOMER, cs_team=world.team
    )
    assert contract.customers_may_file and not contract.partners_may_file
    assert contract.contact_team == world.team


def test_it_needs_a_cs_team_for_a_customer_without_partner(world):
    with pytest.raises(ValidationError) as caught:
        _contract(world, partner=None, filers=Filers.CUSTOMER, bill_to=BillTo.CUSTOMER)
    assert "cs_team" in caught.value.message_dict


def test_it_refuses_a_partner_as_contract_customer(world):
    with pytest.raises(ValidationError) as caught:
        _contract(world, customer=world.other_partner)
    assert "customer" in caught.value.message_dict


def test_it_refuses_a_negative_rate(world):
    with pytest.raises(ValidationError) as caught:
        _contract(world, hourly_rate=Decimal("-1"))
    assert "hourly_rate" in caught.value.message_dict


def test_it_numbers_contracts_by_year(world):
    contract = _contract(world, valid_from=datetime.date(2027, 2, 1))
    assert contract.number.startswith("SV-2027-")


def test_it_requires_approved_hours_on_a_lead_order(world):
    order = Order(number="LA-X", kind=OrderKind.LEAD, partner=world.partner, title="Lead")
    with pytest.raises(ValidationError) as caught:
        order.full_clean()
    assert "approved_free_hours" in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        order.save()


def test_it_refuses_negative_approved_hours(world):
    with pytest.raises(ValidationError):
        order_create_lead(
            acting_user=world.sales,
            partner=world.partner,
            title="Lead",
            approved_free_hours=Decimal("-5"),
        )


def test_it_requires_period_capacity_and_staff_on_an_engagement(world):
    with pytest.raises(ValidationError) as caught:
        order_create_engagement(
            acting_user=world.cs_responsible,
            partner=world.partner,
            title="Einsatz",
            starts_on=datetime.date(2026, 12, 1),
            ends_on=datetime.date(2026, 11, 1),
            capacity_hours=Decimal("40"),
            dedicated_staff=[world.expert],
        )
    assert "ends_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        order_create_engagement(
            acting_user=world.cs_responsible,
            partner=world.partner,
            title="Einsatz",
            starts_on=datetime.date(2026, 11, 1),
            ends_on=datetime.date(2026, 12, 1),
            capacity_hours=Decimal("40"),
            dedicated_staff=[world.employee],
        )
    assert "dedicated_staff" in caught.value.message_dict


def test_it_keeps_engagement_fields_off_other_orders(world):
    order = Order(
        number="LA-Y",
        kind=OrderKind.LEAD,
        partner=world.partner,
        title="Lead",
        approved_free_hours=Decimal("1"),
        capacity_hours=Decimal("3"),
    )
    with pytest.raises(ValidationError) as caught:
        order.full_clean()
    assert "capacity_hours" in caught.value.message_dict


@pytest.mark.parametrize("persona", ["cs_agent", "coordinator", "employee", "customer_contact"])
def test_it_refuses_writes_to_people_without_the_role(world, persona):
    with pytest.raises(PermissionDenied):
        customer_create(acting_user=world.persona(persona), name="X", short_name="x-kunde")
    with pytest.raises(PermissionDenied):
        order_create_lead(
            acting_user=world.persona(persona),
            partner=world.partner,
            title="Lead",
            approved_free_hours=Decimal("1"),
        )
    assert not Organisation.objects.filter(short_name="x-kunde").exists()
