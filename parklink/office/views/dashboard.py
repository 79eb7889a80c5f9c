"""The back-office landing page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parklink.office.access import operator_required


@operator_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "office/dashboard.html", {})
