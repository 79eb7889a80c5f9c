"""Back-office URLs (/office/). Each area's views live in their own module under office/views/."""

from django.contrib.auth import views as auth_views
from django.urls import path

from parklink.office.views import dashboard

app_name = "office"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="office/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", dashboard.index, name="dashboard"),
]
