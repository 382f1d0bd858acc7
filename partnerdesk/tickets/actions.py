"""Every write on a ticket. Each action is atomic, checks the caller's right and the ticket's
version, keeps phase/side/responsible consistent through :func:`_move`, writes the journal and
queues notifications after commit.

Every action takes an optional ``now`` (default: the current time): the moment it happens.
The demo replays its history with it; nothing else should need it."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerdesk.contracts.models import BillTo, Contract, Order, OrderKind
from partnerdesk.lib.errors import Forbidden, RuleViolation, StaleVersion
from partnerdesk.parties.models import CSTeam, Organisation, OrganisationKind, Role, User
from partnerdesk.tickets import notifications
from partnerdesk.tickets.models import (
    COVERED,
    Attachment,
    Classification,
    Coverage,
    EventKind,
    IdempotencyKey,
    Priority,
    Ticket,
    TicketCounter,
    TicketEvent,
)
from partnerdesk.tickets.phases import (
    PHASE_SIDE,
    Phase,
    Side,
    responsible_problem,
)

SOLVED_PHASES = frozenset({Phase.SOLVED, Phase.SOLVED_CUSTOMER})
# Leaving "new" into these needs no next steps: the first handling settled the ticket.
SETTLING_PHASES = SOLVED_PHASES | {Phase.CLOSED, Phase.REJECTED}


# --- shared mechanics -------------------------------------------------------------------


def _require_vendor(user: User) -> None:
    if not user.is_vendor_staff:
        raise Forbidden(
            _("Nur Mitarbeitende von %(vendor)s dürfen das.") % {"vendor": settings.VENDOR_NAME}
        )


def require_vendor(user: User) -> None:
    """Refuse (403) anyone but vendor staff. Public so that the API can refuse before it
    looks up the people or teams named in a request."""
    _require_vendor(user)


def _lock(ticket: Ticket, version: int | None) -> Ticket:
    """The ticket row, locked for this transaction; refuses a stale ``version``."""
    locked = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("contract", "partner", "customer", "contact_team")
        .get(pk=ticket.pk)
    )
    if version is not None and locked.version != version:
        raise StaleVersion(
            _(
                "Das Ticket wurde inzwischen geändert (Version %(now)s, nicht %(sent)s). "
                "Bitte neu laden."
            )
            % {"now": locked.version, "sent": version}
        )
    return locked


def _journal(
    ticket: Ticket,
    kind: str,
    author: User | None,
    *,
    text: str = "",
    internal: bool = False,
    now: datetime.datetime,
    **data,
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        author=author,
        text=text,
        internal=internal,
        created_at=now,
        data=data,
    )


def _move(
    ticket: Ticket,
    *,
    phase: str,
    now: datetime.datetime,
    team: CSTeam | None = None,
    person: User | None = None,
) -> dict:
    """Set phase and responsible together, or refuse; books the time spent on the old side.

    Returns what changed, for the journal.
    """
    problem = responsible_problem(phase=phase, team=team, person=person, ticket=ticket)
    if problem:
        raise RuleViolation(problem)
    if (
        ticket.phase == Phase.NEW
        and phase not in (Phase.NEW, *SETTLING_PHASES)
        and not (ticket.next_steps.strip() and ticket.estimated_resolution_on)
    ):
        raise RuleViolation(
            _(
                "Ein neues Ticket verlässt die Erstprüfung nur gelöst oder mit nächsten "
                "Schritten und geschätztem Lösungsdatum."
            ),
            code="check_incomplete",
        )
    before = {"phase": ticket.phase, "responsible": ticket.responsible_label, "side": ticket.side}
    new_side = PHASE_SIDE[phase]
    if new_side != ticket.side:
        if ticket.side != Side.DONE:
            clock = max(0, int((now - ticket.side_since).total_seconds()))
            sla = ticket.contract.sla_seconds_between(ticket.side_since, now)
            setattr(
                ticket, f"{ticket.side}_seconds", getattr(ticket, f"{ticket.side}_seconds") + clock
            )
            setattr(
                ticket,
                f"{ticket.side}_sla_seconds",
                getattr(ticket, f"{ticket.side}_sla_seconds") + sla,
            )
        ticket.side = new_side
        ticket.side_since = now
    if ticket.phase == Phase.NEW and phase != Phase.NEW and ticket.checked_at is None:
        ticket.checked_at = now
    ticket.phase = phase
    ticket.responsible_team = team
    ticket.responsible_person = person
    if phase in (Phase.CLOSED, Phase.REJECTED):
        ticket.closed_at = now
    elif ticket.closed_at is not None:
        ticket.closed_at = None
    return {
        "from_phase": before["phase"],
        "to_phase": phase,
        "from_responsible": before["responsible"],
        "to_responsible": ticket.responsible_label,
        "from_side": before["side"],
        "to_side": new_side,
    }


def _save(ticket: Ticket, now: datetime.datetime) -> Ticket:
    ticket.version = F("version") + 1
    ticket.updated_at = now
    ticket.save()
    ticket.refresh_from_db(fields=["version"])
    return ticket


def _touch(ticket: Ticket, now: datetime.datetime) -> None:
    """Mark an append (comment, attachment, meeting): the ticket's state and version stay,
    so an append never makes someone else's next write stale."""
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=now)
    ticket.updated_at = now


