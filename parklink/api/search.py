"""GET /api/v1/search: the portal's full-text search as JSON (public records only), paged."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from parklink.search.models import DocType
from parklink.search.selectors import MAX_PAGE, search_page

router = Router(tags=["search"])


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=200, description="查询词 / query")
    type: list[DocType] | None = Field(None, description="article | park | org | space")
    limit: int = Field(20, ge=1, le=100, description="每页条数 / results per page")
    page: int = Field(1, ge=1, le=MAX_PAGE, description="页码 / page, from 1")


class SearchHit(Schema):
    type: str
    id: int
    title: str
    url: str
    snippet: str
    score: float


class SearchOut(Schema):
    query: str
    page: int
    has_next: bool
    message: str = Field("", description="为何没有结果 / why there are no results")
    results: list[SearchHit]


@router.get("/search", response=SearchOut, summary="全文搜索 / full-text search")
def search_endpoint(request: HttpRequest, params: Query[SearchQuery]) -> dict[str, object]:
    types = [t.value for t in params.type] if params.type else None
    result = search_page(params.q, types=types, page=params.page, per_page=params.limit)
    message = ""
    if result.message:
        message = "请输入至少两个字或字母 / enter at least two characters"
    return {
        "query": params.q,
        "page": result.page,
        "has_next": result.has_next,
        "message": message,
        "results": [r.__dict__ for r in result.results],
    }
