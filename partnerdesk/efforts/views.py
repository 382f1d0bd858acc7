"""Effort pages: my week, the bookings on a ticket, bookings per partner and month, queries,
and the raise of a lead order's free hours.

Reads go through ``Booking.objects.visible_to`` / ``BookingQuery.objects.visible_to`` (and the
ticket and order doors), writes only through :mod:`partnerdesk.efforts.actions`; refusals are
shown on the form that caused them, with the input kept.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerdesk.contracts.models import Order, OrderKind, ServiceType
from partnerdesk.efforts import actions, forms
from partnerdesk.efforts.models import (
    Billing,
    Booking,
    BookingKind,
    BookingQuery,
    QueryStatus,
)
from partnerdesk.lib.errors import ActionError, StaleVersion
from partnerdesk.lib.pages import paginate, render_list
from partnerdesk.parties.models import Organisation, OrganisationKind, Role, User
from partnerdesk.tickets.models import Ticket

ZERO = Decimal("0.00")


def _add_errors(form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put an action's ValidationError on the form's fields (or on the form)."""
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            name = aliases.get(name, name)
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _require_vendor(user: User) -> None:
    if not user.is_vendor_staff:
        raise Http404


def _service_types() -> list[ServiceType]:
    return list(ServiceType.objects.order_by("name"))


# ---- my week -------------------------------------------------------------------------------


def _week_start(value: str | None, today: datetime.date) -> datetime.date:
    """Monday of the ISO week ``value`` ("2026-W48"); this week for junk."""
    if value:
        try:
            year, week = value.upper().split("-W")
            # Years 2..9998 only: the page links to the weeks before and after.
            if 2 <= int(year) <= 9998:
                return datetime.date.fromisocalendar(int(year), int(week), 1)
        except (ValueError, TypeError):
            pass
    return today - datetime.timedelta(days=today.weekday())


def _iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class Day:
    date: datetime.date
    bookings: list = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return sum(b.minutes for b in self.bookings)

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5


def _week_context(request: HttpRequest, *, form=None, editing: int | None = None, edit_form=None):
    user = request.user
    today = timezone.localdate()
    monday = _week_start(request.GET.get("week") or request.POST.get("week"), today)
    sunday = monday + datetime.timedelta(days=6)
    bookings = (
        Booking.objects.visible_to(user)
        .live()
        .filter(person=user, kind=BookingKind.WORK, day__range=(monday, sunday))
        .select_related("ticket", "activity", "invoice_line__invoice")
        .annotate(open_queries=Count("queries", filter=Q(queries__status=QueryStatus.OPEN)))
        .order_by("day", "created_at", "id")
    )
    days = [Day(monday + datetime.timedelta(days=offset)) for offset in range(7)]
    for booking in bookings:
        days[booking.day.weekday()].bookings.append(booking)
    week = _iso_week(monday)
    service_types = _service_types()
    if form is None:
        default_day = today if monday <= today <= sunday else monday
        form = forms.BookingForm(
            initial={"day": default_day}, service_types=service_types, prefix="book"
        )
    week_minutes = sum(day.minutes for day in days)
    busiest = max([day.minutes for day in days] + [8 * 60])
    return {
        "nav_active": "efforts",
        "days": days,
        "monday": monday,
        "sunday": sunday,
        "week": week,
        "week_number": monday.isocalendar()[1],
        "prev_week": _iso_week(monday - datetime.timedelta(days=7)),
        "next_week": _iso_week(monday + datetime.timedelta(days=7)),
        "this_week": _iso_week(today),
        "is_this_week": monday <= today <= sunday,
        "is_future": monday > today,
        "today": today,
        "week_minutes": week_minutes,
        "busiest": busiest,
        "form": form,
        "editing": editing,
        "edit_form": edit_form,
        "service_types": service_types,
    }


@login_required
def week(request: HttpRequest) -> HttpResponse:
    _require_vendor(request.user)
    return render(request, "efforts/week.html", _week_context(request))


