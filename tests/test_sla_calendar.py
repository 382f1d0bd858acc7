"""SLA deadlines around nights, weekends and cantonal holidays."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from partnerdesk.contracts.calendar import add_business_hours, business_seconds_between
from partnerdesk.contracts.models import Contract, SlaCalendar

ZRH = ZoneInfo("Europe/Zurich")


def at(*args):
    return datetime.datetime(*args, tzinfo=ZRH)


@pytest.mark.parametrize(
    ("start", "hours", "canton", "due"),
    [
        # within one business day
        (at(2026, 11, 24, 9, 0), 2, "BE", at(2026, 11, 24, 11, 0)),
        # filed at night: the clock starts at 08:00
        (at(2026, 11, 24, 22, 30), 1, "BE", at(2026, 11, 25, 9, 0)),
        # Friday afternoon over the weekend: 1h Fri, 9h Mon, 9h Tue, 5h Wed
        (at(2026, 11, 27, 16, 0), 24, "BE", at(2026, 12, 2, 13, 0)),
        # filed on a Saturday
        (at(2026, 11, 28, 12, 0), 9, "ZH", at(2026, 11, 30, 17, 0)),
        # Christmas: 7h Thu 24th, holidays 25th/26th, weekend, 9h Mon 28th, 8h Tue 29th
        (at(2026, 12, 24, 10, 0), 24, "BE", at(2026, 12, 29, 16, 0)),
        # Berchtoldstag (2 January) is a holiday in Bern but not in Zurich
        (at(2025, 12, 31, 16, 0), 2, "BE", at(2026, 1, 5, 9, 0)),
        (at(2025, 12, 31, 16, 0), 2, "ZH", at(2026, 1, 2, 9, 0)),
        # Labour Day (1 May) in Zurich but not in Bern
        (at(2026, 4, 30, 16, 0), 2, "ZH", at(2026, 5, 4, 9, 0)),
        (at(2026, 4, 30, 16, 0), 2, "BE", at(2026, 5, 1, 9, 0)),
        # ending exactly at closing time stays on that day
        (at(2026, 11, 24, 8, 0), 9, "VD", at(2026, 11, 24, 17, 0)),
    ],
)
def test_it_adds_business_hours(start, hours, canton, due):
    assert add_business_hours(start, hours, canton) == due


def test_it_keeps_local_business_hours_across_daylight_saving():
    # 2026-03-29 is the switch to summer time (a Sunday); Friday 16:00 + 2h → Monday 09:00
    assert add_business_hours(at(2026, 3, 27, 16, 0), 2, "ZH") == at(2026, 3, 30, 9, 0)


def test_it_counts_business_seconds_between_two_moments():
    assert business_seconds_between(at(2026, 11, 27, 16, 0), at(2026, 12, 1, 10, 0), "BE") == (
        (1 + 9 + 2) * 3600
    )
    assert business_seconds_between(at(2026, 11, 28, 8, 0), at(2026, 11, 29, 20, 0), "BE") == 0
    assert business_seconds_between(at(2026, 11, 25, 10, 0), at(2026, 11, 24, 10, 0), "BE") == 0


def test_it_inverts_adding_business_hours():
    start = at(2026, 12, 23, 11, 17)
    due = add_business_hours(start, 24, "BE")
    assert business_seconds_between(start, due, "BE") == 24 * 3600


def test_it_runs_on_the_clock_without_a_calendar():
    contract = Contract(sla_first_check_hours=24, sla_calendar=SlaCalendar.ON_THE_CLOCK)
    start = at(2026, 11, 27, 16, 0)
    assert contract.sla_deadline(start) == at(2026, 11, 28, 16, 0)
    assert contract.sla_seconds_between(start, at(2026, 11, 28, 16, 0)) == 24 * 3600


def test_it_uses_the_contract_canton_for_business_hours():
    contract = Contract(
        sla_first_check_hours=24, sla_calendar=SlaCalendar.BUSINESS_HOURS, sla_canton="BE"
    )
    assert contract.sla_deadline(at(2026, 12, 24, 10, 0)) == at(2026, 12, 29, 16, 0)
