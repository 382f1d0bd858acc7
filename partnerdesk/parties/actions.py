"""Writes on parties: the vendor, partners, customers, people and CS teams.

Every function is keyword-only, atomic and validates with the model's rules before it
writes. ``acting_user=None`` means the system itself (demo loader, migrations).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partnerdesk.lib.permissions import require_role
from partnerdesk.parties.models import (
    ROLE_KIND,
    CSTeam,
    Organisation,
    OrganisationKind,
    Role,
    RoleGrant,
    User,
)


def vendor_get_or_create(*, name: str | None = None) -> Organisation:
    """The one vendor organisation; created on first use."""
    vendor, _created = Organisation.objects.get_or_create(
        kind=OrganisationKind.VENDOR,
        defaults={"name": name or settings.VENDOR_NAME, "short_name": "vendor"},
    )
    return vendor


@transaction.atomic
def person_create(
    *,
    acting_user: User | None,
    organisation: Organisation,
    email: str,
    full_name: str,
    roles: Iterable[str],
    password: str | None = None,
    language: str | None = None,
    phone: str = "",
) -> User:
    """Create a person in ``organisation`` with ``roles`` (each must fit the organisation).

    Without a password the person cannot log in until they set one through the reset link.
    """
    require_role(acting_user, Role.ADMIN)
    roles = list(dict.fromkeys(roles))
    wrong = [role for role in roles if ROLE_KIND.get(role) != organisation.kind]
    if wrong:
        raise ValidationError(
            {"roles": _("Rolle passt nicht zur Organisation: %s") % ", ".join(wrong)}
        )
    user = User(
        organisation=organisation,
        email=User.objects.normalize_email(email).lower(),
        full_name=full_name.strip(),
        language=language or settings.LANGUAGE_CODE,
        phone=phone,
        is_staff=Role.ADMIN in roles,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=role) for role in roles])
    return user


@transaction.atomic
def cs_team_create(
    *, acting_user: User | None, name: str, email: str = "", members: Iterable[User] = ()
) -> CSTeam:
    """Create a CS team of vendor people."""
    require_role(acting_user, Role.ADMIN)
    members = list(members)
    if any(member.organisation.kind != OrganisationKind.VENDOR for member in members):
        raise ValidationError(
            {"members": _("Ein CS-Team besteht aus Mitarbeitenden des Herstellers.")}
        )
    team = CSTeam(name=name.strip(), email=email)
    team.full_clean()
    team.save()
    team.members.set(members)
    return team


@transaction.atomic
def customer_create(
    *, acting_user: User | None, name: str, short_name: str, city: str = ""
) -> Organisation:
    """Create a customer organisation."""
    require_role(acting_user, Role.ADMIN)
    customer = Organisation(
        kind=OrganisationKind.CUSTOMER, name=name.strip(), short_name=short_name, city=city
    )
    customer.full_clean()
    customer.save()
    return customer


@transaction.atomic
def partner_create(
    *,
    acting_user: User | None,
    name: str,
    short_name: str,
    cs_team: CSTeam,
    cs_responsible: User,
    hourly_rate: Decimal,
    coordinator_email: str,
    coordinator_name: str,
    coordinator_password: str | None = None,
    project_lead: User | None = None,
    city: str = "",
) -> Organisation:
    """Create a partner with its coordinator and its standing partnership order.

    A partner always has exactly one CS team, one CS responsible and one coordinator.
    """
    from partnerdesk.contracts.actions import order_ensure_partnership

    require_role(acting_user, Role.ADMIN)
    partner = Organisation(
        kind=OrganisationKind.PARTNER,
        name=name.strip(),
        short_name=short_name,
        city=city,
        cs_team=cs_team,
        cs_responsible=cs_responsible,
        project_lead=project_lead,
        hourly_rate=hourly_rate,
    )
    partner.full_clean()
    partner.save()
    coordinator = person_create(
        acting_user=acting_user,
        organisation=partner,
        email=coordinator_email,
        full_name=coordinator_name,
        roles=[Role.PARTNER_COORDINATOR],
        password=coordinator_password,
    )
    partner.coordinator = coordinator
    partner.save(update_fields=["coordinator"])
    order_ensure_partnership(partner=partner)
    return partner


@transaction.atomic
def partner_set_coordinator(
    *, acting_user: User | None, partner: Organisation, person: User
) -> None:
    """Make ``person`` (of ``partner``) its one coordinator.

    The previous coordinator stays as an employee.
    """
    require_role(acting_user, Role.ADMIN)
    if person.organisation_id != partner.pk:
        raise ValidationError({"coordinator": _("Die Person gehört nicht zu diesem Partner.")})
    previous = partner.coordinator
    if previous is not None and previous.pk != person.pk:
        RoleGrant.objects.filter(user=previous, role=Role.PARTNER_COORDINATOR).delete()
        RoleGrant.objects.get_or_create(user=previous, role=Role.PARTNER_EMPLOYEE)
        Organisation.objects.filter(pk=partner.pk).update(coordinator=None)
    RoleGrant.objects.get_or_create(user=person, role=Role.PARTNER_COORDINATOR)
    partner.coordinator = person
    partner.save(update_fields=["coordinator"])
