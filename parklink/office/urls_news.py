"""Back-office URLs of the news area (included by office/urls.py)."""

from django.urls import path

from parklink.office.views import news

urlpatterns: list = [
    path("news/", news.queue, name="news-queue"),
    path("news/entities/<int:pk>/", news.entity_review, name="news-entity"),
    path("news/facts/<int:pk>/", news.fact_review, name="news-fact"),
    path("news/facts/bulk/", news.facts_bulk, name="news-facts-bulk"),
    path("news/takedowns/", news.takedowns, name="news-takedowns"),
    path("news/takedowns/<int:pk>/handle/", news.takedown_handle, name="news-takedown-handle"),
    path("news/runs/", news.ingest_runs, name="news-runs"),
]
