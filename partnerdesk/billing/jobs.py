"""The monthly invoice run as a scheduled job.

Registered in :data:`partnerdesk.schedule.periodic.JOBS` with a *monthly* slot (the first of
the month, 00:00 Europe/Zurich): the first worker tick on or after the 1st claims the month
and enqueues :func:`run_monthly_invoices` once. A daily slot that does nothing unless today is
the 1st would miss the month whenever no worker runs on the 1st; the monthly slot catches up
on the 2nd (or whenever a worker is back). Running it twice is harmless anyway:
``invoice_run`` is idempotent and serialised.
"""

from __future__ import annotations

import datetime

from django.tasks import task
from django.utils import timezone

from partnerdesk.billing.actions import invoice_run, month_start


def previous_month(today: datetime.date) -> datetime.date:
    """The first day of the month before ``today``'s."""
    return month_start(month_start(today) - datetime.timedelta(days=1))


def invoice_previous_month(*, now: datetime.datetime | None = None) -> dict:
    """Invoice the month before ``now`` (local time) as the system; returns a summary."""
    now = now or timezone.now()
    month = previous_month(timezone.localdate(now))
    invoices = invoice_run(acting_user=None, month=month, now=now)
    return {
        "month": month.isoformat(),
        "invoices": len(invoices),
        "drafts": sum(1 for invoice in invoices if not invoice.is_issued),
    }


@task()
def run_monthly_invoices() -> dict:
    """The scheduled monthly run: the previous month's draft invoices."""
    return invoice_previous_month()
