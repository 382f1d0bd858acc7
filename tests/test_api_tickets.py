"""/api/v1/tickets/: filing (with idempotency), the list with its filters and queues, the
detail, the journal, and who sees which ticket."""

import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from partnerdesk.contracts.models import Filers
from partnerdesk.tickets import actions
from partnerdesk.tickets.models import Coverage, IdempotencyKey, Priority, Ticket
from tests.conftest import OUTSIDERS, PERSONAS
from tests.tickets_helpers import check_ticket, file_ticket

ZRH = ZoneInfo("Europe/Zurich")
TUESDAY_9 = datetime.datetime(2026, 11, 24, 9, 0, tzinfo=ZRH)
VENDOR_STAFF = ("cs_agent", "cs_responsible", "expert", "project_lead", "sales", "admin")
OURS = ("employee", "coordinator", "customer_contact")

# Every operation on one ticket, by (method, path suffix); bodies are valid where it matters
# little, so that the answer is decided by who asks.
TICKET_OPERATIONS = [
    ("get", ""),
    ("get", "/journal"),
    ("get", "/attachments"),
    ("post", "/comments"),
    ("post", "/check"),
    ("post", "/estimate"),
    ("post", "/hand-over"),
    ("post", "/question"),
    ("post", "/answer"),
    ("post", "/solution"),
    ("post", "/confirm"),
    ("post", "/reopen"),
    ("post", "/coverage"),
    ("post", "/escalate"),
    ("post", "/meetings"),
    ("post", "/attachments"),
]


def _body(world, ticket, suffix):
    in_a_week = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
    version = ticket.version
    return {
        "/comments": {"text": "Hallo"},
        "/check": {"version": version, "next_steps": "x", "estimated_resolution_on": in_a_week},
        "/estimate": {"version": version, "estimated_resolution_on": in_a_week, "reason": "x"},
        "/hand-over": {"version": version, "phase": "expert", "person_id": world.expert.pk},
        "/question": {"version": version, "person_id": world.employee.pk, "question": "x"},
        "/answer": {"version": version, "answer": "x"},
        "/solution": {"version": version, "solution": "x"},
        "/confirm": {"version": version},
        "/reopen": {"version": version, "reason": "x"},
        "/coverage": {"version": version, "coverage": "howto", "reason": "x"},
        "/escalate": {"version": version, "reason": "x"},
        "/meetings": {"starts_at": "2026-12-01T10:00:00+01:00", "participants": "x"},
    }.get(suffix, {})


def _call(client, world, ticket, method, suffix):
    url = f"/api/v1/tickets/{ticket.number}{suffix}"
    if method == "get":
        return client.get(url)
    if suffix == "/attachments":
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(url, {"file": SimpleUploadedFile("a.txt", b"a")})
    return client.post(url, _body(world, ticket, suffix), content_type="application/json")


def _file(client, world, **fields):
    body = {
        "customer_id": world.customer.pk,
        "order_id": world.partnership_order.pk,
        "title": "Export bricht ab",
        "description": "Der Export der Rechnungen bricht nach 10 Minuten ab.",
        **fields,
    }
    body = {key: value for key, value in body.items() if value is not None}
    return client.post("/api/v1/tickets/", body, content_type="application/json")


def _numbers(response):
    assert response.status_code == 200, response.content
    return [item["number"] for item in response.json()["items"]]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- filing -----------------------------------------------------------------------------


