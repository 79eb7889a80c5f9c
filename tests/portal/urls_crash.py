"""A URLconf with a view that fails, for the 500 page test."""

from django.urls import include, path


def crash(request):
    raise RuntimeError("boom")


urlpatterns = [path("crash/", crash), path("", include("parklink.urls"))]
