"""API schemas for SaaS contracts and orders.

A contract's ``hourly_rate`` is shown to vendor staff and to the party the contract bills
(``bill_to``); everyone else who can see the contract receives ``null``. Decided in
``Contract.rate_visible_to``. Orders carry no rates.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from ninja import FilterSchema, Schema
from pydantic import Field

from partnerdesk.contracts.models import (
    BillTo,
    Canton,
    Contract,
    ContractQuerySet,
    Filers,
    OrderKind,
    SlaCalendar,
)
from partnerdesk.parties.schemas import OrganisationRef, StaffRef


class SlaOut(Schema):
    first_check_hours: int = Field(description="The first check is due within these hours.")
    calendar: SlaCalendar
    canton: Canton | None = Field(description="Holidays of this canton; business hours only.")


class ContractOut(Schema):
    id: int
    number: str
    customer: OrganisationRef
    partner: OrganisationRef | None
    product: str
    valid_from: datetime.date
    valid_until: datetime.date | None
    sla: SlaOut
    filers: Filers = Field(description="Who may file tickets under this contract.")
    bill_to: BillTo = Field(description="Who is billed for requests that are no vendor service.")
    hourly_rate: Decimal | None = Field(
        description="CHF. Shown to vendor staff and to the billed party; null for others."
    )
    is_valid_today: bool

    @staticmethod
    def resolve_sla(obj: Contract) -> dict:
        return {
            "first_check_hours": obj.sla_first_check_hours,
            "calendar": obj.sla_calendar,
            "canton": obj.sla_canton or None,
        }

    @staticmethod
    def resolve_hourly_rate(obj: Contract, context) -> Decimal | None:
        if obj.rate_visible_to(context["request"].auth):
            return obj.hourly_rate
        return None

    @staticmethod
    def resolve_is_valid_today(obj: Contract) -> bool:
        return obj.is_valid_on(timezone.localdate())


class ContractFilter(FilterSchema):
    partner: int | None = Field(None, description="Id of the partner named on the contract.")
    customer: int | None = Field(None, description="Id of the customer.")
    valid_on: datetime.date | None = Field(None, description="Valid on this day (YYYY-MM-DD).")

    def filter_partner(self, value: int | None) -> Q:
        return Q(partner_id=value)

    def filter_customer(self, value: int | None) -> Q:
        return Q(customer_id=value)

    def filter_valid_on(self, value: datetime.date | None) -> Q:
        return Q()  # applied in ``filter`` through the model's own rule

    def filter(self, queryset: ContractQuerySet) -> ContractQuerySet:
        queryset = super().filter(queryset)
        if self.valid_on is not None:
            queryset = queryset.valid_on(self.valid_on)
        return queryset


class ServiceTypeOut(Schema):
    code: str
    name: str


class OrderOut(Schema):
    id: int
    number: str
    kind: OrderKind
    partner: OrganisationRef
    customer: OrganisationRef | None
    title: str
    is_active: bool
    approved_free_hours: Decimal | None = Field(description="Lead orders: free CS hours.")
    free_service_types: list[ServiceTypeOut] = Field(
        description="Lead orders: CS services that are free."
    )
    starts_on: datetime.date | None = Field(description="Engagements: first day.")
    ends_on: datetime.date | None = Field(description="Engagements: last day.")
    capacity_hours: Decimal | None = Field(description="Engagements: agreed capacity.")
    dedicated_staff: list[StaffRef] = Field(description="Engagements: the dedicated people.")


class OrderFilter(FilterSchema):
    kind: OrderKind | None = None
    partner: int | None = Field(None, description="Id of the partner.")

    def filter_partner(self, value: int | None) -> Q:
        return Q(partner_id=value)
