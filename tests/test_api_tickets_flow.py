"""Working a ticket through /api/v1/tickets/{number}/…: the whole flow, every refusal with its
status and code, the journal, attachments and the mails that go out."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partnerdesk.tickets import actions
from partnerdesk.tickets.models import Attachment, EventKind, Priority, Ticket, TicketEvent
from partnerdesk.tickets.phases import Phase, Side
from tests.tickets_helpers import check_ticket, file_ticket


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _in(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _post(client, ticket_or_number, suffix, body=None):
    number = getattr(ticket_or_number, "number", ticket_or_number)
    return client.post(
        f"/api/v1/tickets/{number}{suffix}", body or {}, content_type="application/json"
    )


def _ok(response):
    assert response.status_code == 200, response.content
    return response.json()


def _refused(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code, body
    assert body["detail"]
    return body


def _journal(client, number):
    response = client.get(f"/api/v1/tickets/{number}/journal")
    assert response.status_code == 200, response.content
    return response.json()["items"]


# --- the whole flow ---------------------------------------------------------------------


def test_it_walks_a_ticket_from_filing_to_closed(world, client_for):
    partner, agent = client_for(world.employee), client_for(world.cs_agent)

    filed = partner.post(
        "/api/v1/tickets/",
        {
            "customer_id": world.customer.pk,
            "order_id": world.partnership_order.pk,
            "title": "Export bricht ab",
            "description": "Nach dem Update bricht der Export ab.",
        },
        content_type="application/json",
    )
    assert filed.status_code == 201, filed.content
    number, version = filed.json()["number"], filed.json()["version"]

    checked = _ok(
        _post(
            agent,
            number,
            "/check",
            {"version": version, "next_steps": "Logs prüfen.", "estimated_resolution_on": _in(5)},
        )
    )
    assert checked["phase"] == "in_progress" and checked["check_state"] == "done"
    assert checked["next_steps"] == "Logs prüfen." and checked["checked_at"]
    assert checked["responsible"]["id"] == world.cs_agent.pk

    asked = _ok(
        _post(
            agent,
            number,
            "/question",
            {"version": checked["version"], "person_id": world.employee.pk, "question": "Version?"},
        )
    )
    assert asked["phase"] == "partner_question" and asked["side"] == "partner"
    assert asked["responsible"] == {
        "type": "person",
        "id": world.employee.pk,
        "name": "Emil Mitarbeiter",
    }
    waiting = partner.get("/api/v1/tickets/", {"queue": "mine"}).json()["items"]
    assert [item["number"] for item in waiting] == [number]

    answered = _ok(
        _post(partner, number, "/answer", {"version": asked["version"], "answer": "26.3"})
    )
    assert answered["phase"] == "in_progress" and answered["side"] == "vendor"
    assert answered["responsible"]["id"] == world.cs_agent.pk  # back to the person who asked

    solved = _ok(
        _post(agent, number, "/solution", {"version": answered["version"], "solution": "Patch 1"})
    )
    assert solved["phase"] == "solved" and solved["responsible"]["id"] == world.employee.pk

    reopened = _ok(
        _post(partner, number, "/reopen", {"version": solved["version"], "reason": "Bleibt"})
    )
    assert reopened["phase"] == "in_progress" and reopened["responsible"]["id"] == world.cs_agent.pk

    solved = _ok(
        _post(agent, number, "/solution", {"version": reopened["version"], "solution": "Patch 2"})
    )
    closed = _ok(_post(partner, number, "/confirm", {"version": solved["version"]}))
    assert closed["phase"] == "closed" and closed["side"] == "done"
    assert closed["phase_label"] == "Geschlossen" and closed["responsible"] is None

    kinds = [entry["kind"] for entry in _journal(partner, number)]
    assert kinds == [
        "filed",
        "check",
        "question",
        "answer",
        "solution",
        "reopened",
        "solution",
        "confirmed",
    ]
    ticket = Ticket.objects.get(number=number)
    assert ticket.phase == Phase.CLOSED and ticket.closed_at is not None
    assert ticket.version == closed["version"]


def test_it_asks_the_customer_and_gets_the_answer_back(world, client_for):
    ticket = check_ticket(world, file_ticket(world))

    asked = _ok(
        _post(
            client_for(world.cs_agent),
            ticket,
            "/question",
            {
                "version": ticket.version,
                "person_id": world.customer_contact.pk,
                "question": "Seit wann?",
            },
        )
    )
    assert asked["phase"] == "customer_question" and asked["side"] == "customer"
    answered = _ok(
        _post(
            client_for(world.customer_contact),
            ticket,
            "/answer",
            {"version": asked["version"], "answer": "Seit Montag"},
        )
    )

    assert answered["side"] == "vendor" and answered["responsible"]["id"] == world.cs_agent.pk


def test_it_routes_to_an_expert_and_keeps_the_contact_team(world, client_for):
    ticket = check_ticket(world, file_ticket(world))

    body = _ok(
        _post(
            client_for(world.cs_agent),
            ticket,
            "/hand-over",
            {
                "version": ticket.version,
                "phase": "expert",
                "person_id": world.expert.pk,
                "comment": "Bitte DB prüfen.",
            },
        )
    )

    assert body["phase"] == "expert" and body["phase_label"] == "Bei BSI – Experte"
    assert body["responsible"] == {"type": "person", "id": world.expert.pk, "name": "Expert BSI"}
    assert body["contact_team"]["id"] == world.team.pk


def test_it_hands_a_ticket_back_to_a_team(world, client_for):
    ticket = check_ticket(world, file_ticket(world))

    body = _ok(
        _post(
            client_for(world.cs_agent),
            ticket,
            "/hand-over",
            {"version": ticket.version, "phase": "in_progress", "team_id": world.other_team.pk},
        )
    )

    assert body["responsible"] == {"type": "team", "id": world.other_team.pk, "name": "CS Team Süd"}


def test_it_rejects_an_uncovered_request_and_bills_whom_the_contract_names(world, client_for):
    ticket = check_ticket(world, file_ticket(world))
    agent = client_for(world.cs_agent)

    rejected = _ok(
        _post(
            agent,
            ticket,
            "/coverage",
            {
                "version": ticket.version,
                "coverage": "customizing_error",
                "reason": "Eigenes Skript",
            },
        )
    )

    assert rejected["phase"] == "rejected" and rejected["side"] == "done"
    assert rejected["phase_label"] == "Zurückgewiesen"
    assert rejected["coverage"]["covered"] is False
    assert rejected["coverage"]["bill_to"] == "customer"  # the world's contract bills the customer
    assert rejected["coverage"]["by"]["name"] == "Cs Agent BSI"
    partner_view = client_for(world.coordinator).get(f"/api/v1/tickets/{ticket.number}").json()
    assert partner_view["coverage"]["reason"] == "Eigenes Skript"

    revised = _ok(
        _post(
            agent,
            ticket,
            "/coverage",
            {"version": rejected["version"], "coverage": "product_defect", "reason": "Doch Bug 12"},
        )
    )
    assert revised["phase"] == "in_progress" and revised["coverage"]["bill_to"] is None
    assert revised["coverage"]["covered"] is True
    coverage = [e for e in _journal(agent, ticket.number) if e["kind"] == "coverage"]
    assert [e["text"] for e in coverage] == ["Eigenes Skript", "Doch Bug 12"]


def test_it_bills_the_partner_where_the_contract_says_so(world, client_for):
    world.contract.bill_to = "partner"
    world.contract.save()
    ticket = check_ticket(world, file_ticket(world))

    body = _ok(
        _post(
            client_for(world.cs_agent),
            ticket,
            "/coverage",
            {"version": ticket.version, "coverage": "change_request", "reason": "Neue Funktion"},
        )
    )

    assert body["coverage"]["bill_to"] == "partner"


def test_it_changes_the_estimate_with_a_reason(world, client_for):
    ticket = check_ticket(world, file_ticket(world))

    body = _ok(
        _post(
            client_for(world.cs_responsible),
            ticket,
            "/estimate",
            {"version": ticket.version, "estimated_resolution_on": _in(12), "reason": "Patch"},
        )
    )

    assert body["estimated_resolution_on"] == _in(12)
    entry = _journal(client_for(world.employee), ticket.number)[-1]
    assert entry["kind"] == "estimate" and entry["text"] == "Patch"
    assert entry["data"] == {"previous": _in(5), "estimate": _in(12)}


def test_it_checks_with_another_vendor_person_responsible(world, client_for):
    ticket = file_ticket(world)

    body = _ok(
        _post(
            client_for(world.cs_agent),
            ticket,
            "/check",
            {
                "version": ticket.version,
                "next_steps": "DB prüfen",
                "estimated_resolution_on": _in(3),
                "responsible_person_id": world.expert.pk,
            },
        )
    )

    assert body["responsible"]["id"] == world.expert.pk


def test_it_escalates_an_urgent_ticket_and_records_a_call(world, client_for):
    ticket = file_ticket(world, priority=Priority.URGENT)

    escalated = _ok(
        _post(
            client_for(world.coordinator),
            ticket,
            "/escalate",
            {"version": ticket.version, "reason": "Produktion steht"},
        )
    )
    assert escalated["escalated"] is True and escalated["escalated_at"]

    met = _ok(
        _post(
            client_for(world.project_lead),
            ticket,
            "/meetings",
            {
                "starts_at": "2026-12-01T10:00:00",
                "participants": "Claudia Koordinatorin, Project Lead BSI",
                "link": "https://meet.example/abc",
                "notes": "Workaround vereinbart",
            },
        )
    )
    assert met["version"] == escalated["version"]  # an append keeps the version
    entry = _journal(client_for(world.coordinator), ticket.number)[-1]
    assert entry["kind"] == "meeting" and entry["text"] == "Workaround vereinbart"
    assert entry["data"] == {
        "starts_at": "2026-12-01T10:00:00+01:00",  # a time without offset is Swiss time
        "participants": "Claudia Koordinatorin, Project Lead BSI",
        "link": "https://meet.example/abc",
    }
    assert entry["author"] == {
        "id": world.project_lead.pk,
        "name": "Project Lead BSI",
        "organisation": "BSI",
    }


# --- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "who", "team"),
    [
        ("in_progress", "employee", False),  # vendor phase, partner person
        ("partner_question", "cs_agent", False),  # partner phase, vendor person
        ("customer_question", "employee", False),  # customer phase, partner person
        ("partner_question", None, True),  # a team on the partner side
        ("expert", None, True),  # an expert phase needs a person
        ("expert", "expert", True),  # a team and a person
    ],
)
def test_it_refuses_a_phase_and_responsible_that_contradict_each_other(
    world, client_for, phase, who, team
):
    ticket = check_ticket(world, file_ticket(world))
    body = {"version": ticket.version, "phase": phase}
    if who:
        body["person_id"] = world.persona(who).pk
    if team:
        body["team_id"] = world.team.pk

    _refused(_post(client_for(world.cs_agent), ticket, "/hand-over", body), 422, "rule_violation")

    ticket.refresh_from_db()
    assert ticket.phase == Phase.IN_PROGRESS and ticket.responsible_person == world.cs_agent
    assert not ticket.events.filter(kind=EventKind.HANDOVER).exists()


@pytest.mark.parametrize("who", ["outsider_partner", "outsider_customer", None])
def test_it_refuses_other_tenants_people_exactly_like_unknown_ids(world, client_for, who):
    ticket = check_ticket(world, file_ticket(world))
    person_id = world.persona(who).pk if who else 999999
    agent = client_for(world.cs_agent)

    handed = _post(
        agent,
        ticket,
        "/hand-over",
        {"version": ticket.version, "phase": "partner_question", "person_id": person_id},
    )
    asked = _post(
        agent,
        ticket,
        "/question",
        {"version": ticket.version, "person_id": person_id, "question": "?"},
    )

    expected = {
        "detail": "Diese Person kann für dieses Ticket nicht verantwortlich sein.",
        "code": "rule_violation",
    }
    assert handed.status_code == asked.status_code == 422
    assert handed.json() == asked.json() == expected
    ticket.refresh_from_db()
    assert ticket.phase == Phase.IN_PROGRESS


def test_it_refuses_an_unknown_team(world, client_for):
    ticket = check_ticket(world, file_ticket(world))

    response = _post(
        client_for(world.cs_agent),
        ticket,
        "/hand-over",
        {"version": ticket.version, "phase": "in_progress", "team_id": 999999},
    )

    _refused(response, 422, "rule_violation")


def test_it_keeps_a_new_ticket_in_its_check_without_next_steps(world, client_for):
    ticket = file_ticket(world)
    agent = client_for(world.cs_agent)

    handed = _post(
        agent,
        ticket,
        "/hand-over",
        {"version": ticket.version, "phase": "in_progress", "person_id": world.cs_agent.pk},
    )
    asked = _post(
        agent,
        ticket,
        "/question",
        {"version": ticket.version, "person_id": world.employee.pk, "question": "Version?"},
    )
    blank = _post(
        agent,
        ticket,
        "/check",
        {"version": ticket.version, "next_steps": "  ", "estimated_resolution_on": _in(2)},
    )

    _refused(handed, 422, "check_incomplete")
    _refused(asked, 422, "check_incomplete")
    _refused(blank, 422, "next_steps_required")
    ticket.refresh_from_db()
    assert ticket.phase == Phase.NEW and ticket.checked_at is None and ticket.version == 1


def test_it_refuses_a_stale_version_and_changes_nothing(world, client_for):
    ticket = file_ticket(world)
    stale = ticket.version
    check_ticket(world, ticket)
    ticket.refresh_from_db()
    before = (ticket.phase, ticket.version, ticket.events.count())
    agent = client_for(world.cs_agent)

    responses = [
        _post(agent, ticket, "/solution", {"version": stale, "solution": "x"}),
        _post(
            agent,
            ticket,
            "/estimate",
            {"version": stale, "estimated_resolution_on": _in(9), "reason": "x"},
        ),
        _post(agent, ticket, "/coverage", {"version": stale, "coverage": "howto", "reason": "x"}),
        _post(
            agent,
            ticket,
            "/hand-over",
            {"version": stale, "phase": "expert", "person_id": world.expert.pk},
        ),
    ]

    for response in responses:
        body = _refused(response, 409, "stale_version")
        assert "Version 2" in body["detail"]
    ticket.refresh_from_db()
    assert (ticket.phase, ticket.version, ticket.events.count()) == before
    assert ticket.estimated_resolution_on.isoformat() == _in(5) and not ticket.coverage


def test_it_refuses_a_stale_version_from_the_partner_side(world, client_for):
    ticket = check_ticket(world, file_ticket(world))
    ticket = actions.ticket_propose_solution(
        acting_user=world.cs_agent, ticket=ticket, version=ticket.version, solution="x"
    )
    partner = client_for(world.employee)

    _refused(
        _post(partner, ticket, "/confirm", {"version": ticket.version - 1}), 409, "stale_version"
    )
    _refused(
        _post(partner, ticket, "/escalate", {"version": 1, "reason": "x"}), 409, "stale_version"
    )
    ticket.refresh_from_db()
    assert ticket.phase == Phase.SOLVED


def test_it_refuses_internal_comments_by_partner_people(world, client_for):
    ticket = file_ticket(world)

    response = _post(
        client_for(world.employee), ticket, "/comments", {"text": "Geheim", "internal": True}
    )

    _refused(response, 403, "permission_denied")
    assert ticket.events.count() == 1


@pytest.mark.parametrize(
    ("persona", "priority", "status", "code"),
    [
        ("coordinator", Priority.NORMAL, 422, "not_urgent"),
        ("employee", Priority.URGENT, 403, "permission_denied"),
        ("cs_agent", Priority.URGENT, 403, "permission_denied"),
        ("customer_contact", Priority.URGENT, 403, "permission_denied"),
    ],
)
def test_it_refuses_escalations_that_are_not_allowed(
    world, client_for, persona, priority, status, code
):
    ticket = file_ticket(world, priority=priority)

    response = _post(
        client_for(world.persona(persona)),
        ticket,
        "/escalate",
        {"version": ticket.version, "reason": "Eilt"},
    )

    _refused(response, status, code)
    ticket.refresh_from_db()
    assert ticket.escalated_at is None


@pytest.mark.parametrize(
    ("suffix", "body"),
    [
        ("/check", {"next_steps": "x", "estimated_resolution_on": "2099-01-01"}),
        ("/hand-over", {"phase": "expert"}),
        ("/question", {"person_id": 1, "question": "x"}),
        ("/solution", {"solution": "x"}),
        ("/coverage", {"coverage": "howto", "reason": "x"}),
        ("/estimate", {"estimated_resolution_on": "2099-01-01", "reason": "x"}),
        ("/meetings", {"starts_at": "2099-01-01T10:00:00Z", "participants": "x"}),
    ],
)
@pytest.mark.parametrize("persona", ["employee", "coordinator", "customer_contact"])
def test_it_refuses_vendor_steps_to_partners_and_customers(
    world, client_for, suffix, body, persona
):
    ticket = check_ticket(world, file_ticket(world))
    if suffix != "/meetings":
        body = {**body, "version": ticket.version}

    _refused(
        _post(client_for(world.persona(persona)), ticket, suffix, body), 403, "permission_denied"
    )

    ticket.refresh_from_db()
    assert ticket.version == 2


def test_it_refuses_an_answer_from_the_wrong_side(world, client_for):
    ticket = check_ticket(world, file_ticket(world))
    ticket = actions.ticket_ask(
        acting_user=world.cs_agent, ticket=ticket, version=None, person=world.employee, question="?"
    )

    response = _post(
        client_for(world.customer_contact),
        ticket,
        "/answer",
        {"version": ticket.version, "answer": "x"},
    )

    _refused(response, 403, "permission_denied")


@pytest.mark.parametrize(
    ("suffix", "body", "status", "code"),
    [
        ("/answer", {"answer": "x"}, 422, "no_question"),
        ("/confirm", {}, 422, "nothing_to_confirm"),
        ("/reopen", {"reason": "x"}, 422, "nothing_to_reopen"),
    ],
)
def test_it_refuses_partner_steps_that_do_not_fit_the_phase(
    world, client_for, suffix, body, status, code
):
    ticket = check_ticket(world, file_ticket(world))

    response = _post(
        client_for(world.employee), ticket, suffix, {**body, "version": ticket.version}
    )

    _refused(response, status, code)


@pytest.mark.parametrize(
    ("suffix", "body", "fields"),
    [
        ("/check", {"next_steps": "x"}, ["estimated_resolution_on", "version"]),
        (
            "/check",
            {"version": "zwei", "next_steps": "x", "estimated_resolution_on": "morgen"},
            [
                "estimated_resolution_on",
                "version",
            ],
        ),
        ("/hand-over", {"version": 1, "phase": "irgendwo"}, ["phase"]),
        ("/coverage", {"version": 1, "coverage": "gratis", "reason": "x"}, ["coverage"]),
        ("/comments", {"text": "x", "mood": "happy"}, ["mood"]),
        ("/escalate", {"version": 0, "reason": "x"}, ["version"]),
        ("/meetings", {"starts_at": "bald", "participants": "x"}, ["starts_at"]),
    ],
)
def test_it_refuses_bad_input_with_field_errors(world, client_for, suffix, body, fields):
    ticket = file_ticket(world)

    response = _post(client_for(world.cs_agent), ticket, suffix, body)

    body = _refused(response, 422, "invalid_input")
    assert sorted(body["errors"]) == fields
    ticket.refresh_from_db()
    assert ticket.version == 1


def test_it_refuses_a_meeting_link_that_is_not_a_web_address(world, client_for):
    ticket = file_ticket(world)

    response = _post(
        client_for(world.project_lead),
        ticket,
        "/meetings",
        {"starts_at": "2026-12-01T10:00:00Z", "participants": "x", "link": "javascript:alert(1)"},
    )

    _refused(response, 422, "invalid_link")


# --- the journal ------------------------------------------------------------------------


def test_it_hides_internal_notes_from_partners_and_customers(world, client_for):
    ticket = file_ticket(world)
    agent = client_for(world.cs_agent)
    _ok(_post(agent, ticket, "/comments", {"text": "Kunde ist **heikel**", "internal": True}))
    commented = _ok(_post(agent, ticket, "/comments", {"text": "Wir schauen es an."}))

    vendor = _journal(agent, ticket.number)
    assert [(e["kind"], e["internal"]) for e in vendor] == [
        ("filed", False),
        ("note", True),
        ("comment", False),
    ]
    assert vendor[1]["text_html"] == "<p>Kunde ist <strong>heikel</strong></p>\n"
    for persona in ("employee", "coordinator", "customer_contact"):
        entries = _journal(client_for(world.persona(persona)), ticket.number)
        assert [e["kind"] for e in entries] == ["filed", "comment"], persona
        assert "heikel" not in str(entries)
    assert commented["version"] == 1  # comments and notes keep the version


def test_it_shows_journal_entries_with_author_and_rendered_text(world, client_for):
    ticket = file_ticket(world)
    _ok(
        _post(
            client_for(world.customer_contact),
            ticket,
            "/comments",
            {"text": "Siehe <script>x</script> [Doku](https://example.com)"},
        )
    )

    entry = _journal(client_for(world.employee), ticket.number)[-1]

    assert entry["kind"] == "comment" and entry["internal"] is False
    assert entry["author"] == {
        "id": world.customer_contact.pk,
        "name": "Karin Kundin",
        "organisation": "Stadtwerke Seeland",
    }
    assert "<script" not in entry["text_html"] and "&lt;script&gt;" in entry["text_html"]
    assert 'href="https://example.com"' in entry["text_html"]
    assert entry["created_at"] and entry["data"] == {}


# --- attachments ------------------------------------------------------------------------


def _upload(client, ticket, name="log.txt", content=b"Fehler 42", internal=None):
    data = {"file": SimpleUploadedFile(name, content, content_type="text/plain")}
    if internal is not None:
        data["internal"] = "true" if internal else "false"
    return client.post(f"/api/v1/tickets/{ticket.number}/attachments", data)


def _attachments(client, ticket):
    response = client.get(f"/api/v1/tickets/{ticket.number}/attachments")
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_it_attaches_a_file_and_serves_it_as_a_download(world, client_for):
    ticket = file_ticket(world)
    partner = client_for(world.employee)

    body = _ok(_upload(partner, ticket))

    assert body["version"] == 1  # an attachment keeps the version
    [listed] = _attachments(client_for(world.customer_contact), ticket)
    assert listed["name"] == "log.txt" and listed["size"] == 9 and listed["internal"] is False
    assert listed["uploaded_by"]["id"] == world.employee.pk
    assert listed["url"] == f"/api/v1/tickets/{ticket.number}/attachments/{listed['id']}"
    download = client_for(world.customer_contact).get(listed["url"])
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="log.txt"'
    assert b"".join(download.streaming_content) == b"Fehler 42"
    assert [e["kind"] for e in _journal(partner, ticket.number)] == ["filed", "attachment"]


def test_it_keeps_internal_attachments_from_partners_and_customers(world, client_for):
    ticket = file_ticket(world)
    agent = client_for(world.cs_agent)
    _ok(_upload(agent, ticket, name="intern.txt", internal=True))
    _ok(_upload(agent, ticket, name="offen.txt", internal=False))
    internal = Attachment.objects.get(name="intern.txt")

    assert [a["name"] for a in _attachments(agent, ticket)] == ["intern.txt", "offen.txt"]
    assert (
        agent.get(f"/api/v1/tickets/{ticket.number}/attachments/{internal.pk}").status_code == 200
    )
    for persona in ("employee", "coordinator", "customer_contact"):
        client = client_for(world.persona(persona))
        assert [a["name"] for a in _attachments(client, ticket)] == ["offen.txt"], persona
        response = client.get(f"/api/v1/tickets/{ticket.number}/attachments/{internal.pk}")
        assert response.status_code == 404, persona
        assert "intern.txt" not in str(_journal(client, ticket.number))


def test_it_refuses_internal_attachments_from_partner_people(world, client_for):
    ticket = file_ticket(world)

    _refused(_upload(client_for(world.employee), ticket, internal=True), 403, "permission_denied")

    assert not Attachment.objects.exists()


def test_it_refuses_files_above_the_limit(world, client_for, settings):
    settings.PARTNERDESK_MAX_ATTACHMENT_MB = 1
    ticket = file_ticket(world)

    response = _upload(client_for(world.employee), ticket, content=b"x" * (1024 * 1024 + 1))

    _refused(response, 422, "attachment_too_large")
    assert not Attachment.objects.exists() and ticket.events.count() == 1


def test_it_refuses_an_upload_without_a_file(world, client_for):
    ticket = file_ticket(world)

    response = client_for(world.employee).post(f"/api/v1/tickets/{ticket.number}/attachments", {})

    assert _refused(response, 422, "invalid_input")["errors"] == {"file": ["Field required"]}


@pytest.mark.parametrize("persona", ["outsider_partner", "outsider_customer"])
def test_it_hides_attachments_of_other_tenants(world, client_for, persona):
    ticket = file_ticket(world)
    attachment = actions.ticket_attach(
        acting_user=world.employee,
        ticket=ticket,
        upload=SimpleUploadedFile("log.txt", b"Fehler 42"),
    )
    theirs = actions.ticket_file(
        acting_user=world.outsider_partner,
        customer=world.other_customer,
        order=world.other_partnership_order,
        title="Fremd",
        description="x",
    ).ticket
    client = client_for(world.persona(persona))

    direct = client.get(f"/api/v1/tickets/{ticket.number}/attachments/{attachment.pk}")
    # an attachment of another ticket is not reached through a ticket one can see
    crossed = client.get(f"/api/v1/tickets/{theirs.number}/attachments/{attachment.pk}")

    assert direct.status_code == crossed.status_code == 404
    assert direct.json() == crossed.json() == {"detail": "Not found.", "code": "not_found"}


# --- mails ------------------------------------------------------------------------------


def test_it_mails_the_cs_team_when_a_ticket_is_filed(
    world, client_for, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.employee).post(
            "/api/v1/tickets/",
            {
                "customer_id": world.customer.pk,
                "order_id": world.partnership_order.pk,
                "title": "Export bricht ab",
                "description": "Nach dem Update.",
            },
            content_type="application/json",
        )

    assert response.status_code == 201
    number = response.json()["number"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.cs_agent.email, world.cs_responsible.email]
    )
    message = mail.outbox[0]
    assert number in message.subject and "Neues Ticket" in message.subject
    assert "Export bricht ab" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and number in html


def test_it_mails_the_project_lead_at_once_on_escalation(
    world, client_for, django_capture_on_commit_callbacks
):
    ticket = file_ticket(world, priority=Priority.URGENT)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        _ok(
            _post(
                client_for(world.coordinator),
                ticket,
                "/escalate",
                {"version": ticket.version, "reason": "Produktion steht"},
            )
        )

    recipients = {m.to[0] for m in mail.outbox}
    assert world.project_lead.email in recipients
    to_lead = next(m for m in mail.outbox if m.to == [world.project_lead.email])
    assert "eskaliert" in to_lead.subject and ticket.number in to_lead.subject
    assert "Produktion steht" in to_lead.body
    assert to_lead.alternatives[0].mimetype == "text/html"


def test_it_sends_no_mail_for_a_refused_request(
    world, client_for, django_capture_on_commit_callbacks
):
    ticket = file_ticket(world)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        _post(client_for(world.coordinator), ticket, "/escalate", {"version": 1, "reason": "x"})

    assert mail.outbox == []
    assert not TicketEvent.objects.filter(kind=EventKind.ESCALATION).exists()


def test_it_keeps_the_side_in_the_database_as_the_api_says(world, client_for):
    ticket = check_ticket(world, file_ticket(world))

    body = _ok(
        _post(
            client_for(world.cs_agent),
            ticket,
            "/question",
            {"version": ticket.version, "person_id": world.coordinator.pk, "question": "Logs?"},
        )
    )

    ticket.refresh_from_db()
    assert ticket.side == Side.PARTNER == body["side"]
    assert ticket.responsible_person == world.coordinator and ticket.asked_by == world.cs_agent
