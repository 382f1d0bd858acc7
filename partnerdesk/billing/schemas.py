"""API schemas for invoice runs and invoices.

What a caller may read (``Invoice.objects.visible_to``): vendor staff every invoice, drafts
included; a partner or customer only its own issued invoices, with every line — the lines
are what the party re-bills. Amounts are CHF as decimal strings, durations minutes.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from partnerdesk.billing.models import Invoice, InvoiceLine, InvoiceStatus
from partnerdesk.efforts.schemas import MONTH_PATTERN
from partnerdesk.lib.api import DbId
from partnerdesk.parties.schemas import OrganisationRef
from partnerdesk.tickets.schemas import PersonOut, StrictIn

# GET /invoices/{id} carries at most this many lines; the rest through /lines or the workbook.
DETAIL_LINES = 200


class InvoiceOut(Schema):
    id: int
    number: str | None = Field(description="R-YYYY-NNNN once issued; null for a draft.")
    party: OrganisationRef = Field(description="The billed partner or customer.")
    month: str = Field(description="The invoiced month, YYYY-MM.")
    status: InvoiceStatus
    status_label: str
    total: Decimal = Field(description="CHF: the sum of the lines (credits negative).")
    line_count: int
    created_at: datetime.datetime
    issued_at: datetime.datetime | None
    issued_by: PersonOut | None
    workbook_url: str = Field(description="Where to download the invoice as .xlsx.")
    version: int = Field(description="Send it with every write; an old version answers 409.")

    @staticmethod
    def resolve_month(obj: Invoice) -> str:
        return f"{obj.month:%Y-%m}"

    @staticmethod
    def resolve_status_label(obj: Invoice) -> str:
        return str(InvoiceStatus(obj.status).label)

    @staticmethod
    def resolve_line_count(obj: Invoice) -> int:
        return obj.line_count

    @staticmethod
    def resolve_workbook_url(obj: Invoice) -> str:
        return f"/api/v1/invoices/{obj.pk}/workbook"


class CustomerRef(Schema):
    id: int
    name: str = Field(description="As on the invoice line (a snapshot).")


class InvoiceLineOut(Schema):
    id: int
    booking: int = Field(description="The id of the booking (or correction) it bills.")
    day: datetime.date
    customer: CustomerRef = Field(description="The end customer of the ticket.")
    ticket_number: str
    ticket_title: str
    person_name: str
    activity: str
    text: str
    minutes: int = Field(description="Billed minutes; a credit is negative.")
    hours: Decimal
    rate: Decimal = Field(description="CHF per hour.")
    amount: Decimal = Field(description="CHF.")
    is_correction: bool

    @staticmethod
    def resolve_booking(obj: InvoiceLine) -> int:
        return obj.booking_id

    @staticmethod
    def resolve_customer(obj: InvoiceLine) -> dict:
        return {"id": obj.customer_id, "name": obj.customer_name}

    @staticmethod
    def resolve_hours(obj: InvoiceLine) -> Decimal:
        return obj.hours


class InvoiceDetailOut(InvoiceOut):
    lines: list[InvoiceLineOut] = Field(
        description=(
            f"The first {DETAIL_LINES} lines, by customer, ticket and day. All of them: "
            "GET /invoices/{id}/lines (paginated) or the workbook."
        )
    )
    lines_truncated: bool = Field(description=f"More than {DETAIL_LINES} lines.")

    @staticmethod
    def resolve_lines(obj: Invoice) -> list[InvoiceLine]:
        return obj.first_lines


class InvoiceListQuery(Schema):
    month: str | None = Field(None, pattern=MONTH_PATTERN, description="YYYY-MM.")
    party: DbId | None = Field(None, description="Id of the billed partner or customer.")
    status: InvoiceStatus | None = None


class InvoiceRunIn(StrictIn):
    month: str = Field(pattern=MONTH_PATTERN, description="The month to invoice, YYYY-MM.")


class InvoiceRunOut(Schema):
    month: str = Field(description="YYYY-MM.")
    runs: int = Field(description="How often the month was run.")
    last_run_at: datetime.datetime | None
    invoices: list[InvoiceOut] = Field(description="Every invoice of the month, by party.")
