"""The monthly invoice run: idempotent, never bills a booking twice, numbers without gaps,
locks what it issued, carries corrections to the next month — also under concurrency and
for any sequence of bookings, runs and corrections (property test).

Through the domain actions; the HTTP side (API, pages) is tested by its own files.
"""

from __future__ import annotations

import contextlib
import datetime
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerdesk.billing.actions import invoice_issue, invoice_run
from partnerdesk.billing.jobs import invoice_previous_month, previous_month
from partnerdesk.billing.models import Invoice, InvoiceLine, InvoiceRun, InvoiceStatus
from partnerdesk.contracts.models import ServiceType
from partnerdesk.efforts.actions import (
    booking_cancel,
    booking_create,
    booking_query_open,
    booking_query_resolve,
    booking_update,
)
from partnerdesk.efforts.models import Billing, Booking, BookingKind
from partnerdesk.lib.errors import ActionError, RuleViolation
from partnerdesk.schedule.models import ScheduledRun
from partnerdesk.schedule.periodic import JOBS, month_slot, run_due
from partnerdesk.tickets.actions import ticket_decide_coverage
from partnerdesk.tickets.models import Coverage
from tests.tickets_helpers import file_ticket

ZURICH = datetime.timezone(datetime.timedelta(hours=1))  # CET (winter): Nov–Feb
OCT = datetime.date(2026, 10, 1)
NOV = datetime.date(2026, 11, 1)
DEC = datetime.date(2026, 12, 1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=ZURICH)


@pytest.fixture
def analyse(db):
    return ServiceType.objects.get(code="analyse")


@pytest.fixture
def umsetzung(db):
    return ServiceType.objects.get_or_create(code="umsetzung", defaults={"name": "Umsetzung"})[0]


def book(world, ticket, day, minutes, activity, *, by=None, text="Logs analysiert"):
    return booking_create(
        acting_user=by or world.cs_agent,
        ticket=ticket,
        day=day,
        minutes=minutes,
        activity=activity,
        text=text,
    )


def run(world, month):
    return invoice_run(acting_user=world.cs_responsible, month=month)


def issue(world, invoice):
    invoice = Invoice.objects.get(pk=invoice.pk)
    return invoice_issue(acting_user=world.cs_responsible, invoice=invoice, version=invoice.version)


def not_covered(world, ticket):
    """A ticket decided "not covered": its effort is billed to the contract's bill-to party
    (the world's contract bills the customer)."""
    return ticket_decide_coverage(
        acting_user=world.cs_agent,
        ticket=ticket,
        version=ticket.version,
        coverage=Coverage.CONFIGURATION,
        reason="Konfiguration beim Kunden",
    )


def assert_books_balance() -> None:
    """Every invoice's total is the sum of its lines, each line is its booking's billable
    amount (billed to the invoice's party), and no booking is on two invoices."""
    for invoice in Invoice.objects.all():
        lines = InvoiceLine.objects.filter(invoice=invoice).select_related("booking")
        total = sum((line.amount for line in lines), Decimal("0.00"))
        assert invoice.total == total
        booked = sum((line.booking.amount for line in lines), Decimal("0.00"))
        assert invoice.total == booked
        for line in lines:
            assert line.booking.bill_to_id == invoice.party_id
            assert line.booking.billing != Billing.FREE
            assert line.minutes == line.booking.billable_minutes
            assert line.booking.cancelled_at is None
    booking_ids = list(InvoiceLine.objects.values_list("booking_id", flat=True))
    assert len(booking_ids) == len(set(booking_ids))


def lines_of(invoice) -> list[InvoiceLine]:
    return list(InvoiceLine.objects.filter(invoice=invoice).order_by("booking_id"))


