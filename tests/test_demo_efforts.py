"""The demo's effort and money: three months of bookings with every billing reason, two
issued invoices, queries, a lead order near its limit, an engagement half used — built
through the actions, quietly, and only once."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db.models import Count, Sum
from django.utils import timezone

from partnerdesk.billing.models import Invoice, InvoiceLine, InvoiceRun
from partnerdesk.contracts.models import Order
from partnerdesk.demo import load_demo
from partnerdesk.efforts.budgets import engagement_budget, lead_budget
from partnerdesk.efforts.models import Booking, BookingQuery, BudgetEvent
from partnerdesk.tickets.models import TicketEvent

pytestmark = pytest.mark.django_db


def _month(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def test_it_books_three_months_of_effort_with_every_billing_reason():
    load_demo()
    today = timezone.localdate()
    this_month, previous, before_last = (_month(today, n) for n in (0, -1, -2))

    bookings = Booking.objects.select_related("ticket", "activity", "person__organisation")
    for start, end in ((before_last, previous), (previous, this_month), (this_month, None)):
        in_month = bookings.filter(day__gte=start, **({"day__lt": end} if end else {}))
        assert in_month.exists(), start
    assert not bookings.filter(day__lt=before_last).exists()
    for booking in bookings.filter(kind="work"):
        assert booking.person.is_vendor_staff, booking
        assert 15 <= booking.minutes <= 240, booking
        assert timezone.localdate(booking.ticket.created_at) <= booking.day <= today, booking
        assert booking.day.weekday() < 5 or booking.day == today, booking  # on-call exception
        assert booking.ticket.created_at <= booking.created_at <= timezone.now(), booking
        assert timezone.localdate(booking.created_at) == booking.day, booking
        assert booking.text
    assert {b.activity.code for b in bookings} >= {
        "analyse",
        "konfiguration",
        "schulung",
        "howto",
        "datenmigration",
    }
    reasons = set(bookings.values_list("reason", "billing"))
    assert {
        ("covered", "free"),
        ("partnership", "partner"),
        ("not_covered", "partner"),
        ("not_covered", "customer"),
        ("lead_free", "free"),
        ("lead_service", "partner"),
        ("engagement", "partner"),
    } <= reasons
    assert {"lead_over", "lead_split"} & {reason for reason, _ in reasons}  # beyond the hours
    # Every kind of order is booked on, and tickets filed by customers themselves too.
    kinds = set(bookings.values_list("ticket__order__kind", flat=True))
    assert kinds == {"partnership", "lead", "engagement", None}


def test_it_invoices_the_month_before_last_and_leaves_the_last_one_in_draft():
    load_demo()
    today = timezone.localdate()
    previous, before_last = _month(today, -1), _month(today, -2)

    issued = list(Invoice.objects.filter(status="issued").order_by("number"))
    assert len(issued) == 2
    assert {invoice.month for invoice in issued} == {before_last}
    assert {invoice.party.kind for invoice in issued} == {"partner", "customer"}
    year = issued[0].issued_at.astimezone(timezone.get_current_timezone()).year
    assert [invoice.number for invoice in issued] == [f"R-{year}-0001", f"R-{year}-0002"]
    assert all(re.fullmatch(r"R-\d{4}-\d{4}", invoice.number) for invoice in issued)
    for invoice in Invoice.objects.all():
        lines = invoice.lines.aggregate(total=Sum("amount"), count=Count("id"))
        assert lines["count"] > 0
        assert invoice.total == lines["total"], invoice
    drafts = Invoice.objects.filter(status="draft")
    assert drafts.exists() and set(drafts.values_list("month", flat=True)) == {previous}
    assert set(InvoiceRun.objects.values_list("month", flat=True)) == {before_last, previous}
    assert all(run.last_run_at <= timezone.now() for run in InvoiceRun.objects.all())
    # No booking on two invoices, and every billable booking up to the last month is invoiced.
    lines = InvoiceLine.objects.values_list("booking_id", flat=True)
    assert len(lines) == len(set(lines))
    assert not (
        Booking.objects.live()
        .uninvoiced()
        .exclude(billing="free")
        .exclude(billable_minutes=0)
        .filter(day__lt=_month(today, 0))
        .exists()
    )
    # The issued bookings stay locked; a corrected query credits them on the later run.
    corrected = BookingQuery.objects.get(status="corrected")
    assert corrected.booking.is_locked
    credit = corrected.correction.invoice_line
    assert credit.is_correction and credit.amount < 0
    assert credit.invoice.month == previous and credit.invoice.status == "draft"


def test_it_leaves_queries_open_and_budgets_near_their_limits():
    load_demo()

    query = BookingQuery.objects.open().select_related("raised_by__organisation").get()
    assert query.raised_by.organisation.kind == "partner"
    assert query.reason
    assert query.booking.ticket.partner_id == query.raised_by.organisation_id
    assert BookingQuery.objects.filter(status="accepted").exists()

    near = [
        order
        for order in Order.objects.filter(kind="lead")
        if Decimal("0.8") <= lead_budget(order).used_ratio < 1
    ]
    assert near
    assert BudgetEvent.objects.filter(order__in=near, kind="used_80").exists()
    beyond = [o for o in Order.objects.filter(kind="lead") if lead_budget(o).billable_hours > 0]
    assert BudgetEvent.objects.filter(order__in=beyond, kind="raised").exists()

    engagement = Order.objects.get(kind="engagement", starts_on__lte=timezone.localdate())
    budget = engagement_budget(engagement)
    assert Decimal("0.4") <= budget.booked_hours / budget.capacity_hours <= Decimal("0.6")
    assert budget.tickets and all(t.planned_hours for t in budget.tickets)
    assert not budget.overbooked


def test_it_loads_the_effort_only_once_and_mails_nobody(
    settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    with django_capture_on_commit_callbacks(execute=True):
        load_demo()

    assert mail.outbox == []
    assert not DBTaskResult.objects.exists()
    rows = _counts()

    with django_capture_on_commit_callbacks(execute=True):
        again = load_demo()

    assert not again.created
    assert _counts() == rows
    assert not DBTaskResult.objects.exists()


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Booking, BookingQuery, BudgetEvent, Invoice, InvoiceLine, TicketEvent)
    )
