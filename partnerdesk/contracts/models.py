"""SaaS contracts (customer ↔ vendor) and orders (partnership, lead, engagement).

``Contract.objects.visible_to(user)`` and ``Order.objects.visible_to(user)`` are the doors
through which views, endpoints and jobs read them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerdesk.contracts import calendar
from partnerdesk.parties.models import Organisation, OrganisationKind, User


class Canton(models.TextChoices):
    AG = "AG", _("Aargau")
    AI = "AI", _("Appenzell Innerrhoden")
    AR = "AR", _("Appenzell Ausserrhoden")
    BE = "BE", _("Bern")
    BL = "BL", _("Basel-Landschaft")
    BS = "BS", _("Basel-Stadt")
    FR = "FR", _("Freiburg")
    GE = "GE", _("Genf")
    GL = "GL", _("Glarus")
    GR = "GR", _("Graubünden")
    JU = "JU", _("Jura")
    LU = "LU", _("Luzern")
    NE = "NE", _("Neuenburg")
    NW = "NW", _("Nidwalden")
    OW = "OW", _("Obwalden")
    SG = "SG", _("St. Gallen")
    SH = "SH", _("Schaffhausen")
    SO = "SO", _("Solothurn")
    SZ = "SZ", _("Schwyz")
    TG = "TG", _("Thurgau")
    TI = "TI", _("Tessin")
    UR = "UR", _("Uri")
    VD = "VD", _("Waadt")
    VS = "VS", _("Wallis")
    ZG = "ZG", _("Zug")
    ZH = "ZH", _("Zürich")


class SlaCalendar(models.TextChoices):
    ON_THE_CLOCK = "clock", _("rund um die Uhr")
    BUSINESS_HOURS = "business", _("Geschäftszeiten mit kantonalen Feiertagen")


class Filers(models.TextChoices):
    """Who may file tickets under a contract."""

    PARTNER = "partner", _("Partnerkontakte")
    CUSTOMER = "customer", _("Kundenkontakte")
    BOTH = "both", _("Partner- und Kundenkontakte")


class BillTo(models.TextChoices):
    """Who is billed when a request turns out not to be a vendor service."""

    PARTNER = "partner", _("Partner")
    CUSTOMER = "customer", _("Kunde")


class ContractQuerySet(models.QuerySet["Contract"]):
    def visible_to(self, user: User) -> ContractQuerySet:
        """Contracts ``user`` may see.

        Vendor staff all, a partner those naming it, a customer its own.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        org = user.organisation
        if org.kind == OrganisationKind.VENDOR:
            return self.all()
        if org.kind == OrganisationKind.PARTNER:
            return self.filter(partner_id=org.pk)
        return self.filter(customer_id=org.pk)

    def valid_on(self, day: datetime.date) -> ContractQuerySet:
        return self.filter(
            Q(valid_from__lte=day), Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class Contract(models.Model):
    """A SaaS contract between a customer and the vendor, optionally naming its partner."""

    number = models.CharField(_("Vertragsnummer"), max_length=40, unique=True)
    customer = models.ForeignKey(
        Organisation,
        verbose_name=_("Kunde"),
        on_delete=models.PROTECT,
        related_name="contracts_as_customer",
        limit_choices_to={"kind": OrganisationKind.CUSTOMER},
    )
    partner = models.ForeignKey(
        Organisation,
        verbose_name=_("Implementierungspartner"),
        on_delete=models.PROTECT,
        related_name="contracts_as_partner",
        null=True,
        blank=True,
        limit_choices_to={"kind": OrganisationKind.PARTNER},
    )
    cs_team = models.ForeignKey(
        "parties.CSTeam",
        verbose_name=_("CS-Team für Direktkunden"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="direct_contracts",
        help_text=_("Nur ohne Partner: das CS-Team, das die Tickets des Kunden prüft."),
    )
    product = models.CharField(_("Produkt / Lösung"), max_length=200, blank=True)
    valid_from = models.DateField(_("gültig ab"))
    valid_until = models.DateField(_("gültig bis"), null=True, blank=True)
    sla_first_check_hours = models.PositiveSmallIntegerField(
        _("Erstprüfung innert Stunden"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )
    sla_calendar = models.CharField(
        _("SLA-Kalender"),
        max_length=16,
        choices=SlaCalendar.choices,
        default=SlaCalendar.ON_THE_CLOCK,
    )
    sla_canton = models.CharField(
        _("Kanton (Feiertage)"), max_length=2, choices=Canton.choices, blank=True
    )
    filers = models.CharField(
        _("Tickets erfassen dürfen"), max_length=16, choices=Filers.choices, default=Filers.PARTNER
    )
    bill_to = models.CharField(
        _("Verrechnung nicht gedeckter Anfragen an"),
        max_length=16,
        choices=BillTo.choices,
        default=BillTo.PARTNER,
    )
    hourly_rate = models.DecimalField(
        _("Stundensatz (CHF)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    created_at = models.DateTimeField(_("erstellt"), default=timezone.now, editable=False)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("SaaS-Vertrag")
        verbose_name_plural = _("SaaS-Verträge")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="contract_validity_ordered",
                violation_error_message=_("Das Ende der Gültigkeit liegt vor ihrem Beginn."),
            ),
            models.CheckConstraint(
                condition=Q(sla_first_check_hours__gte=1),
                name="contract_sla_hours_positive",
            ),
            models.CheckConstraint(
                condition=(Q(sla_calendar=SlaCalendar.ON_THE_CLOCK) & Q(sla_canton=""))
                | (Q(sla_calendar=SlaCalendar.BUSINESS_HOURS) & ~Q(sla_canton="")),
                name="contract_business_hours_need_canton",
                violation_error_message=_(
                    "Geschäftszeiten brauchen einen Kanton; rund um die Uhr keinen."
                ),
            ),
            models.CheckConstraint(
                condition=Q(partner__isnull=False)
                | (Q(filers=Filers.CUSTOMER) & Q(bill_to=BillTo.CUSTOMER)),
                name="contract_partner_rules_need_partner",
                violation_error_message=_(
                    "Ohne Partner kann weder der Partner erfassen noch verrechnet werden."
                ),
            ),
            models.CheckConstraint(
                condition=Q(hourly_rate__gte=0), name="contract_rate_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(partner__isnull=False) | Q(cs_team__isnull=False),
                name="contract_direct_customer_has_cs_team",
                violation_error_message=_("Ohne Partner braucht der Vertrag ein CS-Team."),
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "number"]),
            models.Index(fields=["customer", "number"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.customer.display_name}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def sla_deadline(
        self, start: datetime.datetime, hours: float | None = None
    ) -> datetime.datetime:
        """When ``hours`` (default: the first-check hours) of this contract's SLA calendar
        have passed after ``start``."""
        hours = self.sla_first_check_hours if hours is None else hours
        if self.sla_calendar == SlaCalendar.BUSINESS_HOURS:
            return calendar.add_business_hours(start, hours, self.sla_canton)
        return start + datetime.timedelta(hours=hours)

    def sla_seconds_between(self, start: datetime.datetime, end: datetime.datetime) -> int:
        """Seconds between ``start`` and ``end`` that count in this contract's SLA calendar."""
        if self.sla_calendar == SlaCalendar.BUSINESS_HOURS:
            return calendar.business_seconds_between(start, end, self.sla_canton)
        return max(0, int((end - start).total_seconds()))

    def rate_visible_to(self, user: User) -> bool:
        """Vendor staff and the party billed under the contract see its rate."""
        if user.is_vendor_staff:
            return True
        billed_id = self.partner_id if self.bill_to == BillTo.PARTNER else self.customer_id
        return billed_id is not None and user.organisation_id == billed_id

    @property
    def contact_team(self):
        """The CS team that checks tickets under this contract."""
        return self.partner.cs_team if self.partner_id else self.cs_team

    @property
    def partners_may_file(self) -> bool:
        return self.filers in (Filers.PARTNER, Filers.BOTH)

    @property
    def customers_may_file(self) -> bool:
        return self.filers in (Filers.CUSTOMER, Filers.BOTH)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            errors["valid_until"] = _("Das Ende der Gültigkeit liegt vor ihrem Beginn.")
        if self.sla_calendar == SlaCalendar.BUSINESS_HOURS and not self.sla_canton:
            errors["sla_canton"] = _("Geschäftszeiten brauchen einen Kanton für die Feiertage.")
        if self.sla_calendar == SlaCalendar.ON_THE_CLOCK and self.sla_canton:
            errors["sla_canton"] = _("Rund um die Uhr gilt ohne Kanton.")
        if self.customer_id and self.customer.kind != OrganisationKind.CUSTOMER:
            errors["customer"] = _("Vertragspartei muss ein Kunde sein.")
        if self.partner_id and self.partner.kind != OrganisationKind.PARTNER:
            errors["partner"] = _("Implementierungspartner muss ein Partner sein.")
        if not self.partner_id:
            if self.filers != Filers.CUSTOMER:
                errors["filers"] = _("Ohne Partner können nur Kundenkontakte Tickets erfassen.")
            if self.bill_to != BillTo.CUSTOMER:
                errors["bill_to"] = _("Ohne Partner kann nur der Kunde verrechnet werden.")
            if not self.cs_team_id:
                errors["cs_team"] = _("Ohne Partner braucht der Vertrag ein CS-Team.")
        if errors:
            raise ValidationError(errors)


class ServiceType(models.Model):
    """A kind of CS service (analysis, configuration advice, training …).

    Sales/partner management decides per lead order which of them are free.
    """

    code = models.SlugField(_("Code"), max_length=40, unique=True)
    name = models.CharField(_("Bezeichnung"), max_length=100)

    class Meta:
        verbose_name = _("CS-Leistungsart")
        verbose_name_plural = _("CS-Leistungsarten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrderKind(models.TextChoices):
    PARTNERSHIP = "partnership", _("Partnerschaftsauftrag")
    LEAD = "lead", _("Lead-Auftrag")
    ENGAGEMENT = "engagement", _("Planbarer Partnersupport")


class OrderQuerySet(models.QuerySet["Order"]):
    def visible_to(self, user: User) -> OrderQuerySet:
        """Orders ``user`` may see.

        Vendor staff all, partner people their partner's, customers none.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        org = user.organisation
        if org.kind == OrganisationKind.VENDOR:
            return self.all()
        if org.kind == OrganisationKind.PARTNER:
            return self.filter(partner_id=org.pk)
        return self.none()


class Order(models.Model):
    """An order of a partner that tickets are filed on.

    - partnership order: exactly one per partner, standing;
    - lead order: a sales opportunity with approved free CS hours and free service types;
    - engagement: dedicated vendor staff with a capacity for a period.
    """

    number = models.CharField(_("Auftragsnummer"), max_length=40, unique=True)
    kind = models.CharField(_("Art"), max_length=16, choices=OrderKind.choices)
    partner = models.ForeignKey(
        Organisation,
        verbose_name=_("Partner"),
        on_delete=models.PROTECT,
        related_name="orders",
        limit_choices_to={"kind": OrganisationKind.PARTNER},
    )
    title = models.CharField(_("Titel"), max_length=200)
    customer = models.ForeignKey(
        Organisation,
        verbose_name=_("Endkunde"),
        on_delete=models.PROTECT,
        related_name="orders_as_customer",
        null=True,
        blank=True,
        limit_choices_to={"kind": OrganisationKind.CUSTOMER},
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    # lead orders
    approved_free_hours = models.DecimalField(
        _("bewilligte Gratisstunden"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bewilligt von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_orders",
    )
    free_service_types = models.ManyToManyField(
        ServiceType, verbose_name=_("kostenlose CS-Leistungen"), blank=True, related_name="+"
    )
    # engagements
    starts_on = models.DateField(_("Beginn"), null=True, blank=True)
    ends_on = models.DateField(_("Ende"), null=True, blank=True)
    capacity_hours = models.DecimalField(
        _("Kapazität (Stunden)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    dedicated_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dedizierte Mitarbeitende"),
        blank=True,
        related_name="engagements",
    )
    created_at = models.DateTimeField(_("erstellt"), default=timezone.now, editable=False)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("Auftrag")
        verbose_name_plural = _("Aufträge")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner"],
                condition=Q(kind=OrderKind.PARTNERSHIP),
                name="order_one_partnership_per_partner",
                violation_error_message=_(
                    "Dieser Partner hat bereits einen Partnerschaftsauftrag."
                ),
            ),
            models.CheckConstraint(condition=Q(kind__in=OrderKind.values), name="order_kind_valid"),
            models.CheckConstraint(
                condition=Q(
                    kind=OrderKind.LEAD,
                    approved_free_hours__isnull=False,
                    approved_free_hours__gte=0,
                )
                | (~Q(kind=OrderKind.LEAD) & Q(approved_free_hours__isnull=True)),
                name="order_lead_has_approved_hours",
                violation_error_message=_("Nur Lead-Aufträge haben bewilligte Gratisstunden."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=OrderKind.ENGAGEMENT,
                        capacity_hours__isnull=False,
                        capacity_hours__gte=0,
                    )
                    & Q(starts_on__isnull=False, ends_on__isnull=False)
                    & Q(ends_on__gte=F("starts_on"))
                )
                | (
                    ~Q(kind=OrderKind.ENGAGEMENT)
                    & Q(capacity_hours__isnull=True, starts_on__isnull=True, ends_on__isnull=True)
                ),
                name="order_engagement_has_period_and_capacity",
                violation_error_message=_(
                    "Ein Einsatz braucht Zeitraum und Kapazität; andere Aufträge nicht."
                ),
            ),
        ]
        indexes = [models.Index(fields=["partner", "kind"])]

    def __str__(self) -> str:
        return f"{self.number} – {self.title}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.partner_id and self.partner.kind != OrganisationKind.PARTNER:
            errors["partner"] = _("Aufträge gehören zu einem Partner.")
        if self.kind == OrderKind.LEAD and self.approved_free_hours is None:
            errors["approved_free_hours"] = _("Ein Lead-Auftrag braucht bewilligte Gratisstunden.")
        if self.kind != OrderKind.LEAD and self.approved_free_hours is not None:
            errors["approved_free_hours"] = _("Nur Lead-Aufträge haben bewilligte Gratisstunden.")
        if self.kind == OrderKind.ENGAGEMENT:
            for field in ("starts_on", "ends_on", "capacity_hours"):
                if getattr(self, field) is None:
                    errors[field] = _("Ein Einsatz braucht dieses Feld.")
            if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
                errors["ends_on"] = _("Das Ende liegt vor dem Beginn.")
        else:
            for field in ("starts_on", "ends_on", "capacity_hours"):
                if getattr(self, field) is not None:
                    errors[field] = _("Nur Einsätze haben dieses Feld.")
        if errors:
            raise ValidationError(errors)
