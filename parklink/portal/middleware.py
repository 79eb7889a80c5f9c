"""Branded error pages in every mode: with DEBUG on (developer mode of `make run`), Django
would answer an unknown address or a crash with its technical page; visitors and testers
see the product's 404 and 500 pages instead, and the traceback goes to the log.
PARKLINK_TECHNICAL_ERRORS=1 gives a developer Django's technical pages back."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse

from parklink.core import views as error_views

logger = logging.getLogger("django.request")

# Django's technical pages say this; ours never do.
TECHNICAL_MARKER = b"<code>DEBUG = True</code>"


def _active() -> bool:
    return settings.DEBUG and not settings.PARKLINK.get("TECHNICAL_ERRORS", False)


class BrandedErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and _active()
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and TECHNICAL_MARKER in response.content
        ):
            return error_views.page_not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _active():
            return None  # without DEBUG, Django's own handlers render the branded pages
        if isinstance(exception, Http404):
            return error_views.page_not_found(request, exception)
        # What Django answers with 403 / 400 without DEBUG stays a 403 / 400 (an agent on a
        # manager's page is refused, not a crash).
        if isinstance(exception, PermissionDenied):
            return error_views.permission_denied(request, exception)
        if isinstance(exception, BadRequest | SuspiciousOperation):
            return error_views.bad_request(request, exception)
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exception,
            extra={"status_code": 500},
        )
        return error_views.server_error(request)
