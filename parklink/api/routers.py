"""The routers mounted under /api/v1/, in one explicit list."""

from __future__ import annotations

from ninja import Router

from parklink.api.catalogue import router as catalogue_router
from parklink.api.chains import router as chains_router
from parklink.api.leads import router as leads_router
from parklink.api.leases import router as leases_router
from parklink.api.matching import router as matching_router
from parklink.api.news import router as news_router
from parklink.api.policies import router as policies_router
from parklink.api.search import router as search_router

ROUTERS: list[tuple[str, Router]] = [
    ("", catalogue_router),
    ("", chains_router),
    ("", leads_router),
    ("", leases_router),
    ("", matching_router),
    ("", news_router),
    ("", policies_router),
    ("", search_router),
]
