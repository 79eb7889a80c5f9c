"""GET /api/v1/search: the portal's full-text search as JSON (public records only)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from parklink.search.models import DocType
from parklink.search.selectors import search

router = Router(tags=["search"])


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=200, description="查询词 / query")
    type: list[DocType] | None = Field(None, description="article | park | org | space")
    limit: int = Field(20, ge=1, le=100)


class SearchHit(Schema):
    type: str
    id: int
    title: str
    url: str
    snippet: str
    score: float


class SearchOut(Schema):
    query: str
    results: list[SearchHit]


@router.get("/search", response=SearchOut, summary="全文搜索 / full-text search")
def search_endpoint(request: HttpRequest, params: Query[SearchQuery]) -> dict[str, object]:
    types = [t.value for t in params.type] if params.type else None
    results = search(params.q, types=types, limit=params.limit)
    return {"query": params.q, "results": [r.__dict__ for r in results]}
