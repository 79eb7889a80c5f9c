"""Portal pages of the catalogue: park list and page, space search and page, organisation page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from parklink.core.cache import public_page
from parklink.news import selectors as news_selectors
from parklink.orgs import selectors as org_selectors
from parklink.orgs.models import Organization
from parklink.parks import factsheet, selectors
from parklink.parks.filters import SORT_LABELS, ParkFilter, SpaceFilter
from parklink.parks.models import Park, Space

PARKS_PER_PAGE = 24


@public_page
def park_list(request: HttpRequest) -> HttpResponse:
    filters = ParkFilter.from_params(request.GET)
    page = selectors.paged_parks(
        Paginator(selectors.park_list(filters), PARKS_PER_PAGE).get_page(request.GET.get("page"))
    )
    return render(
        request,
        "portal/catalogue/park_list.html",
        {
            "filters": filters,
            "page": page,
            "districts": selectors.park_districts(),
            "industries": selectors.industry_list(),
        },
    )


@public_page
def park_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        park = selectors.park_get(pk)
    except Park.DoesNotExist as exc:
        raise Http404 from exc
    lang = "en" if (get_language() or "").startswith("en") else "zh"
    return render(
        request,
        "portal/catalogue/park_detail.html",
        {
            "park": park,
            "sheet": factsheet.build(park.facts.all(), lang),
            "spaces": list(selectors.park_public_spaces(park)),
        },
    )


@public_page
def space_search(request: HttpRequest) -> HttpResponse:
    filters = SpaceFilter.from_params(request.GET)
    # An unknown sort comes from an edited link, not from the visitor: the default order is
    # used without an API-style message on the page.
    filters.errors.pop("sort", None)
    result = selectors.space_search(filters, page=request.GET.get("page") or 1)
    return render(
        request,
        "portal/catalogue/space_search.html",
        {
            "filters": filters,
            "result": result,
            "page": result.page,
            "sorts": [(key, label, filters.query(sort=key)) for key, label in SORT_LABELS.items()],
            "page_query": filters.query(),
        },
    )


@public_page
def space_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        space = selectors.space_get(pk)
    except Space.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "portal/catalogue/space_detail.html", {"space": space})


@public_page
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        org = org_selectors.org_get(pk)
    except Organization.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "portal/catalogue/org_detail.html",
        {"org": org, "articles": news_selectors.org_article_list(org=org)},
    )
