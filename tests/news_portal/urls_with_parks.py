"""The project URLconf plus a stand-in park page (used only while the catalogue area has
not published portal:park-detail)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path

from parklink import urls as project_urls
from parklink.parks.models import Park
from parklink.portal import urls as portal_urls


def _park(request, pk):
    park = get_object_or_404(Park, pk=pk)
    return HttpResponse(f"<!doctype html><title>{park.name}</title><h1>{park.name}</h1>")


portal_patterns = (
    [*portal_urls.urlpatterns, path("parks/<int:pk>/", _park, name="park-detail")],
    "portal",
)

urlpatterns = [
    p for p in project_urls.urlpatterns if getattr(p, "pattern", None) and str(p.pattern) != ""
]
urlpatterns.append(path("", include(portal_patterns)))
