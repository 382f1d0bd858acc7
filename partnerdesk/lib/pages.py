"""Shared helpers for server-rendered list pages: pagination and htmx partial swaps."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

PER_PAGE = 25


def paginate(request: HttpRequest, queryset: QuerySet, *, per_page: int = PER_PAGE) -> Page:
    """The requested page of ``queryset``; out-of-range or junk page numbers fall back."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def render_list(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """Render a list page, or only its ``results`` partial for an htmx swap.

    History restores ask for the whole page, so they get it. ``Vary: HX-Request`` keeps
    caches from serving a partial where a page was asked for.
    """
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        template = f"{template}#results"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
