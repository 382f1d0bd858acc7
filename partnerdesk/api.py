"""The REST API under /api/v1/: session or personal-token auth, one error shape.

Every error answers ``{"detail": "...", "code": "..."}`` (validation errors add ``errors``
with the field-level messages).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from partnerdesk.accounts.actions import api_token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer pd_…`` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="partnerdesk API",
    version="1",
    urls_namespace="api",
    auth=[django_auth, TokenAuth()],
    docs_url="/docs",
)


def error(request, status: int, code: str, detail: str, **extra):
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


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
    return error(request, 422, "invalid_input", "Invalid input.", errors=exc.errors)


@api.exception_handler(ValidationError)
def on_model_validation_error(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return error(request, 422, "invalid_input", "Invalid input.", errors=errors)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return error(request, exc.status_code, getattr(exc, "code", "error"), str(exc))


api.add_router("/organisations/", "partnerdesk.parties.api.router")
api.add_router("/", "partnerdesk.contracts.api.router")
api.add_router("/me/", "partnerdesk.accounts.api.router")
