"""The navigation each role sees; one list, filtered per person."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partnerdesk.parties.models import Role


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    # Who sees it: "vendor", "partner", "customer" (kind of organisation) or a role.
    audience: tuple[str, ...]
    # A query string for list pages that open pre-filtered (e.g. "kind=customer").
    query: str = ""


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("home", _("Übersicht"), "accounts:home", ("vendor", "partner", "customer")),
    NavItem("queue", _("Warteschlange"), "tickets:ticket_list", ("vendor",), "queue=team"),
    NavItem("tickets", _("Tickets"), "tickets:ticket_list", ("vendor",), "queue=all"),
    NavItem("tickets", _("Tickets"), "tickets:ticket_list", ("partner", "customer")),
    NavItem(
        "partners",
        pgettext_lazy("plural", "Partner"),
        "parties:organisation_list",
        ("vendor", "customer"),
        "kind=partner",
    ),
    NavItem(
        "customers",
        _("Kunden"),
        "parties:organisation_list",
        ("vendor", "partner"),
        "kind=customer",
    ),
    NavItem(
        "contracts", _("Verträge"), "contracts:contract_list", ("vendor", "partner", "customer")
    ),
    NavItem("orders", _("Aufträge"), "contracts:order_list", ("vendor", "partner")),
    NavItem("efforts", _("Aufwand"), "efforts:week", ("vendor",)),
    NavItem("bookings", _("Aufwand"), "efforts:booking_list", ("partner",)),
    NavItem("queries", _("Rückfragen"), "efforts:query_list", (Role.CS_RESPONSIBLE,)),
    NavItem(
        "invoices",
        _("Rechnungen"),
        "billing:invoice_list",
        (Role.CS_RESPONSIBLE, Role.ADMIN, "partner", "customer"),
    ),
    NavItem("tokens", _("API-Schlüssel"), "accounts:tokens", ("vendor", "partner", "customer")),
    NavItem("admin", _("Administration"), "admin:index", (Role.ADMIN,)),
)


def navigation_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    audience = {user.organisation.kind, *user.roles}
    items = []
    for item in NAVIGATION:
        if not audience.intersection(item.audience):
            continue
        url = reverse(item.url_name)
        items.append(
            {
                "key": item.key,
                "label": item.label,
                "url": f"{url}?{item.query}" if item.query else url,
            }
        )
    return items


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "vendor_name": settings.VENDOR_NAME,
        "navigation": navigation_for(user) if user is not None else [],
    }
