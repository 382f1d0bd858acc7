"""The organisation list and detail pages, per role, with outsiders and query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from partnerdesk.contracts.actions import contract_create
from partnerdesk.contracts.models import BillTo, Filers
from partnerdesk.parties.actions import customer_create, partner_create
from partnerdesk.parties.models import Organisation

pytestmark = pytest.mark.django_db

LIST = reverse("parties:organisation_list")


def detail(organisation) -> str:
    return reverse("parties:organisation_detail", args=[organisation.pk])


# ---- list ----------------------------------------------------------------------------------

VENDOR_STAFF = ("cs_agent", "cs_responsible", "expert", "project_lead", "sales", "admin")


@pytest.mark.parametrize("persona", VENDOR_STAFF)
def test_it_lists_partners_and_customers_for_vendor_staff(client_for, world, persona):
    body = client_for(world.persona(persona)).get(LIST).content.decode()
    for name in (
        "Alpina Solutions AG",
        "Bergwerk Consulting GmbH",
        "Stadtwerke Seeland",
        "Kantonsspital Ost",
    ):
        assert name in body


def test_it_filters_the_list_by_kind(client_for, world):
    client = client_for(world.cs_agent)
    partners = client.get(LIST, {"kind": "partner"}).content.decode()
    assert "Alpina Solutions AG" in partners
    assert "Stadtwerke Seeland" not in partners
    assert 'aria-current="page">Partner<' in partners
    customers = client.get(LIST, {"kind": "customer"}).content.decode()
    assert "Stadtwerke Seeland" in customers
    assert "Alpina Solutions AG" not in customers
    unknown = client.get(LIST, {"kind": "vendor"}).content.decode()
    assert "Alpina Solutions AG" in unknown
    assert "Stadtwerke Seeland" in unknown


def test_it_searches_the_list(client_for, world):
    body = client_for(world.cs_agent).get(LIST, {"q": "seeland"}).content.decode()
    assert "Stadtwerke Seeland" in body
    assert "Alpina Solutions AG" not in body
    body = client_for(world.cs_agent).get(LIST, {"q": "gibt-es-nicht"}).content.decode()
    assert "Keine Treffer für diese Suche." in body


@pytest.mark.parametrize("persona", ["coordinator", "employee"])
def test_it_lists_only_the_customers_a_partner_serves(client_for, world, persona):
    body = client_for(world.persona(persona)).get(LIST).content.decode()
    assert "Stadtwerke Seeland" in body
    for hidden in ("Kantonsspital Ost", "Bergwerk Consulting GmbH", "Alpina Solutions AG"):
        assert hidden not in body.split('id="results"')[1]


def test_it_lists_the_partners_of_a_customer(client_for, world):
    body = client_for(world.customer_contact).get(LIST).content.decode()
    results = body.split('id="results"')[1]
    assert "Alpina Solutions AG" in results
    assert "Bergwerk Consulting GmbH" not in results
    assert "Kantonsspital Ost" not in results


@pytest.mark.parametrize(
    ("outsider", "hidden"),
    [
        ("outsider_partner", ("Alpina Solutions AG", "Stadtwerke Seeland")),
        ("outsider_customer", ("Alpina Solutions AG", "Stadtwerke Seeland")),
    ],
)
def test_it_hides_other_tenants_from_outsiders_in_the_list(client_for, world, outsider, hidden):
    body = client_for(world.persona(outsider)).get(LIST).content.decode()
    for name in hidden:
        assert name not in body


def test_it_answers_htmx_with_the_results_partial_only(client_for, world):
    response = client_for(world.cs_agent).get(LIST, {"q": "alpina"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="results"')
    assert "<html" not in body
    assert "Alpina Solutions AG" in body
    assert "HX-Request" in response["Vary"]


def test_it_paginates_the_list(client_for, world):
    for index in range(30):
        customer_create(acting_user=None, name=f"Gemeinde {index:02d}", short_name=f"gde-{index}")
    client = client_for(world.cs_agent)
    first = client.get(LIST, {"kind": "customer"}).content.decode()
    assert "Seite 1 von 2" in first
    assert "Gemeinde 00" in first
    assert "Stadtwerke Seeland" not in first
    second = client.get(LIST, {"kind": "customer", "page": 2}).content.decode()
    assert "Seite 2 von 2" in second
    assert "Stadtwerke Seeland" in second
    assert "Gemeinde 00" not in second
    assert client.get(LIST, {"page": "x"}).status_code == 200


@pytest.mark.parametrize(("persona", "queries"), [("cs_agent", 6), ("coordinator", 6)])
def test_it_lists_in_a_fixed_number_of_queries(
    client_for, world, django_assert_num_queries, persona, queries
):
    for index in range(5):
        partner = partner_create(
            acting_user=None,
            name=f"Partner {index}",
            short_name=f"partner-{index}",
            cs_team=world.team,
            cs_responsible=world.cs_responsible,
            hourly_rate=Decimal("150"),
            coordinator_email=f"koordination@p{index}.test",
            coordinator_name=f"Koordination {index}",
        )
        customer = customer_create(acting_user=None, name=f"Kunde {index}", short_name=f"k-{index}")
        contract_create(
            acting_user=None,
            number=f"SV-Q-{index}",
            customer=customer,
            partner=world.partner,
            valid_from=world.contract.valid_from,
            hourly_rate=Decimal("150"),
        )
        assert partner.pk
    client = client_for(world.persona(persona))
    # session, person, organisation, roles, count, rows
    with django_assert_num_queries(queries):
        assert client.get(LIST).status_code == 200


# ---- detail --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [*VENDOR_STAFF, "coordinator", "employee"])
def test_it_shows_the_partner_with_its_rate_to_vendor_staff_and_the_partner(
    client_for, world, persona
):
    response = client_for(world.persona(persona)).get(detail(world.partner))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Alpina Solutions AG" in body
    assert "CS Team Nord" in body
    assert world.cs_responsible.full_name in body
    assert "Claudia Koordinatorin" in body
    assert world.project_lead.full_name in body
    assert 'data-testid="rate">CHF 160.00<' in body
    assert "SV-TEST-1" in body
    assert "SV-TEST-2" not in body


def test_it_shows_the_partner_to_its_customer_without_rate_or_orders(client_for, world):
    response = client_for(world.customer_contact).get(detail(world.partner))
    assert response.status_code == 200
    body = response.content.decode()
    assert "CS Team Nord" in body
    assert 'data-testid="rate"' not in body
    assert "SV-TEST-1" in body
    assert "Lead Seeland Netzportal" not in body
    assert 'data-testid="people"' not in body


def test_it_shows_people_only_to_the_vendor_and_colleagues(client_for, world):
    assert (
        "Emil Mitarbeiter" in client_for(world.cs_agent).get(detail(world.partner)).content.decode()
    )
    assert (
        "Emil Mitarbeiter"
        in client_for(world.coordinator).get(detail(world.partner)).content.decode()
    )
    body = client_for(world.coordinator).get(detail(world.customer)).content.decode()
    assert "Karin Kundin" not in body


def test_it_shows_the_customer_to_its_partner_with_contracts_and_orders(client_for, world):
    body = client_for(world.coordinator).get(detail(world.customer)).content.decode()
    assert "Stadtwerke Seeland" in body
    assert "SV-TEST-1" in body
    assert "Lead Seeland Netzportal" in body


@pytest.mark.parametrize(
    ("outsider", "target"),
    [
        ("outsider_partner", "partner"),
        ("outsider_partner", "customer"),
        ("outsider_customer", "partner"),
        ("outsider_customer", "customer"),
        ("customer_contact", "other_partner"),
        ("customer_contact", "other_customer"),
        ("coordinator", "other_partner"),
        ("coordinator", "other_customer"),
    ],
)
def test_it_answers_404_for_organisations_of_other_tenants(client_for, world, outsider, target):
    response = client_for(world.persona(outsider)).get(detail(getattr(world, target)))
    assert response.status_code == 404
    assert "Nicht gefunden" in response.content.decode()


def test_it_answers_404_for_an_organisation_that_does_not_exist(client_for, world):
    missing = Organisation.objects.order_by("-pk").first().pk + 100
    response = client_for(world.admin).get(reverse("parties:organisation_detail", args=[missing]))
    assert response.status_code == 404


def test_it_shows_the_detail_in_a_fixed_number_of_queries(
    client_for, world, django_assert_num_queries
):
    for index in range(4):
        contract_create(
            acting_user=None,
            number=f"SV-D-{index}",
            customer=world.customer,
            partner=world.partner,
            valid_from=world.contract.valid_from,
            hourly_rate=Decimal("150"),
            filers=Filers.PARTNER,
            bill_to=BillTo.PARTNER,
        )
    client = client_for(world.cs_agent)
    # session, person, organisation, roles, the organisation, contracts, orders, people, roles
    with django_assert_num_queries(9):
        assert client.get(detail(world.partner)).status_code == 200
