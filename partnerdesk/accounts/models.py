"""Personal API tokens: stored as SHA-256 hashes, shown to their owner exactly once."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "pd_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)

    def owned_by(self, user) -> ApiTokenQuerySet:
        """The one door to tokens: a person only ever sees their own."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user_id=user.pk)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("Bezeichnung"), max_length=100)
    # The first characters after the prefix, so a person can recognise a token in lists.
    hint = models.CharField(_("Kennung"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("erstellt"), default=timezone.now)
    last_used_at = models.DateTimeField(_("zuletzt verwendet"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("widerrufen"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-Schlüssel")
        verbose_name_plural = _("API-Schlüssel")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=Q(revoked_at__isnull=True),
                name="apitoken_active_name_unique",
                violation_error_message=_(
                    "Sie haben bereits einen aktiven Schlüssel mit diesem Namen."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({TOKEN_PREFIX}{self.hint}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