# --- runs ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_runs_a_month_twice_without_a_second_invoice_or_line(world, analyse):
    with time_machine.travel(at(datetime.date(2026, 11, 10)), tick=False):
        ticket = file_ticket(world)
        first = book(world, ticket, datetime.date(2026, 10, 5), 90, analyse)
        second = book(world, ticket, datetime.date(2026, 10, 20), 45, analyse)
        invoices = run(world, OCT)
        assert [(i.party, i.month, i.status) for i in invoices] == [
            (world.partner, OCT, InvoiceStatus.DRAFT)
        ]
        invoice = invoices[0]
        assert invoice.total == Decimal("240.00") + Decimal("120.00")  # 160/h
        assert {line.booking_id for line in lines_of(invoice)} == {first.pk, second.pk}

        again = run(world, OCT)
        assert [i.pk for i in again] == [invoice.pk]
        assert InvoiceLine.objects.count() == 2
        assert Invoice.objects.get(pk=invoice.pk).total == Decimal("360.00")
        assert InvoiceRun.objects.get(month=OCT).runs == 2
    assert_books_balance()


@pytest.mark.django_db
def test_it_adds_a_late_booking_on_the_second_run(world, analyse):
    with time_machine.travel(at(datetime.date(2026, 11, 3)), tick=False):
        ticket = file_ticket(world)
        book(world, ticket, datetime.date(2026, 10, 5), 60, analyse)
        (invoice,) = run(world, OCT)
        late = book(world, ticket, datetime.date(2026, 10, 30), 30, analyse)
        november = book(world, ticket, datetime.date(2026, 11, 2), 30, analyse)
        (again,) = run(world, OCT)
    assert again.pk == invoice.pk
    assert late.pk in {line.booking_id for line in lines_of(invoice)}
    assert november.pk not in {line.booking_id for line in lines_of(invoice)}
    assert Invoice.objects.get(pk=invoice.pk).total == Decimal("240.00")
    assert_books_balance()


@pytest.mark.django_db
def test_it_never_puts_a_booking_on_two_invoices(world, analyse):
    with time_machine.travel(at(datetime.date(2026, 12, 2)), tick=False):
        ticket = file_ticket(world)
        october = book(world, ticket, datetime.date(2026, 10, 5), 60, analyse)
        run(world, NOV)  # takes October's booking too (late, uninvoiced)
        run(world, OCT)  # nothing left for October
        run(world, NOV)
    assert InvoiceLine.objects.filter(booking=october).count() == 1
    assert Invoice.objects.get(lines__booking=october).month == NOV
    assert not Invoice.objects.filter(month=OCT).exists()
    assert_books_balance()


@pytest.mark.django_db
def test_it_refuses_a_future_month_and_people_without_the_billing_role(world):
    with time_machine.travel(at(datetime.date(2026, 11, 10)), tick=False):
        with pytest.raises(RuleViolation) as refused:
            run(world, DEC)
        assert refused.value.code == "future_month"
        with pytest.raises(ActionError):
            invoice_run(acting_user=world.cs_agent, month=OCT)
        with pytest.raises(ActionError):
            invoice_run(acting_user=world.coordinator, month=OCT)
    assert not Invoice.objects.exists()


@pytest.mark.django_db
def test_it_never_invoices_free_bookings(world, analyse, umsetzung):
    with time_machine.travel(at(datetime.date(2026, 11, 10)), tick=False):
        covered = file_ticket(world, title="Produktfehler im Export")
        ticket_decide_coverage(
            acting_user=world.cs_agent,
            ticket=covered,
            version=covered.version,
            coverage=Coverage.PRODUCT_DEFECT,
            reason="Fehler im Standardprodukt",
        )
        lead = file_ticket(world, order=world.lead_order, title="Lead: Analyse")
        free = [
            book(world, covered, datetime.date(2026, 10, 5), 120, analyse),
            book(world, lead, datetime.date(2026, 10, 6), 120, analyse),  # within 20 h approved
        ]
        billed = book(world, lead, datetime.date(2026, 10, 7), 60, umsetzung)  # not a free type
        run(world, OCT)
        run(world, NOV)
    assert all(Booking.objects.get(pk=b.pk).billing == Billing.FREE for b in free)
    assert not InvoiceLine.objects.filter(booking__in=free).exists()
    assert InvoiceLine.objects.filter(booking=billed).count() == 1
    assert_books_balance()


# --- issuing, locking, corrections ---------------------------------------------------------


