"""Helpers every API router shares: the error schemas, the 404 door, the caller.

Routers import from here rather than from ``partnerdesk.api`` so that the API object can
mount them without an import cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from ninja import Schema
from ninja.errors import HttpError
from pydantic import Field

if TYPE_CHECKING:
    from partnerdesk.parties.models import User


# An id as the database stores it (a signed 64-bit integer): larger values are refused as
# invalid input instead of overflowing the database driver.
DbId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ErrorOut(Schema):
    """Every error the API answers."""

    detail: str = Field(description="A human-readable message.")
    code: str = Field(
        description=(
            "A stable machine-readable code: not_authenticated, csrf_failed, "
            "permission_denied, not_found, invalid_input, bad_request."
        )
    )


class ValidationErrorOut(ErrorOut):
    """A 422: the input was refused; nothing was changed."""

    errors: dict[str, list[str]] = Field(
        description="Messages per input field (``__all__`` for the input as a whole)."
    )


# Response entries to spread into ``response=`` so that the error answers are documented.
UNAUTHENTICATED: dict[int, Any] = {401: ErrorOut}
NOT_FOUND: dict[int, Any] = {404: ErrorOut}
INVALID: dict[int, Any] = {422: ValidationErrorOut}
CSRF: dict[int, Any] = {403: ErrorOut}


class ApiError(HttpError):
    """An HTTP error with a stable ``code`` for the error body."""

    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(status_code, message)
        self.code = code


def caller(request: HttpRequest) -> User:
    """The authenticated person (session or token); ninja has already refused everyone else."""
    return request.auth  # type: ignore[attr-defined]


def get_visible_or_404[M: Model](queryset: QuerySet[M], pk: int) -> M:
    """The row ``pk`` of ``queryset`` (already scoped with ``visible_to``) or a 404.

    "Does not exist" and "not yours" answer the same, so ids of other tenants leak nothing.
    """
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj
