"""The portal home: parks and the latest industry news."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parklink.parks import selectors as park_selectors


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {"parks": park_selectors.park_list()},
    )