@pytest.mark.django_db
def test_it_numbers_issued_invoices_without_gaps(world, analyse):
    with time_machine.travel(at(datetime.date(2026, 11, 10)), tick=False):
        partner_ticket = file_ticket(world)
        customer_ticket = not_covered(world, file_ticket(world, title="Konfiguration"))
        book(world, partner_ticket, datetime.date(2026, 10, 5), 60, analyse)
        book(world, customer_ticket, datetime.date(2026, 10, 6), 60, analyse)
        invoices = run(world, OCT)
        assert {i.party for i in invoices} == {world.partner, world.customer}
        assert all(i.number is None for i in invoices)
        numbers = [issue(world, i).number for i in invoices]
        with pytest.raises(RuleViolation) as again:
            issue(world, invoices[0])
        assert again.value.code == "already_issued"
    assert numbers == ["R-2026-0001", "R-2026-0002"]
    customer_invoice = Invoice.objects.get(party=world.customer)
    assert customer_invoice.total == Decimal("170.00")  # the contract's rate
    assert Invoice.objects.get(party=world.partner).total == Decimal("160.00")  # the partner's


@pytest.mark.django_db
def test_it_locks_issued_bookings_and_bills_a_correction_next_month(world, analyse):
    with time_machine.travel(at(datetime.date(2026, 11, 5)), tick=False):
        ticket = file_ticket(world)
        booking = book(world, ticket, datetime.date(2026, 10, 5), 120, analyse)
        (october,) = run(world, OCT)
        october = issue(world, october)
        booking = Booking.objects.get(pk=booking.pk)
        assert booking.is_locked

        with pytest.raises(RuleViolation) as refused:
            booking_update(
                acting_user=world.cs_agent,
                booking=booking,
                version=booking.version,
                day=booking.day,
                minutes=60,
                activity=analyse,
            )
        assert refused.value.code == "booking_locked"
        assert october.number in refused.value.detail
        with pytest.raises(RuleViolation) as refused:
            booking_cancel(acting_user=world.cs_responsible, booking=booking, version=None)
        assert refused.value.code == "booking_locked"

        query = booking_query_open(
            acting_user=world.coordinator, booking=booking, reason="Nur eine Stunde vereinbart"
        )
        query = booking_query_resolve(
            acting_user=world.cs_responsible,
            query=query,
            outcome="corrected",
            reason="Eine Stunde war vereinbart",
            corrected_minutes=60,
        )
        correction = query.correction
        assert correction.kind == BookingKind.CORRECTION and correction.minutes == -60
        assert run(world, OCT)[0].total == Decimal("320.00")  # issued, untouched
        (november,) = run(world, NOV)

    line = InvoiceLine.objects.get(booking=correction)
    assert line.invoice == november and line.is_correction
    assert line.amount == Decimal("-160.00") and line.minutes == -60
    assert november.total == Decimal("-160.00")
    booking.refresh_from_db()
    assert (booking.minutes, booking.amount) == (120, Decimal("320.00"))  # never edited
    assert Invoice.objects.get(pk=october.pk).total == Decimal("320.00")
    assert_books_balance()


@pytest.mark.django_db
def test_it_keeps_new_bookings_of_an_issued_month_for_the_next_run(world, analyse):
    with time_machine.travel(at(datetime.date(2026, 11, 5)), tick=False):
        ticket = file_ticket(world)
        book(world, ticket, datetime.date(2026, 10, 5), 60, analyse)
        (october,) = run(world, OCT)
        issue(world, october)
        late = book(world, ticket, datetime.date(2026, 10, 31), 30, analyse)
        run(world, OCT)
        assert not InvoiceLine.objects.filter(booking=late).exists()
        (november,) = run(world, NOV)
    assert InvoiceLine.objects.get(booking=late).invoice == november
    assert_books_balance()


