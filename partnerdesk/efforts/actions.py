"""Writes on effort: book, correct, cancel, query and resolve, raise lead approvals.

Billing is derived in :mod:`partnerdesk.efforts.billing`; these actions only decide when to
derive again. Bookings on an issued invoice are locked: they change only through corrections.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerdesk.contracts.models import Order, OrderKind, ServiceType
from partnerdesk.efforts import billing
from partnerdesk.efforts.models import (
    BillingReason,
    Booking,
    BookingKind,
    BookingQuery,
    BudgetEvent,
    BudgetEventKind,
    QueryStatus,
)
from partnerdesk.lib.errors import Forbidden, RuleViolation, StaleVersion
from partnerdesk.parties.models import OrganisationKind, Role, User
from partnerdesk.tickets.models import EventKind, Ticket, TicketEvent

MAX_MINUTES_PER_BOOKING = 24 * 60
_HOURS_MINUTES = re.compile(r"^(\d{1,2}):([0-5]\d)$")
_HOURS = re.compile(r"^(\d+(?:[.,]\d+)?)\s*h$")
_H_AND_M = re.compile(r"^(\d+)\s*h\s*(\d{1,2})\s*(?:m|min)?$")
_MINUTES = re.compile(r"^(\d+)\s*(?:m|min)?$")


def parse_duration(text: str) -> int:
    """Minutes from "1:30", "1.5h", "1,5 h", "1h30", "90", "90 min"; refuses anything else."""
    value = (text or "").strip().lower()
    minutes: int | None = None
    if (match := _HOURS_MINUTES.match(value)) or (match := _H_AND_M.match(value)):
        minutes = int(match[1]) * 60 + int(match[2])
    elif match := _HOURS.match(value):
        try:
            minutes = int((Decimal(match[1].replace(",", ".")) * 60).to_integral_value())
        except InvalidOperation:
            minutes = None
    elif match := _MINUTES.match(value):
        minutes = int(match[1])
    if minutes is None:
        raise ValidationError({"duration": _("Dauer als 1:30, 1.5h oder Minuten (90) angeben.")})
    if minutes <= 0:
        raise ValidationError({"duration": _("Die Dauer muss grösser als null sein.")})
    if minutes > MAX_MINUTES_PER_BOOKING:
        raise ValidationError({"duration": _("Höchstens 24 Stunden pro Buchung.")})
    return minutes


# --- derivation ---------------------------------------------------------------------------


def _lead_allocation(order: Order) -> None:
    """Re-derive every uninvoiced booking of a lead order, allocating the approved free
    minutes in booking order (invoiced bookings keep what they used)."""
    free_left = int((order.approved_free_hours or 0) * 60)
    free_ids = set(order.free_service_types.values_list("pk", flat=True))
    bookings = (
        Booking.objects.live()
        .filter(ticket__order=order, kind=BookingKind.WORK)
        .select_related("ticket__contract", "ticket__order__partner", "invoice_line__invoice")
        .order_by("day", "id")
    )
    for booking in bookings:
        if booking.is_locked:
            if booking.reason in billing.LEAD_FREE_REASONS:
                free_left -= booking.free_minutes
            continue
        derived = billing.derive(
            ticket=booking.ticket,
            minutes=booking.minutes,
            activity_id=booking.activity_id,
            lead_free_left=max(0, free_left),
            free_service_ids=free_ids,
        )
        if derived.reason in billing.LEAD_FREE_REASONS:
            free_left -= derived.free_minutes
        _store(booking, derived)


_DERIVED = ("billing", "reason", "bill_to_id", "free_minutes", "billable_minutes", "rate", "amount")


def _store(booking: Booking, derived: billing.Derived) -> None:
    before = tuple(getattr(booking, field) for field in _DERIVED)
    derived.apply(booking)
    if booking.pk is None:
        return
    if before != tuple(getattr(booking, field) for field in _DERIVED):
        _release_from_draft(booking)
        booking.save(
            update_fields=[
                "billing",
                "reason",
                "bill_to",
                "free_minutes",
                "billable_minutes",
                "rate",
                "amount",
            ]
        )


def _release_from_draft(booking: Booking) -> None:
    """A booking whose billing changes leaves its draft invoice; the next run takes it again."""
    from partnerdesk.billing.actions import invoice_release_booking

    invoice_release_booking(booking)


def rederive_ticket(ticket: Ticket) -> None:
    """Derive the billing of the ticket's bookings again (e.g. after a coverage decision).

    Bookings on an issued invoice stay as they were invoiced; those on a draft follow (and
    leave the draft if their billing changes, to be taken again by the next run).
    """
    ticket = _lock_ticket(ticket.pk)
    if ticket.order is not None and ticket.order.kind == OrderKind.LEAD:
        _lead_allocation(ticket.order)
        _rederive_corrections(ticket)
        return
    open_bookings = (
        Booking.objects.live()
        .filter(ticket=ticket, kind=BookingKind.WORK)
        .exclude(invoice_line__invoice__status="issued")
    )
    for booking in open_bookings:
        booking.ticket = ticket
        _store(
            booking,
            billing.derive(ticket=ticket, minutes=booking.minutes, activity_id=booking.activity_id),
        )
    _rederive_corrections(ticket)


# --- bookings -----------------------------------------------------------------------------


def _require_vendor(user: User) -> None:
    if not user.is_vendor_staff:
        raise Forbidden(_("Aufwand buchen nur Mitarbeitende des Herstellers."))


def _may_edit(user: User, booking: Booking) -> None:
    if booking.person_id != user.pk and not user.has_role(Role.CS_RESPONSIBLE, Role.ADMIN):
        raise Forbidden(_("Sie können nur Ihre eigenen Buchungen ändern."))
    if booking.cancelled_at is not None:
        raise RuleViolation(_("Diese Buchung wurde gelöscht."), code="booking_cancelled")
    if booking.is_locked:
        raise RuleViolation(
            _(
                "Diese Buchung ist verrechnet (Rechnung %(number)s) und gesperrt. Eine Korrektur "
                "erscheint auf der nächsten Rechnung."
            )
            % {"number": booking.invoice_line.invoice.number},
            code="booking_locked",
        )


def _lock_ticket(ticket_id: int) -> Ticket:
    """Lock the ticket, then its order: bookings, coverage decisions and lead allocations of
    the same ticket or order wait for each other (always in this order, so never deadlock)."""
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("contract", "order__partner")
        .get(pk=ticket_id)
    )
    if ticket.order_id is not None:
        list(Order.objects.select_for_update().filter(pk=ticket.order_id))
    return ticket


def _lock_booking(booking: Booking, version: int | None) -> Booking:
    locked = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("ticket__contract", "ticket__order__partner", "invoice_line__invoice")
        .get(pk=booking.pk)
    )
    if version is not None and locked.version != version:
        raise StaleVersion(
            _("Die Buchung wurde inzwischen geändert. Bitte neu laden."), code="stale_version"
        )
    return locked


def _journal(ticket: Ticket, kind: str, author: User | None, text: str, now, **data) -> None:
    TicketEvent.objects.create(
        ticket=ticket, kind=kind, author=author, text=text, created_at=now, data=data
    )


def _check_day(day: datetime.date, now) -> None:
    if day > timezone.localdate(now):
        raise ValidationError({"day": _("Aufwand kann nicht in der Zukunft gebucht werden.")})


def _derive_new(booking: Booking) -> None:
    """Derive a new or changed booking alone; on a lead order the free hours are then
    allocated over all its bookings (``_lead_allocation``), so it starts without any."""
    billing.derive(
        ticket=booking.ticket, minutes=booking.minutes, activity_id=booking.activity_id
    ).apply(booking)


def booking_create(
    *,
    acting_user: User,
    ticket: Ticket,
    day: datetime.date,
    minutes: int,
    activity: ServiceType,
    text: str = "",
    internal_text: str = "",
    now: datetime.datetime | None = None,
) -> Booking:
    """Book effort of ``acting_user`` on ``ticket``; its billing is derived at once."""
    _require_vendor(acting_user)
    now = now or timezone.now()
    _check_day(day, now)
    if minutes <= 0 or minutes > MAX_MINUTES_PER_BOOKING:
        raise ValidationError(
            {"duration": _("Die Dauer muss zwischen 1 Minute und 24 Stunden liegen.")}
        )
    with transaction.atomic():
        ticket = _lock_ticket(ticket.pk)
        booking = Booking(
            ticket=ticket,
            person=acting_user,
            day=day,
            minutes=minutes,
            activity=activity,
            text=text.strip(),
            internal_text=internal_text.strip(),
            created_by=acting_user,
            created_at=now,
            updated_at=now,
        )
        _derive_new(booking)
        booking.save()
        if ticket.order is not None and ticket.order.kind == OrderKind.LEAD:
            _lead_allocation(ticket.order)
            booking.refresh_from_db()
        _journal(
            ticket,
            EventKind.EFFORT,
            acting_user,
            booking.text,
            now,
            booking=booking.pk,
            minutes=minutes,
            day=day.isoformat(),
            activity=activity.name,
        )
        _check_budget(ticket.order, now)
    return booking


def booking_update(
    *,
    acting_user: User,
    booking: Booking,
    version: int | None,
    day: datetime.date,
    minutes: int,
    activity: ServiceType,
    text: str = "",
    internal_text: str = "",
    now: datetime.datetime | None = None,
) -> Booking:
    """Correct an uninvoiced (or draft-invoiced) booking in place; locked ones are refused."""
    _require_vendor(acting_user)
    now = now or timezone.now()
    _check_day(day, now)
    if minutes <= 0 or minutes > MAX_MINUTES_PER_BOOKING:
        raise ValidationError(
            {"duration": _("Die Dauer muss zwischen 1 Minute und 24 Stunden liegen.")}
        )
    with transaction.atomic():
        _lock_ticket(booking.ticket_id)
        booking = _lock_booking(booking, version)
        _may_edit(acting_user, booking)
        if booking.kind != BookingKind.WORK:
            raise RuleViolation(
                _("Korrekturen werden nicht bearbeitet."), code="correction_readonly"
            )
        before = {"minutes": booking.minutes, "day": booking.day.isoformat()}
        _release_from_draft(booking)
        booking.day, booking.minutes, booking.activity = day, minutes, activity
        booking.text, booking.internal_text = text.strip(), internal_text.strip()
        booking.updated_at = now
        booking.version = F("version") + 1
        _derive_new(booking)
        booking.save()
        booking.refresh_from_db()
        if booking.ticket.order is not None and booking.ticket.order.kind == OrderKind.LEAD:
            _lead_allocation(booking.ticket.order)
            booking.refresh_from_db()
        _journal(
            booking.ticket,
            EventKind.EFFORT,
            acting_user,
            booking.text,
            now,
            booking=booking.pk,
            minutes=minutes,
            day=day.isoformat(),
            previous=before,
            corrected=True,
        )
        _check_budget(booking.ticket.order, now)
    return booking


def booking_cancel(
    *,
    acting_user: User,
    booking: Booking,
    version: int | None,
    now: datetime.datetime | None = None,
) -> Booking:
    """Delete an uninvoiced booking (kept, marked cancelled); locked ones are refused."""
    _require_vendor(acting_user)
    now = now or timezone.now()
    with transaction.atomic():
        _lock_ticket(booking.ticket_id)
        booking = _lock_booking(booking, version)
        _may_edit(acting_user, booking)
        if booking.kind != BookingKind.WORK:
            raise RuleViolation(
                _("Korrekturen aus einem Entscheid werden nicht gelöscht."),
                code="correction_readonly",
            )
        if booking.queries.filter(status=QueryStatus.OPEN).exists():
            raise RuleViolation(
                _("Zu dieser Buchung ist eine Rückfrage offen: bitte zuerst entscheiden."),
                code="query_open",
            )
        _release_from_draft(booking)
        booking.cancelled_at = now
        booking.version = F("version") + 1
        booking.save(update_fields=["cancelled_at", "version"])
        booking.refresh_from_db()
        if booking.ticket.order is not None and booking.ticket.order.kind == OrderKind.LEAD:
            _lead_allocation(booking.ticket.order)
        _journal(
            booking.ticket,
            EventKind.EFFORT,
            acting_user,
            "",
            now,
            booking=booking.pk,
            cancelled=True,
        )
    return booking


def _effective(original: Booking, *, until: Booking | None = None) -> tuple[int, int]:
    """Minutes and billable minutes of ``original`` with its corrections (those before
    ``until``, if given)."""
    corrections = original.corrections.filter(cancelled_at__isnull=True).order_by("id")
    if until is not None:
        corrections = corrections.filter(id__lt=until.pk)
    minutes, billable = original.minutes, original.billable_minutes
    for correction in corrections:
        minutes += correction.minutes
        billable += correction.billable_minutes
    return minutes, billable


def _correction(original: Booking, minutes: int, user: User, now, *, written_off=False, text=""):
    correction = Booking(
        ticket=original.ticket,
        person=original.person,
        day=timezone.localdate(now),
        minutes=minutes,
        activity=original.activity,
        text=text,
        kind=BookingKind.CORRECTION,
        corrects=original,
        created_by=user,
        created_at=now,
        updated_at=now,
    )
    _minutes, billable_before = _effective(original)
    billing.derive_correction(
        original, minutes, billable_before=billable_before, written_off=written_off
    ).apply(correction)
    correction.save()
    return correction


def _rederive_corrections(ticket: Ticket) -> None:
    """Corrections not yet on an issued invoice follow their original's billing (e.g. after
    a coverage decision)."""
    corrections = (
        Booking.objects.live()
        .filter(ticket=ticket, kind=BookingKind.CORRECTION)
        .exclude(invoice_line__invoice__status="issued")
        .select_related("corrects")
        .order_by("id")
    )
    for correction in corrections:
        _minutes, billable_before = _effective(correction.corrects, until=correction)
        _store(
            correction,
            billing.derive_correction(
                correction.corrects,
                correction.minutes,
                billable_before=billable_before,
                written_off=correction.reason == BillingReason.WRITTEN_OFF,
            ),
        )


# --- queries ------------------------------------------------------------------------------


def booking_query_open(
    *, acting_user: User, booking: Booking, reason: str, now: datetime.datetime | None = None
) -> BookingQuery:
    """A partner person disputes a booking on their partner's ticket, with a reason."""
    now = now or timezone.now()
    reason = reason.strip()
    if acting_user.organisation.kind != OrganisationKind.PARTNER or (
        booking.ticket.partner_id != acting_user.organisation_id
    ):
        raise Forbidden(_("Nur der Partner des Tickets kann Aufwand beanstanden."))
    if not reason:
        raise ValidationError({"reason": _("Bitte begründen Sie die Rückfrage.")})
    if booking.kind != BookingKind.WORK or booking.cancelled_at is not None:
        raise RuleViolation(_("Diese Buchung kann nicht beanstandet werden."), code="not_queryable")
    try:
        with transaction.atomic():
            query = BookingQuery.objects.create(
                booking=booking, raised_by=acting_user, reason=reason, created_at=now
            )
            _journal(
                booking.ticket,
                EventKind.EFFORT_QUERY,
                acting_user,
                reason,
                now,
                booking=booking.pk,
                query=query.pk,
                status=QueryStatus.OPEN,
            )
    except IntegrityError:
        raise RuleViolation(
            _("Zu dieser Buchung ist bereits eine Rückfrage offen."), code="query_already_open"
        ) from None
    return query


