"""Reads of tickets for lists and queues, shared by pages and the API.

Everything starts from ``Ticket.objects.visible_to(user)``; the filters only narrow it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from partnerdesk.parties.models import OrganisationKind, User
from partnerdesk.tickets.models import Ticket
from partnerdesk.tickets.phases import OPEN_PHASES, Phase, Side


class Queue:
    ALL = "all"
    TEAM = "team"  # the CS team queue: vendor side, my teams, by check due
    MINE = "mine"  # waiting for me (responsible person), or for us (my side, my organisation)
    ESCALATED = "escalated"

    choices = (ALL, TEAM, MINE, ESCALATED)


@dataclass(frozen=True)
class TicketFilters:
    queue: str = Queue.ALL
    phase: str | None = None
    side: str | None = None
    customer: int | None = None
    order: int | None = None
    partner: int | None = None
    overdue: bool | None = None
    escalated: bool | None = None
    open: bool | None = None
    q: str | None = None


def waiting_for(user: User) -> Q:
    """Tickets waiting for ``user``: theirs personally or, on their side, their organisation's."""
    mine = Q(responsible_person_id=user.pk)
    org = user.organisation
    if org.kind == OrganisationKind.VENDOR:
        # A subquery, not a join: the OR stays on the ticket table (two indexes, no DISTINCT).
        return mine | Q(responsible_team_id__in=user.cs_teams.values("pk"))
    if org.kind == OrganisationKind.PARTNER:
        return mine | Q(side=Side.PARTNER, partner_id=org.pk)
    return mine | Q(side=Side.CUSTOMER, customer_id=org.pk)


def overdue_q(now: datetime.datetime) -> Q:
    """A missed first check, or an estimate that passed with the ticket still open."""
    return Q(phase=Phase.NEW, check_due_at__lt=now) | Q(
        phase__in=OPEN_PHASES, estimated_resolution_on__lt=timezone.localdate(now)
    )


def ticket_list(
    user: User, filters: TicketFilters, *, now: datetime.datetime | None = None
) -> QuerySet[Ticket]:
    """The tickets ``user`` sees, filtered and ordered for a list."""
    now = now or timezone.now()
    tickets = Ticket.objects.visible_to(user).for_lists()
    if filters.queue == Queue.TEAM:
        tickets = tickets.filter(side=Side.VENDOR, contact_team__members=user).order_by(
            "check_due_at", "id"
        )
    elif filters.queue == Queue.MINE:
        tickets = tickets.filter(waiting_for(user), phase__in=OPEN_PHASES).order_by(
            "side_since", "id"
        )
    elif filters.queue == Queue.ESCALATED:
        tickets = tickets.filter(escalated_at__isnull=False, phase__in=OPEN_PHASES).order_by(
            "-escalated_at", "id"
        )
    else:
        tickets = tickets.order_by("-created_at", "-id")
    if filters.phase:
        tickets = tickets.filter(phase=filters.phase)
    if filters.side:
        tickets = tickets.filter(side=filters.side)
    if filters.customer:
        tickets = tickets.filter(customer_id=filters.customer)
    if filters.partner:
        tickets = tickets.filter(partner_id=filters.partner)
    if filters.order:
        tickets = tickets.filter(order_id=filters.order)
    if filters.open is not None:
        tickets = (
            tickets.filter(phase__in=OPEN_PHASES)
            if filters.open
            else tickets.exclude(phase__in=OPEN_PHASES)
        )
    if filters.overdue is not None:
        tickets = (
            tickets.filter(overdue_q(now)) if filters.overdue else tickets.exclude(overdue_q(now))
        )
    if filters.escalated is not None:
        tickets = tickets.filter(escalated_at__isnull=not filters.escalated)
    if filters.q:
        term = filters.q.strip()
        tickets = tickets.filter(
            Q(number__iexact=term)
            | Q(number__endswith=term)
            | Q(title__icontains=term)
            | Q(description__icontains=term)
        )
    return tickets


def escalated_first(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """Put open escalated tickets at the top (the project lead's view)."""
    return tickets.annotate(
        _escalated=Case(
            When(escalated_at__isnull=False, phase__in=OPEN_PHASES, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("_escalated", *tickets.query.order_by)


def check_state(ticket: Ticket, now: datetime.datetime | None = None) -> str:
    """``ok``, ``due_soon`` or ``breached`` for the first check; ``done`` once it happened."""
    if ticket.phase != Phase.NEW:
        return "done"
    now = now or timezone.now()
    if ticket.check_due_at <= now:
        return "breached"
    if ticket.check_due_at <= now + datetime.timedelta(
        hours=settings.PARTNERDESK_CHECK_WARNING_HOURS
    ):
        return "due_soon"
    return "ok"


def estimate_passed(ticket: Ticket, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return bool(
        ticket.is_open
        and ticket.estimated_resolution_on
        and ticket.estimated_resolution_on < timezone.localdate(now)
    )
