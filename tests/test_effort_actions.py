"""Booking effort, budgets and queries at the action level."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from partnerdesk.contracts.models import ServiceType
from partnerdesk.efforts import actions
from partnerdesk.efforts.budgets import engagement_budget, lead_budget
from partnerdesk.efforts.models import (
    Billing,
    BillingReason,
    Booking,
    BookingKind,
    BudgetEvent,
    BudgetEventKind,
    QueryStatus,
)
from partnerdesk.lib.errors import Forbidden, RuleViolation
from partnerdesk.tickets import actions as ticket_actions
from partnerdesk.tickets.models import Coverage, EventKind
from tests.tickets_helpers import file_ticket

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def analyse(world):
    return ServiceType.objects.get(code="analyse")


@pytest.fixture
def training(db):
    return ServiceType.objects.get_or_create(code="schulung", defaults={"name": "Schulung"})[0]


def book(world, ticket, minutes, activity, *, by=None, day=TODAY):
    return actions.booking_create(
        acting_user=by or world.cs_agent,
        ticket=ticket,
        day=day,
        minutes=minutes,
        activity=activity,
        text="Analyse Logfiles",
        internal_text="Kunde nervös",
    )


def test_it_bills_the_partner_for_a_partnership_ticket_and_journals_it(world, analyse):
    ticket = file_ticket(world)
    booking = book(world, ticket, 90, analyse)
    assert (booking.billing, booking.reason, booking.bill_to) == (
        Billing.PARTNER,
        BillingReason.PARTNERSHIP,
        world.partner,
    )
    assert booking.amount == Decimal("240.00")  # 1.5 h at the partner's CHF 160
    event = ticket.events.get(kind=EventKind.EFFORT)
    assert event.data["minutes"] == 90 and "nervös" not in event.text


def test_it_refuses_bookings_by_partners_in_the_future_and_without_time(world, analyse):
    ticket = file_ticket(world)
    with pytest.raises(Forbidden):
        book(world, ticket, 30, analyse, by=world.coordinator)
    with pytest.raises(ValidationError):
        book(world, ticket, 30, analyse, day=TODAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        book(world, ticket, 0, analyse)
    assert not Booking.objects.exists()


def test_it_follows_the_coverage_decision(world, analyse):
    ticket = file_ticket(world)
    booking = book(world, ticket, 60, analyse)
    ticket.refresh_from_db()
    ticket = ticket_actions.ticket_decide_coverage(
        acting_user=world.cs_agent,
        ticket=ticket,
        version=ticket.version,
        coverage=Coverage.CONFIGURATION,
        reason="Konfiguration beim Kunden",
    )
    booking.refresh_from_db()
    # world.contract bills the customer at CHF 170
    assert (booking.billing, booking.bill_to, booking.amount) == (
        Billing.CUSTOMER,
        world.customer,
        Decimal("170.00"),
    )
    ticket = ticket_actions.ticket_decide_coverage(
        acting_user=world.cs_agent,
        ticket=ticket,
        version=ticket.version,
        coverage=Coverage.PRODUCT_DEFECT,
        reason="Doch ein Produktfehler",
    )
    booking.refresh_from_db()
    assert (booking.billing, booking.amount) == (Billing.FREE, Decimal("0.00"))


def test_it_spends_the_lead_hours_in_booking_order(world, analyse, training):
    ticket = file_ticket(world, order=world.lead_order)  # 20 free hours, "analyse" free
    first = book(world, ticket, 15 * 60, analyse, day=TODAY - datetime.timedelta(days=2))
    second = book(world, ticket, 8 * 60, analyse, day=TODAY - datetime.timedelta(days=1))
    third = book(world, ticket, 60, training)
    second.refresh_from_db()
    assert (first.billing, first.free_minutes) == (Billing.FREE, 900)
    assert (second.reason, second.free_minutes, second.billable_minutes) == (
        BillingReason.LEAD_SPLIT,
        300,
        180,
    )
    assert (third.reason, third.billable_minutes) == (BillingReason.LEAD_SERVICE, 60)
    budget = lead_budget(world.lead_order)
    assert (budget.used_hours, budget.remaining_hours) == (Decimal("20.00"), Decimal("0.00"))
    # deleting the first booking frees its hours for the second
    actions.booking_cancel(acting_user=world.cs_agent, booking=first, version=first.version)
    second.refresh_from_db()
    assert (second.billing, second.free_minutes) == (Billing.FREE, 480)


def test_it_tells_the_cs_team_once_at_80_and_100_percent(
    world, analyse, django_capture_on_commit_callbacks
):
    ticket = file_ticket(world, order=world.lead_order)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        book(world, ticket, 16 * 60, analyse)
        book(world, ticket, 60, analyse)
    kinds = list(BudgetEvent.objects.filter(order=world.lead_order).values_list("kind", flat=True))
    assert kinds.count(BudgetEventKind.USED_80) == 1 and BudgetEventKind.USED_100 not in kinds
    assert {m.to[0] for m in mail.outbox} >= {world.cs_agent.email, world.cs_responsible.email}
    with django_capture_on_commit_callbacks(execute=True):
        book(world, ticket, 4 * 60, analyse)
    assert (
        BudgetEvent.objects.filter(order=world.lead_order, kind=BudgetEventKind.USED_100).count()
        == 1
    )


def test_it_lets_sales_raise_the_approval(world, analyse):
    ticket = file_ticket(world, order=world.lead_order)
    booking = book(world, ticket, 22 * 60, analyse)
    assert booking.billable_minutes == 120
    with pytest.raises(Forbidden):
        actions.lead_order_raise_approval(
            acting_user=world.cs_agent,
            order=world.lead_order,
            approved_free_hours=Decimal("30"),
            reason="x",
        )
    with pytest.raises(ValidationError):
        actions.lead_order_raise_approval(
            acting_user=world.sales,
            order=world.lead_order,
            approved_free_hours=Decimal("10"),
            reason="x",
        )
    actions.lead_order_raise_approval(
        acting_user=world.sales,
        order=world.lead_order,
        approved_free_hours=Decimal("30"),
        reason="Grosser Lead, Abschluss wahrscheinlich",
    )
    booking.refresh_from_db()
    assert (booking.billing, booking.free_minutes) == (Billing.FREE, 22 * 60)
    assert BudgetEvent.objects.filter(order=world.lead_order, kind=BudgetEventKind.RAISED).exists()
    assert BudgetEvent.objects.filter(
        order=world.lead_order, kind=BudgetEventKind.APPROVED
    ).exists()


def test_it_needs_planned_effort_on_engagement_tickets_and_shows_what_remains(world, analyse):
    with pytest.raises(ValidationError) as caught:
        file_ticket(world, order=world.engagement)
    assert "planned_minutes" in caught.value.message_dict
    ticket = ticket_actions.ticket_file(
        acting_user=world.employee,
        customer=world.customer,
        order=world.engagement,
        title="Migration Stammdaten",
        description="Teilaufgabe 1",
        planned_minutes=40 * 60,
    ).ticket
    for _ in range(3):
        book(world, ticket, 10 * 60, analyse, by=world.expert)
    budget = engagement_budget(world.engagement)  # 120 h, world.expert dedicated
    assert (budget.capacity_hours, budget.planned_hours, budget.booked_hours) == (
        Decimal("120"),
        Decimal("40.00"),
        Decimal("30.00"),
    )
    assert budget.remaining_hours == Decimal("90.00") and not budget.overbooked
    assert [(p.name, p.remaining_hours) for p in budget.people] == [
        (world.expert.full_name, Decimal("90.00"))
    ]
    for _ in range(10):
        book(world, ticket, 10 * 60, analyse, by=world.expert)
    budget = engagement_budget(world.engagement)
    assert budget.overbooked and budget.tickets[0].over_plan
    assert (
        BudgetEvent.objects.filter(order=world.engagement, kind=BudgetEventKind.OVERBOOKED).count()
        == 1
    )


def test_it_lets_only_the_author_or_the_cs_responsible_correct_a_booking(world, analyse):
    booking = book(world, file_ticket(world), 60, analyse)
    with pytest.raises(Forbidden):
        actions.booking_update(
            acting_user=world.expert,
            booking=booking,
            version=booking.version,
            day=TODAY,
            minutes=30,
            activity=analyse,
        )
    booking = actions.booking_update(
        acting_user=world.cs_responsible,
        booking=booking,
        version=booking.version,
        day=TODAY,
        minutes=30,
        activity=analyse,
    )
    assert booking.minutes == 30 and booking.amount == Decimal("80.00")


def test_it_lets_the_partner_query_a_booking_and_the_vendor_resolve_it(world, analyse):
    ticket = file_ticket(world)
    booking = book(world, ticket, 120, analyse)
    with pytest.raises(Forbidden):
        actions.booking_query_open(
            acting_user=world.customer_contact, booking=booking, reason="zu viel"
        )
    with pytest.raises(Forbidden):
        actions.booking_query_open(
            acting_user=world.outsider_partner, booking=booking, reason="zu viel"
        )
    query = actions.booking_query_open(
        acting_user=world.employee, booking=booking, reason="Zwei Stunden für ein Log?"
    )
    with pytest.raises(RuleViolation) as caught:
        actions.booking_query_open(
            acting_user=world.coordinator, booking=booking, reason="nochmals"
        )
    assert caught.value.code == "query_already_open"
    with pytest.raises(Forbidden):
        actions.booking_query_resolve(
            acting_user=world.coordinator, query=query, outcome=QueryStatus.ACCEPTED, reason="ok"
        )
    query = actions.booking_query_resolve(
        acting_user=world.cs_responsible,
        query=query,
        outcome=QueryStatus.CORRECTED,
        reason="Eine Stunde war Einarbeitung",
        corrected_minutes=60,
    )
    correction = query.correction
    assert (correction.kind, correction.corrects, correction.minutes, correction.amount) == (
        BookingKind.CORRECTION,
        booking,
        -60,
        Decimal("-160.00"),
    )
    booking.refresh_from_db()
    assert booking.minutes == 120  # the original is never edited
    assert [e.data["status"] for e in ticket.events.filter(kind=EventKind.EFFORT_QUERY)] == [
        "open",
        "corrected",
    ]


def test_it_writes_off_the_billed_time(world, analyse):
    booking = book(world, file_ticket(world), 45, analyse)
    query = actions.booking_query_open(
        acting_user=world.coordinator, booking=booking, reason="Kulanz?"
    )
    query = actions.booking_query_resolve(
        acting_user=world.cs_responsible,
        query=query,
        outcome=QueryStatus.WRITTEN_OFF,
        reason="Kulanz",
    )
    assert query.correction.minutes == -45 and query.correction.reason == BillingReason.WRITTEN_OFF
    assert sum(b.amount for b in Booking.objects.all()) == Decimal("0.00")


def test_it_keeps_partner_effort_out_of_the_customers_journal(world, analyse):
    from partnerdesk.tickets.models import TicketEvent

    ticket = file_ticket(world)
    booking = book(world, ticket, 60, analyse)
    actions.booking_query_open(acting_user=world.employee, booking=booking, reason="zu lang")
    partner_kinds = set(
        TicketEvent.objects.visible_to(world.employee)
        .filter(ticket=ticket)
        .values_list("kind", flat=True)
    )
    customer_kinds = set(
        TicketEvent.objects.visible_to(world.customer_contact)
        .filter(ticket=ticket)
        .values_list("kind", flat=True)
    )
    assert {EventKind.EFFORT, EventKind.EFFORT_QUERY} <= partner_kinds
    assert not {EventKind.EFFORT, EventKind.EFFORT_QUERY} & customer_kinds


def test_it_keeps_a_decision_from_being_deleted_by_the_booker(world, analyse):
    booking = book(world, file_ticket(world), 120, analyse)
    query = actions.booking_query_open(
        acting_user=world.coordinator, booking=booking, reason="zu viel"
    )
    query = actions.booking_query_resolve(
        acting_user=world.cs_responsible,
        query=query,
        outcome=QueryStatus.WRITTEN_OFF,
        reason="Kulanz",
    )
    correction = query.correction
    with pytest.raises(RuleViolation) as caught:
        actions.booking_cancel(
            acting_user=world.cs_agent, booking=correction, version=correction.version
        )
    assert caught.value.code == "correction_readonly"
    assert sum(b.amount for b in Booking.objects.live()) == Decimal("0.00")


def test_it_keeps_a_queried_booking_until_the_query_is_decided(world, analyse):
    booking = book(world, file_ticket(world), 120, analyse)
    query = actions.booking_query_open(
        acting_user=world.coordinator, booking=booking, reason="zu viel"
    )
    with pytest.raises(RuleViolation) as caught:
        actions.booking_cancel(acting_user=world.cs_agent, booking=booking, version=booking.version)
    assert caught.value.code == "query_open"
    actions.booking_query_resolve(
        acting_user=world.cs_responsible, query=query, outcome=QueryStatus.ACCEPTED, reason="stimmt"
    )
    actions.booking_cancel(acting_user=world.cs_agent, booking=booking, version=booking.version)
