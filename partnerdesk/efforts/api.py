"""Effort under /api/v1/: bookings on tickets, queries against them, and order budgets.

Every read starts at a ``visible_to`` door (``Ticket``, ``Booking``, ``BookingQuery``,
``Order``), so rows of other partners or customers answer 404 like rows that do not exist.
Writes call the effort actions; they refuse with ``{"detail", "code"}`` (403, 409
stale_version, 422) and answer the updated row. Billing is derived by the domain and only
ever read here.
"""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from partnerdesk.billing.actions import month_end
from partnerdesk.contracts.models import Order, OrderKind, ServiceType
from partnerdesk.efforts import actions, budgets
from partnerdesk.efforts.models import Booking, BookingQuery, BudgetEvent
from partnerdesk.efforts.schemas import (
    ApprovalIn,
    BookingIn,
    BookingListQuery,
    BookingOut,
    BookingPatchIn,
    BudgetOut,
    QueryIn,
    QueryListQuery,
    QueryOut,
    QueryResolveIn,
)
from partnerdesk.lib.api import INVALID, NOT_FOUND, UNAUTHENTICATED, caller, get_visible_or_404
from partnerdesk.tickets.models import Ticket
from partnerdesk.tickets.schemas import REFUSED, STALE

router = Router()

READ = {**UNAUTHENTICATED, **NOT_FOUND, **INVALID}


def _field_error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def month_range(value: str) -> tuple[datetime.date, datetime.date]:
    """``"2026-11"`` → first and last day of the month (the schema checked the pattern)."""
    first = datetime.date(int(value[:4]), int(value[5:7]), 1)
    return first, month_end(first)


# --- bookings: access -------------------------------------------------------------------

BOOKING_RELATED = (
    "ticket",
    "person__organisation",
    "activity",
    "bill_to",
    "invoice_line__invoice",
)


def _bookings(request: HttpRequest):
    """The bookings the caller may see, with everything ``BookingOut`` reads, in one query."""
    return Booking.objects.visible_to(caller(request)).select_related(*BOOKING_RELATED)


def _booking_or_404(request: HttpRequest, booking_id: int) -> Booking:
    return get_visible_or_404(_bookings(request), booking_id)


def _activity(code: str) -> ServiceType:
    activity = ServiceType.objects.filter(code=code).first()
    if activity is None:
        raise _field_error("activity", _("Unbekannte Tätigkeit."))
    return activity


def _minutes(duration: str | int, field: str = "duration", *, zero_ok: bool = False) -> int:
    """Minutes from a number or from text via ``parse_duration``; errors name ``field``."""
    if isinstance(duration, int):
        if duration < 0 or (duration == 0 and not zero_ok):
            raise _field_error(field, _("Die Dauer muss grösser als null sein."))
        return duration
    try:
        return actions.parse_duration(duration)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


# --- bookings: endpoints ----------------------------------------------------------------


@router.post(
    "tickets/{number}/bookings",
    response={201: BookingOut, **UNAUTHENTICATED, **NOT_FOUND, **REFUSED},
    operation_id="booking_create",
    tags=["bookings"],
)
def booking_create(request, number: str, payload: BookingIn):
    """Vendor staff: book your effort on the ticket (anyone else 403).

    `duration` is text ("1:30", "1.5h", "1h30", "90") or minutes as a number; at most 24
    hours; the day not in the future. `activity` is a service type's code. Who pays is
    derived at once from the ticket's order and coverage decision (see `billing`).
    """
    user = caller(request)
    ticket = Ticket.objects.visible_to(user).filter(number=number).first()
    if ticket is None:
        raise Http404
    booking = actions.booking_create(
        acting_user=user,
        ticket=ticket,
        day=payload.day,
        minutes=_minutes(payload.duration),
        activity=_activity(payload.activity),
        text=payload.text,
        internal_text=payload.internal_text,
    )
    return Status(201, _booking_or_404(request, booking.pk))


def filter_bookings(bookings, filters: BookingListQuery, user):
    """``filters`` applied to the caller's bookings (``bookings`` is already scoped)."""
    if filters.person == "me":
        bookings = bookings.filter(person=user)
    elif filters.person:
        bookings = bookings.filter(person_id=int(filters.person))
    if filters.ticket:
        bookings = bookings.filter(ticket__number=filters.ticket)
    if filters.partner is not None:
        bookings = bookings.filter(ticket__partner_id=filters.partner)
    if filters.customer is not None:
        bookings = bookings.filter(ticket__customer_id=filters.customer)
    if filters.month:
        first, last = month_range(filters.month)
        bookings = bookings.filter(day__gte=first, day__lte=last)
    if filters.date_from:
        bookings = bookings.filter(day__gte=filters.date_from)
    if filters.date_to:
        bookings = bookings.filter(day__lte=filters.date_to)
    if filters.billing:
        bookings = bookings.filter(billing=filters.billing)
    if filters.invoiced is not None:
        bookings = bookings.filter(invoice_line__isnull=not filters.invoiced)
    if filters.kind:
        bookings = bookings.filter(kind=filters.kind)
    return bookings


