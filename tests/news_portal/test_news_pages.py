"""News list, category pages, view counting, RSS, sitemap, takedown form, template tags."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.urls import reverse

from parklink.core.models import AuditEntry
from parklink.news.choices import ArticleStatus, EntityKind, ReviewStatus
from parklink.news.models import Article, TakedownRequest
from tests.factories.news import ArticleFactory, MentionFactory
from tests.factories.parks import ParkFactory, SpaceFactory

pytestmark = pytest.mark.django_db

HUMAN = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0"


def _views(article: Article) -> int:
    return Article.objects.get(pk=article.pk).views


# --- List and category pages ---------------------------------------------------------------


def test_news_list_shows_published_articles_with_category_tabs_and_hot_list(client):
    a = ArticleFactory(title="生命园孵化器满员", category="北京产业信息", views=5)
    b = ArticleFactory(title="新政策发布", category="政策解读", views=50)
    hidden = ArticleFactory(title="已隐藏的文章", status=ArticleStatus.HIDDEN)
    dup = ArticleFactory(title="转载重复文章", duplicate_of=a)
    html = client.get(reverse("portal:news-list")).content.decode()
    assert a.title in html and b.title in html
    assert hidden.title not in html and dup.title not in html
    assert reverse("portal:news-category", args=["政策解读"]) in html
    hot = re.search(r'<section class="card hot-list">.*?</section>', html, re.S).group(0)
    assert hot.index(b.title) < hot.index(a.title)


def test_category_page_lists_only_its_category_and_unknown_category_is_404(client):
    a = ArticleFactory(title="生命园孵化器满员", category="北京产业信息")
    b = ArticleFactory(title="新政策发布", category="政策解读")
    resp = client.get(reverse("portal:news-category", args=["北京产业信息"]))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert a.title in html and b.title not in html  # in the list and in the hot list
    crumb = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S).group(0)
    assert "北京产业信息" in crumb
    assert client.get(reverse("portal:news-category", args=["不存在"])).status_code == 404


def test_news_list_paginates(client):
    ArticleFactory.create_batch(25)
    first = client.get(reverse("portal:news-list")).content.decode()
    second = client.get(reverse("portal:news-list") + "?page=2").content.decode()
    assert first.count('class="article-item"') == 20
    assert second.count('class="article-item"') == 5
    assert 'rel="next"' in first and 'rel="prev"' in second


@pytest.mark.parametrize("n", [3, 30])
def test_news_list_query_count_does_not_grow_with_articles(
    client, n, django_assert_max_num_queries
):
    ArticleFactory.create_batch(n)
    with django_assert_max_num_queries(5):
        assert client.get(reverse("portal:news-list")).status_code == 200


def test_home_shows_latest_articles(client):
    a = ArticleFactory(title="最新的一篇资讯", published="2025-01-01")
    html = client.get(reverse("portal:home")).content.decode()
    block = re.search(r'<section class="latest-articles">.*?</section>', html, re.S).group(0)
    assert a.title in block and a.get_absolute_url() in block


def test_park_articles_tag_lists_articles_mentioning_the_park():
    park = ParkFactory()
    a = ArticleFactory(title="提及该园区的资讯")
    ArticleFactory(title="无关的资讯")
    MentionFactory(article=a, kind=EntityKind.PARK, park=park, status=ReviewStatus.LINKED)
    out = Template("{% load news_tags %}{% park_articles park %}").render(Context({"park": park}))
    assert "提及该园区的资讯" in out and "无关的资讯" not in out


# --- View counting -----------------------------------------------------------------------


def test_a_human_view_counts_once_per_request(client):
    article = ArticleFactory(views=10)
    client.get(article.get_absolute_url(), HTTP_USER_AGENT=HUMAN)
    client.get(article.get_absolute_url(), HTTP_USER_AGENT=HUMAN)
    assert _views(article) == 12


@pytest.mark.parametrize(
    "ua",
    [
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Sogou web spider/4.0",
        "curl/8.5.0",
        "python-httpx/0.27",
        "",
    ],
)
def test_bots_and_scripts_are_not_counted(client, ua):
    article = ArticleFactory(views=10)
    assert client.get(article.get_absolute_url(), HTTP_USER_AGENT=ua).status_code == 200
    assert _views(article) == 10


def test_prefetch_and_head_are_not_counted(client):
    article = ArticleFactory(views=10)
    client.get(article.get_absolute_url(), HTTP_USER_AGENT=HUMAN, HTTP_SEC_PURPOSE="prefetch")
    client.head(article.get_absolute_url(), HTTP_USER_AGENT=HUMAN)
    assert _views(article) == 10


def test_view_count_is_one_update_statement(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = ArticleFactory()
    with CaptureQueriesContext(connection) as ctx:
        client.get(article.get_absolute_url(), HTTP_USER_AGENT=HUMAN)
    updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert re.search(r'"views" = \(?"news_article"\."views" \+ ', updates[0])


# --- RSS and sitemap ---------------------------------------------------------------------


def test_rss_feed_lists_published_articles_newest_first(client):
    old = ArticleFactory(title="旧文章", published="2023-01-02", body="旧文章的正文")
    new = ArticleFactory(title="新文章", published="2024-03-04", body="<p>新文章<b>正文</b></p>")
    ArticleFactory(title="下线文章", status=ArticleStatus.TAKEN_DOWN)
    resp = client.get(reverse("portal:news-feed"))
    assert resp["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(resp.content)
    items = root.findall("./channel/item")
    assert [i.findtext("title") for i in items] == ["新文章", "旧文章"]
    assert items[0].findtext("link").endswith(new.get_absolute_url())
    assert items[0].findtext("description") == "新文章 正文"
    assert "2024" in items[0].findtext("pubDate")
    assert items[1].findtext("category") == old.category


def test_category_feed_and_unknown_category_feed(client):
    ArticleFactory(title="政策文章", category="政策解读")
    ArticleFactory(title="产业文章", category="北京产业信息")
    root = ET.fromstring(
        client.get(reverse("portal:news-category-feed", args=["政策解读"])).content
    )
    assert [i.findtext("title") for i in root.findall("./channel/item")] == ["政策文章"]
    assert client.get(reverse("portal:news-category-feed", args=["不存在"])).status_code == 404


def test_sitemap_lists_articles_parks_and_public_spaces(client, park_pages):
    from django.urls import NoReverseMatch

    article = ArticleFactory()
    hidden = ArticleFactory(status=ArticleStatus.HIDDEN)
    park = ParkFactory()
    resp = client.get("/sitemap.xml")
    assert resp.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.fromstring(resp.content).findall("s:url/s:loc", ns)]
    assert f"http://testserver{article.get_absolute_url()}" in locs
    assert f"http://testserver{hidden.get_absolute_url()}" not in locs
    assert f"http://testserver{park.get_absolute_url()}" in locs
    assert f"http://testserver{reverse('portal:news-list')}" in locs
    space = SpaceFactory(park=park)
    try:
        space_url = space.get_absolute_url()
    except NoReverseMatch:  # the catalogue area has not published space pages yet
        return
    withdrawn = SpaceFactory(park=park, status="下架")
    locs = [
        e.text for e in ET.fromstring(client.get("/sitemap.xml").content).findall("s:url/s:loc", ns)
    ]
    assert f"http://testserver{space_url}" in locs
    assert f"http://testserver{withdrawn.get_absolute_url()}" not in locs


# --- Takedown ------------------------------------------------------------------------------


def test_takedown_form_records_a_request_with_an_audit_entry(client):
    article = ArticleFactory()
    url = reverse("portal:article-takedown", args=[article.pk])
    assert "侵权删除请求" in client.get(url).content.decode()
    resp = client.post(
        url, {"name": "某出版社", "contact": "legal@example.test", "reason": "未经授权转载"}
    )
    assert resp.status_code == 302 and resp["Location"] == article.get_absolute_url()
    req = TakedownRequest.objects.get()
    assert (req.article, req.name, req.contact, req.handled) == (
        article,
        "某出版社",
        "legal@example.test",
        False,
    )
    entry = AuditEntry.objects.get()
    assert entry.action == "news.takedown.submit" and entry.target_id == str(req.pk)
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.PUBLISHED


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "contact": "x@example.test", "reason": "理由"},
        {"name": "某人", "contact": "", "reason": "理由"},
        {"name": "某人", "contact": "x@example.test", "reason": ""},
        {"name": "某人", "contact": "x@example.test", "reason": "理由", "website": "http://spam"},
    ],
)
def test_incomplete_or_bot_takedown_writes_nothing(client, data):
    article = ArticleFactory()
    client.post(reverse("portal:article-takedown", args=[article.pk]), data)
    assert TakedownRequest.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_takedown_for_unpublished_article_is_404(client):
    article = ArticleFactory(status=ArticleStatus.TAKEN_DOWN)
    assert client.get(reverse("portal:article-takedown", args=[article.pk])).status_code == 404