@login_required
@require_POST
def booking_create(request: HttpRequest) -> HttpResponse:
    """The quick form of "my week": book effort on a ticket given by its number."""
    user = request.user
    _require_vendor(user)
    service_types = _service_types()
    form = forms.BookingForm(request.POST, service_types=service_types, prefix="book")
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        ticket = Ticket.objects.visible_to(user).filter(number=data["ticket"].strip()).first()
        if ticket is None:
            form.add_error("ticket", _("Kein Ticket mit dieser Nummer."))
        else:
            try:
                booking = actions.booking_create(
                    acting_user=user,
                    ticket=ticket,
                    day=data["day"],
                    minutes=data["duration"],
                    activity=data["activity"],
                    text=data["text"],
                    internal_text=data["internal_text"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            except ActionError as error:
                form.add_error(None, error.detail)
                status = error.status
            else:
                messages.success(
                    request,
                    _("%(duration)s h auf %(number)s gebucht.")
                    % {"duration": forms.format_minutes(booking.minutes), "number": ticket.number},
                )
                return redirect(f"{reverse('efforts:week')}?week={_iso_week(booking.day)}")
    return render(request, "efforts/week.html", _week_context(request, form=form), status=status)


def _own_booking(user: User, pk: int) -> Booking:
    """A live booking the vendor person may see; 404 otherwise."""
    _require_vendor(user)
    return get_object_or_404(
        Booking.objects.visible_to(user)
        .live()
        .select_related("ticket", "activity", "person", "invoice_line__invoice"),
        pk=pk,
    )


def _week_url(booking: Booking) -> str:
    return f"{reverse('efforts:week')}?week={_iso_week(booking.day)}#booking-{booking.pk}"


@login_required
def booking_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a booking: inline on "my week" (htmx swaps the form into the row) or as a page."""
    user = request.user
    booking = _own_booking(user, pk)
    service_types = _service_types()
    status = 200
    error = None
    if request.method == "POST":
        form = forms.BookingEditForm(request.POST, service_types=service_types, prefix="edit")
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.booking_update(
                    acting_user=user,
                    booking=booking,
                    version=data["version"],
                    day=data["day"],
                    minutes=data["duration"],
                    activity=data["activity"],
                    text=data["text"],
                    internal_text=data["internal_text"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
                status = 400
            except ActionError as exc:
                form.add_error(None, exc.detail)
                error, status = exc, exc.status
            else:
                messages.success(request, _("Die Buchung ist korrigiert."))
                booking.refresh_from_db(fields=["day"])
                return redirect(_safe_next(request, _week_url(booking)))
        else:
            status = 400
    else:
        form = forms.BookingEditForm(
            initial={
                "version": booking.version,
                "day": booking.day,
                "duration": booking.minutes,
                "activity": booking.activity_id,
                "text": booking.text,
                "internal_text": booking.internal_text,
            },
            service_types=service_types,
            prefix="edit",
        )
    context = {
        "nav_active": "efforts",
        "booking": booking,
        "form": form,
        "error": error,
        "stale": isinstance(error, StaleVersion),
        "week": _iso_week(booking.day),
        "next": _safe_next(request, ""),
    }
    template = "efforts/booking_edit.html"
    htmx = getattr(request, "htmx", None)
    if htmx and request.method == "GET":
        template += "#editor"
    return render(request, template, context, status=status)


@login_required
@require_POST
def booking_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    booking = _own_booking(user, pk)
    form = forms.CancelForm(request.POST)
    target = _safe_next(request, _week_url(booking))
    if not form.is_valid():
        messages.error(request, _("Nicht gelöscht: die Seite war nicht aktuell. Bitte neu laden."))
        return redirect(target)
    try:
        actions.booking_cancel(
            acting_user=user, booking=booking, version=form.cleaned_data["version"]
        )
    except ActionError as error:
        messages.error(request, _("Nicht gelöscht.") + " " + error.detail)
    else:
        messages.success(
            request,
            _("Buchung vom %(day)s auf %(number)s gelöscht.")
            % {"day": date_format(booking.day, "d.m.Y"), "number": booking.ticket.number},
        )
    return redirect(target)


# ---- the ticket page -----------------------------------------------------------------------


def ticket_bookings_context(
    user: User,
    ticket: Ticket,
    *,
    book_form=None,
    query_booking: int | None = None,
    query_form=None,
) -> dict:
    """What the ticket page shows of effort: the visible bookings with their queries, the
    booking form for vendor staff and the query forms for the ticket's partner."""
    bookings = list(
        Booking.objects.visible_to(user)
        .live()
        .filter(ticket=ticket)
        .select_related("person", "activity", "corrects", "invoice_line__invoice")
        .prefetch_related(
            Prefetch(
                "queries",
                queryset=BookingQuery.objects.select_related("raised_by").order_by("-created_at"),
                to_attr="query_list",
            )
        )
        .order_by("day", "created_at", "id")
    )
    vendor = user.is_vendor_staff
    may_query = user.is_partner_person and user.organisation_id == ticket.partner_id
    for booking in bookings:
        booking.open_query = next(
            (q for q in booking.query_list if q.status == QueryStatus.OPEN), None
        )
        booking.show_amount = vendor or booking.bill_to_id == user.organisation_id
        booking.can_query = may_query and (
            (booking.kind == BookingKind.WORK and booking.open_query is None)
            or query_booking == booking.pk  # refused: show the form with the input again
        )
        booking.query_form = (
            query_form
            if query_booking == booking.pk and query_form is not None
            else forms.QueryForm(prefix=f"q{booking.pk}")
        )
        booking.query_open = query_booking == booking.pk
    minutes = sum(b.minutes for b in bookings)
    billable = sum(b.billable_minutes for b in bookings if b.billing != Billing.FREE)
    amount = sum((b.amount for b in bookings if b.show_amount), ZERO)
    context = {
        "bookings": bookings,
        "bookings_minutes": minutes,
        "bookings_billable": billable,
        "bookings_amount": amount,
        "bookings_show_amount": any(b.show_amount for b in bookings),
        "book_form": None,
        "book_open": book_form is not None,
    }
    if vendor:
        context["book_form"] = book_form or forms.BookingForm(
            initial={"day": timezone.localdate()},
            with_ticket=False,
            service_types=_service_types(),
            prefix="book",
        )
    return context


def _ticket_page(request, ticket, *, status, error=None, **kwargs) -> HttpResponse:
    from partnerdesk.tickets.views import _detail

    extra = ticket_bookings_context(request.user, ticket, **kwargs)
    return _detail(request, ticket, error=error, status=status, extra=extra)


def _ticket(user: User, number: str) -> Ticket:
    from partnerdesk.tickets.views import _get_ticket

    return _get_ticket(user, number)


@login_required
@require_POST
def ticket_book(request: HttpRequest, number: str) -> HttpResponse:
    """The booking form of the ticket page."""
    user = request.user
    ticket = _ticket(user, number)
    form = forms.BookingForm(
        request.POST, with_ticket=False, service_types=_service_types(), prefix="book"
    )
    if not user.is_vendor_staff:
        error = ActionError(_("Aufwand buchen nur Mitarbeitende des Herstellers."))
        error.status = 403
        return _ticket_page(request, ticket, status=403, error=error)
    if form.is_valid():
        data = form.cleaned_data
        try:
            booking = actions.booking_create(
                acting_user=user,
                ticket=ticket,
                day=data["day"],
                minutes=data["duration"],
                activity=data["activity"],
                text=data["text"],
                internal_text=data["internal_text"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        except ActionError as error:
            form.add_error(None, error.detail)
            return _ticket_page(request, ticket, status=error.status, book_form=form)
        else:
            messages.success(
                request,
                _("%(duration)s h gebucht.") % {"duration": forms.format_minutes(booking.minutes)},
            )
            return redirect(f"{reverse('tickets:ticket_detail', args=[ticket.number])}#bookings")
    return _ticket_page(request, ticket, status=400, book_form=form)


@login_required
@require_POST
def booking_query(request: HttpRequest, pk: int) -> HttpResponse:
    """A partner person disputes a booking on the ticket page."""
    user = request.user
    booking = get_object_or_404(
        Booking.objects.visible_to(user).live().select_related("ticket"), pk=pk
    )
    ticket = _ticket(user, booking.ticket.number)
    form = forms.QueryForm(request.POST, prefix=f"q{booking.pk}")
    status = 400
    error = None
    if form.is_valid():
        try:
            actions.booking_query_open(
                acting_user=user, booking=booking, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except ActionError as exc:
            form.add_error(None, exc.detail)
            error, status = exc, exc.status
        else:
            messages.success(
                request,
                _("Ihre Rückfrage zur Buchung vom %(day)s ist erfasst. %(vendor)s prüft sie.")
                % {"day": date_format(booking.day, "d.m.Y"), "vendor": _vendor_name()},
            )
            return redirect(f"{reverse('tickets:ticket_detail', args=[ticket.number])}#bookings")
    return _ticket_page(
        request, ticket, status=status, error=error, query_booking=booking.pk, query_form=form
    )


def _vendor_name() -> str:
    from django.conf import settings

    return settings.VENDOR_NAME


# ---- bookings per partner and month --------------------------------------------------------


def _month_start(value: str | None, today: datetime.date) -> datetime.date:
    if value:
        try:
            year, month = value.split("-")
            # Years 2..9998 only: the page links to the months before and after.
            if 2 <= int(year) <= 9998:
                return datetime.date(int(year), int(month), 1)
        except (ValueError, TypeError):
            pass
    return today.replace(day=1)


def _shift_month(month: datetime.date, delta: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + delta
    return datetime.date(index // 12, index % 12 + 1, 1)


def _month_end(month: datetime.date) -> datetime.date:
    return _shift_month(month, 1) - datetime.timedelta(days=1)


@login_required
def booking_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    month = _month_start(request.GET.get("month"), today)
    bookings = (
        Booking.objects.visible_to(user)
        .live()
        .filter(day__range=(month, _month_end(month)))
        .select_related(
            "ticket__customer", "ticket__partner", "person", "activity", "invoice_line__invoice"
        )
        .order_by("day", "ticket__number", "id")
    )
    partners: list[Organisation] = []
    partner = None
    if user.is_vendor_staff:
        partners = list(
            Organisation.objects.visible_to(user)
            .filter(kind=OrganisationKind.PARTNER)
            .order_by("name")
        )
        wanted = request.GET.get("partner", "")
        partner = next((p for p in partners if str(p.pk) == wanted), None)
        if partner is not None:
            bookings = bookings.filter(ticket__partner=partner)
    elif user.is_partner_person:
        partner = user.organisation
    totals = bookings.aggregate(
        minutes=Sum("minutes"),
        billable=Sum("billable_minutes", filter=~Q(billing=Billing.FREE)),
        amount=Sum(
            "amount", filter=Q() if user.is_vendor_staff else Q(bill_to_id=user.organisation_id)
        ),
        count=Count("id"),
    )
    page = paginate(request, bookings, per_page=50)
    page.object_list = list(page.object_list)
    for booking in page.object_list:
        booking.show_amount = user.is_vendor_staff or booking.bill_to_id == user.organisation_id
    context = {
        "nav_active": "bookings" if not user.is_vendor_staff else "efforts",
        "page": page,
        "month": month,
        "month_value": f"{month:%Y-%m}",
        "prev_month": f"{_shift_month(month, -1):%Y-%m}",
        "next_month": f"{_shift_month(month, 1):%Y-%m}",
        "partners": partners,
        "partner": partner,
        "totals": {
            "minutes": totals["minutes"] or 0,
            "billable": totals["billable"] or 0,
            "amount": totals["amount"] or ZERO,
            "count": totals["count"],
        },
        "open_queries": BookingQuery.objects.visible_to(user)
        .open()
        .filter(booking__day__range=(month, _month_end(month)))
        .count(),
    }
    return render_list(request, "efforts/booking_list.html", context)


# ---- queries -------------------------------------------------------------------------------


def _query_list_context(request: HttpRequest, *, failed: int | None = None, failed_form=None):
    user = request.user
    state = request.GET.get("state", "open")
    if state not in ("open", "resolved"):
        state = "open"
    queries = BookingQuery.objects.visible_to(user).select_related(
        "booking__ticket__partner",
        "booking__ticket__customer",
        "booking__person",
        "booking__activity",
        "raised_by",
        "resolved_by",
        "correction",
    )
    open_count = queries.open().count()
    if state == "open":
        queries = queries.open().order_by("created_at", "id")
    else:
        queries = queries.exclude(status=QueryStatus.OPEN).order_by("-resolved_at", "-id")
    if user.is_vendor_staff and request.GET.get("mine") == "1":
        queries = queries.filter(booking__ticket__partner__cs_responsible=user)
    page = paginate(request, queries)
    page.object_list = list(page.object_list)
    # Queries are decided by the CS responsible (or an admin), as at the ticket meeting.
    may_resolve = user.is_vendor_staff and user.has_role(Role.CS_RESPONSIBLE, Role.ADMIN)
    for query in page.object_list:
        booking = query.booking
        booking.show_amount = user.is_vendor_staff or booking.bill_to_id == user.organisation_id
        if may_resolve and query.status == QueryStatus.OPEN:
            query.form = (
                failed_form
                if failed == query.pk and failed_form is not None
                else forms.ResolveForm(prefix=f"r{query.pk}")
            )
            query.form_open = failed == query.pk
    return {
        "nav_active": "queries" if user.is_vendor_staff else "bookings",
        "page": page,
        "state": state,
        "mine": request.GET.get("mine") == "1",
        "open_count": open_count,
        "may_resolve": may_resolve,
        "vendor_view": user.is_vendor_staff,
        "is_cs_responsible": user.has_role(Role.CS_RESPONSIBLE),
    }


@login_required
def query_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, "efforts/query_list.html", _query_list_context(request))


@login_required
@require_POST
def query_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    query = get_object_or_404(
        BookingQuery.objects.visible_to(user).select_related("booking"), pk=pk
    )
    form = forms.ResolveForm(request.POST, prefix=f"r{query.pk}")
    status = 400
    error = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.booking_query_resolve(
                acting_user=user,
                query=query,
                outcome=data["outcome"],
                reason=data["reason"],
                corrected_minutes=data.get("corrected_minutes"),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except ActionError as exc:
            form.add_error(None, exc.detail)
            error, status = exc, exc.status
        else:
            query.refresh_from_db()
            messages.success(
                request,
                _("Rückfrage entschieden: %(outcome)s.") % {"outcome": query.get_status_display()},
            )
            return redirect(_safe_next(request, reverse("efforts:query_list")))
    context = _query_list_context(request, failed=query.pk, failed_form=form)
    context["error"] = error
    if not any(q.pk == query.pk for q in context["page"].object_list):
        context["failed_query"] = query
    return render(request, "efforts/query_list.html", context, status=status)


# ---- lead order approvals ------------------------------------------------------------------


@login_required
@require_POST
def order_raise_approval(request: HttpRequest, pk: int) -> HttpResponse:
    """Sales or partner management raises a lead order's free hours (from the order page)."""
    from partnerdesk.contracts.views import order_page

    user = request.user
    order = get_object_or_404(Order.objects.visible_to(user), pk=pk)
    if order.kind != OrderKind.LEAD:
        raise Http404
    form = forms.RaiseApprovalForm(request.POST, prefix="raise")
    status = 400
    if form.is_valid():
        try:
            actions.lead_order_raise_approval(
                acting_user=user,
                order=order,
                approved_free_hours=form.cleaned_data["approved_free_hours"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        except ActionError as error:
            form.add_error(None, error.detail)
            status = error.status
        else:
            messages.success(
                request,
                _("Die Bewilligung ist auf %(hours)s Stunden erhöht. Das CS-Team ist informiert.")
                % {"hours": floatformat(form.cleaned_data["approved_free_hours"], "-2")},
            )
            return redirect("contracts:order_detail", pk=order.pk)
    return order_page(request, order.pk, raise_form=form, status=status)
