""" "Articles that brought leads" is real: the lead block on an article carries the article's
id (hidden field), the Inquiry keeps it, and the dashboard's figure counts it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from parklink.leads.models import Inquiry
from parklink.leads.stats import articles_with_leads
from tests.factories.news import ArticleFactory

pytestmark = pytest.mark.django_db


def _lead(article: str | int, mobile: str) -> dict[str, str]:
    return {
        "need": "昌平 1000 平米 研发楼",
        "company": f"文章来源测试公司{mobile[-3:]}",
        "contact": "周先生",
        "mobile": mobile,
        "consent": "on",
        "article": str(article),
    }


def test_the_article_lead_block_carries_the_article_and_the_figure_counts_it(client, manager):
    article = ArticleFactory(title="中关村生命科学园二十年")
    other = ArticleFactory(title="另一篇文章")
    html = client.get(f"/news/{article.pk}/").content.decode()
    hidden = re.search(r'<input[^>]*name="article"[^>]*>', html)
    assert hidden and f'value="{article.pk}"' in hidden.group(0)

    for mobile in ("17100000201", "17100000202"):
        assert client.post("/inquiry/", _lead(article.pk, mobile)).status_code == 302
    assert client.post("/inquiry/", _lead(other.pk, "17100000203")).status_code == 302
    # tampered or missing values are dropped, the lead is kept
    assert client.post("/inquiry/", _lead("abc", "17100000204")).status_code == 302
    assert Inquiry.objects.count() == 4
    assert Inquiry.objects.filter(data__article=article.pk).count() == 2
    assert not Inquiry.objects.filter(data__article="abc").exists()

    today = timezone.localdate()
    rows = articles_with_leads(viewer=manager, start=today - timedelta(days=7), end=today)
    assert [(r["title"], r["leads"]) for r in rows] == [
        ("中关村生命科学园二十年", 2),
        ("另一篇文章", 1),
    ]


def test_the_full_form_keeps_the_article_from_the_link(client):
    article = ArticleFactory()
    html = client.get(f"/inquiry/?article={article.pk}").content.decode()
    hidden = re.search(r'<input[^>]*name="article"[^>]*>', html)
    assert hidden and f'value="{article.pk}"' in hidden.group(0)
