"""Budgets at a glance: a lead order's free hours and an engagement's capacity."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from partnerdesk.contracts.models import Order
from partnerdesk.efforts.models import Booking

HOUR = Decimal(60)


def _hours(minutes: int | None) -> Decimal:
    return (Decimal(minutes or 0) / HOUR).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class LeadBudget:
    approved_hours: Decimal
    used_hours: Decimal  # free hours consumed
    billable_hours: Decimal  # beyond the approval or not a free service
    remaining_hours: Decimal

    @property
    def used_ratio(self) -> Decimal:
        if not self.approved_hours:
            return Decimal("1") if self.used_hours or self.billable_hours else Decimal("0")
        return self.used_hours / self.approved_hours


def lead_budget(order: Order) -> LeadBudget:
    totals = (
        Booking.objects.live()
        .filter(ticket__order=order)
        .aggregate(free=Sum("free_minutes"), billable=Sum("billable_minutes"))
    )
    approved = Decimal(order.approved_free_hours or 0)
    used = _hours(totals["free"])
    return LeadBudget(
        approved_hours=approved,
        used_hours=used,
        billable_hours=_hours(totals["billable"]),
        remaining_hours=max(Decimal("0.00"), approved - used),
    )


@dataclass(frozen=True)
class PersonCapacity:
    person_id: int
    name: str
    capacity_hours: Decimal
    booked_hours: Decimal

    @property
    def remaining_hours(self) -> Decimal:
        return self.capacity_hours - self.booked_hours


@dataclass(frozen=True)
class TicketPlan:
    ticket_id: int
    number: str
    title: str
    planned_hours: Decimal | None
    booked_hours: Decimal

    @property
    def over_plan(self) -> bool:
        return self.planned_hours is not None and self.booked_hours > self.planned_hours


@dataclass(frozen=True)
class EngagementBudget:
    capacity_hours: Decimal
    planned_hours: Decimal
    booked_hours: Decimal
    people: list[PersonCapacity]
    tickets: list[TicketPlan]

    @property
    def remaining_hours(self) -> Decimal:
        return self.capacity_hours - self.booked_hours

    @property
    def overbooked(self) -> bool:
        return self.booked_hours > self.capacity_hours

    @property
    def overplanned(self) -> bool:
        return self.planned_hours > self.capacity_hours


def engagement_budget(order: Order) -> EngagementBudget:
    """Capacity, planned effort per ticket, booked effort, and what remains — per dedicated
    person (the capacity split evenly among them) and in total."""
    from partnerdesk.tickets.models import Ticket

    capacity = Decimal(order.capacity_hours or 0)
    bookings = Booking.objects.live().filter(ticket__order=order)
    by_person = dict(
        bookings.values("person").annotate(total=Sum("minutes")).values_list("person", "total")
    )
    staff = list(order.dedicated_staff.order_by("full_name"))
    share = (capacity / len(staff)).quantize(Decimal("0.01")) if staff else Decimal("0")
    people = [
        PersonCapacity(p.pk, p.full_name, share, _hours(by_person.pop(p.pk, 0))) for p in staff
    ]
    # Bookings of people who are not (or no longer) dedicated still count, without a share.
    if by_person:
        from partnerdesk.parties.models import User

        for person in User.objects.filter(pk__in=by_person).order_by("full_name"):
            people.append(
                PersonCapacity(
                    person.pk, person.full_name, Decimal("0"), _hours(by_person[person.pk])
                )
            )
    booked_per_ticket = dict(
        bookings.values("ticket").annotate(total=Sum("minutes")).values_list("ticket", "total")
    )
    tickets = [
        TicketPlan(
            t.pk,
            t.number,
            t.title,
            _hours(t.planned_minutes) if t.planned_minutes is not None else None,
            _hours(booked_per_ticket.get(t.pk, 0)),
        )
        for t in Ticket.objects.filter(order=order).order_by("created_at")
    ]
    return EngagementBudget(
        capacity_hours=capacity,
        planned_hours=sum((t.planned_hours or Decimal("0") for t in tickets), Decimal("0.00")),
        booked_hours=_hours(sum(booked_per_ticket.values())),
        people=people,
        tickets=tickets,
    )
