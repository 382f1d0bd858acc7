"""Monthly invoices of support effort: one per billed party and month, with a line per
booking (or correction). ``Invoice.objects.visible_to(user)`` is the one door."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerdesk.parties.models import OrganisationKind, User


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    ISSUED = "issued", _("ausgestellt")


class InvoiceQuerySet(models.QuerySet["Invoice"]):
    def visible_to(self, user: User) -> InvoiceQuerySet:
        """Vendor staff see every invoice; a partner or customer only its own issued ones."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.organisation.kind == OrganisationKind.VENDOR:
            return self.all()
        return self.filter(party_id=user.organisation_id, status=InvoiceStatus.ISSUED)


class Invoice(models.Model):
    party = models.ForeignKey(
        "parties.Organisation",
        verbose_name=_("Rechnungsempfänger"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    month = models.DateField(_("Monat"), help_text=_("Erster Tag des verrechneten Monats."))
    number = models.CharField(_("Nummer"), max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    total = models.DecimalField(
        _("Total (CHF)"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    created_at = models.DateTimeField(default=timezone.now)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("Rechnung")
        verbose_name_plural = _("Rechnungen")
        ordering = ["-month", "party__name"]
        constraints = [
            models.UniqueConstraint(fields=["party", "month"], name="invoice_one_per_party_month"),
            models.CheckConstraint(
                condition=Q(status=InvoiceStatus.DRAFT, number__isnull=True)
                | Q(status=InvoiceStatus.ISSUED, number__isnull=False, issued_at__isnull=False),
                name="invoice_issued_has_number",
            ),
        ]
        indexes = [models.Index(fields=["party", "-month"], name="invoice_party_month")]

    def __str__(self) -> str:
        return self.number or f"{_('Entwurf')} {self.party} {self.month:%m.%Y}"

    @property
    def is_issued(self) -> bool:
        return self.status == InvoiceStatus.ISSUED


class InvoiceLine(models.Model):
    """One booking on one invoice, with what the partner needs to re-bill it (a snapshot)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    booking = models.OneToOneField(
        "efforts.Booking", on_delete=models.PROTECT, related_name="invoice_line"
    )
    day = models.DateField()
    customer = models.ForeignKey("parties.Organisation", on_delete=models.PROTECT, related_name="+")
    customer_name = models.CharField(max_length=200)
    ticket_number = models.CharField(max_length=20)
    ticket_title = models.CharField(max_length=200)
    person_name = models.CharField(max_length=150)
    activity = models.CharField(max_length=100)
    text = models.TextField(blank=True)
    minutes = models.IntegerField()
    rate = models.DecimalField(max_digits=8, decimal_places=2)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    is_correction = models.BooleanField(default=False)

    class Meta:
        ordering = ["customer_name", "ticket_number", "day", "id"]
        indexes = [
            models.Index(
                fields=["invoice", "customer_name", "ticket_number"], name="invoiceline_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.ticket_number} {self.minutes} min"

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.01"))


class InvoiceRun(models.Model):
    """The run for one month; its row is locked while the month is invoiced, so two runs at
    the same time (two workers, two clicks) never create a second set of invoices."""

    month = models.DateField(unique=True)
    runs = models.PositiveIntegerField(default=0)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class InvoiceCounter(models.Model):
    """The last invoice number per year; locked while a number is drawn, so there are no gaps."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
