"""Log-in, log-out, the overview per role, the language switch and personal API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from partnerdesk.accounts.actions import api_token_create, api_token_revoke, user_set_language
from partnerdesk.accounts.forms import ApiTokenCreateForm, LanguageForm, LoginForm
from partnerdesk.accounts.models import TOKEN_PREFIX, ApiToken
from partnerdesk.contracts.models import Contract, Order, OrderKind
from partnerdesk.parties.models import Organisation, OrganisationKind, Role

# The raw value of a freshly created token waits here for exactly one page render.
NEW_TOKEN_SESSION_KEY = "partnerdesk.new_api_token"
DASHBOARD_ROWS = 10


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("accounts:home")


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.user.is_authenticated:
        return redirect(_safe_next(request, next_url))
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = form.get_user()
        auth_login(request, user)
        response = redirect(_safe_next(request, next_url))
        # A person gets their own language, whatever the browser showed before.
        _set_language_cookie(response, user.language)
        return response
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.success(request, _("Sie sind abgemeldet."))
    return redirect("accounts:login")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered on the person when logged in."""
    form = LanguageForm(request.POST)
    next_url = _safe_next(request, request.POST.get("next") or request.headers.get("referer"))
    response = redirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            user_set_language(acting_user=request.user, language=language)
        _set_language_cookie(response, language)
    return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    org = user.organisation
    context: dict = {
        "nav_active": "home",
        "role_labels": [Role(role).label for role in Role.values if role in user.roles],
    }
    if org.kind == OrganisationKind.VENDOR:
        context["my_partners"] = (
            Organisation.objects.visible_to(user)
            .partners()
            .filter(Q(cs_team__members=user) | Q(cs_responsible=user) | Q(project_lead=user))
            .select_related("cs_team", "cs_responsible", "coordinator", "project_lead")
            .distinct()
            .order_by("name")
        )
        context["my_engagements"] = (
            Order.objects.visible_to(user)
            .filter(kind=OrderKind.ENGAGEMENT, is_active=True, dedicated_staff=user)
            .select_related("partner")
            .order_by("starts_on")
        )
        context["totals"] = Organisation.objects.visible_to(user).aggregate(
            partners=Count("pk", filter=Q(kind=OrganisationKind.PARTNER, is_active=True)),
            customers=Count("pk", filter=Q(kind=OrganisationKind.CUSTOMER, is_active=True)),
        ) | {
            "contracts": Contract.objects.visible_to(user).count(),
            "orders": Order.objects.visible_to(user).filter(is_active=True).count(),
        }
        template = "accounts/home_vendor.html"
    elif org.kind == OrganisationKind.PARTNER:
        context["partner"] = get_object_or_404(
            Organisation.objects.visible_to(user).select_related(
                "cs_team", "cs_responsible", "coordinator", "project_lead"
            ),
            pk=org.pk,
        )
        contracts = Contract.objects.visible_to(user).select_related("customer")
        orders = Order.objects.visible_to(user).filter(is_active=True).select_related("customer")
        context["contracts"] = contracts[:DASHBOARD_ROWS]
        context["orders"] = orders[:DASHBOARD_ROWS]
        template = "accounts/home_partner.html"
    else:
        contracts = list(
            Contract.objects.visible_to(user)
            .select_related(
                "partner__cs_team",
                "partner__cs_responsible",
                "partner__coordinator",
                "partner__project_lead",
            )
            .order_by("number")
        )
        context["contracts"] = contracts
        context["partners"] = list(
            {
                contract.partner_id: contract.partner for contract in contracts if contract.partner
            }.values()
        )
        template = "accounts/home_customer.html"
    return render(request, template, context)


@login_required
@never_cache
def tokens(request: HttpRequest) -> HttpResponse:
    """The person's own API tokens; a new token's raw value is shown once, then forgotten."""
    form = ApiTokenCreateForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            issued = api_token_create(acting_user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            request.session[NEW_TOKEN_SESSION_KEY] = {"id": issued.token.pk, "raw": issued.raw}
            return redirect("accounts:tokens")
    new_token = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    context = {
        "nav_active": "tokens",
        "form": form,
        "tokens": ApiToken.objects.owned_by(request.user).order_by("revoked_at", "-created_at"),
        "new_token": new_token,
        "token_prefix": TOKEN_PREFIX,
    }
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.owned_by(request.user), pk=pk)
    api_token_revoke(acting_user=request.user, token=token)
    messages.success(request, _("Der Schlüssel «%(name)s» ist widerrufen.") % {"name": token.name})
    return redirect("accounts:tokens")
