"""Writes on contracts and orders."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partnerdesk.contracts.models import (
    BillTo,
    Contract,
    Filers,
    Order,
    OrderKind,
    ServiceType,
    SlaCalendar,
)
from partnerdesk.lib.permissions import require_role
from partnerdesk.parties.models import CSTeam, Organisation, Role, User


def _next_number(prefix: str, model) -> str:
    count = model.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1:04d}"


@transaction.atomic
def contract_create(
    *,
    acting_user: User | None,
    customer: Organisation,
    partner: Organisation | None,
    valid_from: datetime.date,
    hourly_rate: Decimal,
    valid_until: datetime.date | None = None,
    number: str | None = None,
    product: str = "",
    sla_first_check_hours: int = 24,
    sla_calendar: str = SlaCalendar.ON_THE_CLOCK,
    sla_canton: str = "",
    filers: str = Filers.PARTNER,
    bill_to: str = BillTo.PARTNER,
    cs_team: CSTeam | None = None,
) -> Contract:
    """Create a SaaS contract between ``customer`` and the vendor, optionally naming ``partner``."""
    require_role(acting_user, Role.ADMIN, Role.SALES)
    contract = Contract(
        number=number or _next_number(f"SV-{valid_from.year}-", Contract),
        customer=customer,
        partner=partner,
        product=product,
        valid_from=valid_from,
        valid_until=valid_until,
        sla_first_check_hours=sla_first_check_hours,
        sla_calendar=sla_calendar,
        sla_canton=sla_canton,
        filers=filers,
        bill_to=bill_to,
        hourly_rate=hourly_rate,
        cs_team=cs_team,
    )
    contract.full_clean()
    contract.save()
    return contract


@transaction.atomic
def service_type_create(*, acting_user: User | None, code: str, name: str) -> ServiceType:
    """Create a kind of CS service that lead orders can list as free."""
    require_role(acting_user, Role.ADMIN, Role.SALES)
    service_type = ServiceType(code=code, name=name.strip())
    service_type.full_clean()
    service_type.save()
    return service_type


def order_ensure_partnership(*, partner: Organisation) -> Order:
    """The standing partnership order of ``partner``; created with the partner."""
    order, _created = Order.objects.get_or_create(
        partner=partner,
        kind=OrderKind.PARTNERSHIP,
        defaults={
            "number": f"PA-{partner.short_name.upper()}",
            "title": _("Partnerschaftsauftrag %(partner)s") % {"partner": partner.name},
        },
    )
    return order


@transaction.atomic
def order_create_lead(
    *,
    acting_user: User | None,
    partner: Organisation,
    title: str,
    approved_free_hours: Decimal,
    customer: Organisation | None = None,
    free_service_types: Iterable[ServiceType] = (),
    number: str | None = None,
    now: datetime.datetime | None = None,
) -> Order:
    """Create a lead order with the free CS hours sales/partner management approved.

    The CS team hears of the approval (``efforts.actions.record_lead_approval``).
    """
    require_role(acting_user, Role.SALES, Role.ADMIN)
    order = Order(
        number=number or _next_number("LA-", Order),
        kind=OrderKind.LEAD,
        partner=partner,
        customer=customer,
        title=title.strip(),
        approved_free_hours=approved_free_hours,
        approved_by=acting_user,
    )
    order.full_clean()
    order.save()
    order.free_service_types.set(list(free_service_types))
    from partnerdesk.efforts.actions import record_lead_approval  # effort builds on contracts

    record_lead_approval(order, author=acting_user, now=now)
    return order


@transaction.atomic
def order_create_engagement(
    *,
    acting_user: User | None,
    partner: Organisation,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    capacity_hours: Decimal,
    dedicated_staff: Iterable[User],
    customer: Organisation | None = None,
    number: str | None = None,
) -> Order:
    """Create an engagement: named vendor staff dedicated to ``partner`` for a period."""
    require_role(acting_user, Role.CS_RESPONSIBLE, Role.ADMIN)
    staff = list(dedicated_staff)
    if not staff:
        raise ValidationError({"dedicated_staff": _("Mindestens eine dedizierte Person.")})
    if any(not person.is_vendor_staff for person in staff):
        raise ValidationError(
            {"dedicated_staff": _("Dedizierte Personen arbeiten beim Hersteller.")}
        )
    order = Order(
        number=number or _next_number("EP-", Order),
        kind=OrderKind.ENGAGEMENT,
        partner=partner,
        customer=customer,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        capacity_hours=capacity_hours,
    )
    order.full_clean()
    order.save()
    order.dedicated_staff.set(staff)
    return order