def _draw_number(now: datetime.datetime) -> str:
    year = timezone.localtime(now).year
    TicketCounter.objects.get_or_create(year=year)
    counter = TicketCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}-{counter.last:05d}"


def _vendor_person(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    return (
        User.objects.select_related("organisation")
        .filter(pk=user_id, organisation__kind=OrganisationKind.VENDOR, is_active=True)
        .first()
    )


# --- filing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filed:
    ticket: Ticket
    replayed: bool = False


def body_hash(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _filing_contract(
    user: User, *, order: Order | None, customer: Organisation, contract: Contract | None, today
) -> Contract:
    """The valid contract a ticket of ``user`` for ``customer`` is filed under, or refuse."""
    org = user.organisation
    if org.kind == OrganisationKind.PARTNER:
        if order is None:
            raise RuleViolation(_("Bitte wählen Sie einen Auftrag."), code="order_required")
        if order.partner_id != org.pk or not order.is_active:
            raise RuleViolation(_("Dieser Auftrag ist nicht verfügbar."), code="order_unavailable")
        if order.customer_id and order.customer_id != customer.pk:
            raise RuleViolation(
                _("Dieser Auftrag gilt für einen anderen Kunden."), code="order_customer_mismatch"
            )
        contracts = Contract.objects.filter(partner_id=org.pk, customer_id=customer.pk).valid_on(
            today
        )
        chosen = contracts.filter(pk=contract.pk).first() if contract else contracts.first()
        if chosen is None:
            raise RuleViolation(
                _("Ihr Partner betreut diesen Kunden unter keinem gültigen Vertrag."),
                code="no_contract",
            )
        if not chosen.partners_may_file:
            raise RuleViolation(
                _(
                    "Laut Vertrag erfasst der Kunde seine Tickets selbst; "
                    "Partner dürfen hier nicht erfassen."
                ),
                code="filing_not_allowed",
            )
        return chosen
    if org.kind == OrganisationKind.CUSTOMER:
        if customer.pk != org.pk:
            raise RuleViolation(
                _("Sie können nur für Ihre eigene Organisation erfassen."), code="wrong_customer"
            )
        contracts = Contract.objects.filter(customer_id=org.pk).valid_on(today)
        chosen = contracts.filter(pk=contract.pk).first() if contract else contracts.first()
        if chosen is None:
            raise RuleViolation(_("Es gibt keinen gültigen Vertrag."), code="no_contract")
        if not chosen.customers_may_file:
            raise RuleViolation(
                _("Laut Vertrag erfasst Ihr Partner die Tickets; bitte wenden Sie sich an ihn."),
                code="filing_not_allowed",
            )
        return chosen
    raise Forbidden(
        _("Tickets erfassen Partner und Kunden; %(vendor)s bearbeitet sie.")
        % {"vendor": settings.VENDOR_NAME}
    )


def ticket_file(
    *,
    acting_user: User,
    customer: Organisation,
    title: str,
    description: str,
    order: Order | None = None,
    contract: Contract | None = None,
    priority: str = Priority.NORMAL,
    planned_minutes: int | None = None,
    attachments: list[UploadedFile] = (),
    idempotency_key: str | None = None,
    request_hash: str | None = None,
    now: datetime.datetime | None = None,
) -> Filed:
    """File a ticket in phase "new", assigned to the CS team responsible for its partner.

    With ``idempotency_key`` the same key and body return the ticket filed first.
    """
    if idempotency_key:
        existing = (
            IdempotencyKey.objects.filter(user=acting_user, key=idempotency_key)
            .select_related("ticket")
            .first()
        )
        if existing is not None:
            if existing.body_hash != request_hash:
                raise RuleViolation(
                    _("Dieser Idempotency-Key wurde schon für eine andere Anfrage verwendet."),
                    code="idempotency_key_reused",
                )
            return Filed(ticket=existing.ticket, replayed=True)
    title, description = title.strip(), description.strip()
    errors = {}
    if not title:
        errors["title"] = _("Bitte geben Sie einen Titel an.")
    if len(title) > 200:
        errors["title"] = _("Höchstens 200 Zeichen.")
    if not description:
        errors["description"] = _("Bitte beschreiben Sie das Anliegen.")
    if priority not in Priority.values:
        errors["priority"] = _("Unbekannte Priorität.")
    if order is not None and order.kind == OrderKind.ENGAGEMENT and not planned_minutes:
        errors["planned_minutes"] = _(
            "Beim planbaren Partnersupport gehört zu jedem Ticket der geplante Aufwand."
        )
    if planned_minutes is not None and planned_minutes <= 0:
        errors["planned_minutes"] = _("Der geplante Aufwand muss grösser als null sein.")
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            chosen = _filing_contract(
                acting_user,
                order=order,
                customer=customer,
                contract=contract,
                today=timezone.localdate(now),
            )
            partner = chosen.partner
            team = chosen.contact_team
            ticket = Ticket(
                number=_draw_number(now),
                contract=chosen,
                order=order,
                partner=partner,
                customer=customer,
                filed_by=acting_user,
                title=title,
                description=description,
                priority=priority,
                planned_minutes=planned_minutes,
                classification=Classification.SUPPORT,
                phase=Phase.NEW,
                side=Side.VENDOR,
                side_since=now,
                contact_team=team,
                responsible_team=team,
                check_due_at=chosen.sla_deadline(now),
                created_at=now,
                updated_at=now,
            )
            ticket.save()
            event = _journal(
                ticket, EventKind.FILED, acting_user, text=description, now=now, priority=priority
            )
            for upload in attachments:
                _attach(ticket, upload, acting_user, internal=False, now=now)
            if idempotency_key:
                IdempotencyKey.objects.create(
                    user=acting_user,
                    key=idempotency_key,
                    body_hash=request_hash or "",
                    ticket=ticket,
                )
            notifications.after_commit(notifications.TICKET_FILED, ticket, event)
    except IntegrityError:
        if idempotency_key:
            existing = IdempotencyKey.objects.filter(user=acting_user, key=idempotency_key).first()
            if existing is not None and existing.body_hash == request_hash:
                return Filed(ticket=existing.ticket, replayed=True)
        raise
    return Filed(ticket=ticket)


# --- vendor handling --------------------------------------------------------------------


def ticket_check(
    *,
    acting_user: User,
    ticket: Ticket,
    version: int | None,
    next_steps: str,
    estimated_resolution_on: datetime.date,
    responsible_person: User | None = None,
    now: datetime.datetime | None = None,
) -> Ticket:
    """The first check: record next steps and an estimate and take the ticket into work."""
    _require_vendor(acting_user)
    next_steps = next_steps.strip()
    if not next_steps:
        raise RuleViolation(
            _("Bitte halten Sie die nächsten Schritte fest."), code="next_steps_required"
        )
    if estimated_resolution_on is None:
        raise RuleViolation(
            _("Bitte geben Sie ein geschätztes Lösungsdatum an."), code="estimate_required"
        )
    with transaction.atomic():
        ticket = _lock(ticket, version)
        now = now or timezone.now()
        if ticket.phase != Phase.NEW:
            raise RuleViolation(_("Die Erstprüfung ist bereits erfolgt."), code="already_checked")
        if estimated_resolution_on < timezone.localdate(now):
            raise RuleViolation(
                _("Das geschätzte Lösungsdatum liegt in der Vergangenheit."),
                code="estimate_in_past",
            )
        ticket.next_steps = next_steps
        ticket.estimated_resolution_on = estimated_resolution_on
        person = responsible_person or acting_user
        change = _move(ticket, phase=Phase.IN_PROGRESS, person=person, now=now)
        _save(ticket, now)
        event = _journal(
            ticket,
            EventKind.CHECK,
            acting_user,
            text=next_steps,
            now=now,
            estimate=estimated_resolution_on.isoformat(),
            **change,
        )
    notifications.after_commit(notifications.HANDED_TO_YOU, ticket, event)
    return ticket


def ticket_set_estimate(
    *,
    acting_user: User,
    ticket: Ticket,
    version: int | None,
    estimated_resolution_on: datetime.date,
    reason: str,
    now: datetime.datetime | None = None,
) -> Ticket:
    """Change the estimated resolution date; every change keeps its reason."""
    _require_vendor(acting_user)
    reason = reason.strip()
    if not reason:
        raise RuleViolation(
            _("Bitte begründen Sie die Änderung der Schätzung."), code="reason_required"
        )
    with transaction.atomic():
        ticket = _lock(ticket, version)
        now = now or timezone.now()
        if not ticket.is_open:
            raise RuleViolation(_("Das Ticket ist erledigt."), code="ticket_done")
        previous = ticket.estimated_resolution_on
        ticket.estimated_resolution_on = estimated_resolution_on
        _save(ticket, now)
        _journal(
            ticket,
            EventKind.ESTIMATE,
            acting_user,
            text=reason,
            now=now,
            previous=previous.isoformat() if previous else None,
            estimate=estimated_resolution_on.isoformat(),
        )
    return ticket


def ticket_hand_over(
    *,
    acting_user: User,
    ticket: Ticket,
    version: int | None,
    phase: str,
    team: CSTeam | None = None,
    person: User | None = None,
    comment: str = "",
    now: datetime.datetime | None = None,
) -> Ticket:
    """Change phase and responsible together (the vendor's general hand-over).

    Routing to an expert keeps the partner's contact team; handing to a partner or customer
    person puts the ticket on their side.
    """
    _require_vendor(acting_user)
    if phase not in PHASE_SIDE:
        raise RuleViolation(_("Unbekannte Phase."), code="unknown_phase")
    if phase in SOLVED_PHASES | {Phase.CLOSED, Phase.REJECTED}:
        raise RuleViolation(
            _("Lösungen, Abschluss und Zurückweisung haben eigene Schritte."),
            code="use_dedicated_action",
        )
    with transaction.atomic():
        ticket = _lock(ticket, version)
        now = now or timezone.now()
        if not ticket.is_open:
            # A rejected ticket comes back only through a revised coverage decision.
            raise RuleViolation(_("Das Ticket ist erledigt."), code="ticket_done")
        change = _move(ticket, phase=phase, team=team, person=person, now=now)
        if phase in (Phase.PARTNER_QUESTION, Phase.CUSTOMER_QUESTION):
            ticket.asked_by = acting_user
        _save(ticket, now)
        event = _journal(
            ticket,
            EventKind.QUESTION
            if phase in (Phase.PARTNER_QUESTION, Phase.CUSTOMER_QUESTION)
            else EventKind.HANDOVER,
            acting_user,
            text=comment.strip(),
            now=now,
            **change,
        )
    notifications.after_commit(notifications.HANDED_TO_YOU, ticket, event)
    return ticket


def ticket_ask(
    *,
    acting_user: User,
    ticket: Ticket,
    version: int | None,
    person: User,
    question: str,
    now: datetime.datetime | None = None,
) -> Ticket:
    """Hand the ticket to a partner or customer person with a question."""
    question = question.strip()
    if not question:
        raise RuleViolation(_("Bitte formulieren Sie die Rückfrage."), code="question_required")
    kind = person.organisation.kind
    if kind not in (OrganisationKind.PARTNER, OrganisationKind.CUSTOMER):
        raise RuleViolation(
            _("Rückfragen gehen an den Partner oder den Kunden."), code="wrong_side"
        )
    phase = Phase.PARTNER_QUESTION if kind == OrganisationKind.PARTNER else Phase.CUSTOMER_QUESTION
    return ticket_hand_over(
        acting_user=acting_user,
        ticket=ticket,
        version=version,
        phase=phase,
        person=person,
        comment=question,
        now=now,
    )


def ticket_answer(
    *,
    acting_user: User,
    ticket: Ticket,
    version: int | None,
    answer: str,
    now: datetime.datetime | None = None,
) -> Ticket:
    """The partner or customer answers a question; the ticket returns to the person who asked."""
    answer = answer.strip()
    if not answer:
        raise RuleViolation(_("Bitte geben Sie eine Antwort ein."), code="answer_required")
    with transaction.atomic():
        ticket = _lock(ticket, version)
        now = now or timezone.now()
        if ticket.phase not in (Phase.PARTNER_QUESTION, Phase.CUSTOMER_QUESTION):
            raise RuleViolation(
                _("Zu diesem Ticket ist keine Rückfrage offen."), code="no_question"
            )
        _require_on_side(acting_user, ticket)
        asker = _vendor_person(ticket.asked_by_id)
        if asker is not None:
            change = _move(ticket, phase=Phase.IN_PROGRESS, person=asker, now=now)
        else:
            change = _move(ticket, phase=Phase.IN_PROGRESS, team=ticket.contact_team, now=now)
        ticket.asked_by = None
        _save(ticket, now)
        event = _journal(ticket, EventKind.ANSWER, acting_user, text=answer, now=now, **change)
    notifications.after_commit(notifications.ANSWER_RECEIVED, ticket, event)
    return ticket


def _require_on_side(user: User, ticket: Ticket) -> None:
    """Only people of the side the ticket lies on (its partner or its customer) may act."""
    org_id = ticket.partner_id if ticket.side == Side.PARTNER else ticket.customer_id
    if ticket.side not in (Side.PARTNER, Side.CUSTOMER) or user.organisation_id != org_id:
        raise Forbidden(_("Das Ticket liegt nicht auf Ihrer Seite."))


def ticket_propose_solution(
    *,
    acting_user: User,
    ticket: Ticket,
    version: int | None,
    solution: str,
    now: datetime.datetime | None = None,
) -> Ticket:
    """The vendor proposes a solution; the filing side confirms or reopens."""
    _require_vendor(acting_user)
    solution = solution.strip()
    if not solution:
        raise RuleViolation(_("Bitte beschreiben Sie die Lösung."), code="solution_required")
    with transaction.atomic():
        ticket = _lock(ticket, version)
        now = now or timezone.now()
        if ticket.side != Side.VENDOR:
            raise RuleViolation(
                _("Nur ein Ticket bei %(vendor)s kann gelöst werden.")
                % {"vendor": settings.VENDOR_NAME},
                code="wrong_side",
            )
        confirmer = _confirmer(ticket)
        phase = (
            Phase.SOLVED
            if confirmer.organisation.kind == OrganisationKind.PARTNER
            else Phase.SOLVED_CUSTOMER
        )
        change = _move(ticket, phase=phase, person=confirmer, now=now)
        ticket.solved_by = acting_user
        ticket.solution_proposed_at = now
        _save(ticket, now)
        event = _journal(ticket, EventKind.SOLUTION, acting_user, text=solution, now=now, **change)
    notifications.after_commit(notifications.SOLUTION_PROPOSED, ticket, event)
    return ticket


def _confirmer(ticket: Ticket) -> User:
    """Who confirms a solution: the filer if still active, else the partner's coordinator."""
    filer = ticket.filed_by
    if filer.is_active and filer.organisation_id in (ticket.partner_id, ticket.customer_id):
        return filer
    if ticket.partner_id and ticket.partner.coordinator_id:
        return ticket.partner.coordinator
    contact = ticket.customer.people.filter(is_active=True).order_by("pk").first()
    if contact is None:
        raise RuleViolation(_("Niemand kann diese Lösung bestätigen."), code="no_confirmer")
    return contact


def ticket_confirm(
    *, acting_user: User, ticket: Ticket, version: int | None, now: datetime.datetime | None = None
) -> Ticket:
    """The partner (or customer) confirms the proposed solution: the ticket is closed."""
    with transaction.atomic():
        ticket = _lock(ticket, version)
        now = now or timezone.now()
        if ticket.phase not in SOLVED_PHASES:
            raise RuleViolation(_("Es ist keine Lösung zu bestätigen."), code="nothing_to_confirm")
        _require_on_side(acting_user, ticket)
        change = _move(ticket, phase=Phase.CLOSED, now=now)
        _save(ticket, now)
        _journal(ticket, EventKind.CONFIRMED, acting_user, now=now, **change)
    return ticket


def ticket_reopen(
    *,
    acting_user: User,
    ticket: Ticket,
    version: int | None,
    reason: str,
    now: datetime.datetime | None = None,
) -> Ticket:
    """The partner (or customer) rejects the proposed solution with a reason."""
    reason = reason.strip()
    if not reason:
        raise RuleViolation(
            _("Bitte begründen Sie, warum die Lösung nicht genügt."), code="reason_required"
        )
    with transaction.atomic():
        ticket = _lock(ticket, version)
        now = now or timezone.now()
        if ticket.phase not in SOLVED_PHASES:
            raise RuleViolation(_("Es ist keine Lösung offen."), code="nothing_to_reopen")
        _require_on_side(acting_user, ticket)
        solver = _vendor_person(ticket.solved_by_id)
        if solver is not None:
            change = _move(ticket, phase=Phase.IN_PROGRESS, person=solver, now=now)
        else:
            change = _move(ticket, phase=Phase.IN_PROGRESS, team=ticket.contact_team, now=now)
        ticket.solution_proposed_at = None
        _save(ticket, now)
        event = _journal(ticket, EventKind.REOPENED, acting_user, text=reason, now=now, **change)
    notifications.after_commit(notifications.HANDED_TO_YOU, ticket, event)
    return ticket


def tickets_auto_close(*, now: datetime.datetime | None = None) -> int:
    """Close solutions nobody confirmed within ``PARTNERDESK_AUTO_CLOSE_DAYS``.

    Safe on several workers: each ticket is locked (skipping locked rows) and re-checked.
    """
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.PARTNERDESK_AUTO_CLOSE_DAYS)
    closed = 0
    candidates = Ticket.objects.filter(
        phase__in=SOLVED_PHASES, solution_proposed_at__lte=limit
    ).values_list("pk", flat=True)
    for pk in list(candidates[:1000]):
        with transaction.atomic():
            ticket = (
                Ticket.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("contract")
                .filter(pk=pk, phase__in=SOLVED_PHASES, solution_proposed_at__lte=limit)
                .first()
            )
            if ticket is None:
                continue
            change = _move(ticket, phase=Phase.CLOSED, now=now)
            _save(ticket, now)
            _journal(
                ticket,
                EventKind.AUTO_CLOSED,
                None,
                text=_("Automatisch geschlossen: Lösung nach %(days)s Tagen nicht bestätigt.")
                % {"days": settings.PARTNERDESK_AUTO_CLOSE_DAYS},
                now=now,
                **change,
            )
            closed += 1
    return closed


def ticket_decide_coverage(
    *,
    acting_user: User,
    ticket: Ticket,
    version: int | None,
    coverage: str,
    reason: str,
    now: datetime.datetime | None = None,
) -> Ticket:
    """Record whether the request is a vendor service. Not covered rejects the ticket and
    names the party billed under the contract; a revision to covered reopens it."""
    _require_vendor(acting_user)
    reason = reason.strip()
    if coverage not in Coverage.values or coverage == Coverage.UNDECIDED:
        raise RuleViolation(_("Unbekannte Deckungsart."), code="unknown_coverage")
    if not reason:
        raise RuleViolation(_("Bitte begründen Sie den Entscheid."), code="reason_required")
    with transaction.atomic():
        ticket = _lock(ticket, version)
        now = now or timezone.now()
        if ticket.phase == Phase.CLOSED:
            raise RuleViolation(
                _("Ein geschlossenes Ticket wird nicht mehr beurteilt."), code="ticket_done"
            )
        previous = ticket.coverage
        ticket.coverage = coverage
        ticket.coverage_reason = reason
        ticket.coverage_by = acting_user
        ticket.coverage_at = now
        change: dict = {}
        if coverage in COVERED:
            ticket.bill_to = ""
            if ticket.phase == Phase.REJECTED:
                change = _move(ticket, phase=Phase.IN_PROGRESS, team=ticket.contact_team, now=now)
        else:
            contract = ticket.contract
            ticket.bill_to = (
                BillTo.PARTNER
                if (contract.bill_to == BillTo.PARTNER and ticket.partner_id)
                else BillTo.CUSTOMER
            )
            if ticket.phase != Phase.REJECTED:
                change = _move(ticket, phase=Phase.REJECTED, now=now)
        _save(ticket, now)
        # Who pays for the effort follows the decision (invoiced bookings excepted).
        from partnerdesk.efforts.actions import rederive_ticket

        rederive_ticket(ticket)
        event = _journal(
            ticket,
            EventKind.COVERAGE,
            acting_user,
            text=reason,
            now=now,
            coverage=coverage,
            previous=previous,
            covered=coverage in COVERED,
            bill_to=ticket.bill_to,
            **change,
        )
    if change:
        notifications.after_commit(notifications.HANDED_TO_YOU, ticket, event)
    return ticket


# --- escalation, comments, attachments --------------------------------------------------


def ticket_escalate(
    *,
    acting_user: User,
    ticket: Ticket,
    version: int | None,
    reason: str,
    now: datetime.datetime | None = None,
) -> Ticket:
    """The partner coordinator escalates an urgent ticket to the vendor's project lead."""
    reason = reason.strip()
    with transaction.atomic():
        ticket = _lock(ticket, version)
        now = now or timezone.now()
        if not (
            acting_user.has_role(Role.PARTNER_COORDINATOR)
            and acting_user.organisation_id == ticket.partner_id
        ):
            raise Forbidden(_("Nur die/der Verantwortliche des Partners kann eskalieren."))
        if ticket.priority != Priority.URGENT:
            raise RuleViolation(
                _("Nur dringende Tickets können eskaliert werden."), code="not_urgent"
            )
        if not ticket.is_open:
            raise RuleViolation(_("Das Ticket ist erledigt."), code="ticket_done")
        if ticket.escalated_at is not None:
            raise RuleViolation(_("Das Ticket ist bereits eskaliert."), code="already_escalated")
        if not reason:
            raise RuleViolation(_("Bitte begründen Sie die Eskalation."), code="reason_required")
        ticket.escalated_at = now
        ticket.escalated_by = acting_user
        _save(ticket, now)
        event = _journal(ticket, EventKind.ESCALATION, acting_user, text=reason, now=now)
    notifications.after_commit(notifications.ESCALATED, ticket, event)
    return ticket


def ticket_record_meeting(
    *,
    acting_user: User,
    ticket: Ticket,
    starts_at: datetime.datetime,
    participants: str,
    link: str = "",
    notes: str = "",
    now: datetime.datetime | None = None,
) -> TicketEvent:
    """Record a call or online meeting about the ticket (time, participants, link)."""
    _require_vendor(acting_user)
    if not participants.strip():
        raise RuleViolation(_("Bitte nennen Sie die Teilnehmenden."), code="participants_required")
    if link and not link.startswith(("https://", "http://")):
        raise RuleViolation(_("Der Link muss mit https:// beginnen."), code="invalid_link")
    with transaction.atomic():
        ticket = _lock(ticket, None)
        now = now or timezone.now()
        _touch(ticket, now)
        return _journal(
            ticket,
            EventKind.MEETING,
            acting_user,
            text=notes.strip(),
            now=now,
            starts_at=starts_at.isoformat(),
            participants=participants.strip(),
            link=link,
        )


def ticket_comment(
    *,
    acting_user: User,
    ticket: Ticket,
    text: str,
    internal: bool = False,
    now: datetime.datetime | None = None,
) -> TicketEvent:
    """A comment everyone on the ticket sees, or an internal note (vendor only)."""
    text = text.strip()
    if not text:
        raise RuleViolation(_("Bitte schreiben Sie einen Text."), code="text_required")
    if internal:
        _require_vendor(acting_user)
    with transaction.atomic():
        ticket = _lock(ticket, None)
        now = now or timezone.now()
        _touch(ticket, now)
        event = _journal(
            ticket,
            EventKind.NOTE if internal else EventKind.COMMENT,
            acting_user,
            text=text,
            internal=internal,
            now=now,
        )
    if not internal:
        notifications.after_commit(notifications.COMMENTED, ticket, event)
    return event


def _attach(ticket: Ticket, upload: UploadedFile, user: User, *, internal: bool, now) -> Attachment:
    limit = settings.PARTNERDESK_MAX_ATTACHMENT_MB * 1024 * 1024
    if upload.size > limit:
        raise RuleViolation(
            _("Die Datei ist grösser als %(mb)s MB.")
            % {"mb": settings.PARTNERDESK_MAX_ATTACHMENT_MB},
            code="attachment_too_large",
        )
    name = (upload.name or "datei").rsplit("/", 1)[-1][:200]
    event = _journal(
        ticket, EventKind.ATTACHMENT, user, text=name, internal=internal, now=now, size=upload.size
    )
    return Attachment.objects.create(
        ticket=ticket,
        event=event,
        file=upload,
        name=name,
        size=upload.size,
        content_type=(upload.content_type or "application/octet-stream")[:100],
        internal=internal,
        uploaded_by=user,
        created_at=now,
    )


def ticket_attach(
    *,
    acting_user: User,
    ticket: Ticket,
    upload: UploadedFile,
    internal: bool = False,
    now: datetime.datetime | None = None,
) -> Attachment:
    """Attach a file to the ticket (internal attachments only by vendor staff)."""
    if internal:
        _require_vendor(acting_user)
    with transaction.atomic():
        ticket = _lock(ticket, None)
        now = now or timezone.now()
        _touch(ticket, now)
        return _attach(ticket, upload, acting_user, internal=internal, now=now)
