"""Writes for log-in matters: personal API tokens and the preferred language."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerdesk.accounts.models import TOKEN_PREFIX, ApiToken, hash_token
from partnerdesk.parties.models import User


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str  # shown once, never stored


def api_token_create(*, acting_user: User, name: str) -> IssuedToken:
    """Create a personal API token for ``acting_user``; the raw value is returned once."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Bitte geben Sie eine Bezeichnung an.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Höchstens 100 Zeichen.")})
    with transaction.atomic():
        if ApiToken.objects.owned_by(acting_user).active().filter(name=name).exists():
            raise ValidationError(
                {"name": _("Sie haben bereits einen aktiven Schlüssel mit diesem Namen.")}
            )
        secret = secrets.token_urlsafe(32)
        raw = f"{TOKEN_PREFIX}{secret}"
        token = ApiToken.objects.create(
            user=acting_user, name=name, hint=secret[:8], token_hash=hash_token(raw)
        )
    return IssuedToken(token=token, raw=raw)


def api_token_revoke(*, acting_user: User, token: ApiToken) -> ApiToken:
    """Revoke one of ``acting_user``'s tokens; revoking twice changes nothing."""
    if token.user_id != acting_user.pk:
        raise PermissionError("not the owner")
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The person a raw token belongs to, if it is active and the person may log in."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user__organisation")
        .filter(token_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # At most one write a minute per token keeps hot API clients from hammering the row.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def user_set_language(*, acting_user: User, language: str) -> None:
    """Remember the person's preferred interface language."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unbekannte Sprache.")})
    User.objects.filter(pk=acting_user.pk).update(language=language)
    acting_user.language = language
