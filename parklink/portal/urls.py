"""Public portal URLs. Each area's views live in their own module under portal/views/."""

from django.urls import path

from parklink.portal.views import home

app_name = "portal"

urlpatterns = [
    path("", home.index, name="home"),
]
