"""Pages for organisations: the list a person may see and one organisation's detail."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from partnerdesk.contracts.models import Contract, Order
from partnerdesk.lib.pages import paginate, render_list
from partnerdesk.parties.models import Organisation, OrganisationKind

LIST_KINDS = (OrganisationKind.PARTNER, OrganisationKind.CUSTOMER)


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    """Vendor staff: partners and customers; partner people: the customers they serve;
    customer contacts: their partners. One's own organisation and the vendor are not listed."""
    user = request.user
    organisations = (
        Organisation.objects.visible_to(user)
        .filter(kind__in=LIST_KINDS)
        .exclude(pk=user.organisation_id)
        .select_related("cs_team", "cs_responsible", "coordinator")
        .order_by("name")
    )
    kind = request.GET.get("kind", "")
    if kind not in LIST_KINDS:
        kind = ""
    if kind:
        organisations = organisations.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        organisations = organisations.filter(
            Q(name__icontains=query) | Q(city__icontains=query) | Q(short_name__icontains=query)
        )
    if user.is_partner_person or kind == OrganisationKind.CUSTOMER:
        nav_active = "customers"
    else:
        nav_active = "partners"
    context = {
        "nav_active": nav_active,
        "page": paginate(request, organisations),
        "kind": kind,
        "query": query,
        "kinds": [
            (OrganisationKind.PARTNER, pgettext("plural", "Partner")),
            (OrganisationKind.CUSTOMER, _("Kunden")),
        ],
        "show_kind_filter": user.is_vendor_staff,
    }
    return render_list(request, "parties/organisation_list.html", context)


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    organisation = get_object_or_404(
        Organisation.objects.visible_to(user).select_related(
            "cs_team", "cs_responsible", "coordinator", "project_lead"
        ),
        pk=pk,
    )
    is_own = organisation.pk == user.organisation_id
    contracts = (
        Contract.objects.visible_to(user)
        .filter(Q(customer=organisation) | Q(partner=organisation))
        .select_related("customer", "partner")
        .order_by("number")
    )
    orders = (
        Order.objects.visible_to(user)
        .filter(Q(partner=organisation) | Q(customer=organisation))
        .select_related("partner", "customer")
        .order_by("kind", "number")
    )
    # People are shown to the vendor and to colleagues, never to other tenants.
    people = (
        organisation.people.filter(is_active=True).prefetch_related("role_grants")
        if user.is_vendor_staff or is_own
        else None
    )
    if organisation.kind == OrganisationKind.PARTNER:
        nav_active = "partners"
    elif organisation.kind == OrganisationKind.CUSTOMER:
        nav_active = "customers"
    else:
        nav_active = ""
    context = {
        "nav_active": nav_active,
        "organisation": organisation,
        "is_own": is_own,
        "show_rate": organisation.rate_visible_to(user),
        "contracts": contracts,
        "orders": orders,
        "people": people,
    }
    return render(request, "parties/organisation_detail.html", context)