@router.get(
    "bookings/",
    response={200: list[BookingOut], **UNAUTHENTICATED, **INVALID},
    operation_id="booking_list",
    tags=["bookings"],
)
@paginate
def booking_list(request, filters: Query[BookingListQuery]):
    """Bookings you can see, newest day first; deleted bookings are left out.

    Vendor staff see all bookings; partner people those on their partner's tickets
    (without internal texts); customer contacts only those billed to their customer.
    `person=me` gives your own bookings, `month=2026-11` one month, `from`/`to` a period.
    """
    user = caller(request)
    bookings = filter_bookings(_bookings(request).live(), filters, user)
    return bookings.order_by("-day", "-id")


@router.get(
    "bookings/{booking_id}",
    response={200: BookingOut, **READ},
    operation_id="booking_read",
    tags=["bookings"],
)
def booking_read(request, booking_id: int):
    """One booking, also a deleted one (with `cancelled_at`)."""
    return _booking_or_404(request, booking_id)


@router.patch(
    "bookings/{booking_id}",
    response={200: BookingOut, **UNAUTHENTICATED, **NOT_FOUND, **REFUSED, **STALE},
    operation_id="booking_update",
    tags=["bookings"],
)
def booking_update(request, booking_id: int, payload: BookingPatchIn):
    """Vendor staff: correct your booking; fields you leave out stay as they are.

    Other people's bookings only the CS responsible or an admin may correct (403). A
    booking on an issued invoice is locked (422 `booking_locked`): resolve a query with a
    correction instead, which goes on the next invoice. A booking on a draft invoice leaves
    the draft and is taken again by the next run. Billing is derived again.
    """
    user = caller(request)
    booking = _booking_or_404(request, booking_id)
    actions.booking_update(
        acting_user=user,
        booking=booking,
        version=payload.version,
        day=payload.day or booking.day,
        minutes=booking.minutes if payload.duration is None else _minutes(payload.duration),
        activity=booking.activity if payload.activity is None else _activity(payload.activity),
        text=booking.text if payload.text is None else payload.text,
        internal_text=(
            booking.internal_text if payload.internal_text is None else payload.internal_text
        ),
    )
    return _booking_or_404(request, booking_id)


@router.delete(
    "bookings/{booking_id}",
    response={200: BookingOut, **UNAUTHENTICATED, **NOT_FOUND, **REFUSED, **STALE},
    operation_id="booking_cancel",
    tags=["bookings"],
)
def booking_cancel(request, booking_id: int, version: int | None = Query(None, ge=1)):
    """Vendor staff: delete your booking (`?version=` is required: the version you read).

    The booking is kept, marked with `cancelled_at`, and answered. Locked bookings (on an
    issued invoice) are refused (422 `booking_locked`); other people's bookings only the
    CS responsible or an admin may delete (403).
    """
    user = caller(request)
    booking = _booking_or_404(request, booking_id)
    if version is None:
        raise _field_error("version", _("Bitte die gelesene Version angeben."))
    actions.booking_cancel(acting_user=user, booking=booking, version=version)
    return _booking_or_404(request, booking_id)


# --- queries ----------------------------------------------------------------------------


def _queries(request: HttpRequest):
    related = [f"booking__{name}" for name in BOOKING_RELATED]
    return BookingQuery.objects.visible_to(caller(request)).select_related(
        *related, "raised_by__organisation", "resolved_by__organisation"
    )


@router.post(
    "bookings/{booking_id}/queries",
    response={201: QueryOut, **UNAUTHENTICATED, **NOT_FOUND, **REFUSED},
    operation_id="booking_query_open",
    tags=["queries"],
)
def booking_query_open(request, booking_id: int, payload: QueryIn):
    """Partner people of the ticket's partner: dispute a booking with a reason.

    Anyone else 403. One open query per booking (422 `query_already_open`); corrections
    and deleted bookings cannot be queried (422 `not_queryable`). The CS responsible sees
    it in the open queries and resolves it.
    """
    booking = _booking_or_404(request, booking_id)
    query = actions.booking_query_open(
        acting_user=caller(request), booking=booking, reason=payload.reason
    )
    return Status(201, get_visible_or_404(_queries(request), query.pk))


@router.get(
    "queries/",
    response={200: list[QueryOut], **UNAUTHENTICATED, **INVALID},
    operation_id="booking_query_list",
    tags=["queries"],
)
@paginate
def booking_query_list(request, filters: Query[QueryListQuery]):
    """Queries on bookings you can see, newest first; `status=open` for the open ones."""
    queries = _queries(request)
    if filters.status:
        queries = queries.filter(status=filters.status)
    if filters.partner is not None:
        queries = queries.filter(booking__ticket__partner_id=filters.partner)
    if filters.ticket:
        queries = queries.filter(booking__ticket__number=filters.ticket)
    if filters.booking is not None:
        queries = queries.filter(booking_id=filters.booking)
    return queries.order_by("-created_at", "-id")


