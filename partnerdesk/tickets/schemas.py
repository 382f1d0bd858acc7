"""API schemas for tickets, their journal and attachments.

What a caller may read of a ticket it can see (``Ticket.objects.visible_to``):

- everything in the list and detail schemas below, including the coverage decision, its
  reason and who made it (the brief puts them on the ticket for all three parties);
- journal entries through ``TicketEvent.objects.visible_to``: internal notes, internal
  attachments and alerts only for vendor staff.

Labels (``phase_label``, coverage ``label``) follow the request's language (Accept-Language;
German by default).
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.utils import timezone
from ninja import Schema
from pydantic import ConfigDict, Field

from partnerdesk.contracts.models import BillTo, Canton, SlaCalendar
from partnerdesk.lib.api import DbId, ErrorOut
from partnerdesk.lib.markdown import render_markdown
from partnerdesk.parties.schemas import OrganisationRef
from partnerdesk.tickets import selectors
from partnerdesk.tickets.models import Attachment, Coverage, Priority, Ticket, TicketEvent
from partnerdesk.tickets.phases import Phase, Side

# --- errors -----------------------------------------------------------------------------


class RefusedOut(ErrorOut):
    """A 422: invalid input (``invalid_input`` with ``errors`` per field) or a refused rule
    (``rule_violation``, ``check_incomplete``, ``filing_not_allowed``,
    ``idempotency_key_reused``, … without ``errors``). Nothing was changed."""

    errors: dict[str, list[str]] | None = Field(
        None, description="Only with code invalid_input: messages per input field."
    )


# Writes on a ticket: refused by a rule (422) or not allowed for the caller (403, also a
# failed CSRF check); writes that carry a version also answer 409 stale_version.
REFUSED: dict[int, Any] = {403: ErrorOut, 422: RefusedOut}
STALE: dict[int, Any] = {409: ErrorOut}


# --- references -------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name: str
    organisation: str = Field(description="The display name of the person's organisation.")

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.full_name

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.display_name


class OrderRef(Schema):
    id: int
    number: str


class TeamRef(Schema):
    id: int
    name: str


class ResponsibleOut(Schema):
    type: Literal["team", "person"]
    id: int
    name: str


def _responsible(ticket: Ticket) -> dict | None:
    if ticket.responsible_person_id:
        person = ticket.responsible_person
        return {"type": "person", "id": person.pk, "name": person.full_name}
    if ticket.responsible_team_id:
        team = ticket.responsible_team
        return {"type": "team", "id": team.pk, "name": team.name}
    return None


# --- tickets ----------------------------------------------------------------------------


class TicketListOut(Schema):
    number: str = Field(description="The ticket's readable number, e.g. 2026-00001.")
    title: str
    customer: OrganisationRef
    partner: OrganisationRef | None
    order: OrderRef | None
    priority: Priority
    phase: Phase
    phase_label: str = Field(description="The phase in the request's language.")
    side: Side = Field(description="Whose turn it is: vendor, partner, customer or done.")
    side_since: datetime.datetime = Field(description="Since when the ticket lies on its side.")
    responsible: ResponsibleOut | None = Field(description="null once the ticket is done.")
    check_due_at: datetime.datetime = Field(description="When the first check is due.")
    check_state: Literal["ok", "due_soon", "breached", "done"] = Field(
        description="The first check: ok, due_soon, breached, or done once it happened."
    )
    estimated_resolution_on: datetime.date | None
    estimate_passed: bool = Field(description="The estimate passed with the ticket still open.")
    escalated: bool
    version: int = Field(description="Send it with every write; an old version answers 409.")

    @staticmethod
    def resolve_phase_label(obj: Ticket) -> str:
        return obj.phase_label

    @staticmethod
    def resolve_responsible(obj: Ticket) -> dict | None:
        return _responsible(obj)

    @staticmethod
    def resolve_check_state(obj: Ticket) -> str:
        return selectors.check_state(obj)

    @staticmethod
    def resolve_estimate_passed(obj: Ticket) -> bool:
        return selectors.estimate_passed(obj)

    @staticmethod
    def resolve_escalated(obj: Ticket) -> bool:
        return obj.escalated_at is not None


class ContractSlaOut(Schema):
    id: int
    number: str
    sla_first_check_hours: int
    sla_calendar: SlaCalendar
    sla_canton: Canton | None

    @staticmethod
    def resolve_sla_canton(obj) -> str | None:
        return obj.sla_canton or None


class CoverageOut(Schema):
    decision: Coverage | None = Field(description="null while undecided.")
    label: str
    covered: bool | None = Field(description="A vendor service (free); null while undecided.")
    reason: str
    by: PersonOut | None
    at: datetime.datetime | None
    bill_to: BillTo | None = Field(description="Not covered: the party the contract bills.")


class SideTimeOut(Schema):
    seconds: int = Field(description="On the clock, including the running stretch.")
    sla_seconds: int = Field(description="In the contract's SLA calendar.")


class TimesOut(Schema):
    vendor: SideTimeOut
    partner: SideTimeOut
    customer: SideTimeOut


class TicketDetailOut(TicketListOut):
    description: str = Field(description="Markdown, as written.")
    description_html: str = Field(description="The description rendered and sanitised.")
    contract: ContractSlaOut
    contact_team: TeamRef = Field(description="The partner's CS team; routing never changes it.")
    next_steps: str
    checked_at: datetime.datetime | None
    coverage: CoverageOut
    times: TimesOut = Field(description="Time spent on each side.")
    escalated_at: datetime.datetime | None
    filed_by: PersonOut
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_description_html(obj: Ticket) -> str:
        return render_markdown(obj.description)

    @staticmethod
    def resolve_coverage(obj: Ticket) -> dict:
        return {
            "decision": obj.coverage or None,
            "label": str(Coverage(obj.coverage).label),
            "covered": obj.is_covered,
            "reason": obj.coverage_reason,
            "by": obj.coverage_by,
            "at": obj.coverage_at,
            "bill_to": obj.bill_to or None,
        }

    @staticmethod
    def resolve_times(obj: Ticket) -> dict:
        now = timezone.now()
        return {
            side: {
                "seconds": obj.seconds_on_side(side, now=now),
                "sla_seconds": obj.seconds_on_side(side, sla=True, now=now),
            }
            for side in (Side.VENDOR, Side.PARTNER, Side.CUSTOMER)
        }


class TicketListQuery(Schema):
    queue: Literal["all", "team", "mine", "escalated"] = Field(
        "all",
        description=(
            "all: every ticket you see; team: the vendor-side queue of your CS teams by check "
            "due; mine: waiting for you or your side; escalated: open escalated tickets."
        ),
    )
    phase: Phase | None = None
    side: Side | None = None
    customer: DbId | None = Field(None, description="Id of the customer.")
    partner: DbId | None = Field(None, description="Id of the partner.")
    order: DbId | None = Field(None, description="Id of the order.")
    overdue: bool | None = Field(None, description="A missed first check or a passed estimate.")
    escalated: bool | None = None
    open: bool | None = Field(None, description="true: not closed or rejected.")
    q: str | None = Field(
        None, max_length=200, description="Searches number, title and description."
    )


# --- inputs -----------------------------------------------------------------------------


class StrictIn(Schema):
    """Inputs refuse unknown fields, so a misspelt or unsupported field is an error."""

    model_config = ConfigDict(extra="forbid")


class TicketFileIn(StrictIn):
    customer_id: DbId = Field(description="The affected customer.")
    order_id: DbId | None = Field(
        None, description="Partner people: the partnership order, a lead order or engagement."
    )
    contract_id: DbId | None = Field(
        None, description="The SaaS contract; by default the valid one for this customer."
    )
    title: str = Field(max_length=200)
    description: str = Field(description="Markdown.")
    priority: Priority = Priority.NORMAL


class VersionIn(StrictIn):
    version: int = Field(ge=1, description="The version you read; an old one answers 409.")


class CheckIn(VersionIn):
    next_steps: str
    estimated_resolution_on: datetime.date
    responsible_person_id: DbId | None = Field(
        None, description="The vendor person who works the ticket; by default you."
    )


class EstimateIn(VersionIn):
    estimated_resolution_on: datetime.date
    reason: str


class HandOverIn(VersionIn):
    phase: Phase
    team_id: DbId | None = Field(None, description="A CS team (vendor phases only).")
    person_id: DbId | None = Field(None, description="A person of the phase's side.")
    comment: str = ""


class QuestionIn(VersionIn):
    person_id: DbId = Field(description="A person of the ticket's partner or customer.")
    question: str


class AnswerIn(VersionIn):
    answer: str


class SolutionIn(VersionIn):
    solution: str


class ReasonIn(VersionIn):
    reason: str


class CoverageIn(VersionIn):
    coverage: Coverage
    reason: str


class CommentIn(StrictIn):
    text: str = Field(description="Markdown.")
    internal: bool = Field(False, description="An internal note, for vendor staff only.")


class MeetingIn(StrictIn):
    starts_at: datetime.datetime
    participants: str
    link: str = Field("", max_length=500, description="https:// link of an online meeting.")
    notes: str = ""


# --- journal and attachments ------------------------------------------------------------


class EventOut(Schema):
    id: int
    kind: str
    author: PersonOut | None = Field(description="null for entries the system wrote.")
    created_at: datetime.datetime
    internal: bool
    text: str
    text_html: str = Field(description="The text rendered as Markdown and sanitised.")
    data: dict[str, Any] = Field(description="Details of the entry, e.g. from/to phase.")

    @staticmethod
    def resolve_text_html(obj: TicketEvent) -> str:
        return render_markdown(obj.text)


class AttachmentOut(Schema):
    id: int
    name: str
    size: int = Field(description="Bytes.")
    content_type: str
    internal: bool
    uploaded_by: PersonOut
    created_at: datetime.datetime
    url: str = Field(description="Where to download the file.")

    @staticmethod
    def resolve_url(obj: Attachment) -> str:
        return f"/api/v1/tickets/{obj.ticket.number}/attachments/{obj.pk}"
