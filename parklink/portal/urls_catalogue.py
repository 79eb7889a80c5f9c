"""Portal URLs of the catalogue area (included by portal/urls.py)."""

from django.urls import path

from parklink.portal.views import catalogue

urlpatterns: list = [
    path("parks/", catalogue.park_list, name="park-list"),
    path("parks/<int:pk>/", catalogue.park_detail, name="park-detail"),
    path("spaces/", catalogue.space_search, name="space-search"),
    path("spaces/<int:pk>/", catalogue.space_detail, name="space-detail"),
    path("orgs/<int:pk>/", catalogue.org_detail, name="org-detail"),
]