@pytest.mark.django_db
def test_it_leaves_invoiced_bookings_alone_when_the_coverage_changes(world, analyse):
    with time_machine.travel(at(datetime.date(2026, 11, 5)), tick=False):
        ticket = file_ticket(world)
        invoiced = book(world, ticket, datetime.date(2026, 10, 5), 60, analyse)
        (october,) = run(world, OCT)
        issue(world, october)
        open_booking = book(world, ticket, datetime.date(2026, 11, 2), 60, analyse)
        drafted = book(world, ticket, datetime.date(2026, 11, 3), 30, analyse)
        (november,) = run(world, NOV)
        assert InvoiceLine.objects.filter(booking=drafted, invoice=november).exists()
        InvoiceLine.objects.filter(booking=open_booking).delete()  # as if booked after the run
        ticket.refresh_from_db()
        ticket_decide_coverage(
            acting_user=world.cs_agent,
            ticket=ticket,
            version=ticket.version,
            coverage=Coverage.PRODUCT_DEFECT,
            reason="Doch ein Produktfehler",
        )
    invoiced.refresh_from_db()
    assert (invoiced.billing, invoiced.amount) == (Billing.PARTNER, Decimal("160.00"))
    assert InvoiceLine.objects.get(booking=invoiced).invoice == october
    for booking in (open_booking, drafted):
        booking.refresh_from_db()
        assert (booking.billing, booking.amount) == (Billing.FREE, Decimal("0.00"))
    # The draft let go of the booking that became free.
    assert not InvoiceLine.objects.filter(booking=drafted).exists()
    assert Invoice.objects.get(pk=november.pk).total == Decimal("0.00")


# --- the monthly job ------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_invoices_the_previous_month_on_the_first_once(world, analyse):
    with time_machine.travel(at(datetime.date(2026, 10, 20)), tick=False):
        ticket = file_ticket(world)
        booking = book(world, ticket, datetime.date(2026, 10, 20), 60, analyse)
    first = at(datetime.date(2026, 11, 1), hour=0) + datetime.timedelta(minutes=1)
    with time_machine.travel(first, tick=False):
        assert "monthly_invoices" in run_due()
        assert run_due() == []  # same month: nobody claims it again
    with time_machine.travel(first + datetime.timedelta(hours=5), tick=False):
        assert "monthly_invoices" not in run_due()
        invoice_previous_month()  # run by hand as well: changes nothing
    (invoice,) = Invoice.objects.all()
    assert (invoice.month, invoice.party, invoice.status) == (OCT, world.partner, "draft")
    assert list(invoice.lines.values_list("booking_id", flat=True)) == [booking.pk]
    assert InvoiceRun.objects.get(month=OCT).runs == 2
    assert ScheduledRun.objects.filter(job="monthly_invoices").count() == 1


@pytest.mark.django_db
def test_it_catches_up_when_no_worker_ran_on_the_first(world):
    late = at(datetime.date(2026, 12, 3), hour=9)
    with time_machine.travel(late, tick=False):
        assert "monthly_invoices" in run_due()
    assert InvoiceRun.objects.filter(month=NOV).exists()


def test_it_cuts_months_in_local_time():
    # 30 Nov 23:30 UTC is already 1 Dec in Zurich.
    now = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)
    assert month_slot(now) == datetime.datetime(2026, 12, 1, tzinfo=ZURICH)
    assert previous_month(datetime.date(2026, 1, 1)) == datetime.date(2025, 12, 1)
    assert previous_month(datetime.date(2026, 3, 31)) == datetime.date(2026, 2, 1)
    assert "monthly_invoices" in {job.name for job in JOBS}


# --- concurrency (PostgreSQL) --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_it_creates_one_set_of_invoices_when_two_runs_start_together(world, analyse):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writers; the row locks are tested on PostgreSQL")
    with time_machine.travel(at(datetime.date(2026, 11, 10)), tick=False):
        partner_ticket = file_ticket(world)
        customer_ticket = not_covered(world, file_ticket(world, title="Konfiguration"))
        for day in range(1, 29):
            book(world, partner_ticket, datetime.date(2026, 10, day), 30 + day, analyse)
            book(world, customer_ticket, datetime.date(2026, 10, day), 15 + day, analyse)
        # and one late booking of September, taken by whichever run comes first
        book(world, partner_ticket, datetime.date(2026, 9, 30), 60, analyse)

    barrier = threading.Barrier(3)
    results: dict[str, object] = {}

    def worker(name: str, month: datetime.date) -> None:
        try:
            barrier.wait(timeout=10)
            results[name] = [i.pk for i in run(world, month)]
        except Exception as error:  # reported below
            results[name] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=("a", OCT)),
        threading.Thread(target=worker, args=("b", OCT)),
        # September overlaps: October's run takes late September bookings too.
        threading.Thread(target=worker, args=("c", datetime.date(2026, 9, 1))),
    ]
    # One clock for all threads (time_machine patches the process, not a thread).
    with time_machine.travel(at(datetime.date(2026, 11, 10)), tick=False):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not any(isinstance(r, Exception) for r in results.values()), results
    assert sorted(results["a"]) == sorted(results["b"])
    october = Invoice.objects.filter(month=OCT)
    assert sorted(october.values_list("party", flat=True)) == sorted(
        [world.partner.pk, world.customer.pk]
    )
    assert InvoiceLine.objects.count() == Booking.objects.count() == 57
    assert InvoiceRun.objects.get(month=OCT).runs == 2
    assert_books_balance()


