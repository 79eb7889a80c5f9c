"""Public portal URLs. Each area keeps its routes in portal/urls_<area>.py and its views in
portal/views/<area>.py."""

from django.urls import path

from parklink.portal import urls_catalogue, urls_chains, urls_leads, urls_news, urls_policies
from parklink.portal.views import home, search

app_name = "portal"

urlpatterns = [
    path("", home.index, name="home"),
    path("search/", search.index, name="search"),
    *urls_catalogue.urlpatterns,
    *urls_chains.urlpatterns,
    *urls_leads.urlpatterns,
    *urls_news.urlpatterns,
    *urls_policies.urlpatterns,
]
