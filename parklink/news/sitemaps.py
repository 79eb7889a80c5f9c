"""sitemap.xml sections: articles, parks and public spaces (django.contrib.sitemaps)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse

from parklink.news import selectors
from parklink.news.models import Article
from parklink.orgs.models import Organization
from parklink.parks.models import Park, Space


def _has_route(name: str) -> bool:
    """Whether the portal publishes pages of this kind (the catalogue area owns park and
    space pages; until they exist their sections stay empty rather than break the file)."""
    try:
        reverse(name, args=[1])
    except NoReverseMatch:
        return False
    return True


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    limit = 5000

    def items(self) -> QuerySet[Article]:
        return selectors.article_published().only("id", "updated_at").order_by("-id")

    def lastmod(self, item: Article) -> datetime:
        return item.updated_at


class ParkSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> QuerySet[Park]:
        if not _has_route("portal:park-detail"):
            return Park.objects.none()
        return Park.objects.only("id", "updated_at").order_by("id")

    def lastmod(self, item: Park) -> datetime:
        return item.updated_at


class OrgSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self) -> QuerySet[Organization]:
        if not _has_route("portal:org-detail"):
            return Organization.objects.none()
        return Organization.objects.only("id", "updated_at").order_by("id")

    def lastmod(self, item: Organization) -> datetime:
        return item.updated_at


class SpaceSitemap(Sitemap):
    """Only what the public portal lists: available and recently reconfirmed."""

    changefreq = "daily"
    priority = 0.7
    limit = 5000

    def items(self) -> QuerySet[Space]:
        if not _has_route("portal:space-detail"):
            return Space.objects.none()
        return Space.objects.public().only("id", "updated_at").order_by("id")

    def lastmod(self, item: Space) -> datetime:
        return item.updated_at


class PortalPageSitemap(Sitemap):
    """The portal's entry pages."""

    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[str]:
        return ["portal:home", "portal:news-list"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": PortalPageSitemap,
    "articles": ArticleSitemap,
    "parks": ParkSitemap,
    "spaces": SpaceSitemap,
    "orgs": OrgSitemap,
}
