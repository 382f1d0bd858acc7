"""The caller itself and its personal API tokens: /api/v1/me/."""

from ninja import Router, Status
from ninja.pagination import paginate

from partnerdesk.accounts.actions import api_token_create, api_token_revoke
from partnerdesk.accounts.models import ApiToken
from partnerdesk.accounts.schemas import MeOut, TokenCreatedOut, TokenCreateIn, TokenOut
from partnerdesk.lib.api import (
    CSRF,
    INVALID,
    NOT_FOUND,
    UNAUTHENTICATED,
    caller,
    get_visible_or_404,
)

router = Router(tags=["me"])


@router.get("", response={200: MeOut, **UNAUTHENTICATED}, operation_id="me_read")
def me_read(request):
    """Who you are: your organisation, roles and preferred language."""
    return caller(request)


@router.get(
    "tokens/",
    response={200: list[TokenOut], **UNAUTHENTICATED, **INVALID},
    operation_id="token_list",
)
@paginate
def token_list(request):
    """Your personal API tokens, newest first, including revoked ones."""
    return ApiToken.objects.owned_by(caller(request)).order_by("-created_at", "-id")


@router.post(
    "tokens/",
    response={201: TokenCreatedOut, **UNAUTHENTICATED, **CSRF, **INVALID},
    operation_id="token_create",
)
def token_create(request, payload: TokenCreateIn):
    """Create a personal API token. Its value is in this answer only; keep it safe.

    Use it as ``Authorization: Bearer <token>``.
    """
    issued = api_token_create(acting_user=caller(request), name=payload.name)
    return Status(201, {**TokenOut.from_orm(issued.token).model_dump(), "token": issued.raw})


@router.delete(
    "tokens/{token_id}",
    response={204: None, **UNAUTHENTICATED, **CSRF, **NOT_FOUND, **INVALID},
    operation_id="token_revoke",
)
def token_revoke(request, token_id: int):
    """Revoke one of your tokens; it stops working at once. Revoking twice is harmless."""
    user = caller(request)
    token = get_visible_or_404(ApiToken.objects.owned_by(user), token_id)
    api_token_revoke(acting_user=user, token=token)
    return Status(204, None)
