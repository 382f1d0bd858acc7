"""Tickets, their append-only journal, attachments, and the bookkeeping that keeps writes
exactly-once (numbers, idempotency keys, alerts).

``Ticket.objects.visible_to(user)`` is the one door to tickets; events and attachments are
reached through their ticket.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerdesk.parties.models import OrganisationKind, User
from partnerdesk.tickets.phases import OPEN_PHASES, Phase, Side, phase_label


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Dringend")


class Classification(models.TextChoices):
    """Only Support matters for handling; partner forms offer nothing else."""

    SUPPORT = "support", _("Support")
    CHANGE_REQUEST = "change_request", _("Änderungswunsch")
    INFORMATION = "information", _("Information")


class Coverage(models.TextChoices):
    UNDECIDED = "", _("Noch nicht entschieden")
    OPERATIONS_INCIDENT = "operations_incident", _("Vorfall im Betrieb")
    PRODUCT_DEFECT = "product_defect", _("Fehler im Standardprodukt")
    CUSTOMIZING_ERROR = "customizing_error", _("Fehler im Customizing")
    CONFIGURATION = "configuration", _("Konfiguration")
    HOWTO = "howto", _("Anwendungsunterstützung (How-to)")
    CHANGE_REQUEST = "change_request", _("Änderungswunsch")


COVERED = frozenset({Coverage.OPERATIONS_INCIDENT, Coverage.PRODUCT_DEFECT})


class TicketQuerySet(models.QuerySet["Ticket"]):
    def visible_to(self, user: User) -> TicketQuerySet:
        """Tickets ``user`` may see.

        Vendor staff see every ticket; partner people the tickets of their partner; customer
        contacts the tickets of their customer.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        org = user.organisation
        if org.kind == OrganisationKind.VENDOR:
            return self.all()
        if org.kind == OrganisationKind.PARTNER:
            return self.filter(partner_id=org.pk)
        return self.filter(customer_id=org.pk)

    def open(self) -> TicketQuerySet:
        return self.filter(phase__in=OPEN_PHASES)

    def for_lists(self) -> TicketQuerySet:
        return self.select_related(
            "customer", "partner", "order", "responsible_team", "responsible_person"
        )


