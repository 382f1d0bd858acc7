"""The demo's tickets: every phase and side, every partner, customer and kind of order, a
consistent state for each, a believable history, and nothing loaded twice."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from partnerdesk.demo import load_demo
from partnerdesk.parties.models import Organisation
from partnerdesk.tickets.models import EventKind, Ticket, TicketAlert, TicketEvent
from partnerdesk.tickets.phases import PHASE_SIDE, Phase, Side, responsible_problem
from partnerdesk.tickets.selectors import overdue_q

pytestmark = pytest.mark.django_db


def test_it_loads_tickets_in_every_phase_and_side_for_every_partner(django_assert_max_num_queries):
    with django_assert_max_num_queries(8000):  # a guard against an accidental N+1 explosion
        load_demo()

    tickets = Ticket.objects.select_related(
        "partner", "customer", "order", "responsible_person__organisation", "responsible_team"
    )
    assert tickets.count() >= 60
    assert {t.phase for t in tickets} == set(Phase.values)
    assert {t.side for t in tickets} == set(Side.values)
    assert {t.partner_id for t in tickets} >= set(
        Organisation.objects.partners().values_list("pk", flat=True)
    )
    assert {t.customer_id for t in tickets} == set(
        Organisation.objects.customers().values_list("pk", flat=True)
    )
    assert {t.order.kind for t in tickets if t.order} == {"partnership", "lead", "engagement"}
    assert tickets.filter(order__isnull=True).exists()  # filed by customers themselves
    assert {t.priority for t in tickets} == {"normal", "urgent"}
    for ticket in tickets:
        assert ticket.side == PHASE_SIDE[ticket.phase], ticket
        problem = responsible_problem(
            phase=ticket.phase,
            team=ticket.responsible_team,
            person=ticket.responsible_person,
            ticket=ticket,
        )
        assert problem is None, (ticket, problem)
        if ticket.phase != Phase.NEW and ticket.side == Side.VENDOR:
            assert ticket.next_steps and ticket.estimated_resolution_on, ticket
        if ticket.phase == Phase.REJECTED:
            assert (
                ticket.coverage
                and not ticket.is_covered
                and ticket.bill_to in ("partner", "customer")
            )


def test_it_gives_the_demo_tickets_a_believable_history():
    load_demo()
    now = timezone.now()

    tickets = Ticket.objects.all()
    assert tickets.filter(overdue_q(now)).count() >= 5
    assert tickets.filter(phase=Phase.NEW, check_due_at__lt=now).exists()  # missed checks
    assert tickets.filter(phase=Phase.NEW, check_due_at__gt=now).exists()  # still in time
    assert (
        tickets.filter(escalated_at__isnull=False, phase__in=[Phase.NEW, Phase.EXPERT]).count() >= 2
    )
    assert tickets.filter(escalated_at__isnull=False, phase=Phase.CLOSED).exists()
    assert {"partner", "customer"} <= set(
        tickets.filter(phase=Phase.REJECTED).values_list("bill_to", flat=True)
    )
    kinds = set(TicketEvent.objects.values_list("kind", flat=True))
    assert kinds >= {
        EventKind.FILED,
        EventKind.COMMENT,
        EventKind.NOTE,
        EventKind.CHECK,
        EventKind.ESTIMATE,
        EventKind.QUESTION,
        EventKind.ANSWER,
        EventKind.HANDOVER,
        EventKind.SOLUTION,
        EventKind.CONFIRMED,
        EventKind.REOPENED,
        EventKind.COVERAGE,
        EventKind.ESCALATION,
        EventKind.MEETING,
        EventKind.ALERT,
    }
    # A coverage decision revised from "not covered" back to covered.
    assert TicketEvent.objects.filter(
        kind=EventKind.COVERAGE, data__previous="configuration"
    ).exists()
    # Time runs forward: numbers ascend with filing, every step lies between filing and now.
    by_filing = list(tickets.order_by("created_at").values_list("number", flat=True))
    assert sorted(by_filing, key=lambda n: (n[:4], int(n[5:]))) == by_filing
    for ticket in tickets.prefetch_related("events"):
        times = [event.created_at for event in ticket.events.all()]
        assert times == sorted(times) and times[0] == ticket.created_at and times[-1] <= now
        assert ticket.created_at < ticket.check_due_at
    assert tickets.filter(created_at__lt=now - datetime.timedelta(days=14)).exists()
    # The alerts due now are raised during the load, and no mail was sent about the past.
    assert (
        TicketAlert.objects.filter(kind="check_breached").count()
        == tickets.filter(phase=Phase.NEW, check_due_at__lte=now).count()
    )
    assert mail.outbox == []


def test_it_loads_the_demo_tickets_only_once():
    load_demo()
    tickets, events = Ticket.objects.count(), TicketEvent.objects.count()

    again = load_demo()

    assert not again.created
    assert (Ticket.objects.count(), TicketEvent.objects.count()) == (tickets, events)
