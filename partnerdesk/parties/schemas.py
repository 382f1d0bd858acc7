"""API schemas for organisations and people.

What a caller may read of an organisation it can see:

- names, place and the partner's contacts (CS team, CS responsible, coordinator, project
  lead: id, name, e-mail) — everyone who can see the organisation;
- the partner's ``hourly_rate`` — only vendor staff and the partner's own people; anyone
  else receives ``null``. Decided in ``Organisation.rate_visible_to``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from ninja import FilterSchema, Schema
from ninja.filter_schema import FilterLookup
from pydantic import Field

from partnerdesk.parties.models import Organisation, OrganisationKind


class PersonRef(Schema):
    id: int
    full_name: str
    email: str


class StaffRef(Schema):
    id: int
    full_name: str


class CSTeamRef(Schema):
    id: int
    name: str


class OrganisationRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Organisation) -> str:
        return obj.display_name


class OrganisationOut(Schema):
    id: int
    kind: OrganisationKind
    name: str = Field(description="The vendor answers with its configured display name.")
    short_name: str
    city: str
    cs_team: CSTeamRef | None = Field(description="Partners only: the responsible CS team.")
    cs_responsible: PersonRef | None = Field(description="Partners only.")
    coordinator: PersonRef | None = Field(description="Partners only.")
    project_lead: PersonRef | None = Field(description="Partners only; may be unset.")
    hourly_rate: Decimal | None = Field(
        description=(
            "Partners only, CHF. Shown to vendor staff and to the partner's own people; "
            "null for everyone else."
        )
    )

    @staticmethod
    def resolve_name(obj: Organisation) -> str:
        return obj.display_name

    @staticmethod
    def resolve_hourly_rate(obj: Organisation, context) -> Decimal | None:
        if obj.rate_visible_to(context["request"].auth):
            return obj.hourly_rate
        return None


class OrganisationFilter(FilterSchema):
    kind: OrganisationKind | None = None
    q: Annotated[
        str | None,
        FilterLookup("name__icontains"),
        Field(description="Part of the name, case-insensitive.", max_length=200),
    ] = None
