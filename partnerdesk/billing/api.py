"""Invoicing under /api/v1/: monthly invoice runs, invoices, issuing, the .xlsx workbook.

Every read starts at ``Invoice.objects.visible_to``: vendor staff see every invoice, a
partner or customer only its own issued ones; anything else answers 404. Writes call the
billing actions (403, 409 stale_version, 422 with ``{"detail", "code"}``).
"""

from django.db.models import Count
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from partnerdesk.billing import actions
from partnerdesk.billing.models import Invoice, InvoiceLine, InvoiceRun
from partnerdesk.billing.schemas import (
    DETAIL_LINES,
    InvoiceDetailOut,
    InvoiceLineOut,
    InvoiceListQuery,
    InvoiceOut,
    InvoiceRunIn,
    InvoiceRunOut,
)
from partnerdesk.billing.workbook import CONTENT_TYPE, invoice_workbook_response
from partnerdesk.efforts.api import month_range
from partnerdesk.lib.api import INVALID, NOT_FOUND, UNAUTHENTICATED, caller, get_visible_or_404
from partnerdesk.tickets.schemas import REFUSED, STALE, VersionIn

router = Router(tags=["invoices"])

READ = {**UNAUTHENTICATED, **NOT_FOUND, **INVALID}
LINE_ORDER = ("customer_name", "ticket_number", "day", "id")


def _invoices(request: HttpRequest):
    return (
        Invoice.objects.visible_to(caller(request))
        .select_related("party", "issued_by__organisation")
        .annotate(line_count=Count("lines"))
    )


def _detail(request: HttpRequest, invoice_id: int) -> Invoice:
    invoice = get_visible_or_404(_invoices(request), invoice_id)
    lines = list(invoice.lines.order_by(*LINE_ORDER)[: DETAIL_LINES + 1])
    invoice.first_lines = lines[:DETAIL_LINES]
    invoice.lines_truncated = len(lines) > DETAIL_LINES
    return invoice


@router.post(
    "invoice-runs",
    response={200: InvoiceRunOut, **UNAUTHENTICATED, **REFUSED},
    operation_id="invoice_run",
)
def invoice_run(request, payload: InvoiceRunIn):
    """The CS responsible or an admin: invoice a month (anyone else 403).

    One draft invoice per billed party (each partner; each customer billed directly) from
    the billable bookings not yet invoiced up to the month's end, corrections included.
    **Idempotent:** running the month again (or twice at the same time) adds only what is
    new and never bills a booking twice; the answer is always the month's invoices. A month
    in the future answers 422 `future_month`.
    """
    first, _last = month_range(payload.month)
    actions.invoice_run(acting_user=caller(request), month=first)
    run = InvoiceRun.objects.get(month=first)
    invoices = _invoices(request).filter(month=first).order_by("party__name", "id")
    return {
        "month": payload.month,
        "runs": run.runs,
        "last_run_at": run.last_run_at,
        "invoices": list(invoices),
    }


@router.get(
    "invoices/",
    response={200: list[InvoiceOut], **UNAUTHENTICATED, **INVALID},
    operation_id="invoice_list",
)
@paginate
def invoice_list(request, filters: Query[InvoiceListQuery]):
    """Invoices you can see, newest month first.

    Vendor staff see every invoice (drafts too); a partner or customer its own issued ones.
    """
    invoices = _invoices(request)
    if filters.month:
        invoices = invoices.filter(month=month_range(filters.month)[0])
    if filters.party is not None:
        invoices = invoices.filter(party_id=filters.party)
    if filters.status:
        invoices = invoices.filter(status=filters.status)
    return invoices.order_by("-month", "party__name", "id")


@router.get(
    "invoices/{invoice_id}",
    response={200: InvoiceDetailOut, **READ},
    operation_id="invoice_read",
)
def invoice_read(request, invoice_id: int):
    """One invoice with its first 200 lines (by customer, ticket and day).

    `lines_truncated` tells whether there are more: read all of them from
    `GET /invoices/{id}/lines` (paginated) or the workbook.
    """
    return _detail(request, invoice_id)


@router.get(
    "invoices/{invoice_id}/lines",
    response={200: list[InvoiceLineOut], **READ},
    operation_id="invoice_lines",
)
@paginate
def invoice_lines(request, invoice_id: int):
    """Every line of the invoice, paginated, by customer, ticket and day."""
    invoice = get_visible_or_404(Invoice.objects.visible_to(caller(request)), invoice_id)
    return InvoiceLine.objects.filter(invoice=invoice).order_by(*LINE_ORDER)


@router.post(
    "invoices/{invoice_id}/issue",
    response={200: InvoiceDetailOut, **UNAUTHENTICATED, **NOT_FOUND, **REFUSED, **STALE},
    operation_id="invoice_issue",
)
def invoice_issue(request, invoice_id: int, payload: VersionIn):
    """The CS responsible or an admin: issue a draft (anyone else 403).

    It gets the next number of the year (R-YYYY-NNNN, no gaps); it and its bookings are
    locked from now on, and the party sees it. Issued already: 422 `already_issued`; no
    lines: 422 `empty_invoice`.
    """
    invoice = get_visible_or_404(_invoices(request), invoice_id)
    actions.invoice_issue(acting_user=caller(request), invoice=invoice, version=payload.version)
    return _detail(request, invoice_id)


@router.get(
    "invoices/{invoice_id}/workbook",
    response=READ,
    operation_id="invoice_workbook",
    openapi_extra={
        "responses": {
            "200": {
                "description": (
                    "The invoice as an Excel workbook (Content-Disposition: attachment): a "
                    "summary sheet per end customer and ticket, and a sheet of lines per "
                    "end customer."
                ),
                "content": {CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def invoice_workbook(request, invoice_id: int):
    """Download the invoice as .xlsx, ready for re-billing the end customers."""
    invoice = get_visible_or_404(Invoice.objects.visible_to(caller(request)), invoice_id)
    return invoice_workbook_response(invoice)
