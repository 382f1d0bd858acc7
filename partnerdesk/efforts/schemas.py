"""API schemas for bookings, queries against them, and budgets of lead orders and engagements.

What a caller may read of a booking it can see (``Booking.objects.visible_to``):

- day, duration, person, activity, text, kind and the derived billing — everyone who sees
  the booking (vendor staff all; partner people those on their partner's tickets; customer
  contacts only those billed to their customer);
- ``internal_text`` — vendor staff only; everyone else receives ``null``;
- the billing's ``rate`` and ``amount`` — vendor staff and the billed party (``bill_to``);
  everyone else receives ``null`` (like a contract's rate, ``Contract.rate_visible_to``);
- the invoice the booking is on — only if the caller may see that invoice
  (``Invoice.objects.visible_to``: vendor staff every invoice, a party its own issued ones);
  otherwise ``null``.

Durations are minutes (integers); hours and amounts are decimal strings (CHF for amounts).
Labels follow the request's language (Accept-Language; German by default).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from partnerdesk.billing.models import InvoiceStatus
from partnerdesk.contracts.models import OrderKind
from partnerdesk.efforts.models import (
    Billing,
    BillingReason,
    Booking,
    BookingKind,
    BookingQuery,
    BudgetEvent,
    QueryStatus,
)
from partnerdesk.lib.api import DbId
from partnerdesk.parties.models import OrganisationKind
from partnerdesk.parties.schemas import OrganisationRef
from partnerdesk.tickets.schemas import PersonOut, StrictIn, VersionIn

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


def _user(context):
    return context["request"].auth


# --- bookings ---------------------------------------------------------------------------


class ActivityOut(Schema):
    code: str = Field(description="The service type's code, e.g. analyse.")
    name: str


class TicketRef(Schema):
    number: str
    title: str


class BookingBillingOut(Schema):
    billing: Billing = Field(description="free, partner or customer — derived, never typed.")
    reason: BillingReason = Field(description="Which rule of the brief decided it.")
    reason_label: str = Field(description="The rule in the request's language.")
    bill_to: OrganisationRef | None = Field(description="The billed party; null when free.")
    free_minutes: int = Field(description="Minutes that cost nothing.")
    billable_minutes: int = Field(description="Minutes billed to bill_to (negative: a credit).")
    rate: Decimal | None = Field(
        description="CHF per hour. Vendor staff and the billed party only; null for others."
    )
    amount: Decimal | None = Field(
        description="CHF. Vendor staff and the billed party only; null for others."
    )


class BookingInvoiceOut(Schema):
    id: int
    number: str | None = Field(description="null while the invoice is a draft.")
    status: InvoiceStatus


def billing_of(booking: Booking, user) -> dict:
    sees_money = user.is_vendor_staff or (
        booking.bill_to_id is not None and booking.bill_to_id == user.organisation_id
    )
    return {
        "billing": booking.billing,
        "reason": booking.reason,
        "reason_label": str(BillingReason(booking.reason).label),
        "bill_to": booking.bill_to if booking.bill_to_id else None,
        "free_minutes": booking.free_minutes,
        "billable_minutes": booking.billable_minutes,
        "rate": booking.rate if sees_money else None,
        "amount": booking.amount if sees_money else None,
    }


def invoice_of(booking: Booking, user) -> dict | None:
    """The booking's invoice if ``user`` may see it (mirrors ``Invoice.objects.visible_to``)."""
    line = getattr(booking, "invoice_line", None)
    if line is None:
        return None
    invoice = line.invoice
    kind = user.organisation.kind
    if kind != OrganisationKind.VENDOR and not (
        invoice.is_issued and invoice.party_id == user.organisation_id
    ):
        return None
    return {"id": invoice.pk, "number": invoice.number, "status": invoice.status}


class BookingOut(Schema):
    id: int
    ticket: TicketRef
    day: datetime.date
    minutes: int = Field(description="The duration (a correction may be negative).")
    hours: Decimal = Field(description="The duration in hours, two decimals.")
    person: PersonOut = Field(description="Who did the work.")
    activity: ActivityOut
    text: str
    internal_text: str | None = Field(description="Vendor staff only; null for everyone else.")
    kind: BookingKind = Field(description="work, or a correction of another booking.")
    corrects: int | None = Field(description="A correction: the id of the corrected booking.")
    billing: BookingBillingOut
    invoiced: bool = Field(description="On an invoice (draft or issued).")
    locked: bool = Field(
        description="On an issued invoice: neither changed nor deleted; corrections only."
    )
    invoice: BookingInvoiceOut | None = Field(
        description="The invoice it is on, if you may see that invoice."
    )
    cancelled_at: datetime.datetime | None = Field(description="Set once the booking is deleted.")
    created_at: datetime.datetime
    version: int = Field(description="Send it with every write; an old version answers 409.")

    @staticmethod
    def resolve_hours(obj: Booking) -> Decimal:
        return obj.hours

    @staticmethod
    def resolve_internal_text(obj: Booking, context) -> str | None:
        return obj.internal_text if _user(context).is_vendor_staff else None

    @staticmethod
    def resolve_corrects(obj: Booking) -> int | None:
        return obj.corrects_id

    @staticmethod
    def resolve_billing(obj: Booking, context) -> dict:
        return billing_of(obj, _user(context))

    @staticmethod
    def resolve_invoiced(obj: Booking) -> bool:
        return obj.is_invoiced

    @staticmethod
    def resolve_locked(obj: Booking) -> bool:
        return obj.is_locked

    @staticmethod
    def resolve_invoice(obj: Booking, context) -> dict | None:
        return invoice_of(obj, _user(context))


