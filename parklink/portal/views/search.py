"""The portal's search page: one box over parks, spaces, organisations and news."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parklink.search.models import DocType
from parklink.search.selectors import search

MAX_QUERY = 200


def index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    type_ = request.GET.get("type", "")
    types = [type_] if type_ in DocType.values else None
    results = search(query, types=types, limit=50) if query else []
    return render(
        request,
        "portal/search.html",
        {
            "search_query": query,
            "results": results,
            "types": DocType.choices,
            "type": type_ if types else "",
        },
    )
