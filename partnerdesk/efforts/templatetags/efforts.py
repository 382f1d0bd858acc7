"""Small helpers for effort and billing pages: durations as "1:30" and CHF amounts."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

from partnerdesk.efforts.forms import format_minutes

register = template.Library()


@register.filter
def hm(minutes) -> str:
    """Minutes as hours and minutes: 90 → "1:30"; None → "–"."""
    if minutes is None or minutes == "":
        return "–"
    return format_minutes(int(minutes))


@register.filter
def chf(amount) -> str:
    """An amount in CHF with two decimals and thousands separators."""
    if amount is None or amount == "":
        return "–"
    return floatformat(Decimal(amount), "2g")


@register.filter
def percent_of(part, whole) -> int:
    """``part`` as a whole percentage of ``whole`` (0–100, for bars)."""
    try:
        part, whole = Decimal(part or 0), Decimal(whole or 0)
    except (TypeError, ValueError, ArithmeticError):
        return 0
    if whole <= 0:
        return 100 if part > 0 else 0
    return max(0, min(100, int(part * 100 / whole)))