def booking_query_resolve(
    *,
    acting_user: User,
    query: BookingQuery,
    outcome: str,
    reason: str,
    corrected_minutes: int | None = None,
    now: datetime.datetime | None = None,
) -> BookingQuery:
    """Resolve a query: accepted (the booking stands), corrected (a correction to the new
    duration), written off (a correction that frees the billed time). Journaled on the ticket."""
    if not (acting_user.is_vendor_staff and acting_user.has_role(Role.CS_RESPONSIBLE, Role.ADMIN)):
        raise Forbidden(_("Rückfragen entscheidet die/der CS-Verantwortliche."))
    now = now or timezone.now()
    reason = reason.strip()
    if outcome not in (QueryStatus.ACCEPTED, QueryStatus.CORRECTED, QueryStatus.WRITTEN_OFF):
        raise ValidationError({"outcome": _("Unbekannter Entscheid.")})
    if not reason:
        raise ValidationError({"reason": _("Bitte begründen Sie den Entscheid.")})
    with transaction.atomic():
        query = (
            BookingQuery.objects.select_for_update(of=("self",))
            .select_related("booking__ticket")
            .get(pk=query.pk)
        )
        if query.status != QueryStatus.OPEN:
            raise RuleViolation(
                _("Diese Rückfrage ist bereits entschieden."), code="query_resolved"
            )
        original = query.booking
        if original.cancelled_at is not None:
            raise RuleViolation(_("Diese Buchung wurde gelöscht."), code="booking_cancelled")
        correction = None
        if outcome == QueryStatus.CORRECTED:
            if corrected_minutes is None or corrected_minutes < 0:
                raise ValidationError(
                    {"corrected_minutes": _("Bitte die korrigierte Dauer angeben.")}
                )
            current_minutes, _billable = _effective(original)
            delta = corrected_minutes - current_minutes
            if delta:  # correcting to what already stands changes nothing
                correction = _correction(original, delta, acting_user, now, text=reason)
        elif outcome == QueryStatus.WRITTEN_OFF and _effective(original)[1] > 0:
            correction = _correction(
                original,
                -_effective(original)[1],
                acting_user,
                now,
                written_off=True,
                text=reason,
            )
        query.status = outcome
        query.resolution = reason
        query.resolved_by = acting_user
        query.resolved_at = now
        query.corrected_minutes = corrected_minutes
        query.correction = correction
        query.save()
        _journal(
            original.ticket,
            EventKind.EFFORT_QUERY,
            acting_user,
            reason,
            now,
            booking=original.pk,
            query=query.pk,
            status=outcome,
            corrected_minutes=corrected_minutes,
            correction=correction.pk if correction else None,
        )
    return query


