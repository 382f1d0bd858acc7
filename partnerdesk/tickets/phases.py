"""Phases, the side each belongs to, and the one rule that ties phase and responsible.

The rule is data (``PHASE_SIDE``, ``SIDE_RESPONSIBLE``) plus one function
(:func:`responsible_problem`); every action that changes phase or responsible goes through it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Side(models.TextChoices):
    VENDOR = "vendor", _("Hersteller")
    PARTNER = "partner", _("Partner")
    CUSTOMER = "customer", _("Kunde")
    DONE = "done", _("Erledigt")


class Phase(models.TextChoices):
    NEW = "new", _("Neu")
    IN_PROGRESS = "in_progress", _("Bei %(vendor)s in Bearbeitung")
    EXPERT = "expert", _("Bei %(vendor)s – Experte")
    PARTNER_QUESTION = "partner_question", _("Beim Partner – Rückfrage")
    CUSTOMER_QUESTION = "customer_question", _("Beim Kunden – Rückfrage")
    SOLVED = "solved", _("Gelöst – Bestätigung durch Partner")
    SOLVED_CUSTOMER = "solved_customer", _("Gelöst – Bestätigung durch Kunde")
    CLOSED = "closed", _("Geschlossen")
    REJECTED = "rejected", _("Zurückgewiesen")


PHASE_SIDE: dict[str, str] = {
    Phase.NEW: Side.VENDOR,
    Phase.IN_PROGRESS: Side.VENDOR,
    Phase.EXPERT: Side.VENDOR,
    Phase.PARTNER_QUESTION: Side.PARTNER,
    Phase.CUSTOMER_QUESTION: Side.CUSTOMER,
    Phase.SOLVED: Side.PARTNER,
    Phase.SOLVED_CUSTOMER: Side.CUSTOMER,
    Phase.CLOSED: Side.DONE,
    Phase.REJECTED: Side.DONE,
}

OPEN_PHASES = frozenset(p for p, side in PHASE_SIDE.items() if side != Side.DONE)


@dataclass(frozen=True)
class ResponsibleRule:
    """Who may be responsible on a side."""

    team_allowed: bool
    person_kind: str | None  # kind of organisation the person must belong to
    required: bool = True


SIDE_RESPONSIBLE: dict[str, ResponsibleRule] = {
    Side.VENDOR: ResponsibleRule(team_allowed=True, person_kind="vendor"),
    Side.PARTNER: ResponsibleRule(team_allowed=False, person_kind="partner"),
    Side.CUSTOMER: ResponsibleRule(team_allowed=False, person_kind="customer"),
    Side.DONE: ResponsibleRule(team_allowed=False, person_kind=None, required=False),
}


def phase_label(phase: str) -> str:
    """The phase's label in the active language, with the vendor's name."""
    return gettext(Phase(phase).label) % {"vendor": settings.VENDOR_NAME}


def side_of(phase: str) -> str:
    return PHASE_SIDE[phase]


def responsible_problem(*, phase: str, team, person, ticket) -> str | None:
    """Why ``team``/``person`` cannot be responsible in ``phase`` of ``ticket`` (None: fine).

    The person of a partner side must belong to the ticket's partner, the person of a
    customer side to the ticket's customer; the vendor side takes a CS team or a vendor person,
    never both; a done ticket has no responsible.
    """
    side = PHASE_SIDE.get(phase)
    if side is None:
        return gettext("Unbekannte Phase.")
    rule = SIDE_RESPONSIBLE[side]
    if team is not None and person is not None:
        return gettext("Verantwortlich ist entweder ein Team oder eine Person, nicht beides.")
    if side == Side.DONE:
        if team is not None or person is not None:
            return gettext("Ein erledigtes Ticket hat keine Verantwortlichen.")
        return None
    if team is None and person is None:
        return gettext("Diese Phase braucht eine verantwortliche Person oder ein Team.")
    if team is not None and not rule.team_allowed:
        return gettext("In dieser Phase ist eine Person des Partners oder Kunden verantwortlich.")
    if phase == Phase.NEW and team is None:
        return gettext("Ein neues Ticket liegt beim CS-Team des Partners.")
    if phase == Phase.EXPERT and person is None:
        return gettext("Bei einem Experten ist eine Person verantwortlich.")
    if person is not None:
        if not person.is_active:
            return gettext("Diese Person ist nicht aktiv.")
        kind = person.organisation.kind
        if kind != rule.person_kind:
            return gettext("Die Person gehört nicht zur Seite dieser Phase.")
        if side == Side.PARTNER and person.organisation_id != ticket.partner_id:
            return gettext("Die Person gehört nicht zum Partner dieses Tickets.")
        if side == Side.CUSTOMER and person.organisation_id != ticket.customer_id:
            return gettext("Die Person gehört nicht zum Kunden dieses Tickets.")
    return None
