"""Periodic ticket work: flag checks due soon or breached and estimates passed, and close
unconfirmed solutions. Safe to run on several workers at once: each alert is a unique row,
so only the worker that inserts it sends the mail."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone

from partnerdesk.tickets import notifications
from partnerdesk.tickets.actions import tickets_auto_close
from partnerdesk.tickets.models import AlertKind, EventKind, Ticket, TicketAlert, TicketEvent
from partnerdesk.tickets.phases import OPEN_PHASES, Phase

_ALERT_NOTIFICATION = {
    AlertKind.CHECK_DUE_SOON: notifications.CHECK_DUE_SOON,
    AlertKind.CHECK_BREACHED: notifications.CHECK_BREACHED,
    AlertKind.ESTIMATE_PASSED: notifications.ESTIMATE_PASSED,
}


def _raise_alert(
    ticket: Ticket, kind: str, deadline: datetime.datetime, now: datetime.datetime
) -> bool:
    """Insert the alert row; True only for the one caller that inserted it."""
    try:
        with transaction.atomic():
            TicketAlert.objects.create(ticket=ticket, kind=kind, deadline=deadline, created_at=now)
            event = TicketEvent.objects.create(
                ticket=ticket,
                kind=EventKind.ALERT,
                internal=True,
                created_at=now,
                text=str(AlertKind(kind).label),
                data={"alert": kind, "deadline": deadline.isoformat()},
            )
            notifications.after_commit(_ALERT_NOTIFICATION[kind], ticket, event)
    except IntegrityError:
        return False
    return True


def tickets_scan_alerts(*, now: datetime.datetime | None = None) -> int:
    """Raise every alert that is due now; returns how many were raised."""
    now = now or timezone.now()
    warning = now + datetime.timedelta(hours=settings.PARTNERDESK_CHECK_WARNING_HOURS)
    raised = 0
    new = Ticket.objects.filter(phase=Phase.NEW)
    for ticket in (
        new.filter(check_due_at__lte=now).exclude(alerts__kind=AlertKind.CHECK_BREACHED).iterator()
    ):
        raised += _raise_alert(ticket, AlertKind.CHECK_BREACHED, ticket.check_due_at, now)
    for ticket in (
        new.filter(check_due_at__gt=now, check_due_at__lte=warning)
        .exclude(alerts__kind=AlertKind.CHECK_DUE_SOON)
        .iterator()
    ):
        raised += _raise_alert(ticket, AlertKind.CHECK_DUE_SOON, ticket.check_due_at, now)
    today = timezone.localdate(now)
    passed = Ticket.objects.filter(phase__in=OPEN_PHASES, estimated_resolution_on__lt=today)
    for ticket in passed.iterator():
        deadline = datetime.datetime.combine(
            ticket.estimated_resolution_on, datetime.time(0), tzinfo=datetime.UTC
        )
        if not TicketAlert.objects.filter(
            ticket=ticket, kind=AlertKind.ESTIMATE_PASSED, deadline=deadline
        ).exists():
            raised += _raise_alert(ticket, AlertKind.ESTIMATE_PASSED, deadline, now)
    return raised


@task()
def run_ticket_jobs() -> dict:
    """The periodic ticket job: alerts and auto-close."""
    return {"alerts": tickets_scan_alerts(), "auto_closed": tickets_auto_close()}
