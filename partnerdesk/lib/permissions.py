"""Role checks shared by actions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require_role(user, *roles: str) -> None:
    """Refuse unless ``user`` is a superuser or holds one of ``roles``; ``None`` is the system."""
    if user is None or user.is_superuser or user.has_role(*roles):
        return
    raise PermissionDenied(_("Dafür fehlt Ihnen die Berechtigung."))
