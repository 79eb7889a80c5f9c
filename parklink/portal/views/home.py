"""The portal home: the search box and the lead form in the hero, parks, industry news."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parklink.core.cache import public_page
from parklink.parks import selectors as park_selectors
from parklink.parks.choices import SpaceKind

HOME_PARKS = 12


@public_page
def index(request: HttpRequest) -> HttpResponse:
    parks = list(park_selectors.park_list())
    return render(
        request,
        "portal/home.html",
        {
            "parks": parks[:HOME_PARKS],
            "park_count": len(parks),
            "space_count": sum(p.available_spaces for p in parks),
            "districts": park_selectors.park_districts(),
            "space_kinds": SpaceKind.choices,
        },
    )