@router.get(
    "queries/{query_id}",
    response={200: QueryOut, **READ},
    operation_id="booking_query_read",
    tags=["queries"],
)
def booking_query_read(request, query_id: int):
    """One query with its booking and, once resolved, the decision."""
    return get_visible_or_404(_queries(request), query_id)


@router.post(
    "queries/{query_id}/resolve",
    response={200: QueryOut, **UNAUTHENTICATED, **NOT_FOUND, **REFUSED},
    operation_id="booking_query_resolve",
    tags=["queries"],
)
def booking_query_resolve(request, query_id: int, payload: QueryResolveIn):
    """Vendor staff: resolve an open query with a reason (anyone else 403).

    `accepted` leaves the booking as it is; `corrected` books a correction to
    `corrected_duration`; `written_off` books a correction crediting the billed time. The
    original booking is never edited. Journaled on the ticket. A resolved query answers 422
    `query_resolved`.
    """
    user = caller(request)
    query = get_visible_or_404(_queries(request), query_id)
    corrected = None
    if payload.corrected_duration is not None:
        if payload.outcome != "corrected":
            raise _field_error("corrected_duration", _("Nur beim Entscheid «korrigiert»."))
        corrected = _minutes(payload.corrected_duration, "corrected_duration", zero_ok=True)
    try:
        actions.booking_query_resolve(
            acting_user=user,
            query=query,
            outcome=payload.outcome,
            reason=payload.reason,
            corrected_minutes=corrected,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "corrected_minutes" in exc.error_dict:
            errors = exc.message_dict["corrected_minutes"]
            raise ValidationError({"corrected_duration": errors}) from None
        raise
    return get_visible_or_404(_queries(request), query_id)


# --- budgets ----------------------------------------------------------------------------


def _order_or_404(request: HttpRequest, order_id: int) -> Order:
    return get_visible_or_404(Order.objects.visible_to(caller(request)), order_id)


def budget_of(order: Order) -> dict:
    lead = engagement = None
    if order.kind == OrderKind.LEAD:
        budget = budgets.lead_budget(order)
        lead = {
            "approved_hours": budget.approved_hours,
            "used_hours": budget.used_hours,
            "billable_hours": budget.billable_hours,
            "remaining_hours": budget.remaining_hours,
            "free_activities": list(order.free_service_types.order_by("name")),
        }
    elif order.kind == OrderKind.ENGAGEMENT:
        budget = budgets.engagement_budget(order)
        engagement = {
            "capacity_hours": budget.capacity_hours,
            "planned_hours": budget.planned_hours,
            "booked_hours": budget.booked_hours,
            "remaining_hours": budget.remaining_hours,
            "overbooked": budget.overbooked,
            "overplanned": budget.overplanned,
            "people": [
                {
                    "id": person.person_id,
                    "name": person.name,
                    "capacity_hours": person.capacity_hours,
                    "booked_hours": person.booked_hours,
                    "remaining_hours": person.remaining_hours,
                }
                for person in budget.people
            ],
            "tickets": [
                {
                    "number": plan.number,
                    "title": plan.title,
                    "planned_hours": plan.planned_hours,
                    "booked_hours": plan.booked_hours,
                    "over_plan": plan.over_plan,
                }
                for plan in budget.tickets
            ],
        }
    events = BudgetEvent.objects.filter(order=order).select_related("author__organisation")
    return {"order": order, "lead": lead, "engagement": engagement, "events": list(events)}


@router.get(
    "orders/{order_id}/budget",
    response={200: BudgetOut, **READ},
    operation_id="order_budget",
    tags=["orders"],
)
def order_budget(request, order_id: int):
    """The budget of an order, for vendor staff and the order's partner.

    Lead order (`lead`): approved, used (free), billable and remaining hours. Engagement
    (`engagement`): capacity, planned effort per ticket, booked and remaining hours in total
    and per dedicated person, and whether it is overbooked. A partnership order has no
    budget: both are null. `events` journals approvals, raises and thresholds.
    """
    return budget_of(_order_or_404(request, order_id))


@router.post(
    "orders/{order_id}/approval",
    response={200: BudgetOut, **UNAUTHENTICATED, **NOT_FOUND, **REFUSED},
    operation_id="order_raise_approval",
    tags=["orders"],
)
def order_raise_approval(request, order_id: int, payload: ApprovalIn):
    """Sales or an admin: raise a lead order's approved free hours, with a reason.

    Anyone else 403. Only raising: an equal or lower value answers 422 `invalid_input`;
    other orders 422 `not_a_lead_order`. Journaled; the CS team is notified, and bookings
    not yet invoiced are billed again against the new approval.
    """
    order = _order_or_404(request, order_id)
    order = actions.lead_order_raise_approval(
        acting_user=caller(request),
        order=order,
        approved_free_hours=payload.approved_free_hours,
        reason=payload.reason,
    )
    return budget_of(order)
