"""Property: no sequence of allowed actions (and refused ones) reaches a ticket whose phase,
side and responsible contradict each other."""

import contextlib
import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerdesk.lib.errors import ActionError
from partnerdesk.tickets import actions
from partnerdesk.tickets.models import Coverage, Priority, Ticket
from partnerdesk.tickets.phases import PHASE_SIDE, Phase, Side, responsible_problem
from tests.tickets_helpers import file_ticket

pytestmark = pytest.mark.django_db

PEOPLE = [
    "cs_agent",
    "expert",
    "employee",
    "coordinator",
    "customer_contact",
    "outsider_partner",
    "outsider_customer",
]

step = st.one_of(
    st.tuples(st.just("check"), st.sampled_from(PEOPLE)),
    st.tuples(
        st.just("hand_over"),
        st.sampled_from(list(Phase.values)),
        st.sampled_from([*PEOPLE, "team"]),
    ),
    st.tuples(st.just("ask"), st.sampled_from(PEOPLE)),
    st.tuples(st.just("answer"), st.sampled_from(PEOPLE)),
    st.tuples(st.just("solve"), st.sampled_from(PEOPLE)),
    st.tuples(st.just("confirm"), st.sampled_from(PEOPLE)),
    st.tuples(st.just("reopen"), st.sampled_from(PEOPLE)),
    st.tuples(st.just("coverage"), st.sampled_from(list(Coverage.values))),
    st.tuples(st.just("escalate"), st.sampled_from(PEOPLE)),
)


def _apply(world, ticket, move):
    kind, *args = move
    who = lambda name: world.team if name == "team" else world.persona(name)  # noqa: E731
    common = {"ticket": ticket, "version": ticket.version}
    if kind == "check":
        actions.ticket_check(
            acting_user=who(args[0]),
            next_steps="Analyse",
            estimated_resolution_on=datetime.date.today() + datetime.timedelta(days=3),
            **common,
        )
    elif kind == "hand_over":
        target = who(args[1])
        team, person = (target, None) if args[1] == "team" else (None, target)
        actions.ticket_hand_over(
            acting_user=world.cs_agent, phase=args[0], team=team, person=person, **common
        )
    elif kind == "ask":
        actions.ticket_ask(
            acting_user=world.cs_agent, person=who(args[0]), question="Frage", **common
        )
    elif kind == "answer":
        actions.ticket_answer(acting_user=who(args[0]), answer="Antwort", **common)
    elif kind == "solve":
        actions.ticket_propose_solution(acting_user=who(args[0]), solution="Lösung", **common)
    elif kind == "confirm":
        actions.ticket_confirm(acting_user=who(args[0]), **common)
    elif kind == "reopen":
        actions.ticket_reopen(acting_user=who(args[0]), reason="Nein", **common)
    elif kind == "coverage":
        actions.ticket_decide_coverage(
            acting_user=world.cs_agent, coverage=args[0], reason="Grund", **common
        )
    elif kind == "escalate":
        actions.ticket_escalate(acting_user=who(args[0]), reason="Eilt", **common)


def _assert_consistent(ticket):
    assert ticket.side == PHASE_SIDE[ticket.phase]
    team = ticket.responsible_team
    person = ticket.responsible_person
    assert responsible_problem(phase=ticket.phase, team=team, person=person, ticket=ticket) is None
    if ticket.side == Side.DONE:
        assert team is None and person is None
    if ticket.phase != Phase.NEW and ticket.phase not in (
        Phase.SOLVED,
        Phase.SOLVED_CUSTOMER,
        Phase.CLOSED,
        Phase.REJECTED,
    ):
        assert ticket.checked_at is not None


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(moves=st.lists(step, max_size=12))
def test_it_never_reaches_a_contradictory_state(world, moves):
    ticket = file_ticket(world, priority=Priority.URGENT)
    for move in moves:
        with contextlib.suppress(ActionError, ValidationError):
            _apply(world, ticket, move)
        ticket = Ticket.objects.select_related("responsible_person__organisation", "contract").get(
            pk=ticket.pk
        )
        _assert_consistent(ticket)
    times = ticket.vendor_seconds + ticket.partner_seconds + ticket.customer_seconds
    assert times >= 0