class BookingListQuery(Schema):
    person: str | None = Field(
        None, pattern=r"^(me|\d{1,18})$", description="`me` or the id of a person."
    )
    ticket: str | None = Field(None, max_length=20, description="The ticket's number.")
    partner: DbId | None = Field(None, description="Id of the ticket's partner.")
    customer: DbId | None = Field(None, description="Id of the ticket's customer.")
    month: str | None = Field(None, pattern=MONTH_PATTERN, description="YYYY-MM.")
    date_from: datetime.date | None = Field(None, alias="from", description="From this day on.")
    date_to: datetime.date | None = Field(None, alias="to", description="Up to this day.")
    billing: Billing | None = None
    invoiced: bool | None = Field(None, description="On an invoice (draft or issued) or not.")
    kind: BookingKind | None = None


class BookingIn(StrictIn):
    day: datetime.date = Field(description="The day of the work; not in the future.")
    duration: str | int = Field(
        description='"1:30", "1.5h", "1h30", "90" or "90 min" as text, or minutes as a number.'
    )
    activity: str = Field(max_length=40, description="The service type's code, e.g. analyse.")
    text: str = Field("", description="What was done; the partner and customer read it.")
    internal_text: str = Field("", description="For vendor staff only.")


class BookingPatchIn(VersionIn):
    day: datetime.date | None = None
    duration: str | int | None = Field(None, description="As for booking; omitted: unchanged.")
    activity: str | None = Field(None, max_length=40)
    text: str | None = None
    internal_text: str | None = None


# --- queries ----------------------------------------------------------------------------


class QueryIn(StrictIn):
    reason: str = Field(description="Why the booking is disputed.")


class QueryResolveIn(StrictIn):
    outcome: Literal["accepted", "corrected", "written_off"] = Field(
        description=(
            "accepted: the booking stands; corrected: a correction booking to "
            "corrected_duration; written_off: a correction that credits the billed time."
        )
    )
    reason: str
    corrected_duration: str | int | None = Field(
        None,
        description="With corrected: the right duration (as for booking; a number may be 0).",
    )


class QueryOut(Schema):
    id: int
    booking: BookingOut = Field(description="The disputed booking.")
    status: QueryStatus
    status_label: str
    reason: str
    raised_by: PersonOut
    created_at: datetime.datetime
    resolution: str = Field(description="The reason of the decision; empty while open.")
    resolved_by: PersonOut | None
    resolved_at: datetime.datetime | None
    corrected_minutes: int | None
    correction: int | None = Field(description="The id of the correction booking, if any.")

    @staticmethod
    def resolve_status_label(obj: BookingQuery) -> str:
        return str(QueryStatus(obj.status).label)

    @staticmethod
    def resolve_correction(obj: BookingQuery) -> int | None:
        return obj.correction_id


class QueryListQuery(Schema):
    status: QueryStatus | None = None
    partner: DbId | None = Field(None, description="Id of the ticket's partner.")
    ticket: str | None = Field(None, max_length=20, description="The ticket's number.")
    booking: DbId | None = Field(None, description="Id of the booking.")


# --- budgets ----------------------------------------------------------------------------


class OrderBudgetRef(Schema):
    id: int
    number: str
    kind: OrderKind
    title: str


class BudgetEventOut(Schema):
    kind: str
    label: str
    hours: Decimal | None = Field(description="Approved hours after an approval or raise.")
    previous_hours: Decimal | None = Field(description="A raise: the approval before.")
    author: PersonOut | None = Field(description="null for events the system recorded.")
    text: str = Field(description="A raise: its reason.")
    created_at: datetime.datetime

    @staticmethod
    def resolve_label(obj: BudgetEvent) -> str:
        return obj.get_kind_display()


class LeadBudgetOut(Schema):
    approved_hours: Decimal = Field(description="Free hours approved by sales.")
    used_hours: Decimal = Field(description="Free hours used by bookings.")
    billable_hours: Decimal = Field(
        description="Hours billed to the partner: beyond the approval or not a free service."
    )
    remaining_hours: Decimal
    free_activities: list[ActivityOut] = Field(description="The service types that are free.")


class PersonCapacityOut(Schema):
    id: int
    name: str
    capacity_hours: Decimal = Field(description="The capacity split evenly among the staff.")
    booked_hours: Decimal
    remaining_hours: Decimal = Field(description="Negative when the person is overbooked.")


class TicketPlanOut(Schema):
    number: str
    title: str
    planned_hours: Decimal | None = Field(description="Entered by the partner when filing.")
    booked_hours: Decimal
    over_plan: bool


class EngagementBudgetOut(Schema):
    capacity_hours: Decimal
    planned_hours: Decimal
    booked_hours: Decimal
    remaining_hours: Decimal = Field(description="Negative when overbooked.")
    overbooked: bool
    overplanned: bool = Field(description="More effort planned than capacity.")
    people: list[PersonCapacityOut] = Field(description="Per dedicated person (and others).")
    tickets: list[TicketPlanOut]


class BudgetOut(Schema):
    order: OrderBudgetRef
    lead: LeadBudgetOut | None = Field(description="Lead orders; otherwise null.")
    engagement: EngagementBudgetOut | None = Field(description="Engagements; otherwise null.")
    events: list[BudgetEventOut] = Field(
        description="Approvals, raises, 80 %/100 % used and overbooking, oldest first."
    )


class ApprovalIn(StrictIn):
    approved_free_hours: Decimal = Field(
        gt=0, max_digits=8, decimal_places=2, description="The new, higher approval in hours."
    )
    reason: str
