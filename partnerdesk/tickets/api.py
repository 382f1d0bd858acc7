"""Tickets under /api/v1/tickets/: file, list, read, and every step of their handling.

A ticket is addressed by its number. Every read starts at ``Ticket.objects.visible_to``, so
a ticket of another partner or customer answers 404 like one that does not exist. Writes
call the ticket actions; they refuse with ``{"detail", "code"}`` (403, 409 stale_version,
422) and answer the updated ticket.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from partnerdesk.contracts.models import Contract, Order
from partnerdesk.lib.api import INVALID, NOT_FOUND, UNAUTHENTICATED, caller
from partnerdesk.lib.errors import RuleViolation
from partnerdesk.parties.models import CSTeam, Organisation, OrganisationKind, Role, User
from partnerdesk.tickets import actions, selectors
from partnerdesk.tickets.models import Attachment, Ticket, TicketEvent
from partnerdesk.tickets.schemas import (
    REFUSED,
    STALE,
    AnswerIn,
    AttachmentOut,
    CheckIn,
    CommentIn,
    CoverageIn,
    EstimateIn,
    EventOut,
    HandOverIn,
    MeetingIn,
    QuestionIn,
    ReasonIn,
    SolutionIn,
    TicketDetailOut,
    TicketFileIn,
    TicketListOut,
    TicketListQuery,
    VersionIn,
)

router = Router(tags=["tickets"])

READ = {**UNAUTHENTICATED, **NOT_FOUND, **INVALID}
# Writes without a version (comments, meetings, attachments) cannot be stale.
APPEND = {200: TicketDetailOut, **UNAUTHENTICATED, **NOT_FOUND, **REFUSED}
WRITE = {**APPEND, **STALE}


# --- access -----------------------------------------------------------------------------


def _visible(request: HttpRequest):
    return Ticket.objects.visible_to(caller(request))


def _ticket_or_404(request: HttpRequest, number: str) -> Ticket:
    """The ticket ``number`` if the caller may see it; otherwise 404, whether it exists or not."""
    ticket = _visible(request).filter(number=number).first()
    if ticket is None:
        raise Http404
    return ticket


def _detail(request: HttpRequest, number: str) -> Ticket:
    """The ticket with everything its detail shows, in one query."""
    ticket = (
        _visible(request)
        .for_lists()
        .select_related("contract", "contact_team", "filed_by__organisation")
        .select_related("coverage_by__organisation")
        .filter(number=number)
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket


def _responsible_person(ticket: Ticket, person_id: int | None) -> User | None:
    """An active person who could hold ``ticket``: vendor staff, or people of the ticket's
    partner or customer. Anyone else, and ids that do not exist, are the same refusal, so
    the answer tells nothing about other tenants."""
    if person_id is None:
        return None
    parties = [pk for pk in (ticket.partner_id, ticket.customer_id) if pk is not None]
    person = (
        User.objects.select_related("organisation")
        .filter(pk=person_id, is_active=True)
        .filter(Q(organisation__kind=OrganisationKind.VENDOR) | Q(organisation_id__in=parties))
        .first()
    )
    if person is None:
        raise RuleViolation(_("Diese Person kann für dieses Ticket nicht verantwortlich sein."))
    return person


def _team(team_id: int | None) -> CSTeam | None:
    if team_id is None:
        return None
    team = CSTeam.objects.filter(pk=team_id).first()
    if team is None:
        raise RuleViolation(_("Dieses Team gibt es nicht."))
    return team


def _field_error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


# --- filing, list, detail ---------------------------------------------------------------


@router.post(
    "",
    response={201: TicketDetailOut, 200: TicketDetailOut, **UNAUTHENTICATED, **REFUSED},
    operation_id="ticket_file",
)
def ticket_file(
    request,
    payload: TicketFileIn,
    idempotency_key: str | None = Header(
        None, alias="Idempotency-Key", max_length=200, description="Makes retries safe."
    ),
):
    """File a ticket in phase "new"; it goes to the CS team responsible for its partner.

    Partner people file on an order of their partner (partnership order, lead order or
    engagement) for a customer their partner serves; customer contacts for their own
    customer. The contract decides who may file (422 ``filing_not_allowed``). There is no
    classification to choose: every filed ticket is Support.

    **Idempotency:** send an `Idempotency-Key` header to retry safely. The first request
    answers **201**; the same key with the same body answers **200** with the same ticket
    (never a second one); the same key with a different body answers 422
    ``idempotency_key_reused``. Keys are per person.
    """
    user = caller(request)
    customer = (
        Organisation.objects.visible_to(user).customers().filter(pk=payload.customer_id).first()
    )
    if customer is None:
        raise _field_error("customer_id", _("Unbekannter Kunde."))
    order = None
    if payload.order_id is not None:
        order = Order.objects.visible_to(user).filter(pk=payload.order_id).first()
        if order is None:
            raise _field_error("order_id", _("Unbekannter Auftrag."))
    contract = None
    if payload.contract_id is not None:
        contract = Contract.objects.visible_to(user).filter(pk=payload.contract_id).first()
        if contract is None:
            raise _field_error("contract_id", _("Unbekannter Vertrag."))
    filed = actions.ticket_file(
        acting_user=user,
        customer=customer,
        order=order,
        contract=contract,
        title=payload.title,
        description=payload.description,
        priority=payload.priority,
        idempotency_key=idempotency_key or None,
        request_hash=actions.body_hash(payload.model_dump(mode="json")),
    )
    return Status(200 if filed.replayed else 201, _detail(request, filed.ticket.number))


@router.get(
    "",
    response={200: list[TicketListOut], **UNAUTHENTICATED, **INVALID},
    operation_id="ticket_list",
)
@paginate
def ticket_list(request, filters: Query[TicketListQuery]):
    """Tickets you can see, filtered; newest first unless the queue orders otherwise.

    Vendor staff see all tickets; partner people their partner's; customer contacts their
    customer's. The team queue is sorted by check due, "mine" by how long the ticket has
    waited. For project leads, open escalated tickets come first.
    """
    user = caller(request)
    tickets = selectors.ticket_list(user, selectors.TicketFilters(**filters.model_dump()))
    if user.has_role(Role.PROJECT_LEAD):
        tickets = selectors.escalated_first(tickets)
    return tickets


@router.get("{number}", response={200: TicketDetailOut, **READ}, operation_id="ticket_read")
def ticket_read(request, number: str):
    """One ticket with its description, contract SLA, check, coverage and time per side."""
    return _detail(request, number)


@router.get(
    "{number}/journal", response={200: list[EventOut], **READ}, operation_id="ticket_journal"
)
@paginate
def ticket_journal(request, number: str):
    """The ticket's journal, oldest first. Internal notes are shown to vendor staff only."""
    ticket = _ticket_or_404(request, number)
    return (
        TicketEvent.objects.visible_to(caller(request))
        .filter(ticket=ticket)
        .select_related("author__organisation")
        .order_by("created_at", "id")
    )


