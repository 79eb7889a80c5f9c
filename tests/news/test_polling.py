"""Feed polling on a local site (never the network): an RSS feed and a list page, robots.txt
honoured, held links skipped, intervals respected, a run record per poll."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parklink.news.models import Article, IngestRun, Source
from parklink.news.polling import list_page_links, source_poll, sources_due

pytestmark = pytest.mark.django_db

ARTICLE = (
    "<html><head><title>{t}</title></head><body><h1>{t}</h1><p>发布时间:2025-04-0{n}</p>"
    "<div class='content'><p>{t}。示范园今年新引进企业二十余家,涵盖生物医药和医疗器械等方向,"
    "园区负责人表示将继续完善公共技术服务平台,为入驻企业提供中试和检测服务。</p>"
    "<p>据介绍,园区将在下半年启动二期载体建设,进一步扩大研发空间供给,服务更多创新企业。</p>"
    "</div></body></html>"
)


def _site(root, base):
    (root / "a").mkdir()
    for n in (1, 2, 3):
        (root / "a" / f"news-2025040{n}.html").write_text(
            ARTICLE.format(t=f"示范园第{n}篇资讯标题", n=n), encoding="utf-8"
        )
    items = "".join(
        f"<item><title>t{n}</title><link>{base}/a/news-2025040{n}.html</link></item>"
        for n in (1, 2, 3)
    )
    (root / "feed.xml").write_text(
        f"<?xml version='1.0'?><rss version='2.0'><channel>{items}</channel></rss>",
        encoding="utf-8",
    )
    links = "".join(f"<li><a href='/a/news-2025040{n}.html'>第{n}篇</a></li>" for n in (1, 2))
    (root / "list.html").write_text(
        f"<html><body><a href='/index.html'>首页</a><ul>{links}</ul></body></html>",
        encoding="utf-8",
    )
    (root / "robots.txt").write_text(
        "User-agent: *\nDisallow: /a/news-20250403.html\n", encoding="utf-8"
    )


def _source(base, path, **kw):
    return Source.objects.create(
        name="示范源", domain=f"127.0.0.1{path}", feed_url=base + path, min_interval_s=0, **kw
    )


def test_feed_poll_ingests_new_links_honours_robots_and_logs_a_run(site):
    root, base = site
    _site(root, base)
    source = _source(base, "/feed.xml")
    result = source_poll(source=source)
    assert (result.status, result.listed, result.new, result.ok, result.failed) == (
        "polled",
        3,
        3,
        2,
        1,
    )
    run = IngestRun.objects.get()
    assert run.source == source and run.failed == 1
    assert "robots" in run.errors[0]["error"]
    assert Article.objects.count() == 2
    source.refresh_from_db()
    assert source.last_polled_at is not None

    # The next poll finds the two held links and ingests only what is new.
    again = source_poll(source=source)
    assert (again.new, Article.objects.count()) == (1, 2)  # the robots-refused one again


def test_list_page_poll_and_link_filter(site):
    root, base = site
    _site(root, base)
    links = list_page_links((root / "list.html").read_text(encoding="utf-8"), base + "/list.html")
    assert links == [f"{base}/a/news-20250401.html", f"{base}/a/news-20250402.html"]
    result = source_poll(source=_source(base, "/list.html"))
    assert (result.new, result.ok) == (2, 2)


def test_due_sources_respect_their_interval(site, closed_port_url):
    _root, base = site
    fresh = _source(base, "/feed.xml", poll_every_s=3600, last_polled_at=timezone.now())
    stale = _source(
        base,
        "/list.html",
        poll_every_s=3600,
        last_polled_at=timezone.now() - timedelta(hours=2),
    )
    never = _source(base, "/never.xml")
    Source.objects.create(name="停用", domain="off", feed_url=base + "/x.xml", active=False)
    assert [s.pk for s in sources_due()] == [never.pk, stale.pk]
    assert fresh.pk not in {s.pk for s in sources_due()}
    down = Source.objects.create(
        name="坏", domain="down", feed_url=closed_port_url, min_interval_s=0
    )
    result = source_poll(source=down)
    assert result.status == "failed" and result.error