@time_machine.travel(TUESDAY_9, tick=False)
def test_it_files_a_ticket_for_the_partners_cs_team(world, client_for):
    response = _file(client_for(world.employee), world, priority="urgent")

    assert response.status_code == 201, response.content
    body = response.json()
    ticket = Ticket.objects.get()
    assert ticket.classification == "support" and ticket.filed_by == world.employee
    assert body["number"] == ticket.number == "2026-00001"
    assert body["phase"] == "new" and body["phase_label"] == "Neu"
    assert body["side"] == "vendor" and body["side_since"] == "2026-11-24T08:00:00Z"
    assert body["responsible"] == {"type": "team", "id": world.team.pk, "name": "CS Team Nord"}
    assert body["contact_team"] == {"id": world.team.pk, "name": "CS Team Nord"}
    # 24 business hours in Bern: Tuesday 9-17, Wednesday 8-17, Thursday 8-15
    assert body["check_due_at"] == "2026-11-26T14:00:00Z"
    assert body["check_state"] == "ok"
    assert body["priority"] == "urgent" and body["version"] == 1
    assert body["customer"] == {"id": world.customer.pk, "name": "Stadtwerke Seeland"}
    assert body["partner"] == {"id": world.partner.pk, "name": "Alpina Solutions AG"}
    assert body["order"] == {
        "id": world.partnership_order.pk,
        "number": world.partnership_order.number,
    }
    assert body["filed_by"] == {
        "id": world.employee.pk,
        "name": "Emil Mitarbeiter",
        "organisation": "Alpina Solutions AG",
    }
    assert body["contract"] == {
        "id": world.contract.pk,
        "number": "SV-TEST-1",
        "sla_first_check_hours": 24,
        "sla_calendar": "business",
        "sla_canton": "BE",
    }


def test_it_lets_a_customer_contact_file_without_an_order(world, client_for):
    response = _file(client_for(world.customer_contact), world, order_id=None)

    assert response.status_code == 201, response.content
    assert response.json()["order"] is None
    assert response.json()["partner"]["id"] == world.partner.pk


def test_it_refuses_a_customer_where_the_contract_says_the_partner_files(world, client_for):
    world.contract.filers = Filers.PARTNER
    world.contract.save()

    response = _file(client_for(world.customer_contact), world, order_id=None)

    assert response.status_code == 422
    assert response.json()["code"] == "filing_not_allowed"
    assert response.json()["detail"]
    assert not Ticket.objects.exists()


def test_it_refuses_filing_by_vendor_staff(world, client_for):
    response = _file(client_for(world.cs_agent), world)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_it_accepts_no_classification_from_a_partner(world, client_for):
    response = _file(client_for(world.employee), world, classification="change_request")

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert list(response.json()["errors"]) == ["classification"]
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"title": None}, ["title"]),
        ({"title": "   ", "description": ""}, ["description", "title"]),
        ({"title": "x" * 201}, ["title"]),
        ({"priority": "sofort"}, ["priority"]),
        ({"customer_id": "seeland"}, ["customer_id"]),
        ({"order_id": 999999}, ["order_id"]),
        ({"contract_id": 999999}, ["contract_id"]),
    ],
)
def test_it_refuses_bad_input_with_field_errors(world, client_for, fields, errors):
    response = _file(client_for(world.employee), world, **fields)

    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_input"
    assert sorted(response.json()["errors"]) == errors
    assert not Ticket.objects.exists()


def test_it_treats_other_tenants_ids_like_unknown_ones_when_filing(world, client_for):
    client = client_for(world.employee)

    foreign = {
        "customer_id": world.other_customer.pk,
        "order_id": world.other_partnership_order.pk,
        "contract_id": world.other_contract.pk,
    }
    for field, value in foreign.items():
        response = _file(client, world, **{field: value})
        unknown = _file(client, world, **{field: 999999})
        assert response.status_code == 422, field
        assert response.json() == unknown.json()
    assert not Ticket.objects.exists()


@time_machine.travel(TUESDAY_9, tick=False)
def test_it_files_once_for_a_repeated_idempotency_key(world, client_for):
    client = client_for(world.employee)
    headers = {"HTTP_IDEMPOTENCY_KEY": "ticket-4711"}

    first = client.post(
        "/api/v1/tickets/", _filing_body(world), content_type="application/json", **headers
    )
    again = client.post(
        "/api/v1/tickets/", _filing_body(world), content_type="application/json", **headers
    )

    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == first.json()
    assert Ticket.objects.count() == 1
    assert IdempotencyKey.objects.get().ticket.number == first.json()["number"]


def test_it_refuses_an_idempotency_key_reused_for_another_body(world, client_for):
    client = client_for(world.employee)
    headers = {"HTTP_IDEMPOTENCY_KEY": "ticket-4711"}
    client.post("/api/v1/tickets/", _filing_body(world), content_type="application/json", **headers)

    response = client.post(
        "/api/v1/tickets/",
        _filing_body(world, title="Etwas anderes"),
        content_type="application/json",
        **headers,
    )

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Ticket.objects.count() == 1