# --- writes -----------------------------------------------------------------------------


@router.post("{number}/comments", response=APPEND, operation_id="ticket_comment")
def ticket_comment(request, number: str, payload: CommentIn):
    """Comment on the ticket (everyone on it sees it), or, vendor staff only, add an internal
    note (`internal: true`; anyone else 403)."""
    ticket = _ticket_or_404(request, number)
    actions.ticket_comment(
        acting_user=caller(request), ticket=ticket, text=payload.text, internal=payload.internal
    )
    return _detail(request, number)


@router.post("{number}/check", response=WRITE, operation_id="ticket_check")
def ticket_check(request, number: str, payload: CheckIn):
    """Vendor staff: the first check. Records next steps and an estimated resolution date
    and takes the ticket into work (by you or `responsible_person_id`)."""
    user = caller(request)
    ticket = _ticket_or_404(request, number)
    actions.require_vendor(user)
    person = _responsible_person(ticket, payload.responsible_person_id)
    actions.ticket_check(
        acting_user=user,
        ticket=ticket,
        version=payload.version,
        next_steps=payload.next_steps,
        estimated_resolution_on=payload.estimated_resolution_on,
        responsible_person=person,
    )
    return _detail(request, number)


@router.post("{number}/estimate", response=WRITE, operation_id="ticket_set_estimate")
def ticket_set_estimate(request, number: str, payload: EstimateIn):
    """Vendor staff: change the estimated resolution date; the reason is journaled."""
    ticket = _ticket_or_404(request, number)
    actions.ticket_set_estimate(
        acting_user=caller(request),
        ticket=ticket,
        version=payload.version,
        estimated_resolution_on=payload.estimated_resolution_on,
        reason=payload.reason,
    )
    return _detail(request, number)


@router.post("{number}/hand-over", response=WRITE, operation_id="ticket_hand_over")
def ticket_hand_over(request, number: str, payload: HandOverIn):
    """Vendor staff: set phase and responsible together (a team or a person of the phase's
    side). A pair that contradicts itself is refused (422 ``rule_violation``); a new ticket
    leaves its check only with next steps and estimate (422 ``check_incomplete``)."""
    user = caller(request)
    ticket = _ticket_or_404(request, number)
    actions.require_vendor(user)
    actions.ticket_hand_over(
        acting_user=user,
        ticket=ticket,
        version=payload.version,
        phase=payload.phase,
        team=_team(payload.team_id),
        person=_responsible_person(ticket, payload.person_id),
        comment=payload.comment,
    )
    return _detail(request, number)


@router.post("{number}/question", response=WRITE, operation_id="ticket_ask")
def ticket_ask(request, number: str, payload: QuestionIn):
    """Vendor staff: hand the ticket to a person of its partner or customer with a question;
    their answer returns it to you."""
    user = caller(request)
    ticket = _ticket_or_404(request, number)
    actions.require_vendor(user)
    actions.ticket_ask(
        acting_user=user,
        ticket=ticket,
        version=payload.version,
        person=_responsible_person(ticket, payload.person_id),
        question=payload.question,
    )
    return _detail(request, number)


