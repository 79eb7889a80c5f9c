"""Back-office URLs (/office/). Each area keeps its routes in office/urls_<area>.py and its
views in office/views/<area>.py."""

from django.contrib.auth import views as auth_views
from django.urls import path

from parklink.office import (
    urls_account,
    urls_catalogue,
    urls_leads,
    urls_leases,
    urls_matching,
    urls_news,
    urls_policies,
)
from parklink.office.views import dashboard

app_name = "office"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="office/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", dashboard.index, name="dashboard"),
    *urls_catalogue.urlpatterns,
    *urls_leads.urlpatterns,
    *urls_matching.urlpatterns,
    *urls_news.urlpatterns,
    *urls_policies.urlpatterns,
    *urls_account.urlpatterns,
    *urls_leases.urlpatterns,
]
