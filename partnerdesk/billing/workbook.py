"""The invoice as an Excel workbook the partner can re-bill from straight away.

A summary sheet ("Übersicht": per end customer and ticket the hours and the amount, a subtotal
per customer, the total) and one sheet per end customer with every line. Written with
XlsxWriter in ``constant_memory`` mode: rows go to disk as they are written, so a workbook of
100,000 lines needs no more memory than one of ten. That mode demands rows in order per sheet,
so the summary is built from one aggregate query first, then the lines stream in order
(customer, ticket, date).

Every amount is a Decimal computed in Python (the database's sums of the lines), never a float
sum; the summary's total equals ``invoice.total`` to the centime. No formulas: values only, so
what the partner sees cannot disagree with the invoice.

Headers follow the active language (German by default; ``translation.override("en")``).
"""

from __future__ import annotations

import datetime
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

import xlsxwriter
from django.conf import settings
from django.db.models import Count, Max, Sum
from django.http import FileResponse
from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partnerdesk.billing.models import Invoice, InvoiceLine

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 5000
CENT = Decimal("0.01")
HOUR = Decimal(60)
MAX_CELL = 32767  # Excel's limit of characters in a cell
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

DATE_FORMAT = "d.m.yyyy"
CHF_FORMAT = "#,##0.00"
HOURS_FORMAT = "#,##0.00"


@dataclass
class _Ticket:
    number: str
    title: str
    minutes: int
    amount: Decimal

    @property
    def hours(self) -> Decimal:
        return hours_of(self.minutes)


@dataclass
class _Customer:
    id: int
    name: str
    tickets: list[_Ticket] = field(default_factory=list)
    lines: int = 0
    sheet: object = None
    sheet_name: str = ""
    row: int = 0

    @property
    def minutes(self) -> int:
        return sum(t.minutes for t in self.tickets)

    @property
    def amount(self) -> Decimal:
        return sum((t.amount for t in self.tickets), Decimal("0.00"))


def hours_of(minutes: int) -> Decimal:
    return (Decimal(minutes) / HOUR).quantize(CENT)


def _text(value: str | None) -> str:
    return (value or "")[:MAX_CELL]


def sheet_name(name: str, taken: set[str]) -> str:
    """An Excel sheet name for ``name``: no ``[]:*?/\\``, no leading/trailing apostrophe,
    at most 31 characters, unique (case-insensitive) among ``taken`` — which it joins."""
    base = _SHEET_FORBIDDEN.sub(" ", name).strip().strip("'").strip() or "_"
    base = re.sub(r"\s+", " ", base)[:31].rstrip()
    candidate, n = base, 1
    while candidate.casefold() in taken or candidate.casefold() == "history":
        n += 1
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)].rstrip() + suffix
    taken.add(candidate.casefold())
    return candidate


def _summary(invoice: Invoice) -> list[_Customer]:
    """Per end customer (by name) and ticket (by number): minutes and amount, one query."""
    rows = (
        InvoiceLine.objects.filter(invoice=invoice)
        .values("customer_id", "ticket_number")
        .annotate(
            customer_name=Max("customer_name"),
            title=Max("ticket_title"),
            minutes=Sum("minutes"),
            amount=Sum("amount"),
            lines=Count("id"),
        )
        .order_by()
    )
    customers: dict[int, _Customer] = {}
    for row in rows:
        customer = customers.setdefault(
            row["customer_id"], _Customer(row["customer_id"], row["customer_name"])
        )
        customer.name = min(customer.name, row["customer_name"])
        customer.tickets.append(
            _Ticket(
                row["ticket_number"],
                row["title"],
                row["minutes"] or 0,
                (row["amount"] or Decimal("0")).quantize(CENT),
            )
        )
        customer.lines += row["lines"]
    ordered = sorted(customers.values(), key=lambda c: (c.name.casefold(), c.id))
    for customer in ordered:
        customer.tickets.sort(key=lambda t: t.number)
    return ordered


def _month_label(month: datetime.date) -> str:
    return formats.date_format(month, "F Y")


