"""The navigation each role sees; one list, filtered per person."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnerdesk.parties.models import Role


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    # Who sees it: "vendor", "partner", "customer" (kind of organisation) or a role.
    audience: tuple[str, ...]


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("home", _("Übersicht"), "accounts:home", ("vendor", "partner", "customer")),
    NavItem("partners", _("Partner"), "parties:organisation_list", ("vendor",)),
    NavItem("customers", _("Kunden"), "parties:organisation_list", ("partner",)),
    NavItem(
        "contracts", _("Verträge"), "contracts:contract_list", ("vendor", "partner", "customer")
    ),
    NavItem("orders", _("Aufträge"), "contracts:order_list", ("vendor", "partner")),
    NavItem("tokens", _("API-Schlüssel"), "accounts:tokens", ("vendor", "partner", "customer")),
    NavItem("admin", _("Administration"), "admin:index", (Role.ADMIN,)),
)


def navigation_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    audience = {user.organisation.kind, *user.roles}
    return [
        {"key": item.key, "label": item.label, "url": reverse(item.url_name)}
        for item in NAVIGATION
        if audience.intersection(item.audience)
    ]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "vendor_name": settings.VENDOR_NAME,
        "navigation": navigation_for(user) if user is not None else [],
    }
