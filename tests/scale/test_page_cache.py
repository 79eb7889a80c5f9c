"""The portal page cache: hits without queries, invalidation by writes, CSRF tokens per
visitor, never for logged-in users, ETag revalidation, article views still counted."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parklink.core import cache as page_cache
from parklink.leads.models import Inquiry
from parklink.news.models import Article
from parklink.parks import services as park_services
from tests.factories.news import ArticleFactory
from tests.factories.parks import ParkFactory, SpaceFactory
from tests.leads.test_portal import form_data

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    from django.core.cache import cache

    settings.PARKLINK = {**settings.PARKLINK, "PAGE_CACHE_SECONDS": 60}
    cache.clear()
    yield
    cache.clear()


def _get(client, url, **extra):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    return response, len(ctx.captured_queries)


def test_second_view_is_a_hit_without_queries():
    park = ParkFactory(name="缓存测试园区")
    SpaceFactory(park=park)
    first, q1 = _get(Client(), park.get_absolute_url())
    second, q2 = _get(Client(), park.get_absolute_url())
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert q1 > 0 and q2 == 0
    assert "缓存测试园区" in second.content.decode()


@pytest.mark.django_db(transaction=True)  # invalidation happens on commit: really commit
def test_a_price_change_shows_on_the_next_view(manager):
    space = SpaceFactory(price=Decimal("2.5"))
    url = reverse("portal:space-detail", args=[space.pk])
    assert Client().get(url)["X-Page-Cache"] == "miss"
    assert Client().get(url)["X-Page-Cache"] == "hit"
    park_services.space_update(space=space, data={"price": Decimal("3.8")}, actor=manager)
    after = Client().get(url)
    assert after["X-Page-Cache"] == "miss"
    assert "3.8" in after.content.decode()


def test_each_visitor_gets_a_token_that_works_for_them():
    park = ParkFactory()
    url = park.get_absolute_url()
    Client().get(url)  # fills the cache with the first visitor's page
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get(url)
        assert page["X-Page-Cache"] == "hit"
        html = page.content.decode()
        assert page_cache.PLACEHOLDER not in html
        token = TOKEN.search(html).group(1)
        response = visitor.post(
            reverse("portal:lead-create"), {**form_data(), "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302, response.status_code
    assert Inquiry.objects.count() == 2
    # A token from someone else's cached page does not pass another visitor's check.
    stranger = Client(enforce_csrf_checks=True)
    stranger.get(url)
    response = stranger.post(
        reverse("portal:lead-create"), {**form_data(), "csrfmiddlewaretoken": "x" * 64}
    )
    assert response.status_code == 403


def test_logged_in_and_session_visitors_are_never_served_cached_pages(manager):
    park = ParkFactory()
    url = park.get_absolute_url()
    Client().get(url)
    operator = Client()
    operator.force_login(manager)
    response = operator.get(url)
    assert "X-Page-Cache" not in response


@pytest.mark.django_db(transaction=True)
def test_etag_revalidation_answers_304():
    park = ParkFactory()
    url = park.get_absolute_url()
    visitor = Client()
    first = visitor.get(url)
    again = visitor.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content
    ParkFactory(name="另一个园区")  # any public write: a new generation, a fresh render
    changed = visitor.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["X-Page-Cache"] == "miss"


def test_article_views_are_counted_on_hits():
    article = ArticleFactory(views=0)
    url = article.get_absolute_url()
    human = {"HTTP_USER_AGENT": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0"}
    for _ in range(3):
        Client().get(url, **human)
    assert Client().get(url, **human)["X-Page-Cache"] == "hit"
    assert Article.objects.get(pk=article.pk).views == 4


def test_pages_for_each_language_are_kept_apart():
    park = ParkFactory()
    url = park.get_absolute_url()
    zh = Client().get(url).content.decode()
    en = Client().get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert zh != en
    assert Client().get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode().count("<html") == 1


@pytest.mark.django_db(transaction=True)
def test_a_write_after_a_rolled_back_savepoint_still_invalidates():
    from django.db import transaction

    before = page_cache.generation()
    with transaction.atomic():
        try:
            with transaction.atomic():
                ParkFactory(name="回滚的园区")
                raise RuntimeError
        except RuntimeError:
            pass
        assert page_cache.generation() == before  # nothing committed yet
        ParkFactory(name="保留的园区")
    assert page_cache.generation() > before


def test_a_stale_page_is_renewed_by_one_request_the_others_get_the_stale_copy(monkeypatch):
    park = ParkFactory(name="过期续存园区")
    url = park.get_absolute_url()
    assert Client().get(url)["X-Page-Cache"] == "miss"
    later = page_cache._clock() + 61  # past the 60 s of freshness, within the stale time
    monkeypatch.setattr(page_cache, "_clock", lambda: later)
    # Another request holds the renewal lock: this one is served the stale copy at once.
    monkeypatch.setattr(page_cache.cache, "add", lambda *a, **k: False)
    stale, queries = _get(Client(), url)
    assert stale["X-Page-Cache"] == "stale" and queries == 0
    assert "过期续存园区" in stale.content.decode()
    monkeypatch.undo()
    monkeypatch.setattr(page_cache, "_clock", lambda: later)
    # The lock is free: this request renews the page, the next one is a fresh hit.
    renewed, queries = _get(Client(), url)
    assert renewed["X-Page-Cache"] == "miss" and queries > 0
    assert Client().get(url)["X-Page-Cache"] == "hit"


def test_a_renewal_that_fails_releases_its_lock(monkeypatch):
    from django.core.cache import cache

    park = ParkFactory()
    url = park.get_absolute_url()
    Client().get(url)
    later = page_cache._clock() + 61
    monkeypatch.setattr(page_cache, "_clock", lambda: later)
    added: list[str] = []
    real_add = cache.add

    def add(key, *args, **kwargs):
        added.append(key)
        return real_add(key, *args, **kwargs)

    monkeypatch.setattr(page_cache.cache, "add", add)
    monkeypatch.setattr(page_cache, "_render_and_store", _boom)
    with pytest.raises(RuntimeError):
        Client(raise_request_exception=True).get(url)
    assert added and cache.get(added[0]) is None  # no lock left behind


@pytest.mark.django_db(transaction=True)  # invalidation happens on commit: really commit
def test_a_write_is_never_hidden_behind_a_stale_copy(manager, monkeypatch):
    space = SpaceFactory(price=Decimal("2.5"))
    url = reverse("portal:space-detail", args=[space.pk])
    Client().get(url)
    later = page_cache._clock() + 61
    monkeypatch.setattr(page_cache, "_clock", lambda: later)
    park_services.space_update(space=space, data={"price": Decimal("3.8")}, actor=manager)
    monkeypatch.setattr(page_cache.cache, "add", lambda *a, **k: False)  # a renewal under way
    after = Client().get(url)
    assert after["X-Page-Cache"] == "miss"  # a new generation: the stale copy is not found
    assert "3.8" in after.content.decode()


def _boom(*args, **kwargs):
    raise RuntimeError("render failed")
