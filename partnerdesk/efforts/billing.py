"""Who pays for a booking, derived from the brief's rules — the only place they live.

1. The ticket is a vendor service (covered)            → free.
2. The ticket is not covered                           → the party the ticket's coverage
                                                         decision named (from the contract),
                                                         at the contract's rate.
3. No order (a customer filed it directly), undecided  → the contract's bill-to party, at the
                                                         contract's rate.
4. Partnership order                                   → the partner, at the partner's rate.
5. Engagement                                          → the partner, against its capacity.
6. Lead order                                          → free up to the approved hours and only
                                                         for the free service types; the rest
                                                         billed to the partner.
Corrections follow the booking they correct.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from partnerdesk.contracts.models import BillTo, OrderKind
from partnerdesk.efforts.models import Billing, BillingReason
from partnerdesk.tickets.models import COVERED, Coverage

CENT = Decimal("0.01")
# Reasons whose free minutes come out of a lead order's approved hours (covered work is free
# for its own reason and uses none of them).
LEAD_FREE_REASONS = frozenset({BillingReason.LEAD_FREE, BillingReason.LEAD_SPLIT})


@dataclass(frozen=True)
class Derived:
    billing: str
    reason: str
    bill_to_id: int | None
    free_minutes: int
    billable_minutes: int
    rate: Decimal | None
    amount: Decimal

    def apply(self, booking) -> None:
        booking.billing = self.billing
        booking.reason = self.reason
        booking.bill_to_id = self.bill_to_id
        booking.free_minutes = self.free_minutes
        booking.billable_minutes = self.billable_minutes
        booking.rate = self.rate
        booking.amount = self.amount


def amount_for(minutes: int, rate: Decimal | None) -> Decimal:
    """CHF for ``minutes`` at ``rate`` per hour, rounded half up to the centime."""
    if not minutes or rate is None:
        return Decimal("0.00")
    return (Decimal(minutes) * rate / Decimal(60)).quantize(CENT, rounding=ROUND_HALF_UP)


def _free(reason: str = BillingReason.COVERED, minutes: int = 0) -> Derived:
    return Derived(Billing.FREE, reason, None, minutes, 0, None, Decimal("0.00"))


def _billed(party_kind: str, party_id: int, reason: str, minutes: int, rate, free: int = 0):
    billing = Billing.PARTNER if party_kind == BillTo.PARTNER else Billing.CUSTOMER
    return Derived(billing, reason, party_id, free, minutes, rate, amount_for(minutes, rate))


def contract_party(ticket, bill_to: str) -> tuple[str, int]:
    """The party ``bill_to`` names for ``ticket``; without a partner, the customer."""
    if bill_to == BillTo.PARTNER and ticket.partner_id:
        return BillTo.PARTNER, ticket.partner_id
    return BillTo.CUSTOMER, ticket.customer_id


def derive(
    *, ticket, minutes: int, activity_id: int, lead_free_left: int = 0, free_service_ids=()
) -> Derived:
    """The billing of ``minutes`` of ``activity_id`` on ``ticket``.

    ``lead_free_left``: approved free minutes of the ticket's lead order not used by earlier
    bookings; ``free_service_ids``: the lead order's free service types.
    """
    coverage = ticket.coverage
    contract = ticket.contract
    if coverage in COVERED:
        return _free(BillingReason.COVERED, minutes)
    if coverage and coverage != Coverage.UNDECIDED:
        kind, party = contract_party(ticket, ticket.bill_to or contract.bill_to)
        return _billed(kind, party, BillingReason.NOT_COVERED, minutes, contract.hourly_rate)
    order = ticket.order
    if order is None:
        kind, party = contract_party(ticket, contract.bill_to)
        return _billed(kind, party, BillingReason.DIRECT, minutes, contract.hourly_rate)
    partner_rate = order.partner.hourly_rate
    if order.kind == OrderKind.PARTNERSHIP:
        return _billed(
            BillTo.PARTNER, order.partner_id, BillingReason.PARTNERSHIP, minutes, partner_rate
        )
    if order.kind == OrderKind.ENGAGEMENT:
        return _billed(
            BillTo.PARTNER, order.partner_id, BillingReason.ENGAGEMENT, minutes, partner_rate
        )
    # lead order
    if activity_id not in set(free_service_ids):
        return _billed(
            BillTo.PARTNER, order.partner_id, BillingReason.LEAD_SERVICE, minutes, partner_rate
        )
    free = max(0, min(minutes, lead_free_left))
    billable = minutes - free
    if billable == 0:
        return _free(BillingReason.LEAD_FREE, free)
    reason = BillingReason.LEAD_OVER if free == 0 else BillingReason.LEAD_SPLIT
    return _billed(BillTo.PARTNER, order.partner_id, reason, billable, partner_rate, free=free)


def derive_correction(
    original, minutes: int, *, billable_before: int, written_off: bool = False
) -> Derived:
    """A correction of ``minutes`` (negative: a credit) billed like ``original``.

    ``billable_before``: the billable minutes of the original and its earlier corrections. A
    credit takes back billed time first and never more than was billed; the rest of it is
    free time (e.g. a lead order's free part). Added time is billed like the original.
    """
    if original.billing == Billing.FREE:
        return _free(original.reason, minutes)
    billable = max(minutes, -max(0, billable_before)) if minutes < 0 else minutes
    reason = BillingReason.WRITTEN_OFF if written_off else original.reason
    return Derived(
        original.billing,
        reason,
        original.bill_to_id,
        minutes - billable,
        billable,
        original.rate,
        amount_for(billable, original.rate),
    )
