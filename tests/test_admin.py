"""The admin site: vendor administrators manage organisations, people, roles, CS teams,
contracts, orders and rates; nobody else gets in."""

import pytest
from django.urls import reverse

from partnerdesk.contracts.models import Contract, Order, OrderKind
from partnerdesk.parties.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:parties_organisation_changelist",
    "admin:parties_user_changelist",
    "admin:parties_csteam_changelist",
    "admin:contracts_contract_changelist",
    "admin:contracts_order_changelist",
    "admin:contracts_servicetype_changelist",
    "admin:accounts_apitoken_changelist",
    "admin:efforts_booking_changelist",
    "admin:efforts_bookingquery_changelist",
    "admin:efforts_budgetevent_changelist",
    "admin:billing_invoice_changelist",
    "admin:billing_invoicerun_changelist",
]


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_it_lets_the_admin_manage_everything(world, client_for, url_name):
    response = client_for(world.admin).get(reverse(url_name))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "persona",
    [
        "cs_agent",
        "cs_responsible",
        "sales",
        "coordinator",
        "employee",
        "customer_contact",
        "outsider_partner",
    ],
)
def test_it_keeps_everyone_else_out(world, client_for, persona):
    response = client_for(world.persona(persona)).get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    response = client_for(world.persona(persona)).get(
        reverse("admin:parties_organisation_changelist")
    )
    assert response.status_code == 302


def test_it_creates_a_partner_with_its_partnership_order(world, client_for):
    response = client_for(world.admin).post(
        reverse("admin:parties_organisation_add"),
        {
            "kind": OrganisationKind.PARTNER,
            "name": "Gipfel Informatik AG",
            "short_name": "gipfel",
            "city": "Chur",
            "is_active": "on",
            "cs_team": world.team.pk,
            "cs_responsible": world.cs_responsible.pk,
            "hourly_rate": "155.00",
            "people-TOTAL_FORMS": "0",
            "people-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    partner = Organisation.objects.get(short_name="gipfel")
    assert Order.objects.filter(partner=partner, kind=OrderKind.PARTNERSHIP).count() == 1


def test_it_shows_the_rule_when_a_partner_lacks_its_cs_team(world, client_for):
    response = client_for(world.admin).post(
        reverse("admin:parties_organisation_add"),
        {
            "kind": OrganisationKind.PARTNER,
            "name": "Ohne Team AG",
            "short_name": "ohneteam",
            "hourly_rate": "155.00",
            "people-TOTAL_FORMS": "0",
            "people-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "CS-Team" in response.content.decode()
    assert not Organisation.objects.filter(short_name="ohneteam").exists()


def test_it_changes_a_contract_rate(world, client_for):
    contract = world.contract
    url = reverse("admin:contracts_contract_change", args=[contract.pk])
    response = client_for(world.admin).post(
        url,
        {
            "number": contract.number,
            "customer": contract.customer_id,
            "partner": contract.partner_id,
            "product": "",
            "valid_from": "2026-01-01",
            "valid_until": "",
            "sla_first_check_hours": "24",
            "sla_calendar": "business",
            "sla_canton": "BE",
            "filers": "both",
            "bill_to": "customer",
            "hourly_rate": "185.50",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    contract.refresh_from_db()
    assert str(contract.hourly_rate) == "185.50"


def test_it_refuses_a_contract_change_that_breaks_a_rule(world, client_for):
    contract = world.contract
    url = reverse("admin:contracts_contract_change", args=[contract.pk])
    response = client_for(world.admin).post(
        url,
        {
            "number": contract.number,
            "customer": contract.customer_id,
            "partner": contract.partner_id,
            "valid_from": "2026-01-01",
            "valid_until": "2025-01-01",
            "sla_first_check_hours": "24",
            "sla_calendar": "business",
            "sla_canton": "",
            "filers": "both",
            "bill_to": "customer",
            "hourly_rate": "185.50",
        },
    )
    assert response.status_code == 200
    contract.refresh_from_db()
    assert contract.valid_until is None
    assert Contract.objects.get(pk=contract.pk).sla_canton == "BE"
