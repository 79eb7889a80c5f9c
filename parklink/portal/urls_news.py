"""Portal URLs of the news area (included by portal/urls.py), plus /sitemap.xml."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from parklink.news.feeds import LatestArticlesFeed
from parklink.news.sitemaps import SITEMAPS
from parklink.portal.views import news

urlpatterns: list = [
    path("news/", news.article_list, name="news-list"),
    path("news/feed/", LatestArticlesFeed(), name="news-feed"),
    path("news/category/<str:category>/", news.article_list, name="news-category"),
    path("news/category/<str:category>/feed/", LatestArticlesFeed(), name="news-category-feed"),
    path("news/<int:pk>/", news.article_detail, name="article-detail"),
    path("news/<int:pk>/takedown/", news.article_takedown, name="article-takedown"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
]
