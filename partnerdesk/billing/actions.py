"""The monthly invoice run and issuing invoices.

A run for a month takes every billable booking not yet invoiced up to the month's end (the
month's own and late ones, and corrections of invoiced months as credit/debit lines), groups
them by billed party, and adds them to that party's draft invoice for the month. Running it
again adds what is new and never bills a booking twice (one line per booking, enforced by the
database); concurrent runs queue on the month's row lock.
"""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerdesk.billing.models import (
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    InvoiceRun,
    InvoiceStatus,
)
from partnerdesk.efforts.models import Billing, Booking, BookingKind
from partnerdesk.lib.errors import Forbidden, RuleViolation, StaleVersion
from partnerdesk.parties.models import Role, User


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _require_billing_role(user: User | None) -> None:
    if user is None:  # the scheduled job
        return
    if not (user.is_vendor_staff and user.has_role(Role.CS_RESPONSIBLE, Role.ADMIN)):
        raise Forbidden(_("Rechnungen erstellt die/der CS-Verantwortliche."))


def _recalculate(invoice: Invoice) -> None:
    total = invoice.lines.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    Invoice.objects.filter(pk=invoice.pk).update(total=total, version=F("version") + 1)


# Taken by every run (any month) on PostgreSQL: runs of two different months overlap in the
# bookings they take (late bookings of October are also "up to November's end"), so they are
# serialised as a whole, not only per month. SQLite serialises writers anyway.
_RUN_LOCK = 0x5044_1001


def _pending(month: datetime.date):
    """Billable, live, uninvoiced bookings up to the month's end (late ones and corrections
    of earlier months included)."""
    return (
        Booking.objects.live()
        .uninvoiced()
        .exclude(billing=Billing.FREE)
        .exclude(billable_minutes=0)
        .filter(day__lte=month_end(month))
    )


def _serialise_runs() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_RUN_LOCK])


def invoice_run(
    *, acting_user: User | None, month: datetime.date, now: datetime.datetime | None = None
) -> list[Invoice]:
    """Invoice ``month`` (any day in it): draft invoices per billed party; returns them.

    The lines are written by one ``INSERT … SELECT`` (see :func:`_insert_lines`): memory
    stays flat for any size of month. A party whose invoice for the month is issued already
    keeps its new bookings for the next month's run.
    """
    _require_billing_role(acting_user)
    now = now or timezone.now()
    month = month_start(month)
    if month > month_start(timezone.localdate(now)):
        raise RuleViolation(
            _("Ein künftiger Monat kann nicht verrechnet werden."), code="future_month"
        )
    with transaction.atomic():
        _serialise_runs()
        InvoiceRun.objects.get_or_create(month=month)
        run = InvoiceRun.objects.select_for_update().get(month=month)
        pending = _pending(month)
        party_ids = sorted(set(pending.order_by().values_list("bill_to_id", flat=True).distinct()))
        invoices: dict[int, Invoice] = {}
        for party_id in party_ids:
            Invoice.objects.get_or_create(party_id=party_id, month=month)
            # Locked: an invoice issued meanwhile is seen as issued and left alone.
            invoice = Invoice.objects.select_for_update().get(party_id=party_id, month=month)
            if not invoice.is_issued:
                invoices[party_id] = invoice
        if invoices:
            _insert_lines(month, pending)
            for invoice in invoices.values():
                _recalculate(invoice)
        run.runs += 1
        run.last_run_at = now
        run.last_run_by = acting_user
        run.save()
    return list(Invoice.objects.filter(month=month).select_related("party").order_by("party__name"))


def _insert_lines(month: datetime.date, pending) -> int:
    """One ``INSERT … SELECT``: a line (the snapshot the partner re-bills from) for every
    pending booking whose party has a *draft* invoice for ``month``; returns the count.

    Done in the database, not through model instances: a month of a million bookings costs
    no Python memory at all (``bulk_create`` of batches took ~170 µs per line in Python).
    Which bookings are pending is still the ORM's ``pending`` (one definition).
    """
    pending_sql, pending_params = pending.order_by().values("pk").query.sql_with_params()
    tables = {
        "line": InvoiceLine._meta.db_table,
        "invoice": Invoice._meta.db_table,
        "booking": Booking._meta.db_table,
        "ticket": Booking._meta.get_field("ticket").related_model._meta.db_table,
        "org": Invoice._meta.get_field("party").related_model._meta.db_table,
        "person": Booking._meta.get_field("person").related_model._meta.db_table,
        "activity": Booking._meta.get_field("activity").related_model._meta.db_table,
    }
    sql = f"""
        INSERT INTO {tables["line"]} (
            invoice_id, booking_id, day, customer_id, customer_name, ticket_number,
            ticket_title, person_name, activity, text, minutes, rate, amount, is_correction
        )
        SELECT i.id, b.id, b.day, t.customer_id, c.name, t.number,
               t.title, u.full_name, a.name, b.text, b.billable_minutes, COALESCE(b.rate, 0),
               b.amount, b.kind = %s
        FROM {tables["booking"]} b
        JOIN {tables["invoice"]} i
          ON i.party_id = b.bill_to_id AND i.month = %s AND i.status = %s
        JOIN {tables["ticket"]} t ON t.id = b.ticket_id
        JOIN {tables["org"]} c ON c.id = t.customer_id
        JOIN {tables["person"]} u ON u.id = b.person_id
        JOIN {tables["activity"]} a ON a.id = b.activity_id
        WHERE b.id IN ({pending_sql})
    """  # noqa: S608 - table names from the models, values as parameters
    params = [
        BookingKind.CORRECTION,
        connection.ops.adapt_datefield_value(month),
        InvoiceStatus.DRAFT,
        *pending_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def invoice_issue(
    *,
    acting_user: User,
    invoice: Invoice,
    version: int | None,
    now: datetime.datetime | None = None,
) -> Invoice:
    """Issue a draft: it gets the next number of its year (no gaps) and its bookings lock."""
    _require_billing_role(acting_user)
    now = now or timezone.now()
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if version is not None and invoice.version != version:
            raise StaleVersion(_("Die Rechnung wurde inzwischen geändert. Bitte neu laden."))
        if invoice.is_issued:
            raise RuleViolation(_("Die Rechnung ist bereits ausgestellt."), code="already_issued")
        if not invoice.lines.exists():
            raise RuleViolation(
                _("Eine leere Rechnung wird nicht ausgestellt."), code="empty_invoice"
            )
        year = timezone.localdate(now).year
        InvoiceCounter.objects.get_or_create(year=year)
        counter = InvoiceCounter.objects.select_for_update().get(year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        invoice.number = f"R-{year}-{counter.last:04d}"
        invoice.status = InvoiceStatus.ISSUED
        invoice.issued_at = now
        invoice.issued_by = acting_user
        invoice.version = F("version") + 1
        invoice.save()
        invoice.refresh_from_db()
    return invoice


def invoice_release_booking(booking: Booking) -> None:
    """Take a booking off its draft invoice (its billing is about to change); issued invoices
    never let go — the caller refuses those before."""
    line = InvoiceLine.objects.filter(booking=booking).first()
    if line is None:
        return
    # Locked, so an invoice being issued at this moment is seen as issued (or waits for us).
    invoice = Invoice.objects.select_for_update().get(pk=line.invoice_id)
    if invoice.is_issued:
        raise RuleViolation(_("Die Buchung ist verrechnet und gesperrt."), code="booking_locked")
    line.delete()
    _recalculate(invoice)
