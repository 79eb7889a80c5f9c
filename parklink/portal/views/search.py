"""The portal's search page: one box over parks, spaces, organisations and news, paged."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from parklink.core.hygiene import parse_int
from parklink.search.models import DocType
from parklink.search.selectors import MAX_PAGE, search_page

MAX_QUERY = 200


def _page_number(raw: str) -> int:
    n = parse_int(raw)
    return min(n, MAX_PAGE) if n is not None and n > 0 else 1


def index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    type_ = request.GET.get("type", "")
    types = [type_] if type_ in DocType.values else None
    page = _page_number(request.GET.get("page", ""))
    result = search_page(query, types=types, page=page) if query else None
    base = {"q": query, **({"type": type_} if types else {})}
    return render(
        request,
        "portal/search.html",
        {
            "search_query": query,
            "result": result,
            "results": result.results if result else [],
            "types": DocType.choices,
            "type": type_ if types else "",
            "first_number": (page - 1) * (result.per_page if result else 0) + 1,
            "prev_url": f"?{urlencode({**base, 'page': page - 1})}" if page > 1 else "",
            "next_url": (
                f"?{urlencode({**base, 'page': page + 1})}"
                if result and result.has_next and page < MAX_PAGE
                else ""
            ),
        },
    )
