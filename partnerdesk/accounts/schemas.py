"""API schemas for the caller itself and its personal API tokens."""

from __future__ import annotations

import datetime

from ninja import Schema
from pydantic import Field

from partnerdesk.parties.models import OrganisationKind, Role, User


class MyOrganisationOut(Schema):
    id: int
    kind: OrganisationKind
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.display_name


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    organisation: MyOrganisationOut
    roles: list[Role] = Field(description="Sorted role codes.")
    language: str = Field(description="Preferred interface language (de-ch or en).")

    @staticmethod
    def resolve_roles(obj: User) -> list[str]:
        return sorted(obj.roles)


class TokenOut(Schema):
    id: int
    name: str
    hint: str = Field(description="The first characters after pd_, to recognise the token.")
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None


class TokenCreateIn(Schema):
    name: str = Field(description="Your label for the token.", max_length=100)


class TokenCreatedOut(TokenOut):
    token: str = Field(
        description="The token itself. Shown only in this answer; only a hash is stored."
    )
