"""The invoice workbook, opened again with openpyxl: sheets, rows, sums, formats, language."""

from __future__ import annotations

import contextlib
import datetime
import io
import os
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.signals import request_finished
from django.db import close_old_connections
from django.utils import translation

from partnerdesk.billing.actions import invoice_issue, invoice_run
from partnerdesk.billing.models import InvoiceLine
from partnerdesk.billing.workbook import (
    CONTENT_TYPE,
    invoice_workbook_response,
    sheet_name,
    write_invoice_workbook,
)
from partnerdesk.contracts.actions import contract_create
from partnerdesk.contracts.models import ServiceType
from partnerdesk.efforts.actions import booking_create, booking_query_open, booking_query_resolve
from partnerdesk.parties.actions import customer_create
from tests.tickets_helpers import file_ticket

pytestmark = pytest.mark.django_db

ZURICH = datetime.timezone(datetime.timedelta(hours=1))
OCT = datetime.date(2026, 10, 1)
LONG_NAME = "Gemeinde Biel/Bienne: Werkhof [Nord] mit sehr langem Namen"
HEADERS_DE = [
    "Datum",
    "Ticket",
    "Titel",
    "Person",
    "Tätigkeit",
    "Text",
    "Stunden",
    "Ansatz (CHF)",
    "Betrag (CHF)",
    "Korrektur",
]


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=ZURICH)


