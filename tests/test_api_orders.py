"""GET /api/v1/orders/ and /api/v1/orders/{id}: partner people see their partner's orders,
customer contacts none."""

import datetime
from decimal import Decimal

import pytest

from partnerdesk.contracts.actions import order_create_engagement, order_create_lead
from partnerdesk.contracts.models import ServiceType
from tests.conftest import OUTSIDERS, PERSONAS

VENDOR_STAFF = ("cs_agent", "cs_responsible", "expert", "project_lead", "sales", "admin")
ALL = ("partnership_order", "lead_order", "engagement", "other_partnership_order")
OURS = ("partnership_order", "lead_order", "engagement")
VISIBLE = {
    **dict.fromkeys(VENDOR_STAFF, ALL),
    "coordinator": OURS,
    "employee": OURS,
    "customer_contact": (),
    "outsider_partner": ("other_partnership_order",),
    "outsider_customer": (),
}


def _numbers(response):
    assert response.status_code == 200, response.content
    return [item["number"] for item in response.json()["items"]]


@pytest.mark.parametrize("persona", PERSONAS + OUTSIDERS)
def test_it_lists_exactly_the_orders_a_persona_may_see(world, client_for, persona):
    response = client_for(world.persona(persona)).get("/api/v1/orders/")

    assert _numbers(response) == sorted(getattr(world, name).number for name in VISIBLE[persona])


@pytest.mark.parametrize("persona", PERSONAS + OUTSIDERS)
def test_it_reads_visible_orders_and_hides_the_others(world, client_for, persona):
    client = client_for(world.persona(persona))

    for name in ALL:
        order = getattr(world, name)
        response = client.get(f"/api/v1/orders/{order.pk}")
        if name in VISIBLE[persona]:
            assert response.status_code == 200, name
            assert response.json()["number"] == order.number
        else:
            assert response.status_code == 404, name
            assert response.json()["code"] == "not_found"


def test_it_shows_the_partner_its_lead_order_with_free_hours_and_services(world, client_for):
    response = client_for(world.employee).get(f"/api/v1/orders/{world.lead_order.pk}")

    assert response.status_code == 200
    assert response.json() == {
        "id": world.lead_order.pk,
        "number": world.lead_order.number,
        "kind": "lead",
        "partner": {"id": world.partner.pk, "name": "Alpina Solutions AG"},
        "customer": {"id": world.customer.pk, "name": "Stadtwerke Seeland"},
        "title": "Lead Seeland Netzportal",
        "is_active": True,
        "approved_free_hours": "20.00",
        "free_service_types": [{"code": "analyse", "name": "Analyse"}],
        "starts_on": None,
        "ends_on": None,
        "capacity_hours": None,
        "dedicated_staff": [],
    }


def test_it_shows_the_partner_its_engagement_with_period_capacity_and_staff(world, client_for):
    response = client_for(world.coordinator).get(f"/api/v1/orders/{world.engagement.pk}")

    body = response.json()
    assert body["kind"] == "engagement"
    assert body["customer"] is None
    assert (body["starts_on"], body["ends_on"], body["capacity_hours"]) == (
        "2026-10-01",
        "2026-12-31",
        "120.00",
    )
    assert body["dedicated_staff"] == [{"id": world.expert.pk, "full_name": "Expert BSI"}]
    assert body["approved_free_hours"] is None
    assert body["free_service_types"] == []


def test_it_shows_the_partnership_order(world, client_for):
    response = client_for(world.coordinator).get(f"/api/v1/orders/{world.partnership_order.pk}")

    assert response.json()["kind"] == "partnership"
    assert response.json()["number"] == "PA-ALPINA"


def test_it_filters_by_kind_and_partner(world, client_for):
    client = client_for(world.cs_agent)

    assert _numbers(client.get("/api/v1/orders/", {"kind": "partnership"})) == sorted(
        [world.partnership_order.number, world.other_partnership_order.number]
    )
    assert _numbers(
        client.get("/api/v1/orders/", {"kind": "lead", "partner": world.partner.pk})
    ) == [world.lead_order.number]
    assert _numbers(client.get("/api/v1/orders/", {"partner": world.other_partner.pk})) == [
        world.other_partnership_order.number
    ]


def test_it_filters_within_what_the_caller_sees(world, client_for):
    partner_view = client_for(world.coordinator).get(
        "/api/v1/orders/", {"partner": world.other_partner.pk}
    )
    customer_view = client_for(world.customer_contact).get(
        "/api/v1/orders/", {"partner": world.partner.pk}
    )

    assert _numbers(partner_view) == []
    assert _numbers(customer_view) == []


@pytest.mark.parametrize(
    ("query", "field"), [({"kind": "nonsense"}, "kind"), ({"partner": "alpina"}, "partner")]
)
def test_it_refuses_bad_filter_values_with_field_errors(world, client_for, query, field):
    response = client_for(world.cs_agent).get("/api/v1/orders/", query)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert list(response.json()["errors"]) == [field]


def _add_orders(world, count):
    services = [
        ServiceType.objects.create(code=f"svc-{number}", name=f"Leistung {number}")
        for number in range(3)
    ]
    for number in range(count):
        order_create_lead(
            acting_user=None,
            partner=world.partner,
            customer=world.customer,
            title=f"Neu: Lead {number}",
            approved_free_hours=Decimal("8"),
            free_service_types=services,
        )
        order_create_engagement(
            acting_user=None,
            partner=world.partner,
            title=f"Neu: Einsatz {number}",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 3, 31),
            capacity_hours=Decimal("40"),
            dedicated_staff=[world.expert, world.cs_agent],
        )


@pytest.mark.parametrize("persona", ["cs_agent", "coordinator"])
def test_it_lists_orders_in_a_fixed_number_of_queries(
    world, client_for, django_assert_num_queries, persona
):
    client = client_for(world.persona(persona))
    client.get("/api/v1/orders/")

    # session, user, caller's organisation, count, page, service types, dedicated staff
    with django_assert_num_queries(7):
        small = client.get("/api/v1/orders/")
    _add_orders(world, 12)
    with django_assert_num_queries(7):
        large = client.get("/api/v1/orders/")

    assert large.json()["count"] == small.json()["count"] + 24
    added = [item for item in large.json()["items"] if item["title"].startswith("Neu: ")]
    assert len(added) == 24
    assert all(
        len(item["free_service_types"]) == 3 or len(item["dedicated_staff"]) == 2 for item in added
    )


def test_it_lists_nothing_to_a_customer_in_few_queries(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.customer_contact)
    client.get("/api/v1/orders/")

    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/orders/")

    assert response.json() == {"items": [], "count": 0}
