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
    counts = park_selectors.public_space_counts()
    parks = park_selectors.park_list()
    return render(
        request,
        "portal/home.html",
        {
            "parks": park_selectors.with_space_counts(parks[:HOME_PARKS], counts),
            "park_count": parks.count(),
            "space_count": sum(counts.values()),
            "districts": park_selectors.park_districts(),
            "space_kinds": SpaceKind.choices,
        },
    )