# --- budgets ------------------------------------------------------------------------------


def lead_order_raise_approval(
    *, acting_user: User, order: Order, approved_free_hours: Decimal, reason: str, now=None
) -> Order:
    """Sales or partner management raises the free hours of a lead order (journaled)."""
    if not acting_user.has_role(Role.SALES, Role.ADMIN):
        raise Forbidden(_("Gratisstunden bewilligen Sales oder das Partnermanagement."))
    now = now or timezone.now()
    reason = reason.strip()
    if order.kind != OrderKind.LEAD:
        raise RuleViolation(_("Nur Lead-Aufträge haben Gratisstunden."), code="not_a_lead_order")
    if not reason:
        raise ValidationError({"reason": _("Bitte begründen Sie die Erhöhung.")})
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if approved_free_hours <= order.approved_free_hours:
            raise ValidationError(
                {
                    "approved_free_hours": _(
                        "Die neue Bewilligung muss höher sein als die bisherige."
                    )
                }
            )
        previous = order.approved_free_hours
        Order.objects.filter(pk=order.pk).update(
            approved_free_hours=approved_free_hours, approved_by=acting_user
        )
        order.refresh_from_db()
        BudgetEvent.objects.create(
            order=order,
            kind=BudgetEventKind.RAISED,
            author=acting_user,
            hours=approved_free_hours,
            previous_hours=previous,
            text=reason,
            created_at=now,
        )
        _lead_allocation(order)
        from partnerdesk.efforts import notifications

        notifications.budget_after_commit(order, BudgetEventKind.RAISED)
    return order


