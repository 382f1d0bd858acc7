"""Small helpers for ticket pages: the side a ticket lies on and for how long, durations,
sanitised Markdown, and the "waiting for me" counts of the overview."""

from __future__ import annotations

import datetime

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from partnerdesk.lib.markdown import render_markdown
from partnerdesk.tickets.phases import Side

register = template.Library()


@register.filter
def side_label(side: str) -> str:
    """Where the ticket lies, as people say it: "bei BSI", "beim Partner", "beim Kunden"."""
    if side == Side.VENDOR:
        return gettext("bei %(vendor)s") % {"vendor": settings.VENDOR_NAME}
    if side == Side.PARTNER:
        return gettext("beim Partner")
    if side == Side.CUSTOMER:
        return gettext("beim Kunden")
    return gettext("erledigt")


def _span(seconds: int) -> tuple[int, str]:
    minutes = seconds // 60
    if minutes < 60:
        return max(minutes, 1), "min"
    hours = minutes // 60
    if hours < 24:
        return hours, "hours"
    return hours // 24, "days"


@register.filter
def since(moment: datetime.datetime | None, now: datetime.datetime | None = None) -> str:
    """How long ago ``moment`` was, for "on this side since": "seit 3 Std.", "seit 2 Tagen"."""
    if moment is None:
        return ""
    now = now or timezone.now()
    amount, unit = _span(max(0, int((now - moment).total_seconds())))
    if unit == "min":
        return ngettext("seit %(n)d Min.", "seit %(n)d Min.", amount) % {"n": amount}
    if unit == "hours":
        return ngettext("seit %(n)d Std.", "seit %(n)d Std.", amount) % {"n": amount}
    return ngettext("seit %(n)d Tag", "seit %(n)d Tagen", amount) % {"n": amount}


@register.filter
def duration(seconds: int | None) -> str:
    """A stretch of time for "time per side": "12 Min.", "5 Std. 20 Min.", "3 T. 4 Std."."""
    seconds = int(seconds or 0)
    if seconds <= 0:
        return "–"
    minutes = seconds // 60
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return gettext("%(d)d T. %(h)d Std.") % {"d": days, "h": hours}
    if hours:
        return gettext("%(h)d Std. %(m)d Min.") % {"h": hours, "m": minutes}
    return gettext("%(m)d Min.") % {"m": max(minutes, 1)}


@register.filter
def markdown(text: str) -> str:
    """Ticket text rendered as Markdown and sanitised (raw HTML never passes)."""
    return mark_safe(render_markdown(text))  # noqa: S308 - nh3 cleaned it


@register.simple_tag
def waiting_counts(user) -> dict:
    """Open tickets waiting for ``user`` (and, for vendor staff, their teams' queue and
    escalations): the numbers on the overview."""
    from partnerdesk.tickets.selectors import Queue, TicketFilters, ticket_list

    counts = {"mine": ticket_list(user, TicketFilters(queue=Queue.MINE)).values("pk").count()}
    if user.is_vendor_staff:
        counts["team"] = ticket_list(user, TicketFilters(queue=Queue.TEAM)).values("pk").count()
        counts["escalated"] = (
            ticket_list(user, TicketFilters(queue=Queue.ESCALATED)).values("pk").count()
        )
    else:
        counts["open"] = ticket_list(user, TicketFilters(open=True)).values("pk").count()
    return counts


@register.filter
def phase_name(phase: str | None) -> str:
    """The label of a phase kept in the journal's data."""
    from partnerdesk.tickets.phases import Phase, phase_label

    return phase_label(phase) if phase in Phase.values else ""


@register.filter
def coverage_name(value: str | None) -> str:
    from partnerdesk.tickets.models import Coverage

    return str(Coverage(value).label) if value in Coverage.values else ""


@register.filter
def bill_to_name(value: str | None) -> str:
    from partnerdesk.contracts.models import BillTo

    return str(BillTo(value).label) if value in BillTo.values else ""


@register.filter
def iso(value: str | None):
    """A date or datetime kept as ISO text in the journal's data, parsed for ``|date``."""
    if not value:
        return None
    try:
        if "T" in value:
            return datetime.datetime.fromisoformat(value)
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
