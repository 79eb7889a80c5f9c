"""The answer to a locked-out login (django-axes' AXES_LOCKOUT_CALLABLE): HTTP 429 with a
clear message in the UI language, for /office/login/ and /admin/login/ alike, and one log
line naming the user name tried and a hash of the IP (never the password)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parklink.core.services import ip_hash

logger = logging.getLogger("parklink.security")


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: dict | None = None
) -> HttpResponse:
    username = ""
    if credentials:
        username = str(credentials.get("username") or "")[:150]
    elif request.method == "POST":
        username = str(request.POST.get("username") or "")[:150]
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    logger.warning(
        "login locked out",
        extra={
            "path": request.path,
            "username": username,
            "ip_hash": ip_hash(request.META.get("REMOTE_ADDR", "")),
        },
    )
    return render(
        request,
        "office/account/locked.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
