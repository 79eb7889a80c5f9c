"""Back-office URLs of the matching area (included by office/urls.py)."""

from django.urls import path

from parklink.office.views import matching

urlpatterns: list = [
    path("matching/", matching.match_page, name="match-page"),
    path("matching/alerts/", matching.alerts, name="match-alerts"),
    path("matching/spaces/<int:space_pk>/leads/", matching.space_leads, name="match-space-leads"),
    path(
        "matching/leads/<int:lead_pk>/spaces/<int:space_pk>/recommend/",
        matching.match_recommend,
        name="match-recommend",
    ),
    path(
        "matching/leads/<int:lead_pk>/spaces/<int:space_pk>/not-interested/",
        matching.match_not_interested,
        name="match-not-interested",
    ),
]