def write_invoice_workbook(invoice: Invoice, target: str | IO[bytes]) -> Decimal:
    """Write ``invoice`` as .xlsx to ``target`` (a path or a binary file object).

    Returns the total written on the summary sheet (equal to ``invoice.total``).
    """
    invoice = Invoice.objects.select_related("party").get(pk=invoice.pk)
    customers = _summary(invoice)
    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_date_format": DATE_FORMAT,
        },
    )
    bold = workbook.add_format({"bold": True})
    title = workbook.add_format({"bold": True, "font_size": 14})
    header = workbook.add_format({"bold": True, "bottom": 1, "bg_color": "#E8EEF4"})
    header_num = workbook.add_format(
        {"bold": True, "bottom": 1, "bg_color": "#E8EEF4", "align": "right"}
    )
    date = workbook.add_format({"num_format": DATE_FORMAT, "align": "left"})
    hours = workbook.add_format({"num_format": HOURS_FORMAT})
    chf = workbook.add_format({"num_format": CHF_FORMAT})
    hours_bold = workbook.add_format({"num_format": HOURS_FORMAT, "bold": True, "top": 1})
    chf_bold = workbook.add_format({"num_format": CHF_FORMAT, "bold": True, "top": 1})
    bold_top = workbook.add_format({"bold": True, "top": 1})
    chf_total = workbook.add_format({"num_format": CHF_FORMAT, "bold": True, "top": 6})
    hours_total = workbook.add_format({"num_format": HOURS_FORMAT, "bold": True, "top": 6})
    bold_total = workbook.add_format({"bold": True, "top": 6})

    taken: set[str] = set()
    summary = workbook.add_worksheet(sheet_name(_("Übersicht"), taken))
    # Sheets are added up front (constant_memory writes each sheet's rows to its own file).
    for customer in customers:
        customer.sheet_name = sheet_name(customer.name, taken)
        customer.sheet = workbook.add_worksheet(customer.sheet_name)

    total = _write_summary(
        summary,
        invoice,
        customers,
        fmt={
            "title": title,
            "bold": bold,
            "header": header,
            "header_num": header_num,
            "hours": hours,
            "chf": chf,
            "hours_bold": hours_bold,
            "chf_bold": chf_bold,
            "bold_top": bold_top,
            "hours_total": hours_total,
            "chf_total": chf_total,
            "bold_total": bold_total,
        },
    )
    _write_lines(invoice, customers, header, header_num, date, hours, chf)
    workbook.close()
    return total


def _write_summary(sheet, invoice: Invoice, customers: list[_Customer], *, fmt) -> Decimal:
    number = invoice.number or _("Entwurf")
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 2, 50)
    sheet.set_column(3, 3, 11)
    sheet.set_column(4, 4, 15)
    sheet.write_string(0, 0, _("Rechnung %(number)s") % {"number": number}, fmt["title"])
    meta = [
        (_("Hersteller"), settings.VENDOR_NAME),
        (_("Rechnungsempfänger"), invoice.party.name),
        (_("Rechnungsnummer"), number),
        (_("Monat"), _month_label(invoice.month)),
    ]
    for row, (label, value) in enumerate(meta, start=1):
        sheet.write_string(row, 0, label, fmt["bold"])
        sheet.write_string(row, 1, _text(value))
    head = len(meta) + 2
    columns = [_("Kunde"), _("Ticket"), _("Titel"), _("Stunden"), _("Betrag (CHF)")]
    for col, label in enumerate(columns):
        sheet.write_string(head, col, label, fmt["header_num"] if col >= 3 else fmt["header"])
    sheet.freeze_panes(head + 1, 0)
    row = head + 1
    total = Decimal("0.00")
    total_minutes = 0
    for customer in customers:
        for ticket in customer.tickets:
            sheet.write_string(row, 0, _text(customer.name))
            sheet.write_string(row, 1, ticket.number)
            sheet.write_string(row, 2, _text(ticket.title))
            sheet.write_number(row, 3, ticket.minutes / 60, fmt["hours"])
            sheet.write_number(row, 4, float(ticket.amount), fmt["chf"])
            row += 1
        subtotal = customer.amount
        sheet.write_string(
            row, 0, _("Total %(customer)s") % {"customer": _text(customer.name)}, fmt["bold_top"]
        )
        sheet.write_blank(row, 1, None, fmt["bold_top"])
        sheet.write_blank(row, 2, None, fmt["bold_top"])
        sheet.write_number(row, 3, customer.minutes / 60, fmt["hours_bold"])
        sheet.write_number(row, 4, float(subtotal), fmt["chf_bold"])
        row += 2
        total += subtotal
        total_minutes += customer.minutes
    sheet.write_string(row, 0, _("Total Rechnung"), fmt["bold_total"])
    sheet.write_blank(row, 1, None, fmt["bold_total"])
    sheet.write_blank(row, 2, None, fmt["bold_total"])
    sheet.write_number(row, 3, total_minutes / 60, fmt["hours_total"])
    sheet.write_number(row, 4, float(total), fmt["chf_total"])
    return total


