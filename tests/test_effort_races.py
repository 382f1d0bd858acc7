"""Two writers at once on PostgreSQL: the ticket and its order are locked, so lead hours are
never handed out twice and a booking never escapes a coverage decision."""

import datetime
import os
import threading

import pytest
from django.db import connection

from partnerdesk.contracts.models import ServiceType
from partnerdesk.efforts import actions
from partnerdesk.efforts.models import Booking
from tests.tickets_helpers import file_ticket

TODAY = datetime.date.today()
pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="SQLite serialises all writers; the row locks are tested on PostgreSQL",
)


def _interleave(monkeypatch, other):
    """Run ``other`` in a second connection while the first booking's transaction is open."""
    original, state = actions._check_budget, {"done": False}

    def check_budget(order, now):
        if not state["done"]:
            state["done"] = True
            errors = []

            def run():
                try:
                    other()
                except Exception as error:  # reported to the test below
                    errors.append(error)
                finally:
                    connection.close()

            thread = threading.Thread(target=run)
            thread.start()
            # The other writer must wait for our locks: give it time to try, then go on.
            thread.join(timeout=1)
            state["thread"], state["errors"] = thread, errors
        return original(order, now)

    monkeypatch.setattr(actions, "_check_budget", check_budget)
    return state


def test_it_never_gives_more_free_lead_hours_than_approved(transactional_db, world, monkeypatch):
    analyse = ServiceType.objects.get(code="analyse")
    first = file_ticket(world, order=world.lead_order, title="A")
    second = file_ticket(world, order=world.lead_order, title="B")
    state = _interleave(
        monkeypatch,
        lambda: actions.booking_create(
            acting_user=world.expert, ticket=second, day=TODAY, minutes=960, activity=analyse
        ),
    )
    actions.booking_create(
        acting_user=world.cs_agent, ticket=first, day=TODAY, minutes=960, activity=analyse
    )
    state["thread"].join(timeout=20)
    assert not state["errors"]
    free = sum(b.free_minutes for b in Booking.objects.filter(ticket__order=world.lead_order))
    assert free == 20 * 60  # 20 approved hours, 32 booked


def test_it_bills_nothing_on_a_ticket_decided_covered_while_booking(
    transactional_db, world, monkeypatch
):
    from partnerdesk.tickets import actions as ticket_actions
    from partnerdesk.tickets.models import Coverage, Ticket

    analyse = ServiceType.objects.get(code="analyse")
    ticket = file_ticket(world)

    def decide():
        current = Ticket.objects.get(pk=ticket.pk)
        ticket_actions.ticket_decide_coverage(
            acting_user=world.cs_responsible,
            ticket=current,
            version=current.version,
            coverage=Coverage.PRODUCT_DEFECT,
            reason="Fehler im Standard",
        )

    state = _interleave(monkeypatch, decide)
    booking = actions.booking_create(
        acting_user=world.cs_agent, ticket=ticket, day=TODAY, minutes=60, activity=analyse
    )
    state["thread"].join(timeout=20)
    assert not state["errors"]
    booking.refresh_from_db()
    assert booking.billing == "free"
