"""The periodic jobs and the clock that enqueues them.

Every ``partnerdesk worker`` runs :func:`run_scheduler` in a thread. For each job and time
slot exactly one worker wins the insert of the ``ScheduledRun`` row and enqueues the task, so
several workers never run a slot twice. Later issues add their jobs to ``JOBS``.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from partnerdesk.schedule.models import ScheduledRun

logger = logging.getLogger("partnerdesk.schedule")


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: str  # dotted path of a django.tasks Task
    every: datetime.timedelta | None = None
    # Instead of ``every``: a function giving the slot ``now`` falls in (e.g. month_slot).
    slots: Callable[[datetime.datetime], datetime.datetime] | None = None

    def slot(self, now: datetime.datetime) -> datetime.datetime:
        if self.slots is not None:
            return self.slots(now)
        assert self.every is not None, f"{self.name}: give every or slots"
        return slot_of(now, self.every)


def month_slot(now: datetime.datetime) -> datetime.datetime:
    """Midnight of the first of ``now``'s month in local time (Europe/Zurich)."""
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob(
        "ticket_jobs", "partnerdesk.tickets.jobs.run_ticket_jobs", datetime.timedelta(minutes=5)
    ),
    # Once per month, by the first worker tick on or after the 1st (see billing/jobs.py).
    PeriodicJob(
        "monthly_invoices", "partnerdesk.billing.jobs.run_monthly_invoices", slots=month_slot
    ),
)


def slot_of(now: datetime.datetime, every: datetime.timedelta) -> datetime.datetime:
    """The start of the interval ``now`` falls in (intervals counted from the epoch, UTC)."""
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    elapsed = (now - epoch) // every
    return epoch + elapsed * every


def claim(job: str, slot: datetime.datetime) -> bool:
    """True for the one caller that records ``job`` in ``slot`` first."""
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(job=job, slot=slot)
    except IntegrityError:
        return False
    return True


def run_due(
    *, now: datetime.datetime | None = None, jobs: tuple[PeriodicJob, ...] = JOBS
) -> list[str]:
    """Enqueue every job whose current slot nobody has claimed yet; returns their names."""
    now = now or timezone.now()
    started = []
    for job in jobs:
        if claim(job.name, job.slot(now)):
            import_string(job.task).enqueue()
            started.append(job.name)
    return started


def run_scheduler(stop: threading.Event, *, tick: float = 30.0) -> None:
    """Check the clock every ``tick`` seconds until ``stop`` is set."""
    while not stop.is_set():
        close_old_connections()
        try:
            for name in run_due():
                logger.info("scheduled %s", name)
        except Exception:  # a bad tick must not end the worker
            logger.exception("scheduler tick failed")
        finally:
            close_old_connections()
        stop.wait(tick)
