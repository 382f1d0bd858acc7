"""The REST API under /api/v1/: personal-token or session auth, one error shape.

Every error answers ``{"detail": "...", "code": "..."}``; a 422 adds ``errors``, the
messages per input field (``{"kind": ["..."]}``), whether ninja's schema or an action's
``ValidationError`` refused the input.

Authentication, in this order:

1. ``Authorization: Bearer pd_…`` — a personal API token. No CSRF check: a browser never
   attaches this header on its own. A header with an unknown or revoked token is a 401,
   even if a session cookie came along, so a client notices its token no longer works.
2. The Django session cookie — with Django's CSRF check on unsafe methods.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from partnerdesk.accounts.actions import api_token_authenticate
from partnerdesk.lib.api import ApiError
from partnerdesk.lib.errors import ActionError


class TokenAuth(HttpBearer):
    """``Authorization: Bearer pd_…`` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(token)
        if user is None:
            raise AuthenticationError
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """Django's session; unsafe methods need the CSRF token like any form post.

    ninja's own ``django_auth`` checks CSRF before it knows whether a session exists, which
    would answer 403 instead of 401 to a caller without any credentials.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None):
        if not request.user.is_authenticated:
            return None
        if self.csrf and check_csrf(request) is not None:
            raise ApiError(403, "csrf_failed", "CSRF check failed.")
        return request.user


api = NinjaAPI(
    title="partnerdesk API",
    version="1",
    description=(
        "The partner support desk of the SaaS vendor. Every answer is scoped to the caller: "
        "rows of other partners or customers do not exist for you (404).\n\n"
        'Errors: `{"detail": "...", "code": "..."}`; 422 adds `errors` per field. '
        "Amounts are CHF as decimal strings."
    ),
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs_url="/docs",
)


def error(request: HttpRequest, status: int, code: str, detail: str, **extra: Any):
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


def _field_name(loc: tuple | list) -> str:
    """``("query", "kind")`` → ``kind``; ``("body", "payload", "name")`` → ``name``."""
    parts = [str(part) for part in loc]
    if parts and parts[0] == "body":
        parts = parts[2:]  # the source and the endpoint's body parameter name
    elif parts and parts[0] in ("query", "path", "header", "cookie", "form", "file"):
        parts = parts[1:]
    return ".".join(parts) or "__all__"


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return error(request, 401, "not_authenticated", "Authentication required.")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error(request, 404, "not_found", "Not found.")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return error(request, 403, "permission_denied", str(exc) or "Permission denied.")


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc):
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        errors.setdefault(_field_name(item.get("loc", ())), []).append(str(item.get("msg", "")))
    return error(request, 422, "invalid_input", "Invalid input.", errors=errors)


@api.exception_handler(ValidationError)
def on_model_validation_error(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return error(request, 422, "invalid_input", "Invalid input.", errors=errors)


@api.exception_handler(ActionError)
def on_action_error(request, exc):
    """A rule of the domain refused the request (403, 409 stale_version, 422 ...)."""
    return error(request, exc.status, exc.code, exc.detail)


HTTP_ERROR_CODES = {400: "bad_request", 403: "permission_denied", 404: "not_found"}


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    code = getattr(exc, "code", None) or HTTP_ERROR_CODES.get(exc.status_code, "error")
    return error(request, exc.status_code, code, str(exc))


api.add_router("/organisations/", "partnerdesk.parties.api.router")
api.add_router("/", "partnerdesk.contracts.api.router")
api.add_router("/me/", "partnerdesk.accounts.api.router")
api.add_router("/tickets/", "partnerdesk.tickets.api.router")
api.add_router("/", "partnerdesk.efforts.api.router")
api.add_router("/", "partnerdesk.billing.api.router")
