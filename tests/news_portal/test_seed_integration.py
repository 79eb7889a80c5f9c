"""The seed page end to end: ingested by the real `article_ingest`, published on the portal,
reviewed in the back office, its accepted facts shown on the park page with their source."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from parklink.news.choices import EntityKind, ReviewStatus
from parklink.news.demo import SEED_FETCHED_AT, SEED_FILE
from parklink.news.models import Article, Fact, Mention
from parklink.news.services import article_ingest
from parklink.orgs.models import Organization
from parklink.parks.models import ParkFact
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import ParkFactory

pytestmark = pytest.mark.django_db

HUMAN = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"


@pytest.fixture
def seed(park_pages):
    park = ParkFactory(name="中关村生命科学园", aliases=["生命园"])
    OrganizationFactory(name="北京生命科学研究所", kind="institute")
    report = article_ingest(refs=[str(SEED_FILE)], fetched_at=date.fromisoformat(SEED_FETCHED_AT))
    assert [r.status for r in report.results] == ["ok"]
    return Article.objects.get(pk=report.results[0].article_id), park


def _section(html: str, pattern: str) -> str:
    return re.search(pattern, html, re.S).group(0)


def test_seed_article_page_reproduces_the_page_without_its_boilerplate(client, seed):
    article, park = seed
    html = client.get(article.get_absolute_url(), HTTP_USER_AGENT=HUMAN).content.decode()
    assert "从“生命细胞”到创新网络中关村生命科学园二十载裂变</h1>" in html
    crumb = _section(html, r'<nav class="breadcrumb".*?</nav>')
    assert "北京产业信息" in crumb and "产业资讯" in crumb
    meta = _section(html, r'<p class="meta muted">.*?</p>')
    assert "admin" in meta and "2024-11-03" in meta and "47 次浏览" in meta
    body = _section(html, r'<div class="article-body">.*?</div>')
    paragraphs = re.findall(r"<p>(.*?)</p>", body, re.S)
    assert paragraphs[0].startswith("静思湖畔的湖林隐客")
    assert paragraphs[-1].endswith("提供有力支撑。")
    for boilerplate in ("我国风电光伏", "葛毅明", "版权声明", "分享给朋友", "相关文章", "当前位置"):
        assert boilerplate not in body
    # The park is linked once, at its first mention, to its page.
    links = re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>', body)
    assert (park.get_absolute_url(), "中关村生命科学园") in links
    assert [h for h, _ in links].count(park.get_absolute_url()) == 1
    assert "版权声明:本文由北京厂房网发布" in _section(
        html, r'<footer class="article-footer">.*?</footer>'
    )
    facts = _section(html, r'<section class="article-facts">.*?</section>')
    assert "7.19平方公里" in facts and "91%" in facts


def test_seed_review_accepts_an_institute_and_a_fact(agent_client, seed):
    article, park = seed
    mention = Mention.objects.get(article=article, text="国家蛋白质科学中心(北京)")
    assert (mention.kind, mention.status) == (EntityKind.ORG, ReviewStatus.PROPOSED)
    queue = agent_client.get(reverse("office:news-queue")).content.decode()
    assert "国家蛋白质科学中心(北京)" in queue
    agent_client.post(
        reverse("office:news-entity", args=[mention.pk]),
        {"action": "accept", "name": "国家蛋白质科学中心(北京)", "org_kind": ""},
    )
    org = Organization.objects.get(name="国家蛋白质科学中心(北京)")
    assert org.kind == "institute"
    fact = Fact.objects.get(article=article, kind="planned_area")
    agent_client.post(
        reverse("office:news-fact", args=[fact.pk]),
        {"action": "accept", "park": park.pk, "kind": "planned_area", "label": "规划核心区"},
    )
    pf = ParkFact.objects.get(park=park, origin="article")
    assert (pf.value, pf.unit, pf.article_id, pf.source_title) == (
        fact.value,
        "m2",
        article.pk,
        article.title,
    )
    assert "7.19平方公里" in pf.source_text
    # The article now lists the institute among what it mentions.
    html = agent_client.get(article.get_absolute_url()).content.decode()
    assert "国家蛋白质科学中心(北京)" in _section(
        html, r'<section class="article-entities">.*?</section>'
    )


def test_seed_fact_and_article_show_on_the_catalogue_park_page(client, seed, manager, settings):
    article, park = seed
    if settings.ROOT_URLCONF == "tests.news_portal.urls_with_parks":
        pytest.skip("the catalogue area's park page is not installed")
    from parklink.news import review

    review.fact_accept(fact=Fact.objects.get(article=article, kind="occupancy"), actor=manager)
    html = client.get(park.get_absolute_url()).content.decode()
    assert article.title in html  # the source of the fact and the park's news
    assert "91%" in html
    assert article.get_absolute_url() in html


def test_seed_in_the_api(client, seed):
    article, _park = seed
    data = client.get(f"/api/v1/articles/{article.pk}").json()
    names = {(e["name"], e["canonical"]) for e in data["entities"]}
    assert ("中关村生命科学园", "中关村生命科学园") in names
    assert ("国家蛋白质科学中心(北京)", None) in names
    values = {(f["kind"], f["value"], f["unit"]) for f in data["facts"]}
    assert ("planned_area", 7190000.0, "m2") in values and ("occupancy", 91.0, "%") in values
