"""Effort booked on tickets, who pays for it (derived, never typed), and queries against it.

``Booking.objects.visible_to(user)`` is the one door: vendor staff see all bookings, partner
people the bookings on their partner's tickets, customer contacts only bookings billed to
their customer.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerdesk.parties.models import OrganisationKind, User


class Billing(models.TextChoices):
    FREE = "free", _("kostenlos")
    PARTNER = "partner", _("an Partner")
    CUSTOMER = "customer", _("an Kunde")


class BillingReason(models.TextChoices):
    COVERED = "covered", _("Herstellerleistung (gedeckt)")
    PARTNERSHIP = "partnership", _("Partnerschaftsauftrag")
    NOT_COVERED = "not_covered", _("nicht gedeckt, laut Vertrag verrechnet")
    DIRECT = "direct", _("direkt vom Kunden erfasst, laut Vertrag verrechnet")
    LEAD_FREE = "lead_free", _("Lead-Auftrag: bewilligte Gratisstunden")
    LEAD_OVER = "lead_over", _("Lead-Auftrag: über den bewilligten Stunden")
    LEAD_SERVICE = "lead_service", _("Lead-Auftrag: Leistung nicht kostenlos")
    LEAD_SPLIT = "lead_split", _("Lead-Auftrag: teils gratis, teils verrechnet")
    ENGAGEMENT = "engagement", _("Planbarer Partnersupport (Kapazität)")
    WRITTEN_OFF = "written_off", _("abgeschrieben")


class BookingKind(models.TextChoices):
    WORK = "work", _("Aufwand")
    CORRECTION = "correction", _("Korrektur")


class BookingQuerySet(models.QuerySet["Booking"]):
    def visible_to(self, user: User) -> BookingQuerySet:
        """Bookings ``user`` may see.

        Vendor staff: all. Partner people: bookings on their partner's tickets. Customer
        contacts: bookings billed to their customer.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        org = user.organisation
        if org.kind == OrganisationKind.VENDOR:
            return self.all()
        if org.kind == OrganisationKind.PARTNER:
            return self.filter(ticket__partner_id=org.pk)
        return self.filter(bill_to_id=org.pk, ticket__customer_id=org.pk)

    def live(self) -> BookingQuerySet:
        return self.filter(cancelled_at__isnull=True)

    def uninvoiced(self) -> BookingQuerySet:
        return self.filter(invoice_line__isnull=True)


class Booking(models.Model):
    """Effort on a ticket: who, when, how long, what. A correction is a booking of its own
    (``kind=correction``, ``corrects`` the original, minutes may be negative); the original is
    never edited once it is invoiced."""

    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("Ticket"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    day = models.DateField(_("Datum"))
    minutes = models.IntegerField(_("Minuten"))
    activity = models.ForeignKey(
        "contracts.ServiceType",
        verbose_name=_("Tätigkeit"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    text = models.TextField(_("Text"), blank=True)
    internal_text = models.TextField(_("Interner Text"), blank=True)
    kind = models.CharField(max_length=12, choices=BookingKind.choices, default=BookingKind.WORK)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    # Derived by efforts.billing.derive — never typed by hand.
    billing = models.CharField(_("Verrechnung"), max_length=10, choices=Billing.choices)
    reason = models.CharField(_("Grund"), max_length=16, choices=BillingReason.choices)
    bill_to = models.ForeignKey(
        "parties.Organisation",
        verbose_name=_("verrechnet an"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="billed_bookings",
    )
    free_minutes = models.IntegerField(default=0)
    billable_minutes = models.IntegerField(default=0)
    rate = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("Buchung")
        verbose_name_plural = _("Buchungen")
        ordering = ["day", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=BookingKind.CORRECTION) | Q(minutes__gt=0),
                name="booking_work_minutes_positive",
            ),
            models.CheckConstraint(
                condition=Q(kind=BookingKind.WORK, corrects__isnull=True)
                | Q(kind=BookingKind.CORRECTION, corrects__isnull=False),
                name="booking_correction_names_original",
            ),
            models.CheckConstraint(
                condition=Q(billing=Billing.FREE, billable_minutes=0)
                | (~Q(billing=Billing.FREE) & Q(bill_to__isnull=False)),
                name="booking_billed_has_party",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "day"], name="booking_person_day"),
            models.Index(fields=["ticket", "day"], name="booking_ticket_day"),
            models.Index(fields=["bill_to", "day"], name="booking_party_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.person} {self.minutes} min"

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.01"))

    @property
    def is_invoiced(self) -> bool:
        return hasattr(self, "invoice_line")

    @property
    def is_locked(self) -> bool:
        """On an issued invoice: neither edited nor deleted; corrections go on the next run."""
        line = getattr(self, "invoice_line", None)
        return line is not None and line.invoice.is_issued


class QueryStatus(models.TextChoices):
    OPEN = "open", _("offen")
    ACCEPTED = "accepted", _("akzeptiert")
    CORRECTED = "corrected", _("korrigiert")
    WRITTEN_OFF = "written_off", _("abgeschrieben")


class BookingQueryQuerySet(models.QuerySet["BookingQuery"]):
    def visible_to(self, user: User) -> BookingQueryQuerySet:
        """Queries are between the vendor and the partner: vendor staff see all, partner
        people those on their partner's bookings, customer contacts none."""
        if not user.is_authenticated or user.organisation.kind == OrganisationKind.CUSTOMER:
            return self.none()
        return self.filter(booking__in=Booking.objects.visible_to(user))

    def open(self) -> BookingQueryQuerySet:
        return self.filter(status=QueryStatus.OPEN)


class BookingQuery(models.Model):
    """A partner disputes a booking; resolved (accepted, corrected, written off) with a reason."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="queries")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("Begründung"))
    status = models.CharField(
        _("Status"), max_length=12, choices=QueryStatus.choices, default=QueryStatus.OPEN
    )
    resolution = models.TextField(_("Entscheid"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    corrected_minutes = models.IntegerField(null=True, blank=True)
    correction = models.OneToOneField(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="from_query"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = BookingQueryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Rückfrage zu Aufwand")
        verbose_name_plural = _("Rückfragen zu Aufwand")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(status=QueryStatus.OPEN),
                name="bookingquery_one_open_per_booking",
            )
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.status}"


class BudgetEventKind(models.TextChoices):
    APPROVED = "approved", _("Gratisstunden bewilligt")
    RAISED = "raised", _("Bewilligung erhöht")
    USED_80 = "used_80", _("80 % der Gratisstunden verbraucht")
    USED_100 = "used_100", _("Gratisstunden aufgebraucht")
    OVERBOOKED = "overbooked", _("Kapazität überbucht")


class BudgetEvent(models.Model):
    """The journal of a lead order's or engagement's budget. Threshold events are unique per
    order and approval, so the CS team hears of each exactly once."""

    order = models.ForeignKey(
        "contracts.Order", on_delete=models.PROTECT, related_name="budget_events"
    )
    kind = models.CharField(max_length=12, choices=BudgetEventKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hours = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    previous_hours = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    # Thresholds are per approval level: raising the approval re-arms them.
    level = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind", "level"],
                condition=Q(kind__in=["used_80", "used_100", "overbooked"]),
                name="budgetevent_threshold_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind}"
