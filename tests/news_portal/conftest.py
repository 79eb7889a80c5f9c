"""Fixtures of the news portal tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    # Related-article lists are cached per article; tests must not see each other's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def park_pages(settings):
    """Park pages at portal:park-detail. The catalogue area owns them; where it has not
    published them yet, a minimal stand-in URLconf provides the route."""
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("portal:park-detail", args=[1])
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.news_portal.urls_with_parks"
