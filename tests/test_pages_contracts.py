"""Contract and order pages: list and detail per role, outsiders, pagination, query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from partnerdesk.contracts.actions import (
    contract_create,
    order_create_engagement,
    order_create_lead,
)
from partnerdesk.contracts.models import ServiceType

pytestmark = pytest.mark.django_db

CONTRACTS = reverse("contracts:contract_list")
ORDERS = reverse("contracts:order_list")
VENDOR_STAFF = ("cs_agent", "cs_responsible", "expert", "project_lead", "sales", "admin")


def contract_url(contract) -> str:
    return reverse("contracts:contract_detail", args=[contract.pk])


def order_url(order) -> str:
    return reverse("contracts:order_detail", args=[order.pk])


def results(response) -> str:
    return response.content.decode().split('id="results"')[1]


# ---- contracts -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", VENDOR_STAFF)
def test_it_lists_every_contract_for_vendor_staff(client_for, world, persona):
    body = results(client_for(world.persona(persona)).get(CONTRACTS))
    assert "SV-TEST-1" in body
    assert "SV-TEST-2" in body


@pytest.mark.parametrize("persona", ["coordinator", "employee", "customer_contact"])
def test_it_lists_only_own_contracts_for_partners_and_customers(client_for, world, persona):
    body = results(client_for(world.persona(persona)).get(CONTRACTS))
    assert "SV-TEST-1" in body
    assert "SV-TEST-2" not in body
    assert "Kantonsspital Ost" not in body


@pytest.mark.parametrize("outsider", ["outsider_partner", "outsider_customer"])
def test_it_hides_our_contracts_from_outsiders(client_for, world, outsider):
    body = results(client_for(world.persona(outsider)).get(CONTRACTS))
    assert "SV-TEST-2" in body
    assert "SV-TEST-1" not in body
    assert "Stadtwerke Seeland" not in body


def test_it_searches_contracts(client_for, world):
    body = results(client_for(world.cs_agent).get(CONTRACTS, {"q": "ksost"}))
    assert "SV-TEST-1" not in body
    body = results(client_for(world.cs_agent).get(CONTRACTS, {"q": "Kantonsspital"}))
    assert "SV-TEST-2" in body
    assert "SV-TEST-1" not in body


@pytest.mark.parametrize("persona", [*VENDOR_STAFF, "coordinator", "employee", "customer_contact"])
def test_it_shows_the_contract_with_sla_filers_billing_rate_and_validity(
    client_for, world, persona
):
    response = client_for(world.persona(persona)).get(contract_url(world.contract))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Vertrag SV-TEST-1" in body
    assert "Stadtwerke Seeland" in body
    assert "Alpina Solutions AG" in body
    assert "24 Stunden" in body
    assert "Geschäftszeiten mit kantonalen Feiertagen" in body
    assert "Bern (BE)" in body
    assert "Partner- und Kundenkontakte" in body
    assert "Verrechnung nicht gedeckter Anfragen an</dt><dd>Kunde<" in body
    # the contract bills the customer: vendor staff and the customer see the rate
    if persona in ("coordinator", "employee"):
        assert 'data-testid="rate"' not in body
    else:
        assert 'data-testid="rate">CHF 170.00<' in body
    assert "ab 01.01.2026" in body


def test_it_shows_the_contract_in_english(client_for, world):
    client = client_for(world.customer_contact)
    client.post(reverse("accounts:set_language"), {"language": "en"})
    body = client.get(contract_url(world.contract)).content.decode()
    assert "Contract SV-TEST-1" in body
    assert "business hours with cantonal holidays" in body
    assert "partner and customer contacts" in body
    assert "Requests not covered are billed to</dt><dd>Customer<" in body


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("outsider_partner", "contract"),
        ("outsider_customer", "contract"),
        ("coordinator", "other_contract"),
        ("employee", "other_contract"),
        ("customer_contact", "other_contract"),
    ],
)
def test_it_answers_404_for_contracts_of_other_tenants(client_for, world, persona, target):
    response = client_for(world.persona(persona)).get(contract_url(getattr(world, target)))
    assert response.status_code == 404


def test_it_paginates_contracts(client_for, world):
    for index in range(30):
        contract_create(
            acting_user=None,
            number=f"SV-P-{index:02d}",
            customer=world.customer,
            partner=world.partner,
            valid_from=datetime.date(2026, 1, 1),
            hourly_rate=Decimal("150"),
        )
    client = client_for(world.coordinator)
    first = results(client.get(CONTRACTS))
    assert "Seite 1 von 2" in first
    assert "31 Einträge" in first
    second = results(client.get(CONTRACTS, {"page": 2}))
    assert "SV-TEST-1" in second


@pytest.mark.parametrize("persona", ["cs_agent", "coordinator", "customer_contact"])
def test_it_lists_contracts_in_a_fixed_number_of_queries(
    client_for, world, django_assert_num_queries, persona
):
    for index in range(5):
        contract_create(
            acting_user=None,
            number=f"SV-Q-{index}",
            customer=world.customer,
            partner=world.partner,
            valid_from=datetime.date(2026, 1, 1),
            hourly_rate=Decimal("150"),
        )
    client = client_for(world.persona(persona))
    # session, person, organisation, roles, count, rows
    with django_assert_num_queries(6):
        assert client.get(CONTRACTS).status_code == 200


def test_it_shows_a_contract_in_a_fixed_number_of_queries(
    client_for, world, django_assert_num_queries
):
    client = client_for(world.coordinator)
    with django_assert_num_queries(5):
        assert client.get(contract_url(world.contract)).status_code == 200


# ---- orders --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", VENDOR_STAFF)
def test_it_lists_every_order_for_vendor_staff(client_for, world, persona):
    body = results(client_for(world.persona(persona)).get(ORDERS))
    assert "Lead Seeland Netzportal" in body
    assert "Teilprojekt Migration" in body
    assert world.partnership_order.title in body
    assert world.other_partnership_order.title in body


@pytest.mark.parametrize("persona", ["coordinator", "employee"])
def test_it_lists_only_the_partners_orders_for_partner_people(client_for, world, persona):
    body = results(client_for(world.persona(persona)).get(ORDERS))
    assert "Lead Seeland Netzportal" in body
    assert "Teilprojekt Migration" in body
    assert world.partnership_order.title in body
    assert world.other_partnership_order.title not in body


@pytest.mark.parametrize("persona", ["outsider_partner", "outsider_customer", "customer_contact"])
def test_it_hides_our_orders_from_outsiders_and_customers(client_for, world, persona):
    body = results(client_for(world.persona(persona)).get(ORDERS))
    assert "Lead Seeland Netzportal" not in body
    assert "Teilprojekt Migration" not in body
    assert world.partnership_order.title not in body


def test_it_filters_orders_by_kind(client_for, world):
    client = client_for(world.cs_agent)
    body = results(client.get(ORDERS, {"kind": "lead"}))
    assert "Lead Seeland Netzportal" in body
    assert "Teilprojekt Migration" not in body
    body = results(client.get(ORDERS, {"kind": "engagement"}))
    assert "Teilprojekt Migration" in body
    assert "Lead Seeland Netzportal" not in body


@pytest.mark.parametrize("persona", ["sales", "coordinator"])
def test_it_shows_a_lead_order_with_free_hours_and_free_services(client_for, world, persona):
    response = client_for(world.persona(persona)).get(order_url(world.lead_order))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lead Seeland Netzportal" in body
    assert "Lead-Auftrag" in body
    assert "20 Stunden" in body
    assert "Analyse" in body
    assert world.sales.full_name in body
    assert "Stadtwerke Seeland" in body


@pytest.mark.parametrize("persona", ["cs_responsible", "employee"])
def test_it_shows_an_engagement_with_period_capacity_and_staff(client_for, world, persona):
    response = client_for(world.persona(persona)).get(order_url(world.engagement))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Teilprojekt Migration" in body
    assert "01.10.2026 \u2013 31.12.2026" in body
    assert "120 Stunden" in body
    assert world.expert.full_name in body


def test_it_shows_the_partnership_order_with_the_partner_rate(client_for, world):
    body = client_for(world.employee).get(order_url(world.partnership_order)).content.decode()
    assert 'data-testid="rate">CHF 160.00<' in body


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("outsider_partner", "partnership_order"),
        ("outsider_partner", "lead_order"),
        ("outsider_partner", "engagement"),
        ("outsider_customer", "lead_order"),
        ("customer_contact", "lead_order"),
        ("customer_contact", "partnership_order"),
        ("coordinator", "other_partnership_order"),
    ],
)
def test_it_answers_404_for_orders_of_other_tenants(client_for, world, persona, target):
    response = client_for(world.persona(persona)).get(order_url(getattr(world, target)))
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["cs_agent", "coordinator"])
def test_it_lists_orders_in_a_fixed_number_of_queries(
    client_for, world, django_assert_num_queries, persona
):
    analysis = ServiceType.objects.get(code="analyse")
    for index in range(4):
        order_create_lead(
            acting_user=world.sales,
            partner=world.partner,
            customer=world.customer,
            title=f"Lead {index}",
            approved_free_hours=Decimal("8"),
            free_service_types=[analysis],
        )
        order_create_engagement(
            acting_user=world.cs_responsible,
            partner=world.partner,
            title=f"Einsatz {index}",
            starts_on=datetime.date(2026, 11, 1),
            ends_on=datetime.date(2026, 11, 30),
            capacity_hours=Decimal("40"),
            dedicated_staff=[world.expert],
        )
    client = client_for(world.persona(persona))
    with django_assert_num_queries(6):
        assert client.get(ORDERS).status_code == 200


def test_it_shows_an_order_in_a_fixed_number_of_queries(
    client_for, world, django_assert_num_queries
):
    client = client_for(world.cs_agent)
    # session, person, organisation, roles, order, free service types, dedicated staff,
    # the lead budget and its journal
    with django_assert_num_queries(9):
        assert client.get(order_url(world.lead_order)).status_code == 200
