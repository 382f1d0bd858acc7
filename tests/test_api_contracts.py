"""GET /api/v1/contracts/ and /api/v1/contracts/{id}: scoped to the caller."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from partnerdesk.contracts.actions import contract_create
from partnerdesk.contracts.models import BillTo, Filers
from partnerdesk.parties.actions import customer_create
from tests.conftest import OUTSIDERS, PERSONAS

VENDOR_STAFF = ("cs_agent", "cs_responsible", "expert", "project_lead", "sales", "admin")
ALL = ("contract", "other_contract")
VISIBLE = {
    **dict.fromkeys(VENDOR_STAFF, ALL),
    "coordinator": ("contract",),
    "employee": ("contract",),
    "customer_contact": ("contract",),
    "outsider_partner": ("other_contract",),
    "outsider_customer": ("other_contract",),
}


def _numbers(response):
    assert response.status_code == 200, response.content
    return [item["number"] for item in response.json()["items"]]


@pytest.mark.parametrize("persona", PERSONAS + OUTSIDERS)
def test_it_lists_exactly_the_contracts_a_persona_may_see(world, client_for, persona):
    response = client_for(world.persona(persona)).get("/api/v1/contracts/")

    assert _numbers(response) == sorted(getattr(world, name).number for name in VISIBLE[persona])


@pytest.mark.parametrize("persona", PERSONAS + OUTSIDERS)
def test_it_reads_visible_contracts_and_hides_the_others(world, client_for, persona):
    client = client_for(world.persona(persona))

    for name in ALL:
        contract = getattr(world, name)
        response = client.get(f"/api/v1/contracts/{contract.pk}")
        if name in VISIBLE[persona]:
            assert response.status_code == 200, name
            assert response.json()["number"] == contract.number
        else:
            assert response.status_code == 404, name
            assert response.json()["code"] == "not_found"


@time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_it_shows_the_customer_its_contract_with_sla_and_rules(world, client_for):
    response = client_for(world.customer_contact).get(f"/api/v1/contracts/{world.contract.pk}")

    assert response.status_code == 200
    assert response.json() == {
        "id": world.contract.pk,
        "number": "SV-TEST-1",
        "customer": {"id": world.customer.pk, "name": "Stadtwerke Seeland"},
        "partner": {"id": world.partner.pk, "name": "Alpina Solutions AG"},
        "product": "",
        "valid_from": "2026-01-01",
        "valid_until": None,
        "sla": {"first_check_hours": 24, "calendar": "business", "canton": "BE"},
        "filers": "both",
        "bill_to": "customer",
        "hourly_rate": "170.00",
        "is_valid_today": True,
    }


def test_it_says_whether_a_contract_is_valid_today(world, client_for):
    client = client_for(world.cs_agent)
    url = f"/api/v1/contracts/{world.contract.pk}"

    with time_machine.travel(datetime.datetime(2025, 12, 31, 12, tzinfo=datetime.UTC)):
        assert client.get(url).json()["is_valid_today"] is False
    with time_machine.travel(datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC)):
        assert client.get(url).json()["is_valid_today"] is True


def test_it_shows_an_on_the_clock_sla_without_canton(world, client_for):
    response = client_for(world.outsider_partner).get(
        f"/api/v1/contracts/{world.other_contract.pk}"
    )

    assert response.json()["sla"] == {"first_check_hours": 24, "calendar": "clock", "canton": None}


# The world's contract bills the customer; the other contract bills its partner.
@pytest.mark.parametrize(
    ("persona", "contract", "sees_rate"),
    [
        *[(name, "contract", True) for name in VENDOR_STAFF],
        ("customer_contact", "contract", True),
        ("coordinator", "contract", False),
        ("employee", "contract", False),
        ("outsider_partner", "other_contract", True),
        ("outsider_customer", "other_contract", False),
    ],
)
def test_it_shows_the_contract_rate_only_to_vendor_staff_and_the_billed_party(
    world, client_for, persona, contract, sees_rate
):
    contract = getattr(world, contract)

    response = client_for(world.persona(persona)).get(f"/api/v1/contracts/{contract.pk}")

    assert response.status_code == 200
    assert response.json()["hourly_rate"] == (f"{contract.hourly_rate:.2f}" if sees_rate else None)


def test_it_filters_by_partner_and_customer(world, client_for):
    client = client_for(world.cs_agent)

    assert _numbers(client.get("/api/v1/contracts/", {"partner": world.other_partner.pk})) == [
        "SV-TEST-2"
    ]
    assert _numbers(client.get("/api/v1/contracts/", {"customer": world.customer.pk})) == [
        "SV-TEST-1"
    ]
    assert (
        _numbers(
            client.get(
                "/api/v1/contracts/",
                {"customer": world.customer.pk, "partner": world.other_partner.pk},
            )
        )
        == []
    )


def test_it_filters_within_what_the_caller_sees(world, client_for):
    response = client_for(world.coordinator).get(
        "/api/v1/contracts/", {"partner": world.other_partner.pk}
    )

    assert _numbers(response) == []


def test_it_filters_by_the_day_a_contract_is_valid_on(world, client_for):
    contract_create(
        acting_user=None,
        number="SV-ALT",
        customer=world.customer,
        partner=None,
        valid_from=datetime.date(2025, 1, 1),
        valid_until=datetime.date(2025, 12, 31),
        hourly_rate=Decimal("140"),
        filers=Filers.CUSTOMER,
        bill_to=BillTo.CUSTOMER,
        cs_team=world.team,  # a direct customer's contract names the checking team
    )
    client = client_for(world.customer_contact)

    assert _numbers(client.get("/api/v1/contracts/", {"valid_on": "2025-12-31"})) == ["SV-ALT"]
    assert _numbers(client.get("/api/v1/contracts/", {"valid_on": "2026-01-01"})) == ["SV-TEST-1"]
    assert _numbers(client.get("/api/v1/contracts/", {"valid_on": "2024-06-30"})) == []
    assert _numbers(client.get("/api/v1/contracts/")) == ["SV-ALT", "SV-TEST-1"]


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({"valid_on": "notadate"}, ["valid_on"]),
        ({"valid_on": "2026-02-30"}, ["valid_on"]),
        ({"partner": "alpina"}, ["partner"]),
        ({"partner": "x", "customer": "y"}, ["partner", "customer"]),
    ],
)
def test_it_refuses_bad_filter_values_with_field_errors(world, client_for, query, fields):
    response = client_for(world.cs_agent).get("/api/v1/contracts/", query)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert sorted(response.json()["errors"]) == sorted(fields)


@pytest.mark.parametrize("persona", ["cs_agent", "coordinator", "customer_contact"])
def test_it_lists_contracts_in_a_fixed_number_of_queries(
    world, client_for, django_assert_num_queries, persona
):
    client = client_for(world.persona(persona))
    client.get("/api/v1/contracts/")

    with django_assert_num_queries(5):
        small = client.get("/api/v1/contracts/")
    for number in range(12):
        customer = customer_create(
            acting_user=None, name=f"Gemeinde {number:02d}", short_name=f"gemeinde-{number}"
        )
        for partner, customer_ in ((world.partner, customer), (None, world.customer)):
            contract_create(
                acting_user=None,
                customer=customer_,
                partner=partner,
                valid_from=datetime.date(2026, 1, 1),
                hourly_rate=Decimal("150"),
                filers=Filers.PARTNER if partner else Filers.CUSTOMER,
                bill_to=BillTo.PARTNER if partner else BillTo.CUSTOMER,
                cs_team=None if partner else world.team,
            )
    with django_assert_num_queries(5):
        large = client.get("/api/v1/contracts/")

    assert large.json()["count"] == small.json()["count"] + (24 if persona == "cs_agent" else 12)
