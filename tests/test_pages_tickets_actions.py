"""Every action form of the ticket page through the test client: what it changes, what the
person sees, and that a refusal shows a clear message, keeps the input and stores nothing."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerdesk.tickets import actions
from partnerdesk.tickets.models import (
    Attachment,
    Coverage,
    EventKind,
    Priority,
    Ticket,
    TicketEvent,
)
from partnerdesk.tickets.phases import Phase, Side
from tests.tickets_helpers import check_ticket, file_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def act_url(ticket, action: str) -> str:
    return reverse("tickets:ticket_act", args=[ticket.number, action])


def detail_url(ticket) -> str:
    return reverse("tickets:ticket_detail", args=[ticket.number])


def post(client, ticket, action: str, data: dict | None = None, *, version=None, follow=True):
    """Post one action form of the ticket page, the way the page would."""
    fields = {f"{action}-{key}": value for key, value in (data or {}).items()}
    fields[f"{action}-version"] = ticket.version if version is None else version
    return client.post(act_url(ticket, action), fields, follow=follow)


def fresh(ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def in_five_days() -> str:
    return (timezone.localdate() + datetime.timedelta(days=5)).isoformat()


def unchanged(ticket, events_before: int) -> bool:
    now = fresh(ticket)
    return now.version == ticket.version and now.events.count() == events_before


# ---- the first check -----------------------------------------------------------------------


def test_it_checks_a_new_ticket_with_next_steps_and_estimate(client_for, world):
    ticket = file_ticket(world)
    response = post(
        client_for(world.cs_agent),
        ticket,
        "check",
        {
            "next_steps": "Logs analysieren",
            "estimated_resolution_on": in_five_days(),
            "responsible_person": world.expert.pk,
        },
    )
    assert response.redirect_chain[-1][0] == detail_url(ticket)
    body = response.content.decode()
    assert "Erstprüfung erfasst" in body
    ticket = fresh(ticket)
    assert ticket.phase == Phase.IN_PROGRESS and ticket.responsible_person == world.expert
    assert ticket.next_steps == "Logs analysieren" and ticket.checked_at is not None
    assert 'data-testid="next-steps"' in body and "Logs analysieren" in body


def test_it_refuses_a_check_with_a_past_estimate_and_keeps_the_input(client_for, world):
    ticket = file_ticket(world)
    events = ticket.events.count()
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = post(
        client_for(world.cs_agent),
        ticket,
        "check",
        {"next_steps": "Mein Plan", "estimated_resolution_on": yesterday},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Das geschätzte Lösungsdatum liegt in der Vergangenheit." in body
    assert "Mein Plan" in body and yesterday in body
    assert re.search(r'<details class="action" id="action-check" open>', body)
    assert unchanged(ticket, events)


def test_it_names_missing_fields_of_the_check(client_for, world):
    ticket = file_ticket(world)
    response = post(
        client_for(world.cs_agent),
        ticket,
        "check",
        {"next_steps": "", "estimated_resolution_on": ""},
    )
    assert response.status_code == 200
    assert response.content.decode().count("field__error") == 2
    assert fresh(ticket).phase == Phase.NEW


def test_it_refuses_a_stale_version_with_a_reload_hint(client_for, world):
    ticket = file_ticket(world)
    # a colleague hands it over meanwhile
    actions.ticket_hand_over(
        acting_user=world.cs_responsible,
        ticket=ticket,
        version=ticket.version,
        phase=Phase.NEW,
        team=world.team,
        comment="Bitte zuerst prüfen",
    )
    events = fresh(ticket).events.count()
    response = post(
        client_for(world.cs_agent),
        ticket,
        "check",
        {"next_steps": "Plan A", "estimated_resolution_on": in_five_days()},
        version=ticket.version,  # the version the agent saw, before the hand-over
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Das Ticket wurde inzwischen geändert" in body and "Bitte neu laden." in body
    assert "Ticket neu laden" in body and "Plan A" in body
    assert fresh(ticket).phase == Phase.NEW and fresh(ticket).events.count() == events


# ---- hand over and questions ---------------------------------------------------------------


def test_it_routes_a_ticket_to_an_expert_without_changing_the_contact_team(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    response = post(
        client_for(world.cs_agent),
        ticket,
        "handover",
        {
            "phase": Phase.EXPERT,
            "responsible": f"person:{world.expert.pk}",
            "comment": "Bitte DB prüfen",
        },
    )
    assert "Übergeben: Bei BSI – Experte, verantwortlich Expert BSI." in response.content.decode()
    ticket = fresh(ticket)
    assert (ticket.phase, ticket.responsible_person, ticket.contact_team) == (
        Phase.EXPERT,
        world.expert,
        world.team,
    )


def test_it_offers_vendor_partner_and_customer_people_to_hand_over_to(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    body = client_for(world.cs_agent).get(detail_url(ticket)).content.decode()
    form = body.split('data-action="handover"')[1].split("</form>")[0]
    for group in ("CS-Teams", "Personen bei BSI", "Personen des Partners", "Personen des Kunden"):
        assert f'label="{group}"' in form
    assert world.employee.full_name in form and world.customer_contact.full_name in form
    assert (
        world.outsider_partner.full_name not in form
        and world.outsider_customer.full_name not in form
    )


@pytest.mark.parametrize(
    ("phase", "responsible", "message"),
    [
        (
            Phase.PARTNER_QUESTION,
            "team",
            "In dieser Phase ist eine Person des Partners oder Kunden verantwortlich.",
        ),
        (Phase.EXPERT, "employee", "Die Person gehört nicht zur Seite dieser Phase."),
        (Phase.CUSTOMER_QUESTION, "employee", "Die Person gehört nicht zur Seite dieser Phase."),
        (Phase.EXPERT, "team", "Bei einem Experten ist eine Person verantwortlich."),
    ],
)
def test_it_refuses_a_hand_over_whose_phase_and_responsible_contradict(
    client_for, world, phase, responsible, message
):
    ticket = check_ticket(world, file_ticket(world))
    events = ticket.events.count()
    target = (
        f"team:{world.team.pk}"
        if responsible == "team"
        else f"person:{world.persona(responsible).pk}"
    )
    response = post(
        client_for(world.cs_agent), ticket, "handover", {"phase": phase, "responsible": target}
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert unchanged(ticket, events)


def test_it_asks_back_and_the_partner_answers_from_its_queue(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    agent = client_for(world.cs_agent)
    response = post(
        agent, ticket, "ask", {"person": world.employee.pk, "question": "Welche **Version**?"}
    )
    assert "Rückfrage an Emil Mitarbeiter gestellt." in response.content.decode()
    ticket = fresh(ticket)
    assert (ticket.side, ticket.responsible_person) == (Side.PARTNER, world.employee)

    employee = client_for(world.employee)
    body = employee.get(detail_url(ticket)).content.decode()
    assert '<details class="action" id="action-answer" open>' in body
    assert "Welche <strong>Version</strong>?" in body
    response = post(employee, ticket, "answer", {"answer": "Version 7.2"})
    assert "Antwort gesendet. Das Ticket liegt wieder bei BSI." in response.content.decode()
    ticket = fresh(ticket)
    assert (ticket.side, ticket.phase, ticket.responsible_person) == (
        Side.VENDOR,
        Phase.IN_PROGRESS,
        world.cs_agent,
    )
    assert ticket.events.last().kind == EventKind.ANSWER


def test_it_refuses_an_empty_answer(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    ticket = actions.ticket_ask(
        acting_user=world.cs_agent,
        ticket=ticket,
        version=ticket.version,
        person=world.employee,
        question="?",
    )
    response = post(client_for(world.employee), ticket, "answer", {"answer": "   "})
    assert "field__error" in response.content.decode()
    assert fresh(ticket).side == Side.PARTNER


def test_it_does_not_offer_answering_to_people_of_the_other_side(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    ticket = actions.ticket_ask(
        acting_user=world.cs_agent,
        ticket=ticket,
        version=ticket.version,
        person=world.employee,
        question="?",
    )
    client = client_for(world.customer_contact)
    assert 'data-action="answer"' not in client.get(detail_url(ticket)).content.decode()
    events = ticket.events.count()
    response = post(client, ticket, "answer", {"answer": "Ich antworte trotzdem"})
    assert response.status_code == 409
    assert (
        "Dieser Schritt ist für Sie in der aktuellen Phase nicht möglich."
        in response.content.decode()
    )
    assert unchanged(ticket, events)


# ---- estimate, solution, confirmation ------------------------------------------------------


def test_it_changes_the_estimate_with_a_reason(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    later = (timezone.localdate() + datetime.timedelta(days=12)).isoformat()
    response = post(
        client_for(world.cs_agent),
        ticket,
        "estimate",
        {"estimated_resolution_on": later, "reason": "Hersteller-Fix nötig"},
    )
    body = response.content.decode()
    assert "Das geschätzte Lösungsdatum ist geändert." in body
    assert "Hersteller-Fix nötig" in body
    event = fresh(ticket).events.last()
    assert event.kind == EventKind.ESTIMATE and event.data["estimate"] == later


def test_it_proposes_a_solution_which_the_partner_confirms(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    response = post(client_for(world.cs_agent), ticket, "solve", {"solution": "Timeout erhöht"})
    assert "Lösung vorgeschlagen. Emil Mitarbeiter bestätigt sie." in response.content.decode()
    ticket = fresh(ticket)
    assert ticket.phase == Phase.SOLVED
    employee = client_for(world.employee)
    assert (
        '<details class="action" id="action-confirm" open>'
        in employee.get(detail_url(ticket)).content.decode()
    )
    response = post(employee, ticket, "confirm")
    body = response.content.decode()
    assert "Lösung bestätigt. Das Ticket ist geschlossen." in body
    assert "side--done" in body and "erledigt" in body
    assert fresh(ticket).phase == Phase.CLOSED


def test_it_reopens_a_solution_with_a_reason(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    ticket = actions.ticket_propose_solution(
        acting_user=world.cs_agent, ticket=ticket, version=ticket.version, solution="x"
    )
    employee = client_for(world.employee)
    response = post(employee, ticket, "reopen", {"reason": ""})
    assert "field__error" in response.content.decode()
    assert fresh(ticket).phase == Phase.SOLVED
    response = post(employee, ticket, "reopen", {"reason": "Fehler tritt weiter auf"})
    assert "Das Ticket ist wieder eröffnet und liegt bei BSI." in response.content.decode()
    ticket = fresh(ticket)
    assert (ticket.phase, ticket.responsible_person) == (Phase.IN_PROGRESS, world.cs_agent)


# ---- coverage ------------------------------------------------------------------------------


def test_it_records_a_coverage_decision_and_rejects_what_is_not_covered(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    response = post(
        client_for(world.cs_responsible),
        ticket,
        "coverage",
        {"coverage": Coverage.CONFIGURATION, "reason": "Mandanten-Einstellung"},
    )
    body = response.content.decode()
    assert "Nicht gedeckt: das Ticket ist zurückgewiesen." in body
    coverage = body.split('data-testid="coverage"')[1].split("</section>")[0]
    for text in (
        "Konfiguration",
        "Mandanten-Einstellung",
        world.cs_responsible.full_name,
        "Verrechnet an",
        "Kunde",
    ):
        assert text in coverage
    ticket = fresh(ticket)
    assert (ticket.phase, ticket.bill_to) == (Phase.REJECTED, "customer")
    # a revision to covered is journaled and reopens the ticket
    post(
        client_for(world.cs_agent),
        ticket,
        "coverage",
        {"coverage": Coverage.PRODUCT_DEFECT, "reason": "Doch ein Produktfehler"},
    )
    ticket = fresh(ticket)
    assert ticket.phase == Phase.IN_PROGRESS and ticket.coverage == Coverage.PRODUCT_DEFECT
    assert ticket.events.filter(kind=EventKind.COVERAGE).count() == 2


def test_it_refuses_a_coverage_decision_without_reason(client_for, world):
    ticket = check_ticket(world, file_ticket(world))
    response = post(
        client_for(world.cs_agent), ticket, "coverage", {"coverage": Coverage.HOWTO, "reason": ""}
    )
    assert "field__error" in response.content.decode()
    assert fresh(ticket).coverage == ""


# ---- notes, comments, meetings, attachments ------------------------------------------------


def test_it_keeps_internal_notes_from_partners_and_customers(client_for, world):
    ticket = file_ticket(world)
    response = post(client_for(world.cs_agent), ticket, "note", {"text": "Kunde zahlt schlecht"})
    assert "Interne Notiz gespeichert." in response.content.decode()
    assert (
        "Kunde zahlt schlecht" in client_for(world.expert).get(detail_url(ticket)).content.decode()
    )
    for persona in ("employee", "coordinator", "customer_contact"):
        body = client_for(world.persona(persona)).get(detail_url(ticket)).content.decode()
        assert "Kunde zahlt schlecht" not in body
        assert 'data-action="note"' not in body


def test_it_refuses_internal_notes_from_partners(client_for, world):
    ticket = file_ticket(world)
    events = ticket.events.count()
    response = post(client_for(world.coordinator), ticket, "note", {"text": "Ich bin intern"})
    assert response.status_code == 409
    assert unchanged(ticket, events)


@pytest.mark.parametrize("persona", ["employee", "customer_contact", "cs_agent"])
def test_it_lets_everyone_involved_comment(client_for, world, persona):
    ticket = file_ticket(world)
    response = post(
        client_for(world.persona(persona)), ticket, "comment", {"text": "Hier ein *Hinweis*"}
    )
    assert "Kommentar gespeichert." in response.content.decode()
    for reader in ("employee", "customer_contact", "cs_agent"):
        assert (
            "Hier ein <em>Hinweis</em>"
            in client_for(world.persona(reader)).get(detail_url(ticket)).content.decode()
        )


def test_it_records_a_call_with_time_participants_and_link(client_for, world):
    ticket = file_ticket(world, priority=Priority.URGENT)
    response = post(
        client_for(world.project_lead),
        ticket,
        "meeting",
        {
            "starts_at": "2026-12-01T14:30",
            "participants": "C. Koordinatorin, P. Lead",
            "link": "https://meet.example/abc",
            "notes": "Workaround vereinbart",
        },
    )
    body = response.content.decode()
    assert "Besprechung auf dem Ticket festgehalten." in body
    for text in (
        "01.12.2026 14:30",
        "C. Koordinatorin, P. Lead",
        'href="https://meet.example/abc"',
        "Workaround vereinbart",
    ):
        assert text in body
    assert (
        "Workaround vereinbart"
        in client_for(world.coordinator).get(detail_url(ticket)).content.decode()
    )


def test_it_refuses_a_meeting_link_that_is_not_a_web_address(client_for, world):
    ticket = file_ticket(world)
    events = ticket.events.count()
    response = post(
        client_for(world.project_lead),
        ticket,
        "meeting",
        {"starts_at": "2026-12-01T14:30", "participants": "alle", "link": "javascript:alert(1)"},
    )
    assert response.status_code == 422
    assert "Der Link muss mit https:// beginnen." in response.content.decode()
    assert fresh(ticket).events.count() == events


def test_it_attaches_files_and_keeps_internal_ones_internal(client_for, world):
    ticket = file_ticket(world)
    employee = client_for(world.employee)
    response = employee.post(
        act_url(ticket, "attach"),
        {
            "attach-version": ticket.version,
            "attach-files": [SimpleUploadedFile("a.log", b"1"), SimpleUploadedFile("b.log", b"2")],
        },
        follow=True,
    )
    assert "2 Dateien angehängt." in response.content.decode()
    agent = client_for(world.cs_agent)
    agent.post(
        act_url(ticket, "attach"),
        {
            "attach-version": ticket.version,
            "attach-files": [SimpleUploadedFile("intern.log", b"3")],
            "attach-internal": "on",
        },
    )
    assert set(Attachment.objects.values_list("name", "internal")) == {
        ("a.log", False),
        ("b.log", False),
        ("intern.log", True),
    }
    assert "intern.log" not in employee.get(detail_url(ticket)).content.decode()
    assert "intern.log" in agent.get(detail_url(ticket)).content.decode()
    # partners cannot sneak in internal attachments
    employee.post(
        act_url(ticket, "attach"),
        {
            "attach-version": 9,
            "attach-files": [SimpleUploadedFile("c.log", b"4")],
            "attach-internal": "on",
        },
    )
    assert Attachment.objects.get(name="c.log").internal is False


def test_it_stores_no_attachment_when_one_file_is_too_large(client_for, world, settings):
    settings.PARTNERDESK_MAX_ATTACHMENT_MB = 1
    ticket = file_ticket(world)
    response = client_for(world.employee).post(
        act_url(ticket, "attach"),
        {
            "attach-version": ticket.version,
            "attach-files": [
                SimpleUploadedFile("klein.txt", b"1"),
                SimpleUploadedFile("gross.bin", b"x" * (1024 * 1024 + 1)),
            ],
        },
    )
    assert response.status_code == 200
    assert "gross.bin: Die Datei ist grösser als 1 MB." in response.content.decode()
    assert not Attachment.objects.exists()


# ---- escalation ----------------------------------------------------------------------------


def test_it_lets_the_partner_coordinator_escalate_an_urgent_ticket(
    client_for, world, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = file_ticket(world, priority=Priority.URGENT)
    coordinator = client_for(world.coordinator)
    assert 'data-action="escalate"' in coordinator.get(detail_url(ticket)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(coordinator, ticket, "escalate", {"reason": "Produktion steht"})
    body = response.content.decode()
    assert "Die Projektleitung von BSI ist informiert." in body
    assert 'data-testid="escalation"' in body and world.project_lead.full_name in body
    assert fresh(ticket).escalated_by == world.coordinator
    assert world.project_lead.email in {address for mail in mailoutbox for address in mail.to}
    assert 'data-action="escalate"' not in coordinator.get(detail_url(ticket)).content.decode()


def test_it_offers_escalation_only_to_the_coordinator_on_urgent_tickets(client_for, world):
    normal = file_ticket(world)
    urgent = file_ticket(world, priority=Priority.URGENT)
    assert (
        'data-action="escalate"'
        not in client_for(world.coordinator).get(detail_url(normal)).content.decode()
    )
    assert (
        'data-action="escalate"'
        not in client_for(world.employee).get(detail_url(urgent)).content.decode()
    )
    response = post(client_for(world.employee), urgent, "escalate", {"reason": "Bitte"})
    assert response.status_code == 409
    assert fresh(urgent).escalated_at is None


# ---- the forms themselves ------------------------------------------------------------------


def test_it_requires_the_csrf_token_on_action_forms(world):
    ticket = file_ticket(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.employee)
    response = client.post(
        act_url(ticket, "comment"),
        {"comment-text": "ohne Token", "comment-version": ticket.version},
    )
    assert response.status_code == 403
    assert not TicketEvent.objects.filter(kind=EventKind.COMMENT).exists()


def test_it_answers_404_for_unknown_actions_and_405_for_get(client_for, world):
    ticket = file_ticket(world)
    client = client_for(world.cs_agent)
    assert client.post(act_url(ticket, "delete"), {}).status_code == 404
    assert client.get(act_url(ticket, "comment")).status_code == 405


def test_it_accepts_a_comment_from_a_page_that_is_out_of_date(client_for, world):
    """Appends (comments, notes, files) never conflict, so an old version does not refuse them."""
    ticket = file_ticket(world)
    seen = ticket.version
    check_ticket(world, ticket)
    response = post(
        client_for(world.employee), ticket, "comment", {"text": "Noch ein Detail"}, version=seen
    )
    assert "Kommentar gespeichert." in response.content.decode()
    assert fresh(ticket).events.filter(kind=EventKind.COMMENT).count() == 1