def test_it_files_separate_tickets_without_or_with_different_keys(world, client_for):
    client = client_for(world.employee)

    client.post("/api/v1/tickets/", _filing_body(world), content_type="application/json")
    client.post("/api/v1/tickets/", _filing_body(world), content_type="application/json")
    for key in ("a", "b"):
        response = client.post(
            "/api/v1/tickets/",
            _filing_body(world),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
        assert response.status_code == 201

    assert Ticket.objects.count() == 4


def test_it_keeps_idempotency_keys_per_person(world, client_for):
    headers = {"HTTP_IDEMPOTENCY_KEY": "same"}
    for person in (world.employee, world.coordinator):
        response = client_for(person).post(
            "/api/v1/tickets/", _filing_body(world), content_type="application/json", **headers
        )
        assert response.status_code == 201

    assert Ticket.objects.count() == 2


def _filing_body(world, **fields):
    return {
        "customer_id": world.customer.pk,
        "order_id": world.partnership_order.pk,
        "title": "Export bricht ab",
        "description": "Der Export bricht ab.",
        **fields,
    }


# --- who sees what ----------------------------------------------------------------------


@pytest.fixture
def two_tickets(world):
    """Our partner's ticket and one of the other partner for its customer."""
    ours = file_ticket(world)
    theirs = actions.ticket_file(
        acting_user=world.outsider_partner,
        customer=world.other_customer,
        order=world.other_partnership_order,
        title="Login geht nicht",
        description="Seit heute.",
    ).ticket
    return ours, theirs


@pytest.mark.parametrize("persona", PERSONAS + OUTSIDERS)
def test_it_lists_exactly_the_tickets_a_persona_may_see(world, client_for, two_tickets, persona):
    ours, theirs = two_tickets

    response = client_for(world.persona(persona)).get("/api/v1/tickets/")

    if persona in VENDOR_STAFF:
        expected = [theirs.number, ours.number]  # newest first
    elif persona in OURS:
        expected = [ours.number]
    else:
        expected = [theirs.number]
    assert _numbers(response) == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_our_ticket_to_everyone_involved(world, client_for, two_tickets, persona):
    ours, _ = two_tickets
    client = client_for(world.persona(persona))

    for suffix in ("", "/journal", "/attachments"):
        response = client.get(f"/api/v1/tickets/{ours.number}{suffix}")
        assert response.status_code == 200, (suffix, response.content)


@pytest.mark.parametrize("persona", OUTSIDERS)
@pytest.mark.parametrize(("method", "suffix"), TICKET_OPERATIONS)
def test_it_answers_404_to_outsiders_on_every_ticket_operation(
    world, client_for, two_tickets, persona, method, suffix
):
    ours, _ = two_tickets
    version = ours.version

    response = _call(client_for(world.persona(persona)), world, ours, method, suffix)

    assert response.status_code == 404, response.content
    assert response.json() == {"detail": "Not found.", "code": "not_found"}
    ours.refresh_from_db()
    assert ours.version == version and ours.events.count() == 1


@pytest.mark.parametrize(("method", "suffix"), [*TICKET_OPERATIONS, ("get", "/attachments/1")])
def test_it_answers_401_to_anonymous_callers(world, two_tickets, method, suffix):
    ours, _ = two_tickets

    response = _call(Client(), world, ours, method, suffix)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_it_answers_401_to_anonymous_listing_and_filing(world):
    assert Client().get("/api/v1/tickets/").status_code == 401
    assert _file(Client(), world).status_code == 401
    assert not Ticket.objects.exists()


def test_it_answers_404_for_unknown_numbers(world, client_for):
    response = client_for(world.admin).get("/api/v1/tickets/2026-99999")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- the detail -------------------------------------------------------------------------


def _tags(html):
    """The (tag, attributes) of every element in ``html``."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collector().feed(html)
    return found


def test_it_shows_the_description_sanitised(world, client_for):
    ticket = actions.ticket_file(
        acting_user=world.employee,
        customer=world.customer,
        order=world.partnership_order,
        title="XSS",
        description=(
            "**Wichtig** <script>alert(1)</script> [klick](javascript:alert(2)) "
            '<img src=x onerror="alert(3)"> [Doku](https://example.com/doku) '
            '<a href="javascript:alert(4)">roh</a>'
        ),
    ).ticket

    body = client_for(world.cs_agent).get(f"/api/v1/tickets/{ticket.number}").json()

    html = body["description_html"]
    tags = _tags(html)
    assert {tag for tag, _ in tags} == {"p", "strong", "a"}  # raw HTML is shown as text
    assert [attrs["href"] for tag, attrs in tags if tag == "a"] == ["https://example.com/doku"]
    assert "&lt;script&gt;" in html
    assert body["description"] == ticket.description


def test_it_shows_the_phase_label_in_the_requested_language(world, client_for):
    ticket = check_ticket(world, file_ticket(world))
    client = client_for(world.employee)
    url = f"/api/v1/tickets/{ticket.number}"

    assert client.get(url).json()["phase_label"] == "Bei BSI in Bearbeitung"
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["phase_label"] == "In progress at BSI"
    listed = client.get("/api/v1/tickets/", HTTP_ACCEPT_LANGUAGE="en").json()["items"][0]
    assert listed["phase_label"] == "In progress at BSI"


@pytest.mark.parametrize("persona", ["employee", "customer_contact", "cs_agent"])
def test_it_shows_the_coverage_decision_with_reason_and_author_to_all_parties(
    world, client_for, persona
):
    ticket = check_ticket(world, file_ticket(world))
    actions.ticket_decide_coverage(
        acting_user=world.cs_responsible,
        ticket=ticket,
        version=ticket.version,
        coverage=Coverage.CONFIGURATION,
        reason="Mandantenkonfiguration",
    )

    body = client_for(world.persona(persona)).get(f"/api/v1/tickets/{ticket.number}").json()

    coverage = body["coverage"]
    assert coverage["decision"] == "configuration" and coverage["label"] == "Konfiguration"
    assert coverage["covered"] is False and coverage["bill_to"] == "customer"
    assert coverage["reason"] == "Mandantenkonfiguration"
    assert coverage["by"]["id"] == world.cs_responsible.pk and coverage["at"]
    assert body["phase"] == "rejected" and body["responsible"] is None


def test_it_shows_an_undecided_coverage(world, client_for):
    ticket = file_ticket(world)

    body = client_for(world.employee).get(f"/api/v1/tickets/{ticket.number}").json()

    assert body["coverage"] == {
        "decision": None,
        "label": "Noch nicht entschieden",
        "covered": None,
        "reason": "",
        "by": None,
        "at": None,
        "bill_to": None,
    }


def test_it_shows_the_time_spent_on_each_side_including_the_running_stretch(world, client_for):
    with time_machine.travel(TUESDAY_9, tick=False) as traveller:
        ticket = check_ticket(world, file_ticket(world))
        traveller.shift(datetime.timedelta(hours=2))
        ticket = actions.ticket_ask(
            acting_user=world.cs_agent,
            ticket=ticket,
            version=ticket.version,
            person=world.employee,
            question="Logs?",
        )
        traveller.shift(datetime.timedelta(hours=10))  # 11:00 → 21:00, business hours end at 17
        body = client_for(world.employee).get(f"/api/v1/tickets/{ticket.number}").json()

    assert body["times"] == {
        "vendor": {"seconds": 2 * 3600, "sla_seconds": 2 * 3600},
        "partner": {"seconds": 10 * 3600, "sla_seconds": 6 * 3600},
        "customer": {"seconds": 0, "sla_seconds": 0},
    }
    assert body["side"] == "partner"
    assert body["responsible"] == {
        "type": "person",
        "id": world.employee.pk,
        "name": "Emil Mitarbeiter",
    }


# --- the list ---------------------------------------------------------------------------


@time_machine.travel(TUESDAY_9, tick=False)
def test_it_shows_each_list_item_with_side_responsible_and_check(world, client_for):
    ticket = check_ticket(world, file_ticket(world))

    item = client_for(world.coordinator).get("/api/v1/tickets/").json()["items"][0]

    assert item == {
        "number": ticket.number,
        "title": "Export bricht ab",
        "customer": {"id": world.customer.pk, "name": "Stadtwerke Seeland"},
        "partner": {"id": world.partner.pk, "name": "Alpina Solutions AG"},
        "order": {"id": world.partnership_order.pk, "number": world.partnership_order.number},
        "priority": "normal",
        "phase": "in_progress",
        "phase_label": "Bei BSI in Bearbeitung",
        "side": "vendor",
        "side_since": "2026-11-24T08:00:00Z",
        "responsible": {"type": "person", "id": world.cs_agent.pk, "name": "Cs Agent BSI"},
        "check_due_at": "2026-11-26T14:00:00Z",
        "check_state": "done",
        "estimated_resolution_on": "2026-11-29",
        "estimate_passed": False,
        "escalated": False,
        "version": 2,
    }


# Filed Tuesday 09:00, due Thursday 15:00; the warning starts 4 hours before.
@pytest.mark.parametrize(("hours_later", "state"), [(0, "ok"), (51, "due_soon"), (55, "breached")])
def test_it_flags_the_first_check_in_the_list(world, client_for, hours_later, state):
    with time_machine.travel(TUESDAY_9, tick=False) as traveller:
        file_ticket(world)
        traveller.shift(datetime.timedelta(hours=hours_later))
        item = client_for(world.cs_agent).get("/api/v1/tickets/").json()["items"][0]

    assert item["check_state"] == state


def test_it_flags_a_passed_estimate(world, client_for):
    ticket = check_ticket(world, file_ticket(world))
    later = ticket.estimated_resolution_on + datetime.timedelta(days=1)

    with time_machine.travel(datetime.datetime.combine(later, datetime.time(9), tzinfo=ZRH)):
        item = client_for(world.employee).get("/api/v1/tickets/").json()["items"][0]
        overdue = client_for(world.employee).get("/api/v1/tickets/", {"overdue": "true"})

    assert item["estimate_passed"] is True
    assert _numbers(overdue) == [ticket.number]


@pytest.fixture
def varied(world):
    """Tickets in different states, named by what is special about them."""
    new = file_ticket(world, title="Neu und offen")
    asked = actions.ticket_ask(
        acting_user=world.cs_agent,
        ticket=check_ticket(world, file_ticket(world, title="Rückfrage an Partner")),
        version=None,
        person=world.employee,
        question="Welche Version?",
    )
    urgent = file_ticket(world, priority=Priority.URGENT, title="Produktion steht")
    escalated = actions.ticket_escalate(
        acting_user=world.coordinator, ticket=urgent, version=None, reason="Dringend"
    )
    lead = file_ticket(
        world, by=world.coordinator, order=world.lead_order, title="Frage zum Netzportal"
    )
    customer = file_ticket(world, by=world.customer_contact, title="Rechnung fehlt")
    closed = check_ticket(world, file_ticket(world, title="Längst erledigt"))
    closed = actions.ticket_decide_coverage(
        acting_user=world.cs_agent,
        ticket=closed,
        version=None,
        coverage=Coverage.HOWTO,
        reason="Schulung",
    )
    theirs = actions.ticket_file(
        acting_user=world.outsider_partner,
        customer=world.other_customer,
        order=world.other_partnership_order,
        title="Fremd",
        description="Anderer Partner.",
    ).ticket
    return {
        "new": new,
        "asked": asked,
        "escalated": escalated,
        "lead": lead,
        "customer": customer,
        "closed": closed,
        "theirs": theirs,
    }


@pytest.mark.parametrize(
    ("persona", "query", "expected"),
    [
        ("cs_agent", {"phase": "partner_question"}, ["asked"]),
        ("cs_agent", {"side": "partner"}, ["asked"]),
        ("cs_agent", {"side": "done"}, ["closed"]),
        ("cs_agent", {"open": "false"}, ["closed"]),
        ("cs_agent", {"escalated": "true"}, ["escalated"]),
        ("cs_agent", {"queue": "escalated"}, ["escalated"]),
        ("cs_agent", {"order": "lead_order"}, ["lead"]),
        ("cs_agent", {"customer": "other_customer"}, ["theirs"]),
        ("cs_agent", {"partner": "other_partner"}, ["theirs"]),
        ("cs_agent", {"q": "netzportal"}, ["lead"]),
        ("cs_agent", {"q": "ANDERER partner"}, ["theirs"]),
        ("employee", {"partner": "other_partner"}, []),
        ("employee", {"queue": "mine"}, ["asked"]),
        ("coordinator", {"queue": "mine"}, ["asked"]),
        ("customer_contact", {"queue": "mine"}, []),
        ("customer_contact", {}, ["closed", "customer", "lead", "escalated", "asked", "new"]),
        ("expert", {"queue": "team"}, ["theirs"]),  # the expert is in the other partner's team
    ],
)
def test_it_filters_the_list(world, client_for, varied, persona, query, expected):
    ids = {"lead_order": world.lead_order.pk, "other_customer": world.other_customer.pk}
    ids["other_partner"] = world.other_partner.pk
    query = {key: ids.get(value, value) for key, value in query.items()}

    response = client_for(world.persona(persona)).get("/api/v1/tickets/", query)

    assert _numbers(response) == [varied[name].number for name in expected]


def test_it_finds_a_ticket_by_its_number(world, client_for, varied):
    client = client_for(world.cs_agent)
    number = varied["lead"].number

    assert _numbers(client.get("/api/v1/tickets/", {"q": number})) == [number]
    assert _numbers(client.get("/api/v1/tickets/", {"q": number.split("-")[1]})) == [number]


def test_it_orders_the_team_queue_by_check_due(world, client_for, varied):
    response = client_for(world.cs_agent).get("/api/v1/tickets/", {"queue": "team"})

    items = response.json()["items"]
    assert {item["side"] for item in items} == {"vendor"}
    assert [item["check_due_at"] for item in items] == sorted(i["check_due_at"] for i in items)
    assert varied["theirs"].number not in [item["number"] for item in items]  # other team


def test_it_puts_open_escalated_tickets_first_for_the_project_lead(world, client_for, varied):
    lead = client_for(world.project_lead).get("/api/v1/tickets/").json()["items"]
    agent = client_for(world.cs_agent).get("/api/v1/tickets/").json()["items"]

    assert lead[0]["number"] == varied["escalated"].number and lead[0]["escalated"] is True
    assert agent[0]["number"] != varied["escalated"].number
    assert sorted(i["number"] for i in lead) == sorted(i["number"] for i in agent)


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({"queue": "alles"}, ["queue"]),
        ({"phase": "offen"}, ["phase"]),
        ({"side": "links"}, ["side"]),
        ({"overdue": "vielleicht"}, ["overdue"]),
        ({"customer": "seeland", "order": "x"}, ["customer", "order"]),
    ],
)
def test_it_refuses_bad_filter_values_with_field_errors(world, client_for, query, fields):
    response = client_for(world.cs_agent).get("/api/v1/tickets/", query)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert sorted(response.json()["errors"]) == fields


def test_it_paginates_the_list(world, client_for):
    for _ in range(3):
        file_ticket(world)

    response = client_for(world.employee).get("/api/v1/tickets/", {"limit": 2, "offset": 2})

    assert response.json()["count"] == 3
    assert len(response.json()["items"]) == 1


def _make_tickets(world, count):
    for number in range(count):
        ticket = file_ticket(world, priority=Priority.URGENT if number % 3 else Priority.NORMAL)
        if number % 3 == 1:
            actions.ticket_ask(
                acting_user=world.expert,
                ticket=check_ticket(world, ticket, by=world.expert),
                version=None,
                person=world.employee,
                question="Welche Version?",
            )
        elif number % 3 == 2:
            actions.ticket_escalate(
                acting_user=world.coordinator, ticket=ticket, version=None, reason="Dringend"
            )


LIST_QUERIES = 6  # session, user, organisation, role grants, count, page


@pytest.mark.parametrize(
    ("persona", "query"),
    [
        ("cs_agent", {}),
        ("cs_agent", {"queue": "team"}),
        ("project_lead", {}),
        ("employee", {"queue": "mine"}),
        ("customer_contact", {"overdue": "false"}),
    ],
)
def test_it_lists_tickets_in_a_fixed_number_of_queries(
    world, client_for, django_assert_num_queries, persona, query
):
    client = client_for(world.persona(persona))
    _make_tickets(world, 3)

    with django_assert_num_queries(LIST_QUERIES):
        small = client.get("/api/v1/tickets/", query)
    _make_tickets(world, 27)
    with django_assert_num_queries(LIST_QUERIES):
        large = client.get("/api/v1/tickets/", query)

    assert large.json()["count"] > small.json()["count"]
    assert len(large.json()["items"]) > len(small.json()["items"])
