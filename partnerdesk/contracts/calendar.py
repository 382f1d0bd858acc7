"""SLA calendars: time on the clock, or business hours with a Swiss canton's holidays.

Business hours are Monday to Friday, 08:00–17:00 Europe/Zurich, except the canton's public
holidays (from the ``holidays`` package). All functions take and return aware datetimes.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

ZURICH = ZoneInfo("Europe/Zurich")
BUSINESS_START = datetime.time(8, 0)
BUSINESS_END = datetime.time(17, 0)
_ONE_DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=512)
def canton_holidays(canton: str, year: int) -> frozenset[datetime.date]:
    """The public holidays of ``canton`` in ``year``."""
    return frozenset(holidays.country_holidays("CH", subdiv=canton, years=year).keys())


def is_business_day(day: datetime.date, canton: str) -> bool:
    return day.weekday() < 5 and day not in canton_holidays(canton, day.year)


def _business_window(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    return (
        datetime.datetime.combine(day, BUSINESS_START, ZURICH),
        datetime.datetime.combine(day, BUSINESS_END, ZURICH),
    )


def add_business_hours(start: datetime.datetime, hours: float, canton: str) -> datetime.datetime:
    """The moment ``hours`` business hours after ``start`` in ``canton``."""
    remaining = datetime.timedelta(hours=hours)
    cursor = start.astimezone(ZURICH)
    day = cursor.date()
    while True:
        if is_business_day(day, canton):
            opens, closes = _business_window(day)
            begin = max(cursor, opens)
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return (begin + remaining).astimezone(datetime.UTC)
                remaining -= available
        day += _ONE_DAY
        cursor = datetime.datetime.combine(day, datetime.time(0), ZURICH)


def business_seconds_between(start: datetime.datetime, end: datetime.datetime, canton: str) -> int:
    """Business seconds in ``canton`` between ``start`` and ``end`` (0 if end ≤ start)."""
    if end <= start:
        return 0
    start, end = start.astimezone(ZURICH), end.astimezone(ZURICH)
    total = datetime.timedelta()
    day = start.date()
    while day <= end.date():
        if is_business_day(day, canton):
            opens, closes = _business_window(day)
            begin, finish = max(start, opens), min(end, closes)
            if begin < finish:
                total += finish - begin
        day += _ONE_DAY
    return int(total.total_seconds())
