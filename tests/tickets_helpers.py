"""Helpers for ticket tests: file a ticket and walk it through the usual steps."""

from __future__ import annotations

import datetime

from django.utils import timezone

from partnerdesk.tickets import actions
from partnerdesk.tickets.models import Priority


def file_ticket(
    world, *, by=None, customer=None, order=None, priority=Priority.NORMAL, title="Export bricht ab"
):
    by = by or world.employee
    if order is None and by.is_partner_person:
        order = world.partnership_order
    return actions.ticket_file(
        acting_user=by,
        customer=customer or world.customer,
        order=order,
        title=title,
        description="Beim Export der Rechnungen bricht der Job nach 10 Minuten ab.",
        priority=priority,
    ).ticket


def check_ticket(world, ticket, *, by=None):
    return actions.ticket_check(
        acting_user=by or world.cs_agent,
        ticket=ticket,
        version=ticket.version,
        next_steps="Logs des Exportjobs analysieren.",
        estimated_resolution_on=timezone.localdate() + datetime.timedelta(days=5),
    )