def record_lead_approval(order: Order, *, author: User | None, now=None) -> None:
    """Journal a new lead order's approval and tell the CS team."""
    from partnerdesk.efforts import notifications

    BudgetEvent.objects.create(
        order=order,
        kind=BudgetEventKind.APPROVED,
        author=author,
        hours=order.approved_free_hours,
        created_at=now or timezone.now(),
    )
    notifications.budget_after_commit(order, BudgetEventKind.APPROVED)


def _check_budget(order: Order | None, now) -> None:
    """Raise the 80 %/100 % (lead) or overbooked (engagement) event once per level."""
    if order is None or order.kind == OrderKind.PARTNERSHIP:
        return
    from partnerdesk.efforts import budgets, notifications

    order = Order.objects.get(pk=order.pk)
    kinds = []
    if order.kind == OrderKind.LEAD:
        budget = budgets.lead_budget(order)
        if budget.used_ratio >= Decimal("1"):
            kinds = [BudgetEventKind.USED_80, BudgetEventKind.USED_100]
        elif budget.used_ratio >= Decimal("0.8"):
            kinds = [BudgetEventKind.USED_80]
        level = order.approved_free_hours
    else:
        budget = budgets.engagement_budget(order)
        if budget.overbooked:
            kinds = [BudgetEventKind.OVERBOOKED]
        level = order.capacity_hours
    for kind in kinds:
        try:
            with transaction.atomic():
                BudgetEvent.objects.create(order=order, kind=kind, level=level, created_at=now)
        except IntegrityError:
            continue
        notifications.budget_after_commit(order, kind)


def minutes_booked(queryset) -> int:
    return queryset.aggregate(total=Sum("minutes"))["total"] or 0
