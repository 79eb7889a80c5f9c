"""API endpoints of the news domain: published articles, with their entities and facts."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from parklink.core.hygiene import MAX_OFFSET
from parklink.news import selectors
from parklink.news.choices import ReviewStatus
from parklink.news.models import Article

router = Router(tags=["news"])

MAX_PER_PAGE = 100


class ArticleFilter(Schema):
    category: str | None = Field(None, description="栏目 / category")
    page: int = Field(1, ge=1, le=MAX_OFFSET)
    per_page: int = Field(selectors.PAGE_SIZE, ge=1, le=MAX_PER_PAGE)


class ArticleItem(Schema):
    id: int
    title: str
    author: str
    published: date | None
    category: str
    views: int
    url: str = Field(description="portal page")
    source: str | None
    excerpt: str


class ArticlePage(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    items: list[ArticleItem]


class EntityOut(Schema):
    name: str
    kind: str
    start: int
    end: int
    canonical: str | None
    status: str


class ArticleFactOut(Schema):
    subject: str
    kind: str
    value: float | None
    unit: str
    as_of: str
    text: str
    status: str


class ArticleDetail(ArticleItem):
    body: str
    source_url: str
    fetched_at: str
    duplicate_of: int | None
    entities: list[EntityOut]
    facts: list[ArticleFactOut]


def _item(a: Article, excerpt: str) -> dict[str, object]:
    return {
        "id": a.pk,
        "title": a.title,
        "author": a.author,
        "published": a.published,
        "category": a.category,
        "views": a.views,
        "url": a.get_absolute_url(),
        "source": a.source.name if a.source else None,
        "excerpt": excerpt,
    }


@router.get("/articles", response=ArticlePage, summary="资讯列表 / published articles")
def article_list(request: HttpRequest, filters: Query[ArticleFilter]) -> dict[str, object]:
    """Published, non-duplicate articles, newest first; `category` filters by 栏目."""
    page = selectors.article_page(
        category=filters.category, page=filters.page, per_page=filters.per_page
    )
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "per_page": filters.per_page,
        "items": [_item(a, selectors.plain_excerpt(a.lead, 120)) for a in page.object_list],
    }


@router.get("/articles/{article_id}", response=ArticleDetail, summary="资讯详情 / one article")
def article_detail(request: HttpRequest, article_id: int) -> dict[str, object]:
    """The article with its body, the parks/organisations/places it names (offsets into
    `body`; `canonical` is the catalogue name where linked) and the facts it states."""
    try:
        a = selectors.article_get(article_id=article_id)
    except Article.DoesNotExist as exc:
        raise HttpError(404, "资讯不存在 / article not found") from exc
    return {
        **_item(a, selectors.plain_excerpt(a.body, 120)),
        "body": a.body,
        "source_url": a.url or a.source_ref,
        "fetched_at": a.fetched_at.isoformat(),
        "duplicate_of": a.duplicate_of_id,
        "entities": [
            {
                "name": m.text,
                "kind": m.kind,
                "start": m.start,
                "end": m.end,
                "canonical": m.canonical if m.status in selectors.RESOLVED_STATUSES else None,
                "status": m.status,
            }
            for m in a.mentions.all()
            if m.status != ReviewStatus.REJECTED
        ],
        "facts": [
            {
                "subject": f.subject,
                "kind": f.kind,
                "value": float(f.value) if f.value is not None else None,
                "unit": f.unit,
                "as_of": f.as_of,
                "text": f.text,
                "status": f.status,
            }
            for f in a.facts.all()
            if f.status != ReviewStatus.REJECTED
        ],
    }
