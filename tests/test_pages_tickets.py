"""Ticket pages: the list with its queues and filters, filing, the ticket page, attachments;
who sees what, and how many queries it takes."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerdesk.contracts.models import Filers
from partnerdesk.tickets import actions
from partnerdesk.tickets.models import Attachment, EventKind, Priority, Ticket, TicketEvent
from partnerdesk.tickets.phases import Phase, Side
from tests.tickets_helpers import check_ticket, file_ticket

pytestmark = pytest.mark.django_db
ZRH = ZoneInfo("Europe/Zurich")
LIST = reverse("tickets:ticket_list")
NEW = reverse("tickets:ticket_create")
OWNERS = (
    "cs_agent",
    "cs_responsible",
    "expert",
    "project_lead",
    "coordinator",
    "employee",
    "customer_contact",
)
OUTSIDERS = ("outsider_partner", "outsider_customer")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def detail_url(ticket) -> str:
    return reverse("tickets:ticket_detail", args=[ticket.number])


def attachment_url(ticket, attachment) -> str:
    return reverse("tickets:attachment_download", args=[ticket.number, attachment.pk])


def results(response) -> str:
    return response.content.decode().split('id="results"')[1]


def numbers(response) -> list[str]:
    return re.findall(r'data-number="([0-9-]+)"', results(response))


def other_ticket(world, **kwargs):
    return file_ticket(
        world,
        by=world.outsider_partner,
        customer=world.other_customer,
        order=world.other_partnership_order,
        **kwargs,
    )


# ---- anonymous ----------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_the_login(client, world):
    ticket = file_ticket(world)
    attachment = actions.ticket_attach(
        acting_user=world.employee, ticket=ticket, upload=SimpleUploadedFile("a.txt", b"hallo")
    )
    for url in (LIST, NEW, detail_url(ticket), attachment_url(ticket, attachment)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{reverse('accounts:login')}?next=")
    response = client.post(
        reverse("tickets:ticket_act", args=[ticket.number, "comment"]), {"comment-text": "x"}
    )
    assert response.status_code == 302
    assert not TicketEvent.objects.filter(kind=EventKind.COMMENT).exists()


# ---- the list -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", OWNERS)
def test_it_lists_the_ticket_for_everyone_involved(client_for, world, persona):
    ticket = file_ticket(world)
    other = other_ticket(world)
    body = results(client_for(world.persona(persona)).get(LIST, {"queue": "all"}))
    assert ticket.number in body
    assert "Export bricht ab" in body
    assert (other.number in body) == world.persona(persona).is_vendor_staff


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_it_hides_our_tickets_from_outsiders(client_for, world, outsider):
    ticket = file_ticket(world)
    response = client_for(world.persona(outsider)).get(LIST, {"queue": "all"})
    assert response.status_code == 200
    assert ticket.number not in response.content.decode()


def test_it_shows_side_badge_and_how_long_the_ticket_lies_there(client_for, world):
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=ZRH), tick=False):
        ticket = file_ticket(world)
    client = client_for(world.employee)
    with time_machine.travel(datetime.datetime(2026, 11, 23, 12, 10, tzinfo=ZRH), tick=False):
        body = results(client.get(LIST, {"queue": "all"}))
    assert re.search(r"side side--vendor.*?bei BSI.*?seit 3 Std\.", body, re.S)
    with time_machine.travel(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=ZRH), tick=False):
        check_ticket(world, ticket)
        actions.ticket_ask(
            acting_user=world.cs_agent,
            ticket=ticket,
            version=ticket.version + 1,
            person=world.employee,
            question="Welche Version?",
        )
    with time_machine.travel(datetime.datetime(2026, 11, 27, 11, 0, tzinfo=ZRH), tick=False):
        body = results(client.get(LIST, {"queue": "all"}))
    assert re.search(r"side side--partner.*?beim Partner.*?seit 2 Tagen", body, re.S)
    assert "Beim Partner – Rückfrage" in body
    assert "Emil Mitarbeiter" in body


def test_it_flags_checks_due_soon_and_breached_and_passed_estimates(client_for, world):
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=ZRH), tick=False):
        due = file_ticket(world, title="Bald fällig")
    client = client_for(world.cs_agent)
    # 24 business hours from Monday 09:00 in Bern: Thursday 06:00 + ... the check is due on Wed/Thu
    with time_machine.travel(due.check_due_at - datetime.timedelta(hours=2), tick=False):
        body = results(client.get(LIST, {"queue": "all"}))
    assert "bald fällig" in body
    with time_machine.travel(due.check_due_at + datetime.timedelta(minutes=5), tick=False):
        body = results(client.get(LIST, {"queue": "all"}))
        assert "überfällig" in body
        assert due.number in results(client.get(LIST, {"queue": "all", "overdue": "on"}))
    checked = check_ticket(world, file_ticket(world, title="Termin verpasst"))
    with time_machine.travel(
        datetime.datetime.now(tz=ZRH) + datetime.timedelta(days=9), tick=False
    ):
        body = results(client.get(LIST, {"queue": "all", "overdue": "on"}))
    assert checked.number in body
    assert "überschritten" in body


def test_it_shows_vendor_staff_their_queues(client_for, world):
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=ZRH), tick=False):
        later = file_ticket(world, title="Später fällig")
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=ZRH), tick=False):
        earlier = file_ticket(world, title="Früher fällig")
    foreign = other_ticket(world)
    routed = check_ticket(world, file_ticket(world, title="Beim Experten"))
    actions.ticket_hand_over(
        acting_user=world.cs_agent,
        ticket=routed,
        version=routed.version,
        phase=Phase.EXPERT,
        person=world.expert,
    )
    agent = client_for(world.cs_agent)
    response = agent.get(LIST)
    body = response.content.decode()
    for label in ("Team-Warteschlange", "Wartet auf mich", "Eskaliert", "Alle"):
        assert f">{label}" in body
    assert 'data-queue="team"' in body and 'aria-current="page" data-queue="team"' in body
    # the team queue: vendor side, our team, by check due
    assert numbers(response)[:2] == [earlier.number, later.number]
    assert foreign.number not in numbers(response)
    assert routed.number in numbers(response)
    # the expert: routed to them personally, and the queue of their own team (CS Team Süd)
    mine = numbers(client_for(world.expert).get(LIST, {"queue": "mine"}))
    assert set(mine) == {routed.number, foreign.number}
    assert numbers(client_for(world.cs_agent).get(LIST, {"queue": "escalated"})) == []


def test_it_shows_partner_and_customer_what_waits_for_them(client_for, world):
    waiting = check_ticket(world, file_ticket(world, title="Rückfrage an Partner"))
    actions.ticket_ask(
        acting_user=world.cs_agent,
        ticket=waiting,
        version=waiting.version,
        person=world.employee,
        question="?",
    )
    for_customer = check_ticket(world, file_ticket(world, title="Rückfrage an Kunde"))
    actions.ticket_ask(
        acting_user=world.cs_agent,
        ticket=for_customer,
        version=for_customer.version,
        person=world.customer_contact,
        question="?",
    )
    at_vendor = file_ticket(world, title="Liegt bei BSI")

    for persona in ("employee", "coordinator"):
        response = client_for(world.persona(persona)).get(LIST)
        body = response.content.decode()
        assert ">Wartet auf uns" in body and ">Alle Tickets unseres Partners" in body
        assert numbers(response) == [waiting.number]
        assert set(numbers(client_for(world.persona(persona)).get(LIST, {"queue": "all"}))) == {
            waiting.number,
            for_customer.number,
            at_vendor.number,
        }
    response = client_for(world.customer_contact).get(LIST)
    assert ">Wartet auf uns" in response.content.decode()
    assert numbers(response) == [for_customer.number]
    assert client_for(world.outsider_partner).get(LIST).status_code == 200
    assert numbers(client_for(world.outsider_partner).get(LIST, {"queue": "all"})) == []


def test_it_puts_escalated_open_tickets_on_top_for_the_project_lead(client_for, world):
    urgent = file_ticket(world, title="Produktion steht", priority=Priority.URGENT)
    for index in range(3):
        file_ticket(world, title=f"Normal {index}")
    actions.ticket_escalate(
        acting_user=world.coordinator, ticket=urgent, version=urgent.version, reason="Stillstand"
    )
    response = client_for(world.project_lead).get(LIST)
    assert numbers(response)[0] == urgent.number
    assert "is-escalated" in results(response)
    # everyone else sees the newest first
    assert numbers(client_for(world.cs_responsible).get(LIST, {"queue": "all"}))[0] != urgent.number
    assert numbers(client_for(world.cs_agent).get(LIST, {"queue": "escalated"})) == [urgent.number]


def test_it_filters_the_list(client_for, world):
    export = file_ticket(world, title="Export bricht ab")
    login = file_ticket(world, title="Login langsam", order=world.lead_order)
    solved = check_ticket(world, file_ticket(world, title="Druck fehlerhaft"))
    actions.ticket_propose_solution(
        acting_user=world.cs_agent, ticket=solved, version=solved.version, solution="Treiber"
    )
    actions.ticket_confirm(acting_user=world.employee, ticket=solved, version=solved.version + 1)
    foreign = other_ticket(world, title="Fremdes Ticket")
    client = client_for(world.cs_responsible)

    def get(**params):
        return set(numbers(client.get(LIST, {"queue": "all", **params})))

    assert get() == {export.number, login.number, solved.number, foreign.number}
    assert get(phase=Phase.CLOSED) == {solved.number}
    assert get(side=Side.VENDOR) == {export.number, login.number, foreign.number}
    assert get(customer=world.other_customer.pk) == {foreign.number}
    assert get(order=world.lead_order.pk) == {login.number}
    assert get(status="open") == {export.number, login.number, foreign.number}
    assert get(status="closed") == {solved.number}
    assert get(q="login") == {login.number}
    assert get(q="Rechnungen") == {
        export.number,
        login.number,
        solved.number,
        foreign.number,
    }  # description
    assert get(q=export.number) == {export.number}
    assert get(escalated="on") == set()
    # junk values are ignored rather than failing
    assert client.get(LIST, {"customer": "x", "phase": "nope", "queue": "nope"}).status_code == 200


def test_it_offers_partners_only_their_customers_and_orders_as_filters(client_for, world):
    body = client_for(world.coordinator).get(LIST).content.decode()
    assert "Stadtwerke Seeland" in body
    assert "Kantonsspital Ost" not in body
    assert world.other_partnership_order.number not in body
    body = client_for(world.customer_contact).get(LIST).content.decode()
    assert 'name="customer"' not in body and 'name="order"' not in body


def test_it_swaps_only_the_results_for_htmx(client_for, world):
    file_ticket(world)
    response = client_for(world.cs_agent).get(
        LIST, {"queue": "all", "q": "Export"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="results"')
    assert "<html" not in body


def test_it_paginates_the_list(client_for, world):
    for index in range(27):
        file_ticket(world, title=f"Ticket {index}")
    client = client_for(world.employee)
    first = results(client.get(LIST, {"queue": "all"}))
    assert "27 Einträge" in first and "Seite 1 von 2" in first
    assert len(numbers(client.get(LIST, {"queue": "all", "page": 2}))) == 2


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(LIST, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("persona", "queue", "queries"),
    [
        # session, person, organisation, roles (navigation), count, rows, "waiting for me"
        # count for the tab, customers and orders for the filters
        ("cs_agent", "team", 9),
        ("cs_agent", "all", 9),
        ("project_lead", "all", 9),
        ("coordinator", "all", 9),
        ("employee", "mine", 9),
        # customers get no customer and order filters
        ("customer_contact", "all", 7),
    ],
)
def test_it_lists_tickets_in_a_fixed_number_of_queries(
    client_for, world, django_assert_num_queries, persona, queue, queries
):
    client = client_for(world.persona(persona))
    for index in range(3):
        ticket = file_ticket(world, title=f"Wenige {index}")
    ticket = check_ticket(world, ticket)
    actions.ticket_ask(
        acting_user=world.cs_agent,
        ticket=ticket,
        version=ticket.version,
        person=world.employee,
        question="?",
    )
    few = _queries(client, {"queue": queue})
    for index in range(27):
        ticket = file_ticket(
            world, title=f"Viele {index}", order=world.lead_order if index % 2 else None
        )
        if index % 3 == 0:
            ticket = check_ticket(world, ticket)
            actions.ticket_ask(
                acting_user=world.cs_agent,
                ticket=ticket,
                version=ticket.version,
                person=world.employee,
                question="?",
            )
    assert _queries(client, {"queue": queue}) == few
    with django_assert_num_queries(queries):
        assert client.get(LIST, {"queue": queue}).status_code == 200


# ---- filing -------------------------------------------------------------------------------


def test_it_lets_a_partner_employee_file_a_ticket_with_attachments(client_for, world):
    client = client_for(world.employee)
    page = client.get(NEW).content.decode()
    assert "csrfmiddlewaretoken" in page
    assert "Stadtwerke Seeland" in page and "Kantonsspital Ost" not in page
    assert world.lead_order.title in page and world.other_partnership_order.number not in page
    assert "Klassifikation" not in page
    response = client.post(
        NEW,
        {
            "order": world.lead_order.pk,
            "customer": world.customer.pk,
            "title": "Netzportal lädt nicht",
            "description": "Seit heute **leer**.",
            "priority": Priority.URGENT,
            "attachments": [
                SimpleUploadedFile("screen.png", b"\x89PNG...", content_type="image/png"),
                SimpleUploadedFile("log.txt", b"Fehler 500"),
            ],
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(ticket)
    assert (ticket.order, ticket.customer, ticket.partner) == (
        world.lead_order,
        world.customer,
        world.partner,
    )
    assert (
        ticket.priority == Priority.URGENT
        and ticket.phase == Phase.NEW
        and ticket.responsible_team == world.team
    )
    assert sorted(Attachment.objects.values_list("name", flat=True)) == ["log.txt", "screen.png"]
    body = client.get(detail_url(ticket)).content.decode()
    assert f"Ticket {ticket.number} ist erfasst." in body
    assert "screen.png" in body and "log.txt" in body


def test_it_refuses_a_partner_where_the_contract_lets_only_customers_file(client_for, world):
    world.contract.filers = Filers.CUSTOMER
    world.contract.bill_to = "customer"
    world.contract.save()
    response = client_for(world.employee).post(
        NEW,
        {
            "order": world.partnership_order.pk,
            "customer": world.customer.pk,
            "title": "Export bricht ab",
            "description": "Text bleibt stehen",
            "priority": Priority.NORMAL,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Laut Vertrag erfasst der Kunde seine Tickets selbst" in body
    assert "Text bleibt stehen" in body and 'value="Export bricht ab"' in body
    assert not Ticket.objects.exists()


def test_it_refuses_another_partners_order_and_unserved_customers(client_for, world):
    response = client_for(world.employee).post(
        NEW,
        {
            "order": world.other_partnership_order.pk,
            "customer": world.other_customer.pk,
            "title": "x",
            "description": "y",
            "priority": Priority.NORMAL,
        },
    )
    assert response.status_code == 200
    assert response.content.decode().count("field__error") == 2
    assert not Ticket.objects.exists()


def test_it_keeps_the_input_and_names_missing_fields(client_for, world):
    response = client_for(world.employee).post(
        NEW,
        {
            "order": world.partnership_order.pk,
            "customer": world.customer.pk,
            "description": "Nur Text",
            "priority": "normal",
        },
    )
    body = response.content.decode()
    assert "field--invalid" in body and "Nur Text" in body
    assert not Ticket.objects.exists()


def test_it_lets_a_customer_contact_file_under_its_contract(client_for, world):
    client = client_for(world.customer_contact)
    page = client.get(NEW).content.decode()
    assert 'name="order"' not in page and 'name="customer"' not in page
    assert 'type="hidden" name="contract"' in page
    response = client.post(
        NEW,
        {
            "title": "Passwort-Reset",
            "description": "Mail kommt nicht",
            "priority": "normal",
            "contract": world.contract.pk,
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert (ticket.customer, ticket.partner, ticket.order, ticket.filed_by) == (
        world.customer,
        world.partner,
        None,
        world.customer_contact,
    )


def test_it_refuses_a_customer_where_only_the_partner_files(client_for, world):
    world.contract.filers = Filers.PARTNER
    world.contract.save()
    response = client_for(world.customer_contact).post(
        NEW, {"title": "Hilfe", "description": "Bitte", "priority": "normal"}
    )
    assert (
        "Laut Vertrag erfasst Ihr Partner die Tickets; bitte wenden Sie sich an ihn."
        in response.content.decode()
    )
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("persona", ["cs_agent", "project_lead", "admin"])
def test_it_does_not_let_vendor_staff_file(client_for, world, persona):
    client = client_for(world.persona(persona))
    assert client.get(NEW).status_code == 403
    assert (
        client.post(NEW, {"title": "x", "description": "y", "priority": "normal"}).status_code
        == 403
    )
    assert 'data-testid="new-ticket"' not in client.get(LIST).content.decode()
    assert not Ticket.objects.exists()


# ---- the ticket page ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", OWNERS)
def test_it_shows_the_ticket_to_everyone_involved(client_for, world, persona):
    ticket = check_ticket(world, file_ticket(world))
    response = client_for(world.persona(persona)).get(detail_url(ticket))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        ticket.number,
        "Export bricht ab",
        "Bei BSI in Bearbeitung",
        "bei BSI",
        "Stadtwerke Seeland",
        "Alpina Solutions AG",
        "SV-TEST-1",
        "Logs des Exportjobs analysieren.",
        "Zeit pro Seite",
        "Noch nicht entschieden.",
        world.cs_agent.full_name,
    ):
        assert text in body, text


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_it_answers_404_for_tickets_of_other_tenants(client_for, world, outsider):
    ticket = file_ticket(world)
    attachment = actions.ticket_attach(
        acting_user=world.employee, ticket=ticket, upload=SimpleUploadedFile("a.txt", b"x")
    )
    client = client_for(world.persona(outsider))
    assert client.get(detail_url(ticket)).status_code == 404
    assert client.get(attachment_url(ticket, attachment)).status_code == 404
    response = client.post(
        reverse("tickets:ticket_act", args=[ticket.number, "comment"]),
        {"comment-text": "Hallo", "comment-version": 1},
    )
    assert response.status_code == 404
    assert not TicketEvent.objects.filter(kind=EventKind.COMMENT).exists()


def test_it_answers_404_for_unknown_tickets_and_attachments(client_for, world):
    ticket = file_ticket(world)
    client = client_for(world.cs_agent)
    assert client.get(reverse("tickets:ticket_detail", args=["2026-99999"])).status_code == 404
    assert (
        client.get(reverse("tickets:attachment_download", args=[ticket.number, 999])).status_code
        == 404
    )
    foreign = other_ticket(world)
    attachment = actions.ticket_attach(
        acting_user=world.outsider_partner, ticket=foreign, upload=SimpleUploadedFile("b.txt", b"x")
    )
    # an attachment is only reachable through its own ticket
    assert client.get(attachment_url(ticket, attachment)).status_code == 404


def test_it_serves_attachments_to_the_ticket_and_internal_ones_only_to_vendor_staff(
    client_for, world
):
    ticket = file_ticket(world)
    public = actions.ticket_attach(
        acting_user=world.employee,
        ticket=ticket,
        upload=SimpleUploadedFile("log.txt", b"Fehler 500"),
    )
    internal = actions.ticket_attach(
        acting_user=world.cs_agent,
        ticket=ticket,
        upload=SimpleUploadedFile("intern.txt", b"geheim"),
        internal=True,
    )
    for persona in ("employee", "customer_contact", "cs_agent"):
        response = client_for(world.persona(persona)).get(attachment_url(ticket, public))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"Fehler 500"
        assert 'attachment; filename="log.txt"' in response["Content-Disposition"]
    assert client_for(world.cs_agent).get(attachment_url(ticket, internal)).status_code == 200
    for persona in ("employee", "coordinator", "customer_contact"):
        client = client_for(world.persona(persona))
        assert client.get(attachment_url(ticket, internal)).status_code == 404
        assert "intern.txt" not in client.get(detail_url(ticket)).content.decode()
    assert "intern.txt" in client_for(world.expert).get(detail_url(ticket)).content.decode()


def test_it_renders_the_description_as_sanitised_markdown(client_for, world):
    ticket = actions.ticket_file(
        acting_user=world.employee,
        customer=world.customer,
        order=world.partnership_order,
        title="XSS",
        description=(
            "**fett** <script>alert(1)</script> [x](javascript:alert(1)) "
            "<img src=x onerror=alert(1)>"
        ),
    ).ticket
    body = client_for(world.cs_agent).get(detail_url(ticket)).content.decode()
    description = body.split('data-testid="description">')[1].split("</div>")[0]
    assert "<strong>fett</strong>" in description
    assert "<script" not in description and "&lt;script&gt;" in description
    assert 'href="javascript:' not in description
    assert "<img" not in description


def test_it_shows_each_viewer_only_the_actions_they_may_take(client_for, world):
    ticket = file_ticket(world, priority=Priority.URGENT)

    def panel(persona) -> list[str]:
        return re.findall(
            r'data-action="([a-z]+)"',
            client_for(world.persona(persona)).get(detail_url(ticket)).content.decode(),
        )

    assert set(panel("cs_agent")) == {
        "check",
        "solve",
        "handover",
        "coverage",
        "note",
        "meeting",
        "attach",
        "comment",
    }
    assert set(panel("coordinator")) == {"escalate", "attach", "comment"}
    assert set(panel("employee")) == {"attach", "comment"}
    assert set(panel("customer_contact")) == {"attach", "comment"}


def test_it_puts_a_csrf_token_and_the_version_in_every_form(client_for, world):
    ticket = file_ticket(world)
    body = client_for(world.cs_agent).get(detail_url(ticket)).content.decode()
    forms = body.count('method="post"')
    assert forms == body.count("csrfmiddlewaretoken")
    assert body.count('-version" value="1"') == len(re.findall(r'data-action="', body))


@pytest.mark.parametrize(
    ("persona", "queries"), [("cs_agent", 10), ("employee", 7), ("customer_contact", 7)]
)
def test_it_shows_a_ticket_in_a_fixed_number_of_queries(
    client_for, world, django_assert_num_queries, persona, queries
):
    ticket = check_ticket(world, file_ticket(world))
    for index in range(5):
        actions.ticket_comment(acting_user=world.employee, ticket=ticket, text=f"Kommentar {index}")
        actions.ticket_attach(
            acting_user=world.employee,
            ticket=ticket,
            upload=SimpleUploadedFile(f"{index}.txt", b"x"),
        )
    client = client_for(world.persona(persona))
    # session, person, organisation, roles, ticket, journal, bookings (+ teams, people and
    # service types for vendor staff)
    with django_assert_num_queries(queries):
        assert client.get(detail_url(ticket)).status_code == 200


# ---- overview and navigation --------------------------------------------------------------


def test_it_shows_what_waits_on_the_overview(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    actions.ticket_ask(
        acting_user=world.cs_agent,
        ticket=ticket,
        version=ticket.version,
        person=world.employee,
        question="?",
    )
    file_ticket(world)
    body = client_for(world.employee).get(reverse("accounts:home")).content.decode()
    assert re.search(r'data-testid="waiting-mine">\s*<span class="stat__value">1<', body)
    body = client_for(world.cs_agent).get(reverse("accounts:home")).content.decode()
    assert re.search(r'data-testid="waiting-team">\s*<span class="stat__value">1<', body)
    body = client_for(world.customer_contact).get(reverse("accounts:home")).content.decode()
    assert re.search(r'data-testid="waiting-mine">\s*<span class="stat__value">0<', body)


def test_it_shows_the_ticket_list_in_english(client_for, world):
    check_ticket(world, file_ticket(world))
    client = client_for(world.employee)
    client.post(reverse("accounts:set_language"), {"language": "en"})
    body = client.get(LIST, {"queue": "all"}).content.decode()
    assert "Waiting for us" in body
    assert "at BSI" in body
    assert "In progress at BSI" in body