# --- property: any sequence of bookings, runs and corrections ----------------------------

TICKETS = ("partnership", "lead", "not_covered", "covered")
MONTHS = (OCT, NOV, DEC)
TODAY = datetime.date(2026, 12, 15)

steps = st.one_of(
    st.tuples(
        st.just("book"),
        st.sampled_from(TICKETS),
        st.sampled_from(MONTHS[:2]),
        st.integers(1, 30),
        st.integers(1, 600),
        st.booleans(),  # a free service type of the lead order?
    ),
    st.tuples(st.just("run"), st.sampled_from(MONTHS)),
    st.tuples(st.just("issue"), st.integers(0, 5)),
    st.tuples(st.just("correct"), st.integers(0, 30), st.integers(0, 600)),
    st.tuples(st.just("write_off"), st.integers(0, 30)),
    st.tuples(st.just("update"), st.integers(0, 30), st.integers(1, 600)),
    st.tuples(st.just("cancel"), st.integers(0, 30)),
    st.tuples(st.just("cover"), st.sampled_from(TICKETS), st.booleans()),
)


def _pick(items, index):
    return items[index % len(items)] if items else None


def _apply(world, tickets, services, step):
    kind, *args = step
    work = list(Booking.objects.filter(kind=BookingKind.WORK).order_by("pk"))
    if kind == "book":
        name, month, day, minutes, free_type = args
        day = month.replace(day=min(day, 28 if month.month == 2 else 30))
        book(world, tickets[name], day, minutes, services[free_type])
    elif kind == "run":
        run(world, args[0])
    elif kind == "issue":
        draft = _pick(list(Invoice.objects.filter(status="draft").order_by("pk")), args[0])
        if draft is not None:
            issue(world, draft)
    elif kind in ("correct", "write_off"):
        booking = _pick(work, args[0])
        if booking is None:
            return
        query = booking_query_open(acting_user=world.coordinator, booking=booking, reason="Zu viel")
        booking_query_resolve(
            acting_user=world.cs_responsible,
            query=query,
            outcome="corrected" if kind == "correct" else "written_off",
            reason="Entscheid",
            corrected_minutes=args[1] if kind == "correct" else None,
        )
    elif kind == "update":
        booking = _pick(work, args[0])
        if booking is not None:
            booking_update(
                acting_user=world.cs_responsible,
                booking=booking,
                version=booking.version,
                day=booking.day,
                minutes=args[1],
                activity=booking.activity,
            )
    elif kind == "cancel":
        booking = _pick(work, args[0])
        if booking is not None:
            booking_cancel(acting_user=world.cs_responsible, booking=booking, version=None)
    elif kind == "cover":
        ticket = tickets[args[0]]
        ticket.refresh_from_db()
        ticket_decide_coverage(
            acting_user=world.cs_agent,
            ticket=ticket,
            version=ticket.version,
            coverage=Coverage.PRODUCT_DEFECT if args[1] else Coverage.HOWTO,
            reason="Neu beurteilt",
        )


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(moves=st.lists(steps, min_size=1, max_size=14))
def test_it_balances_every_invoice_for_any_sequence(world, analyse, umsetzung, moves):
    with time_machine.travel(at(TODAY), tick=False), transaction.atomic():
        tickets = {
            "partnership": file_ticket(world, title="Partnerschaft"),
            "lead": file_ticket(world, order=world.lead_order, title="Lead"),
            "not_covered": not_covered(world, file_ticket(world, title="Nicht gedeckt")),
            "covered": file_ticket(world, title="Gedeckt"),
        }
        ticket_decide_coverage(
            acting_user=world.cs_agent,
            ticket=tickets["covered"],
            version=tickets["covered"].version,
            coverage=Coverage.OPERATIONS_INCIDENT,
            reason="Betrieb",
        )
        services = {True: analyse, False: umsetzung}
        for move in moves:
            with contextlib.suppress(ActionError, ValidationError):
                _apply(world, tickets, services, move)
            assert_books_balance()
        # A final run of the last month takes everything billable that is left, except
        # what waits because its party's invoice of that month is issued already.
        run(world, DEC)
        assert_books_balance()
        waiting = (
            Booking.objects.live()
            .uninvoiced()
            .exclude(billing=Billing.FREE)
            .exclude(billable_minutes=0)
        )
        issued_parties = set(
            Invoice.objects.filter(month=DEC, status="issued").values_list("party", flat=True)
        )
        assert set(waiting.values_list("bill_to", flat=True)) <= issued_parties
        # Free bookings are never invoiced; what is invoiced adds up per party.
        assert not InvoiceLine.objects.filter(booking__billing=Billing.FREE).exists()
        for invoice in Invoice.objects.all():
            assert invoice.total == (
                Booking.objects.filter(invoice_line__invoice=invoice).aggregate(s=Sum("amount"))[
                    "s"
                ]
                or Decimal("0.00")
            )
        transaction.set_rollback(True)


