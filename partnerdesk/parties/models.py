"""The parties: the vendor, its partners and customers, their people, roles and CS teams.

Tenancy starts here. ``Organisation.objects.visible_to(user)`` is the one door through which
views, endpoints and jobs read organisations for a user.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from collections.abc import Iterable


class OrganisationKind(models.TextChoices):
    VENDOR = "vendor", _("Hersteller")
    PARTNER = "partner", _("Partner")
    CUSTOMER = "customer", _("Kunde")


class Role(models.TextChoices):
    """Roles a person can hold; each belongs to one kind of organisation."""

    CS_AGENT = "cs_agent", _("CS-Mitarbeitende/r")
    CS_RESPONSIBLE = "cs_responsible", _("CS-Verantwortliche/r")
    EXPERT = "expert", _("Experte/Expertin")
    PROJECT_LEAD = "project_lead", _("Betreuende/r Projektleiter/in")
    SALES = "sales", _("Sales / Partnermanagement")
    ADMIN = "admin", _("Administrator/in")
    PARTNER_COORDINATOR = "partner_coordinator", _("Verantwortliche/r des Partners")
    PARTNER_EMPLOYEE = "partner_employee", _("Partner-Mitarbeitende/r")
    CUSTOMER_CONTACT = "customer_contact", _("Kundenkontakt")


ROLE_KIND: dict[str, str] = {
    Role.CS_AGENT: OrganisationKind.VENDOR,
    Role.CS_RESPONSIBLE: OrganisationKind.VENDOR,
    Role.EXPERT: OrganisationKind.VENDOR,
    Role.PROJECT_LEAD: OrganisationKind.VENDOR,
    Role.SALES: OrganisationKind.VENDOR,
    Role.ADMIN: OrganisationKind.VENDOR,
    Role.PARTNER_COORDINATOR: OrganisationKind.PARTNER,
    Role.PARTNER_EMPLOYEE: OrganisationKind.PARTNER,
    Role.CUSTOMER_CONTACT: OrganisationKind.CUSTOMER,
}


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: User) -> OrganisationQuerySet:
        """Organisations ``user`` may see.

        Vendor staff see every organisation. Partner people see the vendor, their own
        partner and the customers it serves under a contract. Customer contacts see the
        vendor, their own customer and the partners named on its contracts.
        """
        from partnerdesk.contracts.models import Contract

        if not user.is_authenticated or not user.is_active:
            return self.none()
        org = user.organisation
        if org.kind == OrganisationKind.VENDOR:
            return self.all()
        if org.kind == OrganisationKind.PARTNER:
            served = Contract.objects.filter(partner_id=org.pk).values("customer_id")
            return self.filter(Q(pk=org.pk) | Q(kind=OrganisationKind.VENDOR) | Q(pk__in=served))
        named_partners = Contract.objects.filter(customer_id=org.pk).values("partner_id")
        return self.filter(
            Q(pk=org.pk) | Q(kind=OrganisationKind.VENDOR) | Q(pk__in=named_partners)
        )

    def partners(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.PARTNER)

    def customers(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.CUSTOMER)


class Organisation(models.Model):
    """The vendor (exactly one), a partner or a customer.

    A partner has exactly one responsible CS team and one CS responsible (enforced by the
    database) and one partner coordinator (at most one by the database; ``partner_create``
    always sets it).
    """

    kind = models.CharField(_("Art"), max_length=16, choices=OrganisationKind.choices)
    name = models.CharField(_("Name"), max_length=200)
    short_name = models.SlugField(_("Kurzname"), max_length=40, unique=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    cs_team = models.ForeignKey(
        "parties.CSTeam",
        verbose_name=_("zuständiges CS-Team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
    )
    cs_responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("CS-Verantwortliche/r"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for_partners",
    )
    coordinator = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Verantwortliche/r des Partners"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_partner",
    )
    project_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("betreuende/r Projektleiter/in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_partners",
    )
    hourly_rate = models.DecimalField(
        _("Stundensatz (CHF)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Partner: Satz für Aufwand auf dem Partnerschaftsauftrag."),
    )
    created_at = models.DateTimeField(_("erstellt"), default=timezone.now, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind=OrganisationKind.VENDOR),
                name="organisation_one_vendor",
                violation_error_message=_("Es gibt bereits einen Hersteller."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values),
                name="organisation_kind_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=OrganisationKind.PARTNER)
                    & Q(cs_team__isnull=False)
                    & Q(cs_responsible__isnull=False)
                    & Q(hourly_rate__isnull=False)
                )
                | (
                    ~Q(kind=OrganisationKind.PARTNER)
                    & Q(cs_team__isnull=True)
                    & Q(cs_responsible__isnull=True)
                    & Q(coordinator__isnull=True)
                    & Q(project_lead__isnull=True)
                ),
                name="organisation_partner_has_cs_team_and_responsible",
                violation_error_message=_(
                    "Ein Partner braucht genau ein zuständiges CS-Team, eine/n "
                    "CS-Verantwortliche/n und einen Stundensatz; andere Organisationen keine."
                ),
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == OrganisationKind.VENDOR:
            return settings.VENDOR_NAME
        return self.name

    @property
    def is_vendor(self) -> bool:
        return self.kind == OrganisationKind.VENDOR

    @property
    def is_partner(self) -> bool:
        return self.kind == OrganisationKind.PARTNER

    @property
    def is_customer(self) -> bool:
        return self.kind == OrganisationKind.CUSTOMER

    def rate_visible_to(self, user: User) -> bool:
        """A partner's rate is the vendor's business and the partner's own, nobody else's."""
        return self.is_partner and (user.is_vendor_staff or user.organisation_id == self.pk)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == OrganisationKind.PARTNER:
            if not self.cs_team_id:
                errors["cs_team"] = _("Ein Partner braucht ein zuständiges CS-Team.")
            if not self.cs_responsible_id:
                errors["cs_responsible"] = _("Ein Partner braucht eine/n CS-Verantwortliche/n.")
            elif self.cs_responsible.organisation.kind != OrganisationKind.VENDOR:
                errors["cs_responsible"] = _(
                    "Die/der CS-Verantwortliche muss beim Hersteller arbeiten."
                )
            if self.hourly_rate is None:
                errors["hourly_rate"] = _("Ein Partner braucht einen Stundensatz.")
            if self.coordinator_id and self.coordinator.organisation_id != self.pk:
                errors["coordinator"] = _(
                    "Die/der Verantwortliche des Partners muss zu diesem Partner gehören."
                )
            if self.project_lead_id and (
                self.project_lead.organisation.kind != OrganisationKind.VENDOR
            ):
                errors["project_lead"] = _(
                    "Die/der Projektleiter/in muss beim Hersteller arbeiten."
                )
        else:
            for field in ("cs_team", "cs_responsible", "coordinator", "project_lead"):
                if getattr(self, f"{field}_id"):
                    errors[field] = _("Nur Partner haben dieses Feld.")
        if errors:
            raise ValidationError(errors)


class CSTeam(models.Model):
    """A Customer Success team of vendor people; each partner has exactly one."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    email = models.EmailField(_("Team-E-Mail"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Mitglieder"),
        related_name="cs_teams",
        blank=True,
    )

    class Meta:
        verbose_name = _("CS-Team")
        verbose_name_plural = _("CS-Teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        if "organisation" not in fields and "organisation_id" not in fields:
            fields["organisation"] = Organisation.objects.get(kind=OrganisationKind.VENDOR)
        user = self.create_user(email, password, **fields)
        RoleGrant.objects.get_or_create(user=user, role=Role.ADMIN)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Belongs to exactly one organisation and logs in with the e-mail address."""

    email = models.EmailField(_("E-Mail"), unique=True)
    full_name = models.CharField(_("Name"), max_length=150)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Organisation"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    language = models.CharField(
        _("Sprache"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    is_staff = models.BooleanField(
        _("Zugang zur Administration"),
        default=False,
        help_text=_("Darf sich in der Administration anmelden."),
    )
    date_joined = models.DateTimeField(_("erfasst"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_vendor_staff(self) -> bool:
        return self.organisation.kind == OrganisationKind.VENDOR

    @property
    def is_partner_person(self) -> bool:
        return self.organisation.kind == OrganisationKind.PARTNER

    @property
    def is_customer_contact(self) -> bool:
        return self.organisation.kind == OrganisationKind.CUSTOMER

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class RoleGrant(models.Model):
    """One role held by one person; the role must fit the person's kind of organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("Rolle"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("Rolle")
        verbose_name_plural = _("Rollen")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="rolegrant_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="rolegrant_role_valid"),
        ]

    def __str__(self) -> str:
        return str(self.get_role_display())

    def clean(self) -> None:
        if self.user_id and ROLE_KIND.get(self.role) != self.user.organisation.kind:
            raise ValidationError(
                {"role": _("Diese Rolle passt nicht zur Organisation der Person.")}
            )


def roles_for_kind(kind: str) -> Iterable[str]:
    return [role for role, role_kind in ROLE_KIND.items() if role_kind == kind]
