"""The article page: what the seed page offers, done well and safely."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from parklink.news.choices import ArticleStatus, EntityKind, ReviewStatus
from parklink.news.models import Article
from parklink.news.templatetags.news_tags import org_url
from tests.factories.news import ArticleFactory, FactFactory, SourceFactory, mention_for
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import ParkFactory

pytestmark = pytest.mark.django_db

BODY = (
    "  2000年11月25日,中关村生命科学园启动建设。园区建设分为三期,规划核心区占地7.19平方公里。\n"
    "\n"
    "  园区引入北京生命科学研究所、国家蛋白质科学中心(北京)等科研机构。\n"
    "  至2010年,中关村生命科学园孵化器入住率已高达91%。\n"
)


@pytest.fixture
def seed_like(park_pages):
    park = ParkFactory(name="中关村生命科学园", aliases=["生命园"])
    org = OrganizationFactory(name="北京生命科学研究所", kind="institute")
    source = SourceFactory(
        name="北京厂房网", copyright_line="版权声明:本文由北京厂房网发布,如需转载请注明出处。"
    )
    article = ArticleFactory(
        title="从“生命细胞”到创新网络中关村生命科学园二十载裂变",
        author="admin",
        category="北京产业信息",
        body=BODY,
        source=source,
        url="https://www.example-factory.test/news/1.html",
        views=46,
    )
    mention_for(
        article, "中关村生命科学园", kind=EntityKind.PARK, park=park, status=ReviewStatus.LINKED
    )
    mention_for(
        article,
        "中关村生命科学园",
        occurrence=1,
        kind=EntityKind.PARK,
        park=park,
        status=ReviewStatus.LINKED,
    )
    mention_for(
        article, "北京生命科学研究所", kind=EntityKind.ORG, org=org, status=ReviewStatus.ACCEPTED
    )
    mention_for(article, "国家蛋白质科学中心(北京)", kind=EntityKind.ORG)  # proposed: no link
    FactFactory(article=article, park=park, status=ReviewStatus.ACCEPTED)
    return article, park, org


def test_article_page_shows_breadcrumb_meta_body_and_source(client, seed_like):
    article, _park, _org = seed_like
    resp = client.get(article.get_absolute_url(), HTTP_USER_AGENT="Mozilla/5.0 Firefox/128")
    assert resp.status_code == 200
    html = resp.content.decode()
    crumb = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S).group(0)
    assert "首页" in crumb and "产业资讯" in crumb
    assert reverse("portal:news-category", args=["北京产业信息"]) in crumb
    assert '<h1 class="article-title">从“生命细胞”到创新网络中关村生命科学园二十载裂变</h1>' in html
    meta = re.search(r'<p class="meta muted">.*?</p>', html, re.S).group(0)
    assert "admin" in meta and "2024-11-03" in meta and "北京产业信息" in meta
    assert "47 次浏览" in meta  # 46 stored + this view
    # Plain-text body becomes paragraphs, one per non-empty line.
    body = re.search(r'<div class="article-body">(.*?)</div>', html, re.S).group(1)
    assert body.count("<p>") == 3
    assert "北京厂房网" in html and "版权声明:本文由北京厂房网发布" in html
    assert 'href="https://www.example-factory.test/news/1.html"' in html
    assert reverse("portal:article-takedown", args=[article.pk]) in html


def test_article_body_links_recognised_entities_once_and_leaves_proposed_plain(client, seed_like):
    article, park, org = seed_like
    html = client.get(article.get_absolute_url()).content.decode()
    body = re.search(r'<div class="article-body">(.*?)</div>', html, re.S).group(1)
    park_links = re.findall(rf'<a [^>]*href="{park.get_absolute_url()}"[^>]*>([^<]+)</a>', body)
    assert park_links == ["中关村生命科学园"]  # first occurrence only
    assert re.sub(r"<[^>]+>", "", body).count("中关村生命科学园") == 2
    # The organisation links to its page (or, until there is one, the portal search for
    # its name); the proposed one is not linked; nothing else is.
    org_links = re.findall(r'<a [^>]*class="entity entity-org"[^>]*href="([^"]+)"', body)
    assert org_links == ([org_url(org)] if org_url(org) else [])
    assert "国家蛋白质科学中心(北京)" in body
    assert len(re.findall(r"<a ", body)) == 1 + len(org_links)


def test_article_page_shows_facts_and_entities(client, seed_like):
    article, _park, _org = seed_like
    html = client.get(article.get_absolute_url()).content.decode()
    facts = re.search(r'<section class="article-facts">.*?</section>', html, re.S).group(0)
    assert "入驻率" in facts and "91%" in facts and "2010" in facts
    entities = re.search(r'<section class="article-entities">.*?</section>', html, re.S).group(0)
    assert "中关村生命科学园" in entities and "北京生命科学研究所" in entities
    assert "国家蛋白质科学中心" not in entities


@pytest.mark.parametrize(
    "body",
    [
        '<p>正文<script>alert("x")</script>中关村生命科学园</p><img src="x" onerror="alert(1)">',
        '正文<script>document.cookie</script>\n<a href="javascript:alert(1)">点我</a>'
        '<iframe src="https://evil.test"></iframe><p style="color:red" onclick="x()">中关村生命科学园</p>',
    ],
)
def test_malicious_body_is_sanitised_and_links_still_work(client, park_pages, body):
    park = ParkFactory(name="中关村生命科学园")
    article = ArticleFactory(body=body)
    mention_for(
        article, "中关村生命科学园", kind=EntityKind.PARK, park=park, status=ReviewStatus.LINKED
    )
    html = client.get(article.get_absolute_url()).content.decode()
    body_html = re.search(r'<div class="article-body">(.*?)</div>', html, re.S).group(1)
    lowered = body_html.lower()
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "style=", "alert"):
        assert bad not in lowered
    assert f'href="{park.get_absolute_url()}"' in body_html
    assert "正文" in body_html


def test_entity_offsets_that_do_not_match_the_body_are_not_linked(client, park_pages):
    park = ParkFactory(name="中关村生命科学园")
    article = ArticleFactory(body="这里提到中关村生命科学园。")
    # Offsets pointing at the wrong characters (a stale mention) must not mangle the text.
    from tests.factories.news import MentionFactory

    MentionFactory(
        article=article,
        text="中关村生命科学园",
        start=0,
        end=8,
        kind=EntityKind.PARK,
        park=park,
        status=ReviewStatus.LINKED,
    )
    html = client.get(article.get_absolute_url()).content.decode()
    body_html = re.search(r'<div class="article-body">(.*?)</div>', html, re.S).group(1)
    assert "<a " not in body_html
    assert "这里提到中关村生命科学园。" in body_html


def test_lead_block_and_share_links_without_third_party_scripts(client, seed_like):
    article, _park, _org = seed_like
    html = client.get(article.get_absolute_url()).content.decode()
    assert "lead-block" in html
    share = re.search(r'<section class="share".*?</section>', html, re.S).group(0)
    assert f"http://testserver{article.get_absolute_url()}" in share
    assert "mailto:?subject=" in share and "微信" in share
    # No script from anywhere else (and no inline script the CSP would block).
    assert not re.search(r"<script[^>]+src=\"https?://", html)
    assert "<script>" not in html


@pytest.mark.parametrize(
    "status", [ArticleStatus.HIDDEN, ArticleStatus.TAKEN_DOWN, ArticleStatus.DRAFT]
)
def test_unpublished_article_is_not_found(client, status):
    article = ArticleFactory(status=status)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_duplicate_redirects_to_its_canonical(client):
    canonical = ArticleFactory()
    repost = ArticleFactory(duplicate_of=canonical)
    resp = client.get(repost.get_absolute_url())
    assert resp.status_code == 301
    assert resp["Location"] == canonical.get_absolute_url()
    assert Article.objects.get(pk=canonical.pk).views == 0


def test_article_page_query_count(client, seed_like, django_assert_max_num_queries):
    article, _park, _org = seed_like
    for _ in range(5):
        ArticleFactory(body="中关村生命科学园的另一篇文章。")
    with django_assert_max_num_queries(12):
        assert client.get(article.get_absolute_url()).status_code == 200
