"""Periodic jobs run once per slot however many workers keep the clock."""

import datetime

import pytest
import time_machine

from partnerdesk.schedule.models import ScheduledRun
from partnerdesk.schedule.periodic import JOBS, PeriodicJob, claim, run_due, slot_of

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def test_it_cuts_time_into_slots():
    every = datetime.timedelta(minutes=5)
    assert slot_of(
        datetime.datetime(2026, 11, 27, 9, 7, 31, tzinfo=UTC), every
    ) == datetime.datetime(2026, 11, 27, 9, 5, tzinfo=UTC)


def test_it_lets_only_the_first_worker_claim_a_slot():
    slot = datetime.datetime(2026, 11, 27, 9, 5, tzinfo=UTC)
    assert claim("x", slot) is True
    assert claim("x", slot) is False
    assert claim("y", slot) is True


def test_it_runs_the_ticket_jobs_once_per_slot(world):
    now = datetime.datetime(2026, 11, 27, 9, 7, tzinfo=UTC)
    assert run_due(now=now) == [job.name for job in JOBS]
    assert run_due(now=now + datetime.timedelta(minutes=2)) == []
    assert run_due(now=now + datetime.timedelta(minutes=4)) == ["ticket_jobs"]
    assert ScheduledRun.objects.filter(job="ticket_jobs").count() == 2


def test_it_raises_due_alerts_through_the_scheduled_job(world):
    from partnerdesk.tickets.models import AlertKind, TicketAlert
    from tests.tickets_helpers import file_ticket

    start = datetime.datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        ticket = file_ticket(world)
    with time_machine.travel(ticket.check_due_at + datetime.timedelta(minutes=1), tick=False):
        assert "ticket_jobs" in run_due()
    assert TicketAlert.objects.filter(ticket=ticket, kind=AlertKind.CHECK_BREACHED).count() == 1


def test_it_enqueues_the_named_task():
    job = PeriodicJob("ping", "partnerdesk.lib.tasks.ping", datetime.timedelta(hours=1))
    assert run_due(now=datetime.datetime(2026, 1, 1, tzinfo=UTC), jobs=(job,)) == ["ping"]
    assert ScheduledRun.objects.filter(job="ping").count() == 1
