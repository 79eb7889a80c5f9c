"""GET /api/v1/articles and /api/v1/articles/{id}."""

from __future__ import annotations

import pytest

from parklink.news.choices import ArticleStatus, EntityKind, ReviewStatus
from tests.factories.news import ArticleFactory, FactFactory, mention_for
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import ParkFactory

pytestmark = pytest.mark.django_db


def test_article_list_is_paginated_and_filters_by_category(client, django_assert_max_num_queries):
    for i in range(5):
        ArticleFactory(category="政策解读", published=f"2024-0{i + 1}-01")
    ArticleFactory(category="北京产业信息", body="生命园的正文。" * 40)
    ArticleFactory(status=ArticleStatus.HIDDEN)
    with django_assert_max_num_queries(3):
        data = client.get("/api/v1/articles?per_page=2&page=2&category=政策解读").json()
    assert (data["count"], data["page"], data["pages"], data["per_page"]) == (5, 2, 3, 2)
    assert [a["published"] for a in data["items"]] == ["2024-03-01", "2024-02-01"]
    everything = client.get("/api/v1/articles").json()
    assert everything["count"] == 6
    long_one = next(a for a in everything["items"] if a["category"] == "北京产业信息")
    assert long_one["excerpt"].endswith("…") and len(long_one["excerpt"]) <= 121
    assert long_one["url"] == f"/news/{long_one['id']}/"


def test_article_list_rejects_bad_paging_in_both_languages(client):
    resp = client.get("/api/v1/articles?per_page=1000")
    assert resp.status_code == 422
    assert resp.json()["error"] == "输入不合法 / invalid input"


def test_article_detail_has_body_entities_and_facts(client):
    park = ParkFactory(name="中关村生命科学园")
    org = OrganizationFactory(name="百济神州")
    article = ArticleFactory(body="中关村生命科学园的百济神州与保诺科技。")
    mention_for(
        article, "中关村生命科学园", kind=EntityKind.PARK, park=park, status=ReviewStatus.LINKED
    )
    mention_for(article, "百济神州", kind=EntityKind.ORG, org=org, status=ReviewStatus.MERGED)
    mention_for(article, "保诺科技", kind=EntityKind.ORG)
    mention_for(article, "生命", kind=EntityKind.ORG, status=ReviewStatus.REJECTED)
    FactFactory(article=article, park=park)
    data = client.get(f"/api/v1/articles/{article.pk}").json()
    assert data["body"] == article.body and data["title"] == article.title
    assert [
        (e["name"], e["kind"], e["start"], e["end"], e["canonical"]) for e in data["entities"]
    ] == [
        ("中关村生命科学园", "park", 0, 8, "中关村生命科学园"),
        ("百济神州", "org", 9, 13, "百济神州"),
        ("保诺科技", "org", 14, 18, None),
    ]
    assert data["facts"] == [
        {
            "subject": "中关村生命科学园",
            "kind": "occupancy",
            "value": 91.0,
            "unit": "%",
            "as_of": "2010",
            "text": "至2010年,其孵化器入住率已高达91%。",
            "status": "proposed",
        }
    ]


@pytest.mark.parametrize("status", [ArticleStatus.HIDDEN, ArticleStatus.TAKEN_DOWN])
def test_unpublished_or_missing_article_is_404(client, status):
    article = ArticleFactory(status=status)
    for url in (f"/api/v1/articles/{article.pk}", "/api/v1/articles/999999"):
        resp = client.get(url)
        assert resp.status_code == 404
        assert resp.json()["error"] == "资讯不存在 / article not found"


def test_openapi_documents_the_news_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/articles" in paths and "/api/v1/articles/{article_id}" in paths