@router.post("{number}/answer", response=WRITE, operation_id="ticket_answer")
def ticket_answer(request, number: str, payload: AnswerIn):
    """The partner or customer answers the open question; the ticket returns to the asker."""
    ticket = _ticket_or_404(request, number)
    actions.ticket_answer(
        acting_user=caller(request), ticket=ticket, version=payload.version, answer=payload.answer
    )
    return _detail(request, number)


@router.post("{number}/solution", response=WRITE, operation_id="ticket_propose_solution")
def ticket_propose_solution(request, number: str, payload: SolutionIn):
    """Vendor staff: propose a solution; the filer (or the partner's coordinator) confirms."""
    ticket = _ticket_or_404(request, number)
    actions.ticket_propose_solution(
        acting_user=caller(request),
        ticket=ticket,
        version=payload.version,
        solution=payload.solution,
    )
    return _detail(request, number)


@router.post("{number}/confirm", response=WRITE, operation_id="ticket_confirm")
def ticket_confirm(request, number: str, payload: VersionIn):
    """The partner (or customer) confirms the proposed solution; the ticket is closed."""
    ticket = _ticket_or_404(request, number)
    actions.ticket_confirm(acting_user=caller(request), ticket=ticket, version=payload.version)
    return _detail(request, number)


@router.post("{number}/reopen", response=WRITE, operation_id="ticket_reopen")
def ticket_reopen(request, number: str, payload: ReasonIn):
    """The partner (or customer) rejects the proposed solution with a reason; the ticket
    returns to whoever proposed it."""
    ticket = _ticket_or_404(request, number)
    actions.ticket_reopen(
        acting_user=caller(request), ticket=ticket, version=payload.version, reason=payload.reason
    )
    return _detail(request, number)


@router.post("{number}/coverage", response=WRITE, operation_id="ticket_decide_coverage")
def ticket_decide_coverage(request, number: str, payload: CoverageIn):
    """Vendor staff: decide whether the request is a vendor service, with a reason.

    operations_incident and product_defect are covered (free); anything else rejects the
    ticket and bills the party the contract names. A later decision revises it.
    """
    ticket = _ticket_or_404(request, number)
    actions.ticket_decide_coverage(
        acting_user=caller(request),
        ticket=ticket,
        version=payload.version,
        coverage=payload.coverage,
        reason=payload.reason,
    )
    return _detail(request, number)


@router.post("{number}/escalate", response=WRITE, operation_id="ticket_escalate")
def ticket_escalate(request, number: str, payload: ReasonIn):
    """The partner's coordinator escalates an urgent open ticket; the vendor's project lead
    for the partner is notified at once. Anyone else 403; a normal ticket 422."""
    ticket = _ticket_or_404(request, number)
    actions.ticket_escalate(
        acting_user=caller(request), ticket=ticket, version=payload.version, reason=payload.reason
    )
    return _detail(request, number)


@router.post("{number}/meetings", response=APPEND, operation_id="ticket_record_meeting")
def ticket_record_meeting(request, number: str, payload: MeetingIn):
    """Vendor staff: record a call or online meeting about the ticket (time, participants,
    link, notes) in its journal. A time without offset is taken as Swiss time."""
    ticket = _ticket_or_404(request, number)
    starts_at = payload.starts_at
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    actions.ticket_record_meeting(
        acting_user=caller(request),
        ticket=ticket,
        starts_at=starts_at,
        participants=payload.participants,
        link=payload.link,
        notes=payload.notes,
    )
    return _detail(request, number)


# --- attachments ------------------------------------------------------------------------


def _attachments(request: HttpRequest, ticket: Ticket):
    """The ticket's attachments the caller may see: internal ones only for vendor staff."""
    attachments = Attachment.objects.filter(ticket=ticket).select_related(
        "ticket", "uploaded_by__organisation"
    )
    if not caller(request).is_vendor_staff:
        attachments = attachments.filter(internal=False)
    return attachments.order_by("created_at", "id")


@router.get(
    "{number}/attachments",
    response={200: list[AttachmentOut], **READ},
    operation_id="ticket_attachment_list",
)
@paginate
def ticket_attachment_list(request, number: str):
    """The ticket's attachments, oldest first; internal ones for vendor staff only."""
    return _attachments(request, _ticket_or_404(request, number))


@router.post("{number}/attachments", response=APPEND, operation_id="ticket_attach")
def ticket_attach(
    request,
    number: str,
    file: File[UploadedFile],
    internal: Form[bool] = False,
):
    """Attach a file (multipart/form-data: `file`, optional `internal`). Internal files are
    for vendor staff only; files above the configured size are refused (422)."""
    ticket = _ticket_or_404(request, number)
    actions.ticket_attach(
        acting_user=caller(request), ticket=ticket, upload=file, internal=internal
    )
    return _detail(request, number)


@router.get(
    "{number}/attachments/{attachment_id}",
    response={**UNAUTHENTICATED, **NOT_FOUND, **INVALID},
    operation_id="ticket_attachment_download",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file, as a download (Content-Disposition: attachment).",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def ticket_attachment_download(request, number: str, attachment_id: int):
    """Download an attachment; internal ones for vendor staff only, others answer 404."""
    ticket = _ticket_or_404(request, number)
    attachment = _attachments(request, ticket).filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type or "application/octet-stream",
    )