class Ticket(models.Model):
    number = models.CharField(_("Nummer"), max_length=20, unique=True)
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("Vertrag"),
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    order = models.ForeignKey(
        "contracts.Order",
        verbose_name=_("Auftrag"),
        on_delete=models.PROTECT,
        related_name="tickets",
        null=True,
        blank=True,
    )
    partner = models.ForeignKey(
        "parties.Organisation",
        verbose_name=_("Partner"),
        on_delete=models.PROTECT,
        related_name="partner_tickets",
        null=True,
        blank=True,
    )
    customer = models.ForeignKey(
        "parties.Organisation",
        verbose_name=_("Kunde"),
        on_delete=models.PROTECT,
        related_name="customer_tickets",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        on_delete=models.PROTECT,
        related_name="filed_tickets",
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"))
    priority = models.CharField(
        _("Priorität"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    planned_minutes = models.PositiveIntegerField(
        _("geplanter Aufwand (Minuten)"),
        null=True,
        blank=True,
        help_text=_("Bei planbarem Partnersupport: vom Partner beim Erfassen geschätzt."),
    )
    classification = models.CharField(
        _("Klassifikation"),
        max_length=20,
        choices=Classification.choices,
        default=Classification.SUPPORT,
    )
    phase = models.CharField(_("Phase"), max_length=20, choices=Phase.choices, default=Phase.NEW)
    side = models.CharField(_("Seite"), max_length=10, choices=Side.choices, default=Side.VENDOR)
    side_since = models.DateTimeField(_("auf dieser Seite seit"), default=timezone.now)
    contact_team = models.ForeignKey(
        "parties.CSTeam",
        verbose_name=_("Kontakt-Team"),
        on_delete=models.PROTECT,
        related_name="contact_tickets",
    )
    responsible_team = models.ForeignKey(
        "parties.CSTeam",
        verbose_name=_("verantwortliches Team"),
        on_delete=models.PROTECT,
        related_name="responsible_tickets",
        null=True,
        blank=True,
    )
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verantwortliche Person"),
        on_delete=models.PROTECT,
        related_name="responsible_tickets",
        null=True,
        blank=True,
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="Vendor person who asked the open question; the answer returns to them.",
    )
    solved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="Vendor person who proposed the solution; a reopen returns to them.",
    )
    # The 24-hour check
    check_due_at = models.DateTimeField(_("Erstprüfung fällig"))
    checked_at = models.DateTimeField(_("erstgeprüft"), null=True, blank=True)
    next_steps = models.TextField(_("Nächste Schritte"), blank=True)
    estimated_resolution_on = models.DateField(_("geschätzte Lösung"), null=True, blank=True)
    # Coverage
    coverage = models.CharField(
        _("Deckung"),
        max_length=24,
        choices=Coverage.choices,
        default=Coverage.UNDECIDED,
        blank=True,
    )
    coverage_reason = models.TextField(_("Begründung der Deckung"), blank=True)
    coverage_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    coverage_at = models.DateTimeField(null=True, blank=True)
    bill_to = models.CharField(_("verrechnet an"), max_length=10, blank=True)
    # Escalation
    escalated_at = models.DateTimeField(_("eskaliert"), null=True, blank=True)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Time kept per side: on the clock and in the contract's calendar
    vendor_seconds = models.BigIntegerField(default=0)
    partner_seconds = models.BigIntegerField(default=0)
    customer_seconds = models.BigIntegerField(default=0)
    vendor_sla_seconds = models.BigIntegerField(default=0)
    partner_sla_seconds = models.BigIntegerField(default=0)
    customer_sla_seconds = models.BigIntegerField(default=0)

    solution_proposed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("abgeschlossen"), null=True, blank=True)
    created_at = models.DateTimeField(_("erfasst"), default=timezone.now)
    updated_at = models.DateTimeField(_("geändert"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("Ticket")
        verbose_name_plural = _("Tickets")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~(
                    Q(responsible_team__isnull=False) & Q(responsible_person__isnull=False)
                ),
                name="ticket_team_xor_person",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        side=Side.DONE,
                        responsible_team__isnull=True,
                        responsible_person__isnull=True,
                    )
                    | (
                        ~Q(side=Side.DONE)
                        & (Q(responsible_team__isnull=False) | Q(responsible_person__isnull=False))
                    )
                ),
                name="ticket_open_has_responsible",
            ),
            models.CheckConstraint(
                condition=Q(responsible_team__isnull=True) | Q(side=Side.VENDOR),
                name="ticket_team_only_on_vendor_side",
            ),
            models.CheckConstraint(
                condition=(
                    Q(phase=Phase.NEW, side=Side.VENDOR)
                    | Q(phase=Phase.IN_PROGRESS, side=Side.VENDOR)
                    | Q(phase=Phase.EXPERT, side=Side.VENDOR)
                    | Q(phase=Phase.PARTNER_QUESTION, side=Side.PARTNER)
                    | Q(phase=Phase.CUSTOMER_QUESTION, side=Side.CUSTOMER)
                    | Q(phase=Phase.SOLVED, side=Side.PARTNER)
                    | Q(phase=Phase.SOLVED_CUSTOMER, side=Side.CUSTOMER)
                    | Q(phase=Phase.CLOSED, side=Side.DONE)
                    | Q(phase=Phase.REJECTED, side=Side.DONE)
                ),
                name="ticket_phase_matches_side",
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "-created_at"], name="ticket_partner_created"),
            models.Index(fields=["customer", "-created_at"], name="ticket_customer_created"),
            models.Index(fields=["side", "check_due_at"], name="ticket_side_check_due"),
            models.Index(
                fields=["responsible_team", "side", "check_due_at"], name="ticket_team_queue"
            ),
            models.Index(fields=["responsible_person", "side"], name="ticket_person_queue"),
            models.Index(fields=["phase", "solution_proposed_at"], name="ticket_phase_solved"),
            models.Index(fields=["escalated_at"], name="ticket_escalated"),
            # The vendor's "all tickets" list and its filters walk this, newest first.
            models.Index(fields=["-created_at", "-id"], name="ticket_created"),
            # The overdue filter: a missed check, or a passed estimate (bench/tickets_list.py).
            models.Index(fields=["phase", "check_due_at"], name="ticket_phase_check_due"),
            models.Index(fields=["phase", "estimated_resolution_on"], name="ticket_phase_estimate"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def phase_label(self) -> str:
        return phase_label(self.phase)

    @property
    def is_open(self) -> bool:
        return self.phase in OPEN_PHASES

    @property
    def is_covered(self) -> bool | None:
        if not self.coverage:
            return None
        return self.coverage in COVERED

    @property
    def responsible_label(self) -> str:
        if self.responsible_person_id:
            return str(self.responsible_person)
        if self.responsible_team_id:
            return str(self.responsible_team)
        return ""

    def seconds_on_side(
        self, side: str, *, sla: bool = False, now: datetime.datetime | None = None
    ) -> int:
        """Total seconds on ``side`` so far, including the running stretch."""
        stored = getattr(self, f"{side}_{'sla_' if sla else ''}seconds", 0)
        if side != self.side or self.side == Side.DONE:
            return stored
        now = now or timezone.now()
        if sla:
            return stored + self.contract.sla_seconds_between(self.side_since, now)
        return stored + max(0, int((now - self.side_since).total_seconds()))


class EventKind(models.TextChoices):
    FILED = "filed", _("Erfasst")
    COMMENT = "comment", _("Kommentar")
    NOTE = "note", _("Interne Notiz")
    HANDOVER = "handover", _("Übergabe")
    CHECK = "check", _("Erstprüfung")
    ESTIMATE = "estimate", _("Schätzung geändert")
    QUESTION = "question", _("Rückfrage")
    ANSWER = "answer", _("Antwort")
    SOLUTION = "solution", _("Lösung vorgeschlagen")
    CONFIRMED = "confirmed", _("Lösung bestätigt")
    REOPENED = "reopened", _("Wieder eröffnet")
    AUTO_CLOSED = "auto_closed", _("Automatisch geschlossen")
    COVERAGE = "coverage", _("Deckungsentscheid")
    ESCALATION = "escalation", _("Eskalation")
    MEETING = "meeting", _("Besprechung")
    ATTACHMENT = "attachment", _("Anhang")
    ALERT = "alert", _("Hinweis")
    EFFORT = "effort", _("Aufwand")
    EFFORT_QUERY = "effort_query", _("Rückfrage zu Aufwand")


class TicketEventQuerySet(models.QuerySet["TicketEvent"]):
    def visible_to(self, user: User) -> TicketEventQuerySet:
        """Journal entries of tickets ``user`` may see.

        Internal notes only for vendor staff. Effort and its queries are between the vendor
        and the partner: a customer contact sees the bookings billed to it in the bookings
        list, not the partner's effort in the journal.
        """
        events = self.filter(ticket__in=Ticket.objects.visible_to(user))
        if not user.is_authenticated or user.organisation.kind != OrganisationKind.VENDOR:
            events = events.filter(internal=False)
        if user.is_authenticated and user.organisation.kind == OrganisationKind.CUSTOMER:
            events = events.exclude(kind__in=[EventKind.EFFORT, EventKind.EFFORT_QUERY])
        return events


class TicketEvent(models.Model):
    """One entry of a ticket's journal. Never edited, never deleted: corrections are new entries."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    internal = models.BooleanField(default=False)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = TicketEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="ticketevent_ticket_time")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise RuntimeError("The ticket journal is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("The ticket journal is append-only.")


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"tickets/{instance.ticket_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="attachments")
    event = models.OneToOneField(TicketEvent, on_delete=models.PROTECT, related_name="attachment")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    internal = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class TicketCounter(models.Model):
    """The last number handed out per year; rows are locked while a number is drawn."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class IdempotencyKey(models.Model):
    """A ticket created under an ``Idempotency-Key``: the same key and body return it again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    body_hash = models.CharField(max_length=64)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotencykey_unique")
        ]

    def __str__(self) -> str:
        return self.key


class AlertKind(models.TextChoices):
    CHECK_DUE_SOON = "check_due_soon", _("Erstprüfung bald fällig")
    CHECK_BREACHED = "check_breached", _("Erstprüfung überfällig")
    ESTIMATE_PASSED = "estimate_passed", _("Lösungstermin überschritten")


class TicketAlert(models.Model):
    """One alert per ticket, kind and deadline: the unique row makes notification exactly-once
    even with several workers."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    deadline = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "kind", "deadline"], name="ticketalert_once")
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind}"
