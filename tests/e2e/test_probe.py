"""The whole product probed in Chromium on the demo data (tests/e2e/probe.py): every page shape
reachable from the portal's home page (as a visitor) and from the office's dashboard (as a
manager and as an agent), on phones (360 and 390 px) and the desktop, in Chinese and English.

A page that scrolls sideways, a public page without a lead form or a tel: link, a raw key or
dict on screen, untranslated text in English, a broken image, a console error or a link to an
error page fails the test with one line per defect."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from tests.e2e import probe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings, demo_data):
    settings.PARKLINK_LEAD_RATE_LIMIT = "off"


def _storage_state(live_server, username: str) -> dict:
    """A browser state holding the session of a demo operator (no login form: axes counts)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    host = live_server.url.split("://", 1)[1].split(":", 1)[0]
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "domain": host,
        "path": "/",
        "expires": -1,
        "httpOnly": True,
        "secure": False,
        "sameSite": "Lax",
    }
    return {"cookies": [cookie], "origins": []}


def _report(result: probe.Probe) -> str:
    lines = probe.dedupe(result.defects)
    return f"{len(lines)} defects on {len(result.shapes)} page shapes:\n" + "\n".join(lines)


def test_every_public_page(live_server, browser, demo):
    result = probe.run(
        live_server.url,
        browser=browser,
        start="/",
        public=True,
        max_pages=40,
        extra=probe.PUBLIC_EXTRA,
        checks=[("360", "zh"), ("390", "zh"), ("desktop", "zh"), ("390", "en"), ("desktop", "en")],
    )
    shapes = set(result.shapes)
    # The crawl reached the pages a visitor meets (the probe is not silently shallow).
    for shape in ("/", "/parks/", "/parks/{id}/", "/spaces/", "/spaces/{id}/", "/news/"):
        assert shape in shapes, sorted(shapes)
    assert "/news/{id}/" in shapes and "/parks/{id}/chain/" in shapes, sorted(shapes)
    assert set(probe.PUBLIC_EXTRA) <= shapes, sorted(shapes)
    assert not result.defects, _report(result)
    _seed_article_reads_as_the_seed_page(live_server, browser)


def _seed_article_reads_as_the_seed_page(live_server, browser) -> None:
    """The seed article on a phone: hot headlines, related articles, the lead block, the
    original outlet credited and a truthful copyright line."""
    from parklink.news.models import Article

    seed = Article.objects.get(title__contains="二十载裂变")
    ctx = browser.new_context(locale="zh-CN", viewport=probe.VIEWPORTS["390"], is_mobile=True)
    page = ctx.new_page()
    page.goto(live_server.url + seed.get_absolute_url())
    assert page.locator("h1.article-title").inner_text() == seed.title
    assert page.locator(".hot-list li").count() >= 3
    assert page.locator(".related-articles li a").count() >= 1
    assert page.locator("#lead-capture-form").count() == 1
    assert page.locator(".call-bar a[href^='tel:']").is_visible()
    footer = page.locator(".article-footer").inner_text()
    assert "本文由整理发布" not in footer and "来源:ParkLink" not in footer, footer
    ctx.close()


@pytest.mark.parametrize(
    ("username", "checks"),
    [
        ("manager", [("390", "zh"), ("390", "en"), ("desktop", "en")]),
        ("agent", [("360", "zh"), ("desktop", "zh")]),
    ],
)
def test_every_office_page(live_server, browser, demo, username, checks):
    result = probe.run(
        live_server.url,
        browser=browser,
        start="/office/",
        public=False,
        storage_state=_storage_state(live_server, username),
        max_pages=60,
        checks=checks,
    )
    shapes = set(result.shapes)
    for shape in ("/office/", "/office/leads/", "/office/leads/{id}/", "/office/leads/board/"):
        assert shape in shapes, sorted(shapes)
    assert not result.defects, _report(result)
