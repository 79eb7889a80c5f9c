"""RSS feeds of the portal's industry news: all articles, and one per category."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _

from parklink.core.site import site_name
from parklink.news import selectors
from parklink.news.models import Article

FEED_ITEMS = 30


class LatestArticlesFeed(Feed):
    """The newest published articles (RSS 2.0); /news/feed/ and /news/category/<c>/feed/."""

    feed_type = Rss201rev2Feed
    language = "zh-cn"

    def get_object(self, request: HttpRequest, category: str | None = None) -> str | None:
        if category and not selectors.article_list(category=category).exists():
            raise Http404
        return category

    def title(self, obj: str | None) -> str:
        return f"{site_name()} · {obj or _('产业资讯')}"

    def link(self, obj: str | None) -> str:
        if obj:
            return reverse("portal:news-category", args=[obj])
        return reverse("portal:news-list")

    def description(self, obj: str | None) -> str:
        return _("%(topic)s:园区动态、产业链与招商信息") % {"topic": obj or _("产业资讯")}

    def items(self, obj: str | None) -> list[Article]:
        return list(selectors.article_list(category=obj)[:FEED_ITEMS])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        # `lead` is the first characters of the body (annotated by the selector): plain text.
        return selectors.plain_excerpt(getattr(item, "lead", ""), 200)

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Article) -> datetime | None:
        if item.published is None:
            return None
        return timezone.make_aware(datetime.combine(item.published, time(8, 0)))

    def item_author_name(self, item: Article) -> str:
        return item.author

    def item_categories(self, item: Article) -> list[str]:
        return [item.category] if item.category else []

    def item_guid(self, item: Article) -> str:
        return item.get_absolute_url()