LINE_COLUMNS = (
    # (header, width)
    ("Datum", 11),
    ("Ticket", 15),
    ("Titel", 40),
    ("Person", 24),
    ("Tätigkeit", 20),
    ("Text", 60),
    ("Stunden", 10),
    ("Ansatz (CHF)", 13),
    ("Betrag (CHF)", 14),
    ("Korrektur", 11),
)


def line_headers() -> list[str]:
    """The line sheets' column headers in the active language."""
    return [
        _("Datum"),
        _("Ticket"),
        _("Titel"),
        _("Person"),
        _("Tätigkeit"),
        _("Text"),
        _("Stunden"),
        _("Ansatz (CHF)"),
        _("Betrag (CHF)"),
        _("Korrektur"),
    ]


def _write_lines(invoice, customers, header, header_num, date, hours, chf) -> None:
    by_id = {customer.id: customer for customer in customers}
    headers = line_headers()
    for customer in customers:
        sheet = customer.sheet
        for col, (_label, width) in enumerate(LINE_COLUMNS):
            sheet.set_column(col, col, width)
        for col, label in enumerate(headers):
            sheet.write_string(0, col, label, header_num if 6 <= col <= 8 else header)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(customer.lines, 1), len(headers) - 1)
        customer.row = 1
    marker = _("Korrektur")
    lines = (
        InvoiceLine.objects.filter(invoice=invoice)
        .order_by("customer_name", "customer_id", "ticket_number", "day", "id")
        .values_list(
            "customer_id",
            "day",
            "ticket_number",
            "ticket_title",
            "person_name",
            "activity",
            "text",
            "minutes",
            "rate",
            "amount",
            "is_correction",
        )
    )
    for (
        customer_id,
        day,
        number,
        title,
        person,
        activity,
        text,
        minutes,
        rate,
        amount,
        is_correction,
    ) in lines.iterator(chunk_size=CHUNK):
        customer = by_id[customer_id]
        sheet, row = customer.sheet, customer.row
        sheet.write_datetime(row, 0, day, date)
        sheet.write_string(row, 1, number)
        sheet.write_string(row, 2, _text(title))
        sheet.write_string(row, 3, _text(person))
        sheet.write_string(row, 4, _text(activity))
        sheet.write_string(row, 5, _text(text))
        sheet.write_number(row, 6, minutes / 60, hours)
        sheet.write_number(row, 7, float(rate), chf)
        sheet.write_number(row, 8, float(amount), chf)
        if is_correction:
            sheet.write_string(row, 9, marker)
        customer.row = row + 1


def workbook_filename(invoice: Invoice) -> str:
    """ "Rechnung-R-2026-0001.xlsx" when issued, "Entwurf-<party>-2026-10.xlsx" before."""
    if invoice.number:
        return f"{_('Rechnung')}-{invoice.number}.xlsx"
    party = invoice.party.short_name or slugify(invoice.party.name) or str(invoice.party_id)
    return f"{_('Entwurf')}-{party}-{invoice.month:%Y-%m}.xlsx"


def invoice_workbook_response(invoice: Invoice) -> FileResponse:
    """The workbook as a download. Written to a temporary file (deleted once the response is
    closed) and streamed from there: memory stays flat for any size of invoice."""
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by the response
    try:
        write_invoice_workbook(invoice, handle)
        handle.flush()
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    invoice = Invoice.objects.select_related("party").get(pk=invoice.pk)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=workbook_filename(invoice),
        content_type=CONTENT_TYPE,
    )
