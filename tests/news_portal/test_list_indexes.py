"""The news list's count, category counts and hot lists read their indexes (at 200,000
articles each read every row: 80–115 ms on SQLite, docs/benchmarks.md "Every page at
scale"), and give the figures of the plain queries."""

from __future__ import annotations

import pytest
from django.db import connection

from parklink.news import selectors
from parklink.news.models import Article
from tests.factories.news import ArticleFactory
from tests.sql_plans import query_plans

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    made = [
        ArticleFactory(category=["政策", "产业", ""][i % 3], views=(i * 7) % 11) for i in range(12)
    ]
    Article.objects.filter(pk=made[0].pk).update(status="draft")
    Article.objects.filter(pk=made[1].pk).update(duplicate_of=made[2])
    return made


_plans = query_plans


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL picks by statistics, which a test's few rows do not give",
)
def test_counts_and_hot_lists_read_the_live_indexes(articles):
    plans = _plans(selectors.article_category_list)
    assert "COVERING INDEX article_live_cat_hot" in plans
    plans = _plans(lambda: selectors.article_page(page=1).paginator.count)
    assert "COVERING INDEX article_live_cat_hot" in plans or "article_live_hot" in plans
    plans = _plans(lambda: selectors.article_hot_list(limit=5))
    assert "article_live_hot" in plans and "TEMP B-TREE" not in plans
    plans = _plans(lambda: selectors.article_hot_list(limit=5, category="政策"))
    assert "article_live_cat_hot" in plans and "TEMP B-TREE" not in plans


def test_the_figures_are_the_plain_queries(articles):
    public = [a for a in Article.objects.all() if a.status == "published" and not a.duplicate_of_id]
    counts: dict[str, int] = {}
    for a in public:
        if a.category:
            counts[a.category] = counts.get(a.category, 0) + 1
    assert dict(selectors.article_category_list()) == counts
    assert selectors.article_page(page=1).paginator.count == len(public)
    hot = sorted(public, key=lambda a: (-a.views, -a.published.toordinal(), -a.pk))[:5]
    assert [a.pk for a in selectors.article_hot_list(limit=5)] == [a.pk for a in hot]