# --- known gaps in the correction rules (efforts/actions.py, efforts/billing.py) -----------
# Corrections take earlier corrections, a lead order's free part and later coverage
# decisions into account: a credit never takes back more than was billed.


def _net(booking) -> Decimal:
    booking.refresh_from_db()
    return booking.amount + sum((c.amount for c in booking.corrections.all()), Decimal("0.00"))


def _correct(world, booking, minutes):
    query = booking_query_open(acting_user=world.coordinator, booking=booking, reason="Zu viel")
    return booking_query_resolve(
        acting_user=world.cs_responsible,
        query=query,
        outcome="corrected",
        reason="Korrigiert",
        corrected_minutes=minutes,
    )


@pytest.mark.django_db
def test_it_credits_no_more_than_was_billed_when_corrected_twice(world, analyse):
    with time_machine.travel(at(datetime.date(2026, 11, 10)), tick=False):
        booking = book(world, file_ticket(world), datetime.date(2026, 10, 5), 60, analyse)
        _correct(world, booking, 30)
        _correct(world, booking, 30)  # the same decision again: should change nothing
    assert _net(booking) == Decimal("80.00")


@pytest.mark.django_db
def test_it_credits_only_the_billed_part_of_a_lead_booking(world, analyse):
    with time_machine.travel(at(datetime.date(2026, 11, 10)), tick=False):
        lead = file_ticket(world, order=world.lead_order, title="Lead")
        book(world, lead, datetime.date(2026, 10, 5), 1140, analyse)  # 19 of 20 free hours
        split = book(world, lead, datetime.date(2026, 10, 6), 120, analyse)  # 60 free, 60 billed
        assert Booking.objects.get(pk=split.pk).billable_minutes == 60
        _correct(world, split, 0)
    assert _net(split) == Decimal("0.00")


@pytest.mark.django_db
def test_it_frees_the_correction_when_the_ticket_becomes_covered(world, analyse):
    with time_machine.travel(at(datetime.date(2026, 11, 10)), tick=False):
        ticket = file_ticket(world)
        booking = book(world, ticket, datetime.date(2026, 10, 5), 60, analyse)
        _correct(world, booking, 30)
        ticket.refresh_from_db()
        ticket_decide_coverage(
            acting_user=world.cs_agent,
            ticket=ticket,
            version=ticket.version,
            coverage=Coverage.PRODUCT_DEFECT,
            reason="Produktfehler",
        )
    assert _net(booking) == Decimal("0.00")
