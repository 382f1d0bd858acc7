"""The ticket's rules at the action level: filing, side and responsible, the first check,
questions back, solution, coverage, escalation, versions and the journal."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from partnerdesk.contracts.models import Filers
from partnerdesk.lib.errors import Forbidden, RuleViolation, StaleVersion
from partnerdesk.tickets import actions
from partnerdesk.tickets.jobs import tickets_scan_alerts
from partnerdesk.tickets.models import (
    Coverage,
    EventKind,
    Priority,
    Ticket,
    TicketAlert,
    TicketEvent,
)
from partnerdesk.tickets.phases import Phase, Side
from tests.tickets_helpers import check_ticket, file_ticket

pytestmark = pytest.mark.django_db
ZRH = ZoneInfo("Europe/Zurich")


def test_it_files_a_new_ticket_with_the_partners_cs_team(world):
    with time_machine.travel(datetime.datetime(2026, 11, 27, 16, 0, tzinfo=ZRH), tick=False):
        ticket = file_ticket(world)
    assert ticket.phase == Phase.NEW and ticket.side == Side.VENDOR
    assert ticket.responsible_team == world.team and ticket.contact_team == world.team
    assert ticket.classification == "support"
    assert ticket.number == "2026-00001"
    # the contract runs on Bern business hours: 1h Friday, 9h Mon, 9h Tue, 5h Wed
    assert ticket.check_due_at == datetime.datetime(2026, 12, 2, 13, 0, tzinfo=ZRH)
    assert [e.kind for e in ticket.events.all()] == [EventKind.FILED]


def test_it_numbers_tickets_without_gaps(world):
    numbers = [file_ticket(world).number for _ in range(3)]
    assert numbers == [f"{datetime.date.today().year}-0000{i}" for i in (1, 2, 3)]


def test_it_lets_a_customer_file_where_the_contract_allows_it(world):
    ticket = file_ticket(world, by=world.customer_contact)
    assert ticket.partner == world.partner and ticket.order is None


def test_it_refuses_a_customer_where_only_the_partner_files(world):
    world.contract.filers = Filers.PARTNER
    world.contract.save()
    with pytest.raises(RuleViolation) as caught:
        file_ticket(world, by=world.customer_contact)
    assert caught.value.code == "filing_not_allowed"
    assert not Ticket.objects.exists()


def test_it_refuses_a_partner_where_only_the_customer_files(world):
    world.contract.filers = Filers.CUSTOMER
    world.contract.save()
    with pytest.raises(RuleViolation) as caught:
        file_ticket(world)
    assert caught.value.code == "filing_not_allowed"


def test_it_refuses_a_customer_the_partner_does_not_serve(world):
    with pytest.raises(RuleViolation) as caught:
        file_ticket(world, customer=world.other_customer)
    assert caught.value.code == "no_contract"


def test_it_refuses_another_partners_order(world):
    with pytest.raises(RuleViolation) as caught:
        file_ticket(world, order=world.other_partnership_order)
    assert caught.value.code == "order_unavailable"


def test_it_refuses_filing_by_vendor_staff(world):
    with pytest.raises(Forbidden):
        file_ticket(world, by=world.cs_agent, order=world.partnership_order)


def test_it_refuses_a_ticket_without_title(world):
    with pytest.raises(ValidationError) as caught:
        actions.ticket_file(
            acting_user=world.employee,
            customer=world.customer,
            order=world.partnership_order,
            title="  ",
            description="",
        )
    assert {"title", "description"} <= set(caught.value.message_dict)


def test_it_keeps_a_new_ticket_in_its_check_without_next_steps(world):
    ticket = file_ticket(world)
    with pytest.raises(RuleViolation) as caught:
        actions.ticket_hand_over(
            acting_user=world.cs_agent,
            ticket=ticket,
            version=ticket.version,
            phase=Phase.IN_PROGRESS,
            person=world.cs_agent,
        )
    assert caught.value.code == "check_incomplete"
    with pytest.raises(RuleViolation):
        actions.ticket_ask(
            acting_user=world.cs_agent,
            ticket=ticket,
            version=ticket.version,
            person=world.employee,
            question="Welche Version?",
        )
    with pytest.raises(RuleViolation):
        actions.ticket_check(
            acting_user=world.cs_agent,
            ticket=ticket,
            version=ticket.version,
            next_steps=" ",
            estimated_resolution_on=datetime.date.today(),
        )
    ticket.refresh_from_db()
    assert ticket.phase == Phase.NEW and ticket.checked_at is None


def test_it_lets_the_first_handling_solve_a_ticket_without_next_steps(world):
    ticket = file_ticket(world)
    ticket = actions.ticket_propose_solution(
        acting_user=world.cs_agent, ticket=ticket, version=ticket.version, solution="Cache leeren."
    )
    assert ticket.phase == Phase.SOLVED and ticket.responsible_person == world.employee
    assert ticket.checked_at is not None


def test_it_takes_a_checked_ticket_into_work(world):
    ticket = check_ticket(world, file_ticket(world))
    assert ticket.phase == Phase.IN_PROGRESS
    assert ticket.responsible_person == world.cs_agent and ticket.responsible_team is None
    assert ticket.next_steps and ticket.estimated_resolution_on and ticket.checked_at


@pytest.mark.parametrize(
    ("phase", "who", "team"),
    [
        (Phase.IN_PROGRESS, "employee", False),  # vendor phase, partner person
        (Phase.PARTNER_QUESTION, "cs_agent", False),  # partner phase, vendor person
        (Phase.PARTNER_QUESTION, "outsider_partner", False),  # another partner's person
        (Phase.CUSTOMER_QUESTION, "outsider_customer", False),  # another customer's person
        (Phase.CUSTOMER_QUESTION, "employee", False),  # customer phase, partner person
        (Phase.PARTNER_QUESTION, None, True),  # a team on the partner side
        (Phase.EXPERT, None, True),  # an expert phase needs a person
    ],
)
def test_it_refuses_a_phase_and_responsible_that_contradict_each_other(world, phase, who, team):
    ticket = check_ticket(world, file_ticket(world))
    with pytest.raises(RuleViolation):
        actions.ticket_hand_over(
            acting_user=world.cs_agent,
            ticket=ticket,
            version=ticket.version,
            phase=phase,
            person=world.persona(who) if who else None,
            team=world.team if team else None,
        )
    ticket.refresh_from_db()
    assert ticket.phase == Phase.IN_PROGRESS and ticket.responsible_person == world.cs_agent


def test_it_routes_to_an_expert_without_changing_the_contact_team(world):
    ticket = check_ticket(world, file_ticket(world))
    ticket = actions.ticket_hand_over(
        acting_user=world.cs_agent,
        ticket=ticket,
        version=ticket.version,
        phase=Phase.EXPERT,
        person=world.expert,
        comment="Bitte Datenbank prüfen.",
    )
    assert ticket.side == Side.VENDOR and ticket.responsible_person == world.expert
    assert ticket.contact_team == world.team


def test_it_returns_an_answer_to_the_person_who_asked(world):
    ticket = check_ticket(world, file_ticket(world))
    ticket = actions.ticket_ask(
        acting_user=world.cs_agent,
        ticket=ticket,
        version=ticket.version,
        person=world.employee,
        question="Welche Version läuft?",
    )
    assert ticket.phase == Phase.PARTNER_QUESTION and ticket.side == Side.PARTNER
    with pytest.raises(Forbidden):
        actions.ticket_answer(
            acting_user=world.outsider_partner, ticket=ticket, version=ticket.version, answer="x"
        )
    ticket = actions.ticket_answer(
        acting_user=world.employee, ticket=ticket, version=ticket.version, answer="Version 26.3"
    )
    assert ticket.phase == Phase.IN_PROGRESS and ticket.responsible_person == world.cs_agent


def test_it_asks_the_customer_and_gets_the_answer_back(world):
    ticket = check_ticket(world, file_ticket(world))
    ticket = actions.ticket_ask(
        acting_user=world.cs_agent,
        ticket=ticket,
        version=ticket.version,
        person=world.customer_contact,
        question="Seit wann?",
    )
    assert ticket.phase == Phase.CUSTOMER_QUESTION and ticket.side == Side.CUSTOMER
    ticket = actions.ticket_answer(
        acting_user=world.customer_contact,
        ticket=ticket,
        version=ticket.version,
        answer="Seit Montag",
    )
    assert ticket.side == Side.VENDOR


def test_it_closes_a_confirmed_solution_and_reopens_a_rejected_one(world):
    ticket = check_ticket(world, file_ticket(world))
    ticket = actions.ticket_propose_solution(
        acting_user=world.cs_agent, ticket=ticket, version=ticket.version, solution="Patch 4711"
    )
    ticket = actions.ticket_reopen(
        acting_user=world.employee, ticket=ticket, version=ticket.version, reason="Fehler bleibt"
    )
    assert ticket.phase == Phase.IN_PROGRESS and ticket.responsible_person == world.cs_agent
    ticket = actions.ticket_propose_solution(
        acting_user=world.cs_agent, ticket=ticket, version=ticket.version, solution="Patch 4712"
    )
    with pytest.raises(RuleViolation):
        actions.ticket_reopen(
            acting_user=world.employee, ticket=ticket, version=ticket.version, reason=" "
        )
    ticket = actions.ticket_confirm(
        acting_user=world.coordinator, ticket=ticket, version=ticket.version
    )
    assert ticket.phase == Phase.CLOSED and ticket.side == Side.DONE
    assert ticket.responsible_person is None and ticket.closed_at


def test_it_closes_unconfirmed_solutions_after_the_configured_days(world, settings):
    settings.PARTNERDESK_AUTO_CLOSE_DAYS = 7
    start = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=ZRH)
    with time_machine.travel(start, tick=False):
        ticket = check_ticket(world, file_ticket(world))
        actions.ticket_propose_solution(
            acting_user=world.cs_agent, ticket=ticket, version=ticket.version, solution="Erledigt"
        )
    assert actions.tickets_auto_close(now=start + datetime.timedelta(days=6)) == 0
    assert actions.tickets_auto_close(now=start + datetime.timedelta(days=7, minutes=1)) == 1
    assert actions.tickets_auto_close(now=start + datetime.timedelta(days=8)) == 0
    ticket.refresh_from_db()
    assert ticket.phase == Phase.CLOSED
    assert ticket.events.filter(kind=EventKind.AUTO_CLOSED).count() == 1


def test_it_rejects_an_uncovered_request_and_names_who_pays(world):
    ticket = check_ticket(world, file_ticket(world))
    ticket = actions.ticket_decide_coverage(
        acting_user=world.cs_agent,
        ticket=ticket,
        version=ticket.version,
        coverage=Coverage.CONFIGURATION,
        reason="Mandantenkonfiguration des Partners",
    )
    assert ticket.phase == Phase.REJECTED and ticket.side == Side.DONE
    assert ticket.bill_to == "customer"  # the contract bills the customer
    assert ticket.coverage_by == world.cs_agent
    ticket = actions.ticket_decide_coverage(
        acting_user=world.cs_responsible,
        ticket=ticket,
        version=ticket.version,
        coverage=Coverage.PRODUCT_DEFECT,
        reason="Doch ein Produktfehler (Bug 123)",
    )
    assert ticket.phase == Phase.IN_PROGRESS and ticket.bill_to == ""
    assert ticket.events.filter(kind=EventKind.COVERAGE).count() == 2


def test_it_refuses_coverage_without_reason_or_by_a_partner(world):
    ticket = check_ticket(world, file_ticket(world))
    with pytest.raises(RuleViolation):
        actions.ticket_decide_coverage(
            acting_user=world.cs_agent,
            ticket=ticket,
            version=ticket.version,
            coverage=Coverage.HOWTO,
            reason="",
        )
    with pytest.raises(Forbidden):
        actions.ticket_decide_coverage(
            acting_user=world.coordinator,
            ticket=ticket,
            version=ticket.version,
            coverage=Coverage.PRODUCT_DEFECT,
            reason="Bitte gratis",
        )


def test_it_escalates_urgent_tickets_to_the_project_lead_at_once(
    world, django_capture_on_commit_callbacks
):
    normal = file_ticket(world)
    with pytest.raises(RuleViolation):
        actions.ticket_escalate(
            acting_user=world.coordinator, ticket=normal, version=None, reason="Eilt"
        )
    urgent = file_ticket(world, priority=Priority.URGENT)
    with pytest.raises(Forbidden):
        actions.ticket_escalate(
            acting_user=world.employee, ticket=urgent, version=None, reason="Eilt"
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        urgent = actions.ticket_escalate(
            acting_user=world.coordinator,
            ticket=urgent,
            version=urgent.version,
            reason="Produktion steht",
        )
    assert urgent.escalated_at is not None
    assert world.project_lead.email in {to for m in mail.outbox for to in m.to}
    with pytest.raises(RuleViolation):
        actions.ticket_escalate(
            acting_user=world.coordinator, ticket=urgent, version=None, reason="Nochmals"
        )


def test_it_records_a_call_on_the_ticket(world):
    ticket = file_ticket(world, priority=Priority.URGENT)
    event = actions.ticket_record_meeting(
        acting_user=world.project_lead,
        ticket=ticket,
        starts_at=datetime.datetime(2026, 11, 30, 10, 0, tzinfo=ZRH),
        participants="Claudia Koordinatorin, Project Lead BSI",
        link="https://meet.example/abc",
    )
    assert event.kind == EventKind.MEETING and event.data["link"] == "https://meet.example/abc"
    with pytest.raises(RuleViolation):
        actions.ticket_record_meeting(
            acting_user=world.project_lead,
            ticket=ticket,
            starts_at=event.created_at,
            participants="x",
            link="javascript:alert(1)",
        )


def test_it_refuses_a_stale_version_and_changes_nothing(world):
    ticket = file_ticket(world)
    stale = ticket.version
    check_ticket(world, ticket)
    with pytest.raises(StaleVersion):
        actions.ticket_propose_solution(
            acting_user=world.cs_agent, ticket=ticket, version=stale, solution="x"
        )
    ticket.refresh_from_db()
    assert ticket.phase == Phase.IN_PROGRESS
    assert not ticket.events.filter(kind=EventKind.SOLUTION).exists()


def test_it_keeps_the_time_spent_on_each_side(world):
    start = datetime.datetime(2026, 11, 24, 9, 0, tzinfo=ZRH)  # a Tuesday
    with time_machine.travel(start, tick=False) as traveller:
        ticket = file_ticket(world)
        traveller.shift(datetime.timedelta(hours=2))
        ticket = check_ticket(world, ticket)
        ticket = actions.ticket_ask(
            acting_user=world.cs_agent,
            ticket=ticket,
            version=ticket.version,
            person=world.employee,
            question="Logs?",
        )
        traveller.shift(datetime.timedelta(hours=10))  # overnight: 19:00 → 21:00 … next day
        ticket = actions.ticket_answer(
            acting_user=world.employee, ticket=ticket, version=ticket.version, answer="Anbei"
        )
    assert ticket.vendor_seconds == 2 * 3600 and ticket.vendor_sla_seconds == 2 * 3600
    assert ticket.partner_seconds == 10 * 3600
    assert ticket.partner_sla_seconds == 6 * 3600  # 11:00–17:00 in Bern business hours
    assert ticket.side == Side.VENDOR


def test_it_keeps_the_journal_append_only(world):
    ticket = file_ticket(world)
    event = ticket.events.get()
    event.text = "geändert"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    assert TicketEvent.objects.get(pk=event.pk).text != "geändert"


def test_it_hides_internal_notes_from_partners_and_customers(world):
    ticket = file_ticket(world)
    actions.ticket_comment(
        acting_user=world.cs_agent, ticket=ticket, text="Intern: Kunde ist heikel", internal=True
    )
    actions.ticket_comment(acting_user=world.cs_agent, ticket=ticket, text="Wir schauen es an.")
    with pytest.raises(Forbidden):
        actions.ticket_comment(acting_user=world.employee, ticket=ticket, text="x", internal=True)
    assert TicketEvent.objects.visible_to(world.cs_agent).filter(ticket=ticket).count() == 3
    partner_view = TicketEvent.objects.visible_to(world.employee).filter(ticket=ticket)
    assert [e.kind for e in partner_view] == [EventKind.FILED, EventKind.COMMENT]
    assert not TicketEvent.objects.visible_to(world.outsider_partner).exists()


def test_it_sends_the_new_ticket_to_the_cs_team_in_each_persons_language(
    world, django_capture_on_commit_callbacks
):
    world.cs_responsible.language = "en"
    world.cs_responsible.save()
    with django_capture_on_commit_callbacks(execute=True):
        ticket = file_ticket(world)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {world.cs_agent.email, world.cs_responsible.email}
    assert "Neues Ticket" in by_recipient[world.cs_agent.email].subject
    assert ticket.number in by_recipient[world.cs_agent.email].subject
    assert by_recipient[world.cs_agent.email].alternatives[0].mimetype == "text/html"


def test_it_flags_due_and_breached_checks_exactly_once(world, django_capture_on_commit_callbacks):
    start = datetime.datetime(2026, 11, 24, 9, 0, tzinfo=ZRH)
    with time_machine.travel(start, tick=False):
        ticket = file_ticket(world)
    due = ticket.check_due_at
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tickets_scan_alerts(now=due - datetime.timedelta(hours=1)) == 1
        assert tickets_scan_alerts(now=due - datetime.timedelta(minutes=30)) == 0
    assert {m.to[0] for m in mail.outbox} == {world.cs_agent.email, world.cs_responsible.email}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tickets_scan_alerts(now=due + datetime.timedelta(minutes=1)) == 1
        assert tickets_scan_alerts(now=due + datetime.timedelta(hours=5)) == 0
    assert world.cs_responsible.email in {m.to[0] for m in mail.outbox}
    assert TicketAlert.objects.filter(ticket=ticket).count() == 2


def test_it_flags_a_passed_estimate_once(world):
    ticket = check_ticket(world, file_ticket(world))
    later = ticket.estimated_resolution_on + datetime.timedelta(days=2)
    now = datetime.datetime.combine(later, datetime.time(9), tzinfo=ZRH)
    assert tickets_scan_alerts(now=now) == 1
    assert tickets_scan_alerts(now=now + datetime.timedelta(days=1)) == 0


def test_it_refuses_an_order_for_another_customer(world):
    from partnerdesk.contracts.actions import order_create_lead
    from partnerdesk.parties.actions import customer_create

    other = customer_create(acting_user=world.admin, name="Gemeinde Muri", short_name="muri")
    lead = order_create_lead(
        acting_user=world.sales,
        partner=world.partner,
        customer=other,
        title="Lead Muri",
        approved_free_hours=5,
    )
    with pytest.raises(RuleViolation) as caught:
        file_ticket(world, order=lead)
    assert caught.value.code == "order_customer_mismatch"


def test_it_keeps_the_version_when_someone_only_comments(world):
    ticket = check_ticket(world, file_ticket(world))
    version = ticket.version
    actions.ticket_comment(acting_user=world.employee, ticket=ticket, text="Noch ein Detail")
    ticket = actions.ticket_propose_solution(
        acting_user=world.cs_agent, ticket=ticket, version=version, solution="Behoben"
    )
    assert ticket.phase == Phase.SOLVED


def test_it_brings_a_rejected_ticket_back_only_through_coverage(world):
    ticket = check_ticket(world, file_ticket(world))
    ticket = actions.ticket_decide_coverage(
        acting_user=world.cs_agent,
        ticket=ticket,
        version=ticket.version,
        coverage=Coverage.HOWTO,
        reason="Schulungsthema",
    )
    with pytest.raises(RuleViolation) as caught:
        actions.ticket_hand_over(
            acting_user=world.cs_agent,
            ticket=ticket,
            version=ticket.version,
            phase=Phase.IN_PROGRESS,
            person=world.cs_agent,
        )
    assert caught.value.code == "ticket_done"


def test_it_queues_no_mail_while_muted(world, django_capture_on_commit_callbacks):
    from partnerdesk.tickets import notifications

    with django_capture_on_commit_callbacks(execute=True), notifications.muted():
        file_ticket(world)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        file_ticket(world)
    assert mail.outbox
