"""Portal URLs of the leads area (included by portal/urls.py)."""

from django.urls import path

from parklink.portal.views import leads

urlpatterns: list = [
    path("inquiry/", leads.lead_create, name="lead-create"),
    path("inquiry/thanks/", leads.lead_thanks, name="lead-thanks"),
]
