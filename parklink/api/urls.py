"""The JSON API at /api/v1/ (django-ninja), its OpenAPI schema at /api/v1/openapi.json.

One router per domain, each in its own module of this package; endpoints stay thin and call
the domain apps' services and selectors.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI

from parklink import __version__
from parklink.api.errors import install_error_handlers
from parklink.api.routers import ROUTERS
from parklink.api.schemas import ObjectBodyParser, documented_errors


class ParkLinkAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists every operation's error answers."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return documented_errors(super().get_openapi_schema(*args, **kwargs))


api = ParkLinkAPI(
    title="ParkLink API",
    version=__version__,
    description="产业园区招商对接平台 JSON API. Personal data needs an operator token "
    "(`Authorization: Bearer <token>`).",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    parser=ObjectBodyParser(),
)
install_error_handlers(api)


@api.get("/", tags=["meta"], summary="API index")
def index(request: HttpRequest) -> dict[str, object]:
    return {
        "name": "ParkLink API",
        "version": __version__,
        "openapi": request.build_absolute_uri("openapi.json"),
        "docs": request.build_absolute_uri("docs"),
    }


for prefix, router in ROUTERS:
    api.add_router(prefix, router)
