"""The portal home: a space search box, parks and the latest industry news."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parklink.parks import selectors as park_selectors
from parklink.parks.choices import SpaceKind


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "parks": park_selectors.park_list(),
            "districts": park_selectors.park_districts(),
            "space_kinds": SpaceKind.choices,
        },
    )
