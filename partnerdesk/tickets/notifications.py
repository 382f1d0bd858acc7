"""Ticket e-mails: who hears of what, queued after commit and sent by a background task.

Each mail has a text and an HTML part and is written in the recipient's language.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

TICKET_FILED = "ticket_filed"
HANDED_TO_YOU = "handed_to_you"
ANSWER_RECEIVED = "answer_received"
SOLUTION_PROPOSED = "solution_proposed"
ESCALATED = "escalated"
COMMENTED = "commented"
CHECK_DUE_SOON = "check_due_soon"
CHECK_BREACHED = "check_breached"
ESTIMATE_PASSED = "estimate_passed"

KINDS = (
    TICKET_FILED,
    HANDED_TO_YOU,
    ANSWER_RECEIVED,
    SOLUTION_PROPOSED,
    ESCALATED,
    COMMENTED,
    CHECK_DUE_SOON,
    CHECK_BREACHED,
    ESTIMATE_PASSED,
)


_muted: ContextVar[bool] = ContextVar("partnerdesk_notifications_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Queue no notification inside: for history nobody needs to hear of (the demo)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def after_commit(kind: str, ticket, event=None) -> None:
    """Queue the mail for ``kind`` once the surrounding transaction has committed."""
    if _muted.get():
        return
    ticket_id, event_id = ticket.pk, getattr(event, "pk", None)
    transaction.on_commit(
        lambda: send_ticket_notification.enqueue(kind=kind, ticket_id=ticket_id, event_id=event_id)
    )


def _team_people(team) -> list:
    if team is None:
        return []
    return list(team.members.filter(is_active=True))


def recipients(kind: str, ticket, event) -> list:
    """The people who hear of ``kind`` on ``ticket`` (never the author of the event)."""
    from partnerdesk.parties.models import Role, User

    people: list = []
    if kind in (TICKET_FILED, CHECK_DUE_SOON):
        people = _team_people(ticket.contact_team)
    elif kind == CHECK_BREACHED:
        people = _team_people(ticket.contact_team)
        if ticket.partner_id and ticket.partner.cs_responsible_id:
            people.append(ticket.partner.cs_responsible)
    elif kind in (HANDED_TO_YOU, ANSWER_RECEIVED, SOLUTION_PROPOSED, ESTIMATE_PASSED):
        if ticket.responsible_person_id:
            people = [ticket.responsible_person]
        else:
            people = _team_people(ticket.responsible_team)
    elif kind == ESCALATED:
        if ticket.partner_id and ticket.partner.project_lead_id:
            people = [ticket.partner.project_lead]
        else:
            people = list(
                User.objects.filter(role_grants__role=Role.PROJECT_LEAD, is_active=True).distinct()
            )
        if ticket.partner_id and ticket.partner.cs_responsible_id:
            people.append(ticket.partner.cs_responsible)
    elif kind == COMMENTED:
        people = [ticket.filed_by]
        if ticket.responsible_person_id:
            people.append(ticket.responsible_person)
        else:
            people += _team_people(ticket.responsible_team)
        if event is not None and event.internal:
            people = [p for p in people if p.is_vendor_staff]
    author_id = getattr(event, "author_id", None)
    unique = {p.pk: p for p in people if p.is_active and p.pk != author_id and p.email}
    return list(unique.values())


@task()
def send_ticket_notification(*, kind: str, ticket_id: int, event_id: int | None) -> int:
    """Send the mails for one ticket event; returns how many were sent."""
    from partnerdesk.tickets.models import Ticket, TicketEvent

    ticket = (
        Ticket.objects.select_related(
            "partner__cs_responsible",
            "partner__project_lead",
            "customer",
            "contact_team",
            "responsible_person",
            "responsible_team",
            "filed_by",
        )
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None:
        return 0
    event = (
        TicketEvent.objects.select_related("author").filter(pk=event_id).first()
        if event_id
        else None
    )
    sent = 0
    for person in recipients(kind, ticket, event):
        with translation.override(person.language):
            context = {
                "kind": kind,
                "ticket": ticket,
                "event": event,
                "recipient": person,
                "vendor_name": settings.VENDOR_NAME,
                "ticket_url": f"{settings.PARTNERDESK_BASE_URL}/tickets/{ticket.number}/",
            }
            subject = render_to_string("tickets/mail/subject.txt", context).strip()
            text = render_to_string("tickets/mail/notification.txt", context)
            html = render_to_string("tickets/mail/notification.html", context)
        message = EmailMultiAlternatives(subject=subject, body=text, to=[person.email])
        message.attach_alternative(html, "text/html")
        message.send()
        sent += 1
    return sent
