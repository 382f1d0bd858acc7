"""/api/v1/ bookings, queries and budgets: booking with derived billing, correcting and
deleting, the list with its filters, who sees what (internal texts, rates, bookings billed to
a customer), queries and their resolution, lead and engagement budgets, raising approvals."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from partnerdesk.billing import actions as billing_actions
from partnerdesk.contracts.models import Order, ServiceType
from partnerdesk.efforts import actions
from partnerdesk.efforts.models import Booking, BookingKind, BookingQuery, BudgetEvent
from partnerdesk.tickets import actions as ticket_actions
from partnerdesk.tickets.models import EventKind, TicketEvent
from tests.tickets_helpers import file_ticket

ZRH = ZoneInfo("Europe/Zurich")
NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=ZRH)
TODAY = NOW.date()
YESTERDAY = TODAY - datetime.timedelta(days=1)
OUTSIDERS = ("outsider_partner", "outsider_customer")
# session, user, organisation, count, page — however many rows the page holds
LIST_QUERIES = 5


@pytest.fixture(autouse=True)
def _tuesday(time_machine):
    time_machine.move_to(NOW, tick=False)


def analyse():
    return ServiceType.objects.get(code="analyse")


def training():
    return ServiceType.objects.get_or_create(code="schulung", defaults={"name": "Schulung"})[0]


def book(world, ticket=None, *, by=None, minutes=90, day=TODAY, activity=None):
    return actions.booking_create(
        acting_user=by or world.cs_agent,
        ticket=ticket or file_ticket(world),
        day=day,
        minutes=minutes,
        activity=activity or analyse(),
        text="Logs analysiert",
        internal_text="Kunde war ungeduldig",
    )


def decide(world, ticket, coverage):
    ticket.refresh_from_db()
    return ticket_actions.ticket_decide_coverage(
        acting_user=world.cs_agent,
        ticket=ticket,
        version=ticket.version,
        coverage=coverage,
        reason="Beurteilt",
    )


def customer_billed(world):
    """A booking on a not-covered ticket: world.contract bills the customer."""
    ticket = file_ticket(world)
    decide(world, ticket, "howto")
    return book(world, ticket)


def lead_ticket(world):
    return file_ticket(world, order=world.lead_order)


def engagement_ticket(world, planned_minutes=600):
    return ticket_actions.ticket_file(
        acting_user=world.employee,
        customer=world.customer,
        order=world.engagement,
        title="Migration Mandant 3",
        description="Daten übernehmen.",
        planned_minutes=planned_minutes,
    ).ticket


def issue_month(world):
    invoices = billing_actions.invoice_run(acting_user=world.cs_responsible, month=TODAY)
    return [
        billing_actions.invoice_issue(
            acting_user=world.cs_responsible, invoice=invoice, version=invoice.version
        )
        for invoice in invoices
    ]


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def patch(client, booking, **fields):
    return client.patch(
        f"/api/v1/bookings/{booking.pk}",
        {"version": booking.version, **fields},
        content_type="application/json",
    )


def post_booking(client, ticket, **fields):
    body = {"day": TODAY.isoformat(), "duration": "1:30", "activity": "analyse", **fields}
    return post(client, f"/api/v1/tickets/{ticket.number}/bookings", body)


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


# --- booking ----------------------------------------------------------------------------


def test_it_books_effort_and_derives_who_pays(world, client_for):
    ticket = file_ticket(world)

    response = post_booking(
        client_for(world.cs_agent), ticket, text="Logs analysiert", internal_text="Intern"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    booking = Booking.objects.get()
    assert body["id"] == booking.pk and booking.minutes == 90 and booking.person == world.cs_agent
    assert body["ticket"] == {"number": ticket.number, "title": "Export bricht ab"}
    assert body["day"] == "2026-11-24" and body["minutes"] == 90 and body["hours"] == "1.50"
    assert body["person"] == {
        "id": world.cs_agent.pk,
        "name": "Cs Agent BSI",
        "organisation": "BSI",
    }
    assert body["activity"] == {"code": "analyse", "name": "Analyse"}
    assert body["text"] == "Logs analysiert" and body["internal_text"] == "Intern"
    assert body["kind"] == "work" and body["corrects"] is None
    assert body["billing"] == {
        "billing": "partner",
        "reason": "partnership",
        "reason_label": "Partnerschaftsauftrag",
        "bill_to": {"id": world.partner.pk, "name": "Alpina Solutions AG"},
        "free_minutes": 0,
        "billable_minutes": 90,
        "rate": "160.00",
        "amount": "240.00",
    }
    assert body["invoiced"] is False and body["locked"] is False and body["invoice"] is None
    assert body["cancelled_at"] is None and body["version"] == 1
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.EFFORT).count() == 1


@pytest.mark.parametrize(
    ("duration", "minutes"),
    [("1:30", 90), ("1.5h", 90), ("1,5 h", 90), ("1h30", 90), ("90", 90), ("45 min", 45), (45, 45)],
)
def test_it_reads_every_duration_format(world, client_for, duration, minutes):
    response = post_booking(client_for(world.expert), file_ticket(world), duration=duration)

    assert response.status_code == 201, response.content
    assert response.json()["minutes"] == minutes == Booking.objects.get().minutes


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"duration": "anderthalb"}, ["duration"]),
        ({"duration": "0:00"}, ["duration"]),
        ({"duration": 0}, ["duration"]),
        ({"duration": "25h"}, ["duration"]),
        ({"activity": "yoga"}, ["activity"]),
        ({"day": "2026-11-25"}, ["day"]),
        ({"day": "gestern"}, ["day"]),
        ({"billing": "free"}, ["billing"]),
    ],
)
def test_it_refuses_bad_bookings_with_field_errors(world, client_for, fields, errors):
    response = post_booking(client_for(world.cs_agent), file_ticket(world), **fields)

    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_input"
    assert sorted(response.json()["errors"]) == errors
    assert not Booking.objects.exists()


@pytest.mark.parametrize("persona", ["employee", "coordinator", "customer_contact"])
def test_it_lets_only_vendor_staff_book(world, client_for, persona):
    response = post_booking(client_for(world.persona(persona)), file_ticket(world))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Booking.objects.exists()


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_it_answers_404_for_booking_on_someone_elses_ticket(world, client_for, persona):
    response = post_booking(client_for(world.persona(persona)), file_ticket(world))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_it_refuses_anonymous_booking(world):
    response = post_booking(Client(), file_ticket(world))

    assert response.status_code == 401


# --- billing derived, as the API shows it ------------------------------------------------


def test_it_shows_a_booking_on_a_covered_ticket_as_free(world, client_for):
    ticket = file_ticket(world)
    decide(world, ticket, "product_defect")

    body = post_booking(client_for(world.cs_agent), ticket).json()

    assert body["billing"] == {
        "billing": "free",
        "reason": "covered",
        "reason_label": "Herstellerleistung (gedeckt)",
        "bill_to": None,
        "free_minutes": 90,
        "billable_minutes": 0,
        "rate": None,
        "amount": "0.00",
    }


def test_it_bills_not_covered_effort_to_the_party_of_the_contract(world, client_for):
    ours = file_ticket(world)
    decide(world, ours, "howto")  # world.contract bills the customer
    theirs = file_ticket(
        world,
        by=world.outsider_partner,
        customer=world.other_customer,
        order=world.other_partnership_order,
    )
    decide(world, theirs, "configuration")  # world.other_contract bills the partner
    client = client_for(world.cs_agent)

    ours_billing = post_booking(client, ours).json()["billing"]
    theirs_billing = post_booking(client, theirs, duration="1h").json()["billing"]

    assert ours_billing["billing"] == "customer" and ours_billing["reason"] == "not_covered"
    assert ours_billing["bill_to"] == {"id": world.customer.pk, "name": "Stadtwerke Seeland"}
    assert (ours_billing["rate"], ours_billing["amount"]) == ("170.00", "255.00")
    assert theirs_billing["billing"] == "partner"
    assert theirs_billing["bill_to"]["id"] == world.other_partner.pk
    assert (theirs_billing["rate"], theirs_billing["amount"]) == ("150.00", "150.00")


def test_it_follows_a_later_coverage_decision(world, client_for):
    booking = book(world)
    client = client_for(world.coordinator)
    assert client.get(f"/api/v1/bookings/{booking.pk}").json()["billing"]["billing"] == "partner"

    decide(world, booking.ticket, "operations_incident")

    billing = client.get(f"/api/v1/bookings/{booking.pk}").json()["billing"]
    assert billing["billing"] == "free" and billing["reason"] == "covered"


def test_it_bills_lead_hours_beyond_the_approval_to_the_partner(world, client_for):
    ticket = lead_ticket(world)
    client = client_for(world.cs_agent)

    free = post_booking(client, ticket, duration="19h").json()["billing"]
    split = post_booking(client, ticket, duration="2h").json()["billing"]
    other_service = post_booking(client, ticket, duration="1h", activity=training().code)

    assert free["billing"] == "free" and free["reason"] == "lead_free"
    assert free["free_minutes"] == 19 * 60 and free["amount"] == "0.00"
    assert split["reason"] == "lead_split" and split["bill_to"]["id"] == world.partner.pk
    assert (split["free_minutes"], split["billable_minutes"], split["amount"]) == (60, 60, "160.00")
    assert other_service.json()["billing"]["reason"] == "lead_service"


# --- who sees what ----------------------------------------------------------------------


def test_it_shows_internal_texts_to_vendor_staff_only(world, client_for):
    booking = customer_billed(world)
    url = f"/api/v1/bookings/{booking.pk}"

    assert client_for(world.expert).get(url).json()["internal_text"] == "Kunde war ungeduldig"
    for persona in ("coordinator", "employee", "customer_contact"):
        client = client_for(world.persona(persona))
        assert client.get(url).json()["internal_text"] is None, persona
        listed = client.get("/api/v1/bookings/").json()["items"]
        assert [item["internal_text"] for item in listed] == [None], persona
        assert "ungeduldig" not in client.get("/api/v1/bookings/").content.decode()


def test_it_shows_customers_only_the_bookings_billed_to_them(world, client_for):
    partner_billed = book(world)
    billed_to_customer = customer_billed(world)
    client = client_for(world.customer_contact)

    assert ids(client.get("/api/v1/bookings/")) == [billed_to_customer.pk]
    assert client.get(f"/api/v1/bookings/{partner_billed.pk}").status_code == 404
    body = client.get(f"/api/v1/bookings/{billed_to_customer.pk}").json()
    assert body["billing"]["rate"] == "170.00" and body["billing"]["amount"] == "255.00"


def test_it_hides_the_rate_of_a_customer_billed_booking_from_the_partner(world, client_for):
    booking = customer_billed(world)

    body = client_for(world.coordinator).get(f"/api/v1/bookings/{booking.pk}").json()

    assert body["billing"]["billing"] == "customer"
    assert body["billing"]["rate"] is None and body["billing"]["amount"] is None
    assert body["billing"]["billable_minutes"] == 90


def test_it_shows_the_invoice_only_to_who_may_see_it(world, client_for):
    partner_billed = book(world)
    billed_to_customer = customer_billed(world)
    invoices = {invoice.party_id: invoice for invoice in issue_month(world)}
    coordinator = client_for(world.coordinator)

    own = coordinator.get(f"/api/v1/bookings/{partner_billed.pk}").json()
    customers = coordinator.get(f"/api/v1/bookings/{billed_to_customer.pk}").json()
    by_customer = client_for(world.customer_contact).get(
        f"/api/v1/bookings/{billed_to_customer.pk}"
    )

    assert own["invoiced"] and own["locked"]
    assert own["invoice"] == {
        "id": invoices[world.partner.pk].pk,
        "number": invoices[world.partner.pk].number,
        "status": "issued",
    }
    assert customers["invoiced"] and customers["locked"] and customers["invoice"] is None
    assert by_customer.json()["invoice"]["number"] == invoices[world.customer.pk].number


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_it_shows_outsiders_nothing_of_our_bookings(world, client_for, persona):
    booking = customer_billed(world)
    client = client_for(world.persona(persona))
    url = f"/api/v1/bookings/{booking.pk}"

    assert ids(client.get("/api/v1/bookings/")) == []
    assert client.get(url).status_code == 404
    assert patch(client, booking, duration="1h").status_code == 404
    assert client.delete(f"{url}?version=1").status_code == 404
    assert post(client, f"{url}/queries", {"reason": "x"}).status_code == 404
    assert Booking.objects.get().version == 1 and not BookingQuery.objects.exists()


# --- the list ---------------------------------------------------------------------------


def test_it_filters_the_bookings(world, client_for):
    mine = book(world, day=TODAY)
    experts = book(world, by=world.expert, day=datetime.date(2026, 10, 30))
    covered_ticket = file_ticket(world, title="Absturz")
    decide(world, covered_ticket, "operations_incident")
    free = book(world, covered_ticket, day=YESTERDAY)
    billed_to_customer = customer_billed(world)
    client = client_for(world.cs_agent)

    def listed(**params):
        return sorted(ids(client.get("/api/v1/bookings/", params)))

    everything = sorted([mine.pk, experts.pk, free.pk, billed_to_customer.pk])
    assert listed() == everything
    assert listed(person="me") == sorted([mine.pk, free.pk, billed_to_customer.pk])
    assert listed(person=world.expert.pk) == [experts.pk]
    assert listed(ticket=covered_ticket.number) == [free.pk]
    assert listed(month="2026-10") == [experts.pk]
    assert listed(month="2026-11") == sorted([mine.pk, free.pk, billed_to_customer.pk])
    assert listed(**{"from": "2026-11-23", "to": "2026-11-23"}) == [free.pk]
    assert listed(billing="free") == [free.pk]
    assert listed(billing="customer") == [billed_to_customer.pk]
    assert listed(partner=world.partner.pk) == everything
    assert listed(partner=world.other_partner.pk) == []
    assert listed(customer=world.customer.pk) == everything
    assert listed(invoiced="true") == []
    billing_actions.invoice_run(acting_user=world.cs_responsible, month=TODAY)
    assert listed(invoiced="true") == sorted([mine.pk, experts.pk, billed_to_customer.pk])
    assert listed(invoiced="false") == [free.pk]
    # newest day first
    assert ids(client.get("/api/v1/bookings/"))[-1] == experts.pk


@pytest.mark.parametrize(
    "params", [{"person": "you"}, {"month": "2026-13"}, {"from": "gestern"}, {"billing": "gratis"}]
)
def test_it_refuses_bad_filters(world, client_for, params):
    response = client_for(world.cs_agent).get("/api/v1/bookings/", params)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_it_lists_bookings_with_a_fixed_number_of_queries(
    world, client_for, django_assert_num_queries
):
    client = client_for(world.coordinator)
    for _ in range(2):
        book(world)
    issue_month(world)
    with django_assert_num_queries(LIST_QUERIES):
        assert len(ids(client.get("/api/v1/bookings/"))) == 2
    for persona in ("expert", "cs_agent"):
        for _ in range(3):
            book(world, by=world.persona(persona))
    customer_billed(world)

    with django_assert_num_queries(LIST_QUERIES):
        assert len(ids(client.get("/api/v1/bookings/"))) == 9


# --- correcting and deleting -------------------------------------------------------------


def test_it_corrects_a_booking_and_derives_its_billing_again(world, client_for):
    booking = book(world)

    response = patch(client_for(world.cs_agent), booking, duration="2h", text="Neu")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["minutes"] == 120 and body["text"] == "Neu" and body["version"] == 2
    assert body["internal_text"] == "Kunde war ungeduldig"  # left out: unchanged
    assert body["billing"]["amount"] == "320.00"
    booking.refresh_from_db()
    assert booking.minutes == 120 and booking.amount == Decimal("320.00")


def test_it_refuses_a_stale_version(world, client_for):
    booking = book(world)
    client = client_for(world.cs_agent)
    assert patch(client, booking, duration="2h").status_code == 200

    response = patch(client, booking, duration="3h")  # still version 1

    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    booking.refresh_from_db()
    assert booking.minutes == 120


def test_it_lets_only_the_person_or_the_cs_responsible_correct(world, client_for):
    booking = book(world, by=world.expert)

    refused = patch(client_for(world.cs_agent), booking, duration="2h")
    by_partner = patch(client_for(world.coordinator), booking, duration="2h")
    allowed = patch(client_for(world.cs_responsible), booking, duration="2h")

    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert by_partner.status_code == 403
    assert allowed.status_code == 200 and allowed.json()["minutes"] == 120


def test_it_refuses_to_change_or_delete_a_locked_booking(world, client_for):
    booking = book(world)
    issue_month(world)
    client = client_for(world.cs_agent)

    changed = patch(client, booking, duration="2h")
    deleted = client.delete(f"/api/v1/bookings/{booking.pk}?version={booking.version}")

    for response in (changed, deleted):
        assert response.status_code == 422, response.content
        assert response.json()["code"] == "booking_locked"
        assert "gesperrt" in response.json()["detail"]
    booking.refresh_from_db()
    assert booking.minutes == 90 and booking.cancelled_at is None


def test_it_deletes_a_booking_but_keeps_it(world, client_for):
    booking = book(world)
    client = client_for(world.cs_agent)

    response = client.delete(f"/api/v1/bookings/{booking.pk}?version=1")

    assert response.status_code == 200, response.content
    assert response.json()["cancelled_at"] is not None and response.json()["version"] == 2
    assert ids(client.get("/api/v1/bookings/")) == []
    assert client.get(f"/api/v1/bookings/{booking.pk}").json()["cancelled_at"]
    booking.refresh_from_db()
    assert booking.cancelled_at is not None


def test_it_needs_the_version_to_delete(world, client_for):
    booking = book(world)
    client = client_for(world.cs_agent)

    missing = client.delete(f"/api/v1/bookings/{booking.pk}")
    stale = client.delete(f"/api/v1/bookings/{booking.pk}?version=7")

    assert missing.status_code == 422 and list(missing.json()["errors"]) == ["version"]
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    booking.refresh_from_db()
    assert booking.cancelled_at is None


# --- queries ----------------------------------------------------------------------------


def open_query(client, booking, reason="Das dauerte keine 90 Minuten."):
    return post(client, f"/api/v1/bookings/{booking.pk}/queries", {"reason": reason})


def resolve(client, query_id, **body):
    return post(client, f"/api/v1/queries/{query_id}/resolve", body)


def test_it_lets_the_partner_query_a_booking(world, client_for):
    booking = book(world)

    response = open_query(client_for(world.employee), booking)

    assert response.status_code == 201, response.content
    body = response.json()
    query = BookingQuery.objects.get()
    assert body["id"] == query.pk and body["status"] == "open" and body["status_label"] == "offen"
    assert body["booking"]["id"] == booking.pk and body["booking"]["internal_text"] is None
    assert body["reason"] == "Das dauerte keine 90 Minuten."
    assert body["raised_by"]["id"] == world.employee.pk
    assert body["resolved_by"] is None and body["correction"] is None
    assert TicketEvent.objects.filter(kind=EventKind.EFFORT_QUERY).count() == 1


def test_it_refuses_a_second_open_query(world, client_for):
    booking = book(world)
    assert open_query(client_for(world.employee), booking).status_code == 201

    response = open_query(client_for(world.coordinator), booking)

    assert response.status_code == 422
    assert response.json()["code"] == "query_already_open"
    assert BookingQuery.objects.count() == 1


@pytest.mark.parametrize("persona", ["customer_contact", "cs_agent"])
def test_it_lets_only_the_partner_query(world, client_for, persona):
    booking = customer_billed(world)  # the customer sees it

    response = open_query(client_for(world.persona(persona)), booking)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not BookingQuery.objects.exists()


def test_it_refuses_an_empty_reason(world, client_for):
    response = open_query(client_for(world.employee), book(world), reason="  ")

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["reason"]


def test_it_lists_open_queries_for_the_cs_responsible(world, client_for, django_assert_num_queries):
    queries = [
        actions.booking_query_open(acting_user=world.employee, booking=book(world), reason="x")
        for _ in range(3)
    ]
    actions.booking_query_resolve(
        acting_user=world.cs_responsible, query=queries[0], outcome="accepted", reason="Stimmt"
    )
    client = client_for(world.cs_responsible)

    with django_assert_num_queries(LIST_QUERIES):
        open_ids = ids(client.get("/api/v1/queries/", {"status": "open"}))

    assert open_ids == [queries[2].pk, queries[1].pk]
    assert len(ids(client.get("/api/v1/queries/"))) == 3
    assert ids(client.get("/api/v1/queries/", {"partner": world.other_partner.pk})) == []
    assert ids(client.get("/api/v1/queries/", {"status": "accepted"})) == [queries[0].pk]
    for persona in OUTSIDERS:
        outsider = client_for(world.persona(persona))
        assert ids(outsider.get("/api/v1/queries/")) == []
        assert outsider.get(f"/api/v1/queries/{queries[1].pk}").status_code == 404
        assert resolve(outsider, queries[1].pk, outcome="accepted", reason="x").status_code == 404
    assert client_for(world.coordinator).get(f"/api/v1/queries/{queries[1].pk}").status_code == 200


def test_it_resolves_a_query_with_a_correction_booking(world, client_for):
    booking = book(world)
    query = actions.booking_query_open(acting_user=world.employee, booking=booking, reason="x")

    response = resolve(
        client_for(world.cs_responsible),
        query.pk,
        outcome="corrected",
        reason="Stimmt, 1 Stunde.",
        corrected_duration="1:00",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    correction = Booking.objects.get(kind=BookingKind.CORRECTION)
    assert body["status"] == "corrected" and body["resolution"] == "Stimmt, 1 Stunde."
    assert body["corrected_minutes"] == 60 and body["correction"] == correction.pk
    assert body["resolved_by"]["id"] == world.cs_responsible.pk
    assert correction.corrects == booking and correction.minutes == -30
    booking.refresh_from_db()
    assert booking.minutes == 90  # never edited in place
    shown = client_for(world.coordinator).get(f"/api/v1/bookings/{correction.pk}").json()
    assert shown["kind"] == "correction" and shown["corrects"] == booking.pk
    assert shown["billing"]["amount"] == "-80.00"


def test_it_writes_off_and_accepts(world, client_for):
    client = client_for(world.cs_responsible)
    written = actions.booking_query_open(
        acting_user=world.employee, booking=book(world), reason="x"
    )
    accepted = actions.booking_query_open(
        acting_user=world.employee, booking=book(world), reason="x"
    )

    off = resolve(client, written.pk, outcome="written_off", reason="Kulanz").json()
    kept = resolve(client, accepted.pk, outcome="accepted", reason="Korrekt gebucht").json()

    assert off["status"] == "written_off"
    assert Booking.objects.get(pk=off["correction"]).minutes == -90
    assert kept["status"] == "accepted" and kept["correction"] is None


def test_it_leaves_resolving_queries_to_the_cs_responsible(world, client_for):
    query = actions.booking_query_open(acting_user=world.employee, booking=book(world), reason="x")
    for persona in ("cs_agent", "expert", "sales"):
        response = resolve(
            client_for(world.persona(persona)), query.pk, outcome="accepted", reason="ok"
        )
        assert response.status_code == 403, persona
    query.refresh_from_db()
    assert query.status == "open"


def test_it_refuses_resolving_by_the_partner_twice_or_without_duration(world, client_for):
    query = actions.booking_query_open(acting_user=world.employee, booking=book(world), reason="x")
    cs = client_for(world.cs_responsible)

    by_partner = resolve(client_for(world.coordinator), query.pk, outcome="accepted", reason="x")
    no_duration = resolve(cs, query.pk, outcome="corrected", reason="x")
    bad_duration = resolve(cs, query.pk, outcome="corrected", reason="x", corrected_duration="?")
    not_corrected = resolve(cs, query.pk, outcome="accepted", reason="x", corrected_duration=60)
    first = resolve(cs, query.pk, outcome="accepted", reason="Korrekt")
    second = resolve(cs, query.pk, outcome="written_off", reason="Doch nicht")

    assert by_partner.status_code == 403 and by_partner.json()["code"] == "permission_denied"
    assert no_duration.status_code == 422
    assert list(no_duration.json()["errors"]) == ["corrected_duration"]
    assert list(bad_duration.json()["errors"]) == ["corrected_duration"]
    assert list(not_corrected.json()["errors"]) == ["corrected_duration"]
    assert first.status_code == 200
    assert second.status_code == 422 and second.json()["code"] == "query_resolved"
    query.refresh_from_db()
    assert query.status == "accepted"


# --- budgets ----------------------------------------------------------------------------


def budget(client, order):
    return client.get(f"/api/v1/orders/{order.pk}/budget")


def test_it_shows_the_lead_budget_to_vendor_staff_and_the_partner(world, client_for):
    ticket = lead_ticket(world)
    book(world, ticket, minutes=17 * 60)  # 85 %: the CS team hears of 80 %
    book(world, ticket, minutes=60, activity=training())

    for persona in ("cs_agent", "coordinator", "employee"):
        response = budget(client_for(world.persona(persona)), world.lead_order)
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["order"]["kind"] == "lead" and body["engagement"] is None
        assert body["lead"] == {
            "approved_hours": "20.00",
            "used_hours": "17.00",
            "billable_hours": "1.00",
            "remaining_hours": "3.00",
            "free_activities": [{"code": "analyse", "name": "Analyse"}],
        }
        assert [event["kind"] for event in body["events"]] == ["approved", "used_80"]


def test_it_shows_the_engagement_budget(world, client_for):
    ticket = engagement_ticket(world, planned_minutes=600)
    book(world, ticket, by=world.expert, minutes=180)
    book(world, ticket, by=world.cs_agent, minutes=60)

    body = budget(client_for(world.coordinator), world.engagement).json()

    assert body["lead"] is None
    engagement = body["engagement"]
    assert engagement["capacity_hours"] == "120.00" and engagement["planned_hours"] == "10.00"
    assert engagement["booked_hours"] == "4.00" and engagement["remaining_hours"] == "116.00"
    assert engagement["overbooked"] is False and engagement["overplanned"] is False
    people = {person["id"]: person for person in engagement["people"]}
    assert Decimal(people[world.expert.pk]["capacity_hours"]) == 120
    assert Decimal(people[world.expert.pk]["booked_hours"]) == 3
    assert Decimal(people[world.cs_agent.pk]["capacity_hours"]) == 0  # not dedicated
    assert engagement["tickets"] == [
        {
            "number": ticket.number,
            "title": "Migration Mandant 3",
            "planned_hours": "10.00",
            "booked_hours": "4.00",
            "over_plan": False,
        }
    ]


def test_it_flags_an_overbooked_engagement(world, client_for):
    Order.objects.filter(pk=world.engagement.pk).update(capacity_hours=Decimal("2"))
    book(world, engagement_ticket(world, planned_minutes=60), by=world.expert, minutes=180)

    engagement = budget(client_for(world.cs_responsible), world.engagement).json()["engagement"]

    assert engagement["overbooked"] is True and Decimal(engagement["remaining_hours"]) == -1
    assert engagement["tickets"][0]["over_plan"] is True
    assert BudgetEvent.objects.filter(order=world.engagement, kind="overbooked").count() == 1


def test_it_has_no_budget_for_a_partnership_order(world, client_for):
    body = budget(client_for(world.cs_agent), world.partnership_order).json()

    assert body["lead"] is None and body["engagement"] is None and body["events"] == []


@pytest.mark.parametrize("persona", ["customer_contact", *OUTSIDERS])
def test_it_hides_budgets_from_customers_and_other_partners(world, client_for, persona):
    client = client_for(world.persona(persona))

    for order in (world.lead_order, world.engagement):
        assert budget(client, order).status_code == 404
    approval = post(
        client,
        f"/api/v1/orders/{world.lead_order.pk}/approval",
        {"approved_free_hours": "30", "reason": "x"},
    )
    assert approval.status_code == 404


def raise_approval(client, order, hours, reason="Grosses Potenzial"):
    return post(
        client,
        f"/api/v1/orders/{order.pk}/approval",
        {"approved_free_hours": hours, "reason": reason},
    )


def test_it_lets_sales_raise_the_approval_and_bills_again(world, client_for):
    ticket = lead_ticket(world)
    booking = book(world, ticket, minutes=22 * 60)
    assert booking.billable_minutes == 120

    response = raise_approval(client_for(world.sales), world.lead_order, "30")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["lead"]["approved_hours"] == "30.00"
    assert body["lead"]["used_hours"] == "22.00" and body["lead"]["billable_hours"] == "0.00"
    raised = body["events"][-1]
    assert raised["kind"] == "raised" and raised["text"] == "Grosses Potenzial"
    assert raised["hours"] == "30.00" and raised["previous_hours"] == "20.00"
    assert raised["author"]["id"] == world.sales.pk
    shown = client_for(world.coordinator).get(f"/api/v1/bookings/{booking.pk}").json()
    assert shown["billing"]["billing"] == "free" and shown["billing"]["free_minutes"] == 22 * 60


@pytest.mark.parametrize("persona", ["cs_agent", "cs_responsible", "coordinator"])
def test_it_lets_only_sales_or_admin_raise(world, client_for, persona):
    response = raise_approval(client_for(world.persona(persona)), world.lead_order, "30")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    world.lead_order.refresh_from_db()
    assert world.lead_order.approved_free_hours == 20


@pytest.mark.parametrize("hours", ["15", "20"])
def test_it_refuses_lowering_the_approval(world, client_for, hours):
    response = raise_approval(client_for(world.admin), world.lead_order, hours)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert list(response.json()["errors"]) == ["approved_free_hours"]
    world.lead_order.refresh_from_db()
    assert world.lead_order.approved_free_hours == 20


def test_it_refuses_an_approval_on_an_engagement(world, client_for):
    response = raise_approval(client_for(world.sales), world.engagement, "30")

    assert response.status_code == 422
    assert response.json()["code"] == "not_a_lead_order"
