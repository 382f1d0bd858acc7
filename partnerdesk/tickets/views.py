"""Ticket pages: the list with its queues, filing, the ticket with its journal and the
actions the viewer may take now.

Reads go through ``Ticket.objects.visible_to`` (and the selectors built on it), writes only
through the actions in :mod:`partnerdesk.tickets.actions`; their refusals are shown on the
form that caused them, with the input kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from partnerdesk.lib.errors import ActionError, StaleVersion
from partnerdesk.lib.pages import paginate, render_list
from partnerdesk.parties.models import CSTeam, OrganisationKind, Role, User
from partnerdesk.tickets import actions, forms
from partnerdesk.tickets.models import Ticket, TicketEvent
from partnerdesk.tickets.phases import Phase, Side
from partnerdesk.tickets.selectors import (
    Queue,
    TicketFilters,
    check_state,
    escalated_first,
    estimate_passed,
)
from partnerdesk.tickets.selectors import (
    ticket_list as select_tickets,
)

QUESTION_PHASES = (Phase.PARTNER_QUESTION, Phase.CUSTOMER_QUESTION)
SOLVED_PHASES = (Phase.SOLVED, Phase.SOLVED_CUSTOMER)


# ---- the list ------------------------------------------------------------------------------


def _queue_tabs(user: User) -> list[tuple[str, str]]:
    if user.is_vendor_staff:
        return [
            (Queue.TEAM, _("Team-Warteschlange")),
            (Queue.MINE, _("Wartet auf mich")),
            (Queue.ESCALATED, _("Eskaliert")),
            (Queue.ALL, _("Alle")),
        ]
    if user.is_partner_person:
        return [(Queue.MINE, _("Wartet auf uns")), (Queue.ALL, _("Alle Tickets unseres Partners"))]
    return [(Queue.MINE, _("Wartet auf uns")), (Queue.ALL, _("Alle"))]


def _default_queue(user: User) -> str:
    if user.is_vendor_staff:
        return Queue.TEAM if user.cs_teams.exists() else Queue.ALL
    return Queue.MINE


@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    tabs = _queue_tabs(user)
    queue = request.GET.get("queue", "")
    if queue not in dict(tabs):
        queue = _default_queue(user)
    form = forms.TicketFilterForm(request.GET, user=user)
    form.is_valid()
    status = form.value("status")
    customer, order = form.value("customer"), form.value("order")
    filters = TicketFilters(
        queue=queue,
        phase=form.value("phase"),
        side=form.value("side"),
        customer=customer.pk if customer else None,
        order=order.pk if order else None,
        overdue=True if form.value("overdue") else None,
        escalated=True if form.value("escalated") else None,
        open={"open": True, "closed": False}.get(status or ""),
        q=form.value("q"),
    )
    now = timezone.now()
    tickets = select_tickets(user, filters, now=now)
    if user.has_role(Role.PROJECT_LEAD) and queue in (Queue.ALL, Queue.MINE):
        tickets = escalated_first(tickets)
    page = paginate(request, tickets)
    page.object_list = list(page.object_list)
    for ticket in page.object_list:
        ticket.check_flag = check_state(ticket, now)
        ticket.estimate_flag = estimate_passed(ticket, now)
    filtered = any(value not in (None, "", False) for value in form.cleaned_data.values())
    context = {
        "nav_active": "queue" if queue == Queue.TEAM else "tickets",
        "page": page,
        "form": form,
        "tabs": tabs,
        "queue": queue,
        "filtered": filtered,
        "query": filters.q or "",
        "now": now,
        "can_file": not user.is_vendor_staff,
        "waiting_count": select_tickets(user, TicketFilters(queue=Queue.MINE), now=now)
        .values("pk")
        .count(),
    }
    return render_list(request, "tickets/ticket_list.html", context)


# ---- filing --------------------------------------------------------------------------------


@login_required
def ticket_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_vendor_staff:
        raise PermissionDenied(
            _("Tickets erfassen Partner und Kunden; %(vendor)s bearbeitet sie.")
            % {"vendor": settings.VENDOR_NAME}
        )
    today = timezone.localdate()
    bound = request.method == "POST"
    form = forms.TicketFileForm(
        request.POST if bound else None, request.FILES if bound else None, user=user, today=today
    )
    if bound and form.is_valid():
        data = form.cleaned_data
        try:
            filed = actions.ticket_file(
                acting_user=user,
                customer=data["customer"] if user.is_partner_person else user.organisation,
                order=data.get("order"),
                contract=data.get("contract"),
                title=data["title"],
                description=data["description"],
                priority=data["priority"],
                attachments=data["attachments"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        except ActionError as error:
            form.add_error(None, error.detail)
        else:
            messages.success(
                request,
                _("Ticket %(number)s ist erfasst. Das CS-Team von %(vendor)s prüft es.")
                % {"number": filed.ticket.number, "vendor": settings.VENDOR_NAME},
            )
            return redirect("tickets:ticket_detail", number=filed.ticket.number)
    context = {
        "nav_active": "tickets",
        "form": form,
        "files_dropped": bound and bool(request.FILES) and not form.is_valid(),
        "max_attachment_mb": settings.PARTNERDESK_MAX_ATTACHMENT_MB,
    }
    return render(request, "tickets/ticket_form.html", context)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


# ---- the ticket ----------------------------------------------------------------------------


def _get_ticket(user: User, number: str) -> Ticket:
    """The ticket ``number`` if ``user`` may see it; 404 for "not yours" and "no such ticket"."""
    return get_object_or_404(
        Ticket.objects.visible_to(user).select_related(
            "contract",
            "order",
            "partner__cs_responsible",
            "partner__project_lead",
            "customer",
            "contact_team",
            "responsible_team",
            "responsible_person__organisation",
            "filed_by__organisation",
            "coverage_by",
            "escalated_by",
        ),
        number=number,
    )


def _on_side(user: User, ticket: Ticket) -> bool:
    if ticket.side == Side.PARTNER:
        return user.organisation_id == ticket.partner_id
    if ticket.side == Side.CUSTOMER:
        return user.organisation_id == ticket.customer_id
    return False


def allowed_actions(user: User, ticket: Ticket) -> list[str]:
    """The actions ``user`` may take on ``ticket`` now, the most likely first.

    This only decides what the page offers; the actions still check every rule.
    """
    keys: list[str] = []
    if user.is_vendor_staff:
        if ticket.phase == Phase.NEW:
            keys.append("check")
        if ticket.is_open and ticket.phase != Phase.NEW:
            keys.append("ask")
        if ticket.side == Side.VENDOR:
            keys.append("solve")
        if ticket.is_open or ticket.phase == Phase.REJECTED:
            keys.append("handover")
        if ticket.is_open and ticket.phase != Phase.NEW:
            keys.append("estimate")
        if ticket.phase != Phase.CLOSED:
            keys.append("coverage")
        keys += ["note", "meeting"]
    else:
        on_side = _on_side(user, ticket)
        if on_side and ticket.phase in QUESTION_PHASES:
            keys.append("answer")
        if on_side and ticket.phase in SOLVED_PHASES:
            keys += ["confirm", "reopen"]
        if (
            user.has_role(Role.PARTNER_COORDINATOR)
            and user.organisation_id == ticket.partner_id
            and ticket.priority == "urgent"
            and ticket.is_open
            and ticket.escalated_at is None
        ):
            keys.append("escalate")
    return [*keys, "comment", "attach"]


PRIMARY = ("check", "answer", "confirm")


@dataclass(frozen=True)
class ActionSpec:
    title: str
    button: str
    make_form: Callable  # (data, files, ctx) -> form
    run: Callable  # (user, ticket, cleaned_data) -> success message
    danger: bool = False


def _people_context(ticket: Ticket) -> dict:
    """Teams and people a vendor may hand the ticket to: vendor people, the ticket's partner
    people and its customer people (the action refuses pairs that do not fit)."""
    people = list(
        User.objects.filter(is_active=True)
        .filter(
            Q(organisation__kind=OrganisationKind.VENDOR)
            | Q(organisation_id__in=[pk for pk in (ticket.partner_id, ticket.customer_id) if pk])
        )
        .select_related("organisation")
        .order_by("full_name")
    )
    return {
        "teams": list(CSTeam.objects.order_by("name")),
        "people": people,
        "vendor_people": [p for p in people if p.organisation.kind == OrganisationKind.VENDOR],
    }


def _run_check(user, ticket, data):
    actions.ticket_check(
        acting_user=user,
        ticket=ticket,
        version=data["version"],
        next_steps=data["next_steps"],
        estimated_resolution_on=data["estimated_resolution_on"],
        responsible_person=data["responsible_person"],
    )
    return _("Erstprüfung erfasst: nächste Schritte und Lösungsdatum stehen auf dem Ticket.")


def _run_handover(user, ticket, data):
    team, person = data["responsible"]
    updated = actions.ticket_hand_over(
        acting_user=user,
        ticket=ticket,
        version=data["version"],
        phase=data["phase"],
        team=team,
        person=person,
        comment=data["comment"],
    )
    return _("Übergeben: %(phase)s, verantwortlich %(who)s.") % {
        "phase": updated.phase_label,
        "who": updated.responsible_label,
    }


def _run_ask(user, ticket, data):
    actions.ticket_ask(
        acting_user=user,
        ticket=ticket,
        version=data["version"],
        person=data["person"],
        question=data["question"],
    )
    return _("Rückfrage an %(name)s gestellt. Das Ticket liegt nun bei ihnen.") % {
        "name": data["person"].full_name
    }


def _run_estimate(user, ticket, data):
    actions.ticket_set_estimate(
        acting_user=user,
        ticket=ticket,
        version=data["version"],
        estimated_resolution_on=data["estimated_resolution_on"],
        reason=data["reason"],
    )
    return _("Das geschätzte Lösungsdatum ist geändert.")


def _run_solve(user, ticket, data):
    updated = actions.ticket_propose_solution(
        acting_user=user, ticket=ticket, version=data["version"], solution=data["solution"]
    )
    return _("Lösung vorgeschlagen. %(name)s bestätigt sie.") % {"name": updated.responsible_label}


def _run_coverage(user, ticket, data):
    updated = actions.ticket_decide_coverage(
        acting_user=user,
        ticket=ticket,
        version=data["version"],
        coverage=data["coverage"],
        reason=data["reason"],
    )
    if updated.phase == Phase.REJECTED:
        return _("Nicht gedeckt: das Ticket ist zurückgewiesen.")
    return _("Deckungsentscheid erfasst.")


def _run_note(user, ticket, data):
    actions.ticket_comment(acting_user=user, ticket=ticket, text=data["text"], internal=True)
    return _("Interne Notiz gespeichert.")


def _run_comment(user, ticket, data):
    actions.ticket_comment(acting_user=user, ticket=ticket, text=data["text"])
    return _("Kommentar gespeichert.")


def _run_meeting(user, ticket, data):
    actions.ticket_record_meeting(
        acting_user=user,
        ticket=ticket,
        starts_at=data["starts_at"],
        participants=data["participants"],
        link=data["link"],
        notes=data["notes"],
    )
    return _("Besprechung auf dem Ticket festgehalten.")


def _run_answer(user, ticket, data):
    actions.ticket_answer(
        acting_user=user, ticket=ticket, version=data["version"], answer=data["answer"]
    )
    return _("Antwort gesendet. Das Ticket liegt wieder bei %(vendor)s.") % {
        "vendor": settings.VENDOR_NAME
    }


def _run_confirm(user, ticket, data):
    actions.ticket_confirm(acting_user=user, ticket=ticket, version=data["version"])
    return _("Lösung bestätigt. Das Ticket ist geschlossen.")


def _run_reopen(user, ticket, data):
    actions.ticket_reopen(
        acting_user=user, ticket=ticket, version=data["version"], reason=data["reason"]
    )
    return _("Das Ticket ist wieder eröffnet und liegt bei %(vendor)s.") % {
        "vendor": settings.VENDOR_NAME
    }


def _run_escalate(user, ticket, data):
    actions.ticket_escalate(
        acting_user=user, ticket=ticket, version=data["version"], reason=data["reason"]
    )
    return _("Das Ticket ist eskaliert. Die Projektleitung von %(vendor)s ist informiert.") % {
        "vendor": settings.VENDOR_NAME
    }


def _run_attach(user, ticket, data):
    files = data["files"]
    # All files or none: each attach is its own action, so they share one transaction here.
    with transaction.atomic():
        for upload in files:
            actions.ticket_attach(
                acting_user=user, ticket=ticket, upload=upload, internal=data.get("internal", False)
            )
    return ngettext("%(n)d Datei angehängt.", "%(n)d Dateien angehängt.", len(files)) % {
        "n": len(files)
    }


ACTIONS: dict[str, ActionSpec] = {
    "check": ActionSpec(
        gettext_lazy("Erstprüfung"),
        gettext_lazy("Prüfung abschliessen"),
        lambda d, f, c: forms.CheckForm(d, vendor_people=c["vendor_people"], prefix="check"),
        _run_check,
    ),
    "ask": ActionSpec(
        gettext_lazy("Rückfrage stellen"),
        gettext_lazy("Rückfrage senden"),
        lambda d, f, c: forms.AskForm(d, people=c["people"], prefix="ask"),
        _run_ask,
    ),
    "solve": ActionSpec(
        gettext_lazy("Lösung vorschlagen"),
        gettext_lazy("Lösung vorschlagen"),
        lambda d, f, c: forms.SolutionForm(d, prefix="solve"),
        _run_solve,
    ),
    "handover": ActionSpec(
        gettext_lazy("Übergeben"),
        gettext_lazy("Übergeben"),
        lambda d, f, c: forms.HandOverForm(
            d, teams=c["teams"], people=c["people"], prefix="handover"
        ),
        _run_handover,
    ),
    "estimate": ActionSpec(
        gettext_lazy("Lösungsdatum ändern"),
        gettext_lazy("Datum ändern"),
        lambda d, f, c: forms.EstimateForm(d, prefix="estimate"),
        _run_estimate,
    ),
    "coverage": ActionSpec(
        gettext_lazy("Deckungsentscheid"),
        gettext_lazy("Entscheid speichern"),
        lambda d, f, c: forms.CoverageForm(d, prefix="coverage"),
        _run_coverage,
    ),
    "note": ActionSpec(
        gettext_lazy("Interne Notiz"),
        gettext_lazy("Notiz speichern"),
        lambda d, f, c: forms.NoteForm(d, prefix="note"),
        _run_note,
    ),
    "meeting": ActionSpec(
        gettext_lazy("Anruf / Besprechung festhalten"),
        gettext_lazy("Besprechung speichern"),
        lambda d, f, c: forms.MeetingForm(d, prefix="meeting"),
        _run_meeting,
    ),
    "answer": ActionSpec(
        gettext_lazy("Rückfrage beantworten"),
        gettext_lazy("Antwort senden"),
        lambda d, f, c: forms.AnswerForm(d, prefix="answer"),
        _run_answer,
    ),
    "confirm": ActionSpec(
        gettext_lazy("Lösung bestätigen"),
        gettext_lazy("Lösung bestätigen und schliessen"),
        lambda d, f, c: forms.ConfirmForm(d, prefix="confirm"),
        _run_confirm,
    ),
    "reopen": ActionSpec(
        gettext_lazy("Lösung genügt nicht"),
        gettext_lazy("Wieder eröffnen"),
        lambda d, f, c: forms.ReasonForm(d, prefix="reopen"),
        _run_reopen,
        danger=True,
    ),
    "escalate": ActionSpec(
        gettext_lazy("Eskalieren"),
        gettext_lazy("An die Projektleitung eskalieren"),
        lambda d, f, c: forms.ReasonForm(d, prefix="escalate"),
        _run_escalate,
        danger=True,
    ),
    "comment": ActionSpec(
        gettext_lazy("Kommentar"),
        gettext_lazy("Kommentieren"),
        lambda d, f, c: forms.CommentForm(d, prefix="comment"),
        _run_comment,
    ),
    "attach": ActionSpec(
        gettext_lazy("Dateien anhängen"),
        gettext_lazy("Hochladen"),
        lambda d, f, c: forms.AttachForm(d, f, vendor=c["vendor"], prefix="attach"),
        _run_attach,
    ),
}


def _detail(
    request: HttpRequest,
    ticket: Ticket,
    *,
    failed: str | None = None,
    failed_form=None,
    error: ActionError | None = None,
    status: int = 200,
    extra: dict | None = None,
) -> HttpResponse:
    user = request.user
    now = timezone.now()
    keys = allowed_actions(user, ticket)
    ctx: dict = {"vendor": user.is_vendor_staff}
    if user.is_vendor_staff:
        ctx |= _people_context(ticket)
    panel = []
    for key in keys:
        spec = ACTIONS[key]
        if key == failed and failed_form is not None:
            form = failed_form
        else:
            form = spec.make_form(None, None, ctx)
            form.initial["version"] = ticket.version
        panel.append(
            {
                "key": key,
                "spec": spec,
                "form": form,
                "open": key == failed or (failed is None and key in PRIMARY),
                "url": reverse("tickets:ticket_act", args=[ticket.number, key]),
            }
        )
    events = list(
        TicketEvent.objects.visible_to(user)
        .filter(ticket=ticket)
        .select_related("author__organisation", "attachment")
        .order_by("created_at", "id")
    )
    sides = [
        {
            "side": side,
            "clock": ticket.seconds_on_side(side, now=now),
            "sla": ticket.seconds_on_side(side, sla=True, now=now),
            "current": ticket.side == side,
        }
        for side in (Side.VENDOR, Side.PARTNER, Side.CUSTOMER)
    ]
    context = {
        "nav_active": "tickets",
        "ticket": ticket,
        "now": now,
        "check_flag": check_state(ticket, now),
        "estimate_flag": estimate_passed(ticket, now),
        "events": events,
        "panel": [item for item in panel if item["key"] not in ("comment",)],
        "comment": next(item for item in panel if item["key"] == "comment"),
        "sides": sides,
        "error": error,
        "stale": isinstance(error, StaleVersion),
        "failed": failed,
    }
    if extra is None:
        # The effort on the ticket: bookings, and the booking and query forms.
        from partnerdesk.efforts.views import ticket_bookings_context

        extra = ticket_bookings_context(user, ticket)
    context |= extra
    return render(request, "tickets/ticket_detail.html", context, status=status)


@login_required
def ticket_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _detail(request, _get_ticket(request.user, number))


@login_required
@require_POST
def ticket_act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """Run one action from the ticket page; on refusal, show the page again with the input."""
    user = request.user
    ticket = _get_ticket(user, number)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    if action not in allowed_actions(user, ticket):
        # Not (or no longer) possible: say so in the page rather than failing silently.
        error = ActionError(
            _("Dieser Schritt ist für Sie in der aktuellen Phase nicht möglich. Bitte neu laden.")
        )
        return _detail(request, ticket, error=error, status=409)
    ctx: dict = {"vendor": user.is_vendor_staff}
    if user.is_vendor_staff and action in ("check", "ask", "handover"):
        ctx |= _people_context(ticket)
    form = spec.make_form(request.POST, request.FILES, ctx)
    if not form.is_valid():
        return _detail(request, ticket, failed=action, failed_form=form)
    try:
        message = spec.run(user, ticket, form.cleaned_data)
    except ActionError as error:
        form.add_error(None, error.detail)
        return _detail(
            request, ticket, failed=action, failed_form=form, error=error, status=error.status
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _detail(request, ticket, failed=action, failed_form=form)
    messages.success(request, message)
    return redirect("tickets:ticket_detail", number=ticket.number)


@login_required
def attachment_download(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """A ticket's file, for people who see the ticket; internal files only for vendor staff."""
    ticket = _get_ticket(request.user, number)
    attachments = ticket.attachments.all()
    if not request.user.is_vendor_staff:
        attachments = attachments.filter(internal=False)
    attachment = get_object_or_404(attachments, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name
    )
    response["Cache-Control"] = "private, no-store"
    return response
