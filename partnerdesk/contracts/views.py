"""Pages for SaaS contracts and orders, each read through its ``visible_to`` door."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerdesk.contracts.models import Contract, Order, OrderKind
from partnerdesk.lib.pages import paginate, render_list
from partnerdesk.parties.models import Role


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    contracts = (
        Contract.objects.visible_to(request.user)
        .select_related("customer", "partner")
        .order_by("number")
    )
    query = request.GET.get("q", "").strip()
    if query:
        contracts = contracts.filter(
            Q(number__icontains=query)
            | Q(product__icontains=query)
            | Q(customer__name__icontains=query)
            | Q(partner__name__icontains=query)
        )
    context = {
        "nav_active": "contracts",
        "page": paginate(request, contracts),
        "query": query,
        "today": timezone.localdate(),
    }
    return render_list(request, "contracts/contract_list.html", context)


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_object_or_404(
        Contract.objects.visible_to(request.user).select_related(
            "customer", "partner__cs_team", "partner__cs_responsible", "partner__coordinator"
        ),
        pk=pk,
    )
    context = {
        "nav_active": "contracts",
        "contract": contract,
        "is_valid_today": contract.is_valid_on(timezone.localdate()),
        "show_rate": contract.rate_visible_to(request.user),
    }
    return render(request, "contracts/contract_detail.html", context)


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    orders = (
        Order.objects.visible_to(request.user)
        .select_related("partner", "customer")
        .order_by("partner__name", "kind", "number")
    )
    kind = request.GET.get("kind", "")
    if kind not in OrderKind.values:
        kind = ""
    if kind:
        orders = orders.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        orders = orders.filter(
            Q(number__icontains=query)
            | Q(title__icontains=query)
            | Q(partner__name__icontains=query)
            | Q(customer__name__icontains=query)
        )
    context = {
        "nav_active": "orders",
        "page": paginate(request, orders),
        "kind": kind,
        "query": query,
        "kinds": [
            (OrderKind.PARTNERSHIP, _("Partnerschaftsaufträge")),
            (OrderKind.LEAD, _("Lead-Aufträge")),
            (OrderKind.ENGAGEMENT, _("Planbarer Partnersupport")),
        ],
    }
    return render_list(request, "contracts/order_list.html", context)


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return order_page(request, pk)


def order_page(request: HttpRequest, pk: int, *, raise_form=None, status: int = 200):
    """The order with its budget: a lead order's free hours (and the form to raise them for
    sales and partner management), an engagement's capacity per person and ticket."""
    from partnerdesk.efforts import budgets
    from partnerdesk.efforts.forms import RaiseApprovalForm
    from partnerdesk.efforts.models import BudgetEvent

    user = request.user
    order = get_object_or_404(
        Order.objects.visible_to(user)
        .select_related("partner__cs_team", "partner__cs_responsible", "customer", "approved_by")
        .prefetch_related("free_service_types", "dedicated_staff"),
        pk=pk,
    )
    context = {
        "nav_active": "orders",
        "order": order,
        "show_rate": order.partner.rate_visible_to(user),
    }
    if order.kind == OrderKind.LEAD:
        context["lead_budget"] = budgets.lead_budget(order)
        context["budget_events"] = list(
            BudgetEvent.objects.filter(order=order)
            .select_related("author")
            .order_by("-created_at", "-id")[:10]
        )
        if user.is_vendor_staff and user.has_role(Role.SALES, Role.ADMIN):
            context["raise_form"] = raise_form or RaiseApprovalForm(prefix="raise")
            context["raise_open"] = raise_form is not None
    elif order.kind == OrderKind.ENGAGEMENT:
        context["engagement_budget"] = budgets.engagement_budget(order)
    return render(request, "contracts/order_detail.html", context, status=status)
