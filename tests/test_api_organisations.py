"""GET /api/v1/organisations/ and /api/v1/organisations/{id}: scoped to the caller."""

from decimal import Decimal

import pytest

from partnerdesk.contracts.actions import contract_create
from partnerdesk.parties.actions import customer_create
from tests.conftest import OUTSIDERS, PERSONAS

VENDOR_STAFF = ("cs_agent", "cs_responsible", "expert", "project_lead", "sales", "admin")
ALL = ("vendor", "partner", "other_partner", "customer", "other_customer")

# Which organisations (World attributes) each persona sees.
VISIBLE = {
    **dict.fromkeys(VENDOR_STAFF, ALL),
    "coordinator": ("vendor", "partner", "customer"),
    "employee": ("vendor", "partner", "customer"),
    "customer_contact": ("vendor", "customer", "partner"),
    "outsider_partner": ("vendor", "other_partner", "other_customer"),
    "outsider_customer": ("vendor", "other_customer", "other_partner"),
}


def _ids(response):
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.parametrize("persona", PERSONAS + OUTSIDERS)
def test_it_lists_exactly_the_organisations_a_persona_may_see(world, client_for, persona):
    response = client_for(world.persona(persona)).get("/api/v1/organisations/")

    expected = {getattr(world, name).pk for name in VISIBLE[persona]}
    assert _ids(response) == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize("persona", PERSONAS + OUTSIDERS)
def test_it_reads_visible_organisations_and_hides_the_others(world, client_for, persona):
    client = client_for(world.persona(persona))

    for name in ALL:
        organisation = getattr(world, name)
        response = client.get(f"/api/v1/organisations/{organisation.pk}")
        if name in VISIBLE[persona]:
            assert response.status_code == 200, (name, response.content)
            assert response.json()["id"] == organisation.pk
        else:
            assert response.status_code == 404, name
            assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_it_shows_the_partner_its_own_record_with_contacts_and_rate(world, client_for):
    response = client_for(world.coordinator).get(f"/api/v1/organisations/{world.partner.pk}")

    assert response.status_code == 200
    assert response.json() == {
        "id": world.partner.pk,
        "kind": "partner",
        "name": "Alpina Solutions AG",
        "short_name": "alpina",
        "city": "",
        "cs_team": {"id": world.team.pk, "name": "CS Team Nord"},
        "cs_responsible": {
            "id": world.cs_responsible.pk,
            "full_name": world.cs_responsible.full_name,
            "email": "cs.responsible@bsi.test",
        },
        "coordinator": {
            "id": world.coordinator.pk,
            "full_name": "Claudia Koordinatorin",
            "email": "koordination@alpina.test",
        },
        "project_lead": {
            "id": world.project_lead.pk,
            "full_name": world.project_lead.full_name,
            "email": "project.lead@bsi.test",
        },
        "hourly_rate": "160.00",
    }


@pytest.mark.parametrize(
    ("persona", "sees_rate"),
    [
        *[(name, True) for name in VENDOR_STAFF],
        ("coordinator", True),
        ("employee", True),
        ("customer_contact", False),
    ],
)
def test_it_shows_the_partner_rate_only_to_vendor_staff_and_the_partner(
    world, client_for, persona, sees_rate
):
    response = client_for(world.persona(persona)).get(f"/api/v1/organisations/{world.partner.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["hourly_rate"] == ("160.00" if sees_rate else None)
    assert body["coordinator"]["email"] == "koordination@alpina.test"  # contacts are fine


def test_it_hides_the_partner_rate_in_the_customers_list_too(world, client_for):
    response = client_for(world.customer_contact).get("/api/v1/organisations/?kind=partner")

    assert [(item["id"], item["hourly_rate"]) for item in response.json()["items"]] == [
        (world.partner.pk, None)
    ]


def test_it_names_the_vendor_by_its_display_name(world, client_for, settings):
    settings.VENDOR_NAME = "Acme Software"

    response = client_for(world.customer_contact).get(f"/api/v1/organisations/{world.vendor.pk}")

    assert response.json()["name"] == "Acme Software"
    assert response.json()["kind"] == "vendor"


def test_it_filters_by_kind(world, client_for):
    response = client_for(world.cs_agent).get("/api/v1/organisations/", {"kind": "customer"})

    assert _ids(response) == {world.customer.pk, world.other_customer.pk}


def test_it_searches_by_part_of_the_name_within_what_the_caller_sees(world, client_for):
    vendor_view = client_for(world.cs_agent).get("/api/v1/organisations/", {"q": "BERGWERK"})
    partner_view = client_for(world.coordinator).get("/api/v1/organisations/", {"q": "bergwerk"})

    assert _ids(vendor_view) == {world.other_partner.pk}
    assert _ids(partner_view) == set()


@pytest.mark.parametrize(
    ("query", "field"),
    [({"kind": "nonsense"}, "kind"), ({"limit": "0"}, "limit"), ({"offset": "-1"}, "offset")],
)
def test_it_refuses_bad_filter_values_with_field_errors(world, client_for, query, field):
    response = client_for(world.cs_agent).get("/api/v1/organisations/", query)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert list(body["errors"]) == [field]


def test_it_pages_in_a_stable_order(world, client_for):
    client = client_for(world.cs_agent)
    everything = client.get("/api/v1/organisations/").json()["items"]

    pages = [
        client.get("/api/v1/organisations/", {"limit": 2, "offset": offset}).json()
        for offset in (0, 2, 4)
    ]

    assert [item["id"] for page in pages for item in page["items"]] == [
        item["id"] for item in everything
    ]
    assert {page["count"] for page in pages} == {5}
    assert [(item["kind"], item["name"]) for item in everything] == sorted(
        (item["kind"], item["name"]) for item in everything
    )


def test_it_answers_not_found_for_unknown_ids_and_invalid_input_for_non_numbers(world, client_for):
    client = client_for(world.cs_agent)

    assert client.get("/api/v1/organisations/987654").json()["code"] == "not_found"
    assert client.get("/api/v1/organisations/99999999999999999999").status_code == 404
    response = client.get("/api/v1/organisations/alpina")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["organisation_id"]


def _add_customers_served_by(world, count):
    for number in range(count):
        customer = customer_create(
            acting_user=None, name=f"Gemeinde {number:02d}", short_name=f"gemeinde-{number}"
        )
        contract_create(
            acting_user=None,
            customer=customer,
            partner=world.partner,
            valid_from=world.contract.valid_from,
            hourly_rate=Decimal("150"),
        )


@pytest.mark.parametrize("persona", ["cs_agent", "coordinator", "customer_contact"])
def test_it_lists_organisations_in_a_fixed_number_of_queries(
    world, client_for, django_assert_num_queries, persona
):
    client = client_for(world.persona(persona))
    client.get("/api/v1/organisations/")  # warm up: the session is loaded the same way

    # session, user, caller's organisation, count, page
    with django_assert_num_queries(5):
        small = client.get("/api/v1/organisations/")
    _add_customers_served_by(world, 12)
    with django_assert_num_queries(5):
        large = client.get("/api/v1/organisations/")

    assert large.json()["count"] >= small.json()["count"]
    if persona != "customer_contact":
        assert large.json()["count"] == small.json()["count"] + 12
