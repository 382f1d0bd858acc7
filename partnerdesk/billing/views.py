"""Invoice pages: the monthly run, the list, an invoice with its lines, issuing, the Excel.

Reads go through ``Invoice.objects.visible_to`` (a partner or customer sees only its own
issued invoices; drafts and other parties' invoices are 404), writes only through
:mod:`partnerdesk.billing.actions`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from partnerdesk.billing import actions, forms
from partnerdesk.billing.models import Invoice, InvoiceRun
from partnerdesk.lib.errors import ActionError, StaleVersion
from partnerdesk.lib.pages import paginate, render_list
from partnerdesk.parties.models import Role, User


def _may_bill(user: User) -> bool:
    return user.is_vendor_staff and user.has_role(Role.CS_RESPONSIBLE, Role.ADMIN)


def _previous_month():
    first = timezone.localdate().replace(day=1)
    return (first - timezone.timedelta(days=1)).replace(day=1)


def _list_context(request: HttpRequest, *, run_form=None, error=None) -> dict:
    user = request.user
    filters = forms.InvoiceFilterForm(request.GET)
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {})
    invoices = (
        Invoice.objects.visible_to(user)
        .select_related("party")
        .annotate(line_count=Count("lines"))
        .order_by("-month", "status", "party__name")
    )
    if data.get("month"):
        invoices = invoices.filter(month=data["month"])
    if data.get("status"):
        invoices = invoices.filter(status=data["status"])
    may_bill = _may_bill(user)
    context = {
        "nav_active": "invoices",
        "page": paginate(request, invoices),
        "filters": filters,
        "filtered": bool(data.get("month") or data.get("status")),
        "may_bill": may_bill,
        "error": error,
    }
    if may_bill:
        context["run_form"] = run_form or forms.RunForm(initial={"month": _previous_month()})
        context["runs"] = list(
            InvoiceRun.objects.select_related("last_run_by").order_by("-month")[:3]
        )
    return context


@login_required
def invoice_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, "billing/invoice_list.html", _list_context(request))


@login_required
@require_POST
def invoice_run(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = forms.RunForm(request.POST)
    status = 400
    error = None
    if form.is_valid():
        month = form.cleaned_data["month"]
        try:
            invoices = actions.invoice_run(acting_user=user, month=month)
        except ActionError as exc:
            form.add_error(None, exc.detail)
            error, status = exc, exc.status
        else:
            drafts = [i for i in invoices if not i.is_issued]
            messages.success(
                request,
                ngettext(
                    "%(month)s verrechnet: %(n)d Rechnungsentwurf.",
                    "%(month)s verrechnet: %(n)d Rechnungsentwürfe.",
                    len(drafts),
                )
                % {"month": f"{month:%m.%Y}", "n": len(drafts)},
            )
            return redirect(f"{reverse('billing:invoice_list')}?month={month:%Y-%m}")
    if not _may_bill(user) and error is None:
        error = ActionError(_("Rechnungen erstellt die/der CS-Verantwortliche."))
        status = 403
    context = _list_context(request, run_form=form, error=error)
    return render(request, "billing/invoice_list.html", context, status=status)


def _get_invoice(user: User, pk: int) -> Invoice:
    return get_object_or_404(
        Invoice.objects.visible_to(user).select_related("party", "issued_by"), pk=pk
    )


def _detail(request: HttpRequest, invoice: Invoice, *, error=None, status=200) -> HttpResponse:
    user = request.user
    lines = invoice.lines.all()
    customers = list(
        lines.values("customer_name")
        .annotate(
            minutes=Sum("minutes"),
            amount=Sum("amount"),
            count=Count("id"),
            tickets=Count("ticket_number", distinct=True),
        )
        .order_by("customer_name")
    )
    totals = lines.aggregate(
        minutes=Sum("minutes"),
        count=Count("id"),
        corrections=Count("id", filter=Q(is_correction=True)),
    )
    page = paginate(
        request, lines.order_by("customer_name", "ticket_number", "day", "id"), per_page=100
    )
    context = {
        "nav_active": "invoices",
        "invoice": invoice,
        "customers": customers,
        "totals": totals,
        "page": page,
        "may_issue": _may_bill(user) and not invoice.is_issued,
        "issue_form": forms.IssueForm(initial={"version": invoice.version}),
        "error": error,
        "stale": isinstance(error, StaleVersion),
    }
    if status == 200:
        return render_list(request, "billing/invoice_detail.html", context)
    return render(request, "billing/invoice_detail.html", context, status=status)


@login_required
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get_invoice(request.user, pk))


@login_required
@require_POST
def invoice_issue(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    invoice = _get_invoice(user, pk)
    form = forms.IssueForm(request.POST)
    if not form.is_valid():
        error = StaleVersion(_("Die Rechnung wurde inzwischen geändert. Bitte neu laden."))
        return _detail(request, invoice, error=error, status=400)
    try:
        issued = actions.invoice_issue(
            acting_user=user, invoice=invoice, version=form.cleaned_data["version"]
        )
    except ActionError as error:
        invoice.refresh_from_db()
        return _detail(request, invoice, error=error, status=error.status)
    messages.success(
        request,
        _("Rechnung %(number)s ist ausgestellt. Die Buchungen darauf sind nun gesperrt.")
        % {"number": issued.number},
    )
    return redirect("billing:invoice_detail", pk=invoice.pk)


@login_required
def invoice_workbook(request: HttpRequest, pk: int) -> FileResponse:
    from partnerdesk.billing.workbook import invoice_workbook_response

    invoice = _get_invoice(request.user, pk)
    response = invoice_workbook_response(invoice)
    response["Cache-Control"] = "private, no-store"
    return response