def cents(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


@pytest.fixture
def october(world):
    """Alpina's October invoice over three end customers: 2 tickets each, bookings on several
    days (one with a text that looks like a formula) and a correction line."""
    analyse = ServiceType.objects.get(code="analyse")
    customers = [world.customer]
    for n, name in enumerate((LONG_NAME, "Alpenbahnen AG"), start=1):
        customer = customer_create(acting_user=None, name=name, short_name=f"kunde{n}")
        contract_create(
            acting_user=None,
            customer=customer,
            partner=world.partner,
            valid_from=datetime.date(2026, 1, 1),
            hourly_rate=Decimal("170.00"),
        )
        customers.append(customer)
    with time_machine.travel(at(datetime.date(2026, 10, 28)), tick=False):
        first = None
        for c, customer in enumerate(customers):
            for t in range(2):
                ticket = file_ticket(world, customer=customer, title=f"Ticket {c}-{t}")
                for d, minutes in enumerate((95, 20, 47)):
                    booking = booking_create(
                        acting_user=world.cs_agent if d else world.expert,
                        ticket=ticket,
                        day=datetime.date(2026, 10, 27 - 5 * d - t),
                        minutes=minutes + c,
                        activity=analyse,
                        text='=HYPERLINK("http://x")' if d == 1 else f"Analyse {c}-{t}-{d}",
                    )
                    first = first or booking
        query = booking_query_open(acting_user=world.coordinator, booking=first, reason="Zu viel")
        booking_query_resolve(
            acting_user=world.cs_responsible,
            query=query,
            outcome="corrected",
            reason="Korrigiert",
            corrected_minutes=60,
        )
    with time_machine.travel(at(datetime.date(2026, 11, 2)), tick=False):
        (invoice,) = invoice_run(acting_user=world.cs_responsible, month=OCT)
    return invoice


def _open(invoice) -> openpyxl.Workbook:
    buffer = io.BytesIO()
    write_invoice_workbook(invoice, buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def _summary_rows(sheet) -> list[tuple]:
    return [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]


def test_it_writes_a_summary_and_a_sheet_per_customer(world, october):
    workbook = _open(october)
    assert workbook.sheetnames == [
        "Übersicht",
        "Alpenbahnen AG",
        "Gemeinde Biel Bienne Werkhof No",  # sanitised, 31 characters at most
        "Stadtwerke Seeland",
    ]
    summary = workbook["Übersicht"]
    rows = _summary_rows(summary)
    assert rows[0][0] == "Rechnung Entwurf"
    meta = {row[0]: row[1] for row in rows[1:5]}
    assert meta == {
        "Hersteller": "BSI",
        "Rechnungsempfänger": "Alpina Solutions AG",
        "Rechnungsnummer": "Entwurf",
        "Monat": "Oktober 2026",
    }
    assert rows[5] == ("Kunde", "Ticket", "Titel", "Stunden", "Betrag (CHF)")
    assert summary.freeze_panes == "A8"
    tickets = [row for row in rows[6:] if row[1]]
    assert len(tickets) == 6  # 3 customers × 2 tickets
    assert [t[0] for t in tickets] == ["Alpenbahnen AG"] * 2 + [LONG_NAME] * 2 + [
        "Stadtwerke Seeland"
    ] * 2
    total_row = rows[-1]
    assert total_row[0] == "Total Rechnung"
    assert cents(total_row[4]) == october.total != Decimal("0.00")
    subtotals = {row[0]: row for row in rows if str(row[0]).startswith("Total ")}
    assert sum(cents(row[4]) for name, row in subtotals.items() if name != "Total Rechnung") == (
        october.total
    )
    assert cents(total_row[3]) == cents(
        sum(InvoiceLine.objects.filter(invoice=october).values_list("minutes", flat=True)) / 60
    )


def test_it_lists_every_line_formatted_per_customer(world, october):
    workbook = _open(october)
    summary_rows = _summary_rows(workbook["Übersicht"])
    for customer_name, sheet_title in (
        ("Alpenbahnen AG", "Alpenbahnen AG"),
        (LONG_NAME, "Gemeinde Biel Bienne Werkhof No"),
        ("Stadtwerke Seeland", "Stadtwerke Seeland"),
    ):
        sheet = workbook[sheet_title]
        lines = InvoiceLine.objects.filter(invoice=october, customer_name=customer_name)
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == HEADERS_DE
        assert len(rows) - 1 == lines.count()
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:J{lines.count() + 1}"
        assert sheet.column_dimensions["C"].width >= 30
        assert sheet.column_dimensions["F"].width >= 40
        assert all(cell.font.b for cell in sheet[1])
        # ordered by ticket, then date
        keys = [(row[1], row[0]) for row in rows[1:]]
        assert keys == sorted(keys)
        for row in sheet.iter_rows(min_row=2):
            assert isinstance(row[0].value, datetime.datetime)
            assert row[0].number_format == "d.m.yyyy"
            for cell in row[6:9]:
                assert "0.00" in cell.number_format
            assert "#,##0.00" in row[8].number_format
        # texts stay texts (no formula injection)
        formulas = [
            row[5] for row in sheet.iter_rows(min_row=2) if str(row[5].value).startswith("=")
        ]
        assert formulas and all(cell.data_type == "s" for cell in formulas)
        amounts = sum(cents(row[8]) for row in rows[1:])
        assert amounts == sum(line.amount for line in lines)
        (subtotal,) = [r for r in summary_rows if r[0] == f"Total {customer_name}"]
        assert amounts == cents(subtotal[4])
        for row, line in zip(rows[1:], lines.order_by("ticket_number", "day", "id"), strict=True):
            assert row[0].date() == line.day
            assert (row[1], row[2], row[3], row[4]) == (
                line.ticket_number,
                line.ticket_title,
                line.person_name,
                line.activity,
            )
            assert cents(row[6]) == line.hours
            assert (cents(row[7]), cents(row[8])) == (line.rate, line.amount)
            assert row[9] == ("Korrektur" if line.is_correction else None)
    corrections = InvoiceLine.objects.filter(invoice=october, is_correction=True)
    assert corrections.count() == 1 and corrections.get().amount < 0


def test_it_writes_english_when_english_is_active(world, october):
    with translation.override("en"):
        workbook = _open(october)
    assert workbook.sheetnames[0] == "Overview"
    assert next(workbook["Alpenbahnen AG"].iter_rows(values_only=True)) == (
        "Date",
        "Ticket",
        "Title",
        "Person",
        "Activity",
        "Text",
        "Hours",
        "Rate (CHF)",
        "Amount (CHF)",
        "Correction",
    )
    rows = _summary_rows(workbook["Overview"])
    assert rows[0][0] == "Invoice Draft"
    assert rows[-1][0] == "Invoice total"
    assert cents(rows[-1][4]) == october.total


@contextlib.contextmanager
def closing_keeps_the_connection():
    """``response.close()`` fires ``request_finished``, which closes the database connection
    — not wanted inside a test transaction (Django's test client disconnects it likewise)."""
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_finished.connect(close_old_connections)


def test_it_names_the_number_once_issued_and_streams_a_download(world, october):
    response = invoice_workbook_response(october)
    assert response["Content-Type"] == CONTENT_TYPE
    assert 'filename="Entwurf-alpina-2026-10.xlsx"' in response["Content-Disposition"]
    with closing_keeps_the_connection():
        response.close()

    with time_machine.travel(at(datetime.date(2026, 11, 3)), tick=False):
        issued = invoice_issue(
            acting_user=world.cs_responsible, invoice=october, version=october.version
        )
    response = invoice_workbook_response(issued)
    assert response.status_code == 200
    assert 'filename="Rechnung-R-2026-0001.xlsx"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    path = response.file_to_stream.name
    with closing_keeps_the_connection():
        response.close()
    assert not os.path.exists(path)  # the temporary file is gone once sent
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    rows = _summary_rows(workbook["Übersicht"])
    assert rows[0][0] == "Rechnung R-2026-0001"
    assert cents(rows[-1][4]) == issued.total


def test_it_writes_an_empty_invoice(world, tmp_path):
    from partnerdesk.billing.models import Invoice

    invoice = Invoice.objects.create(party=world.partner, month=OCT)
    target = tmp_path / "leer.xlsx"
    total = write_invoice_workbook(invoice, str(target))
    assert total == Decimal("0.00")
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames == ["Übersicht"]
    assert _summary_rows(workbook["Übersicht"])[-1][0] == "Total Rechnung"


def test_it_makes_sheet_names_excel_accepts():
    taken = {"übersicht"}
    assert sheet_name("Übersicht", taken) == "Übersicht (2)"
    assert sheet_name("A" * 40, taken) == "A" * 31
    assert sheet_name("A" * 40, taken) == "A" * 27 + " (2)"
    assert sheet_name("'Zitat'", taken) == "Zitat"
    assert sheet_name("History", taken) == "History (2)"
    assert sheet_name("[]:*?/\\", taken) == "_"
