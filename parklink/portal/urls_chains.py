"""Portal URLs of the chain map (included by portal/urls.py)."""

from django.urls import path

from parklink.portal.views import chains

urlpatterns: list = [
    path("parks/<int:pk>/chain/", chains.park_chain, name="park-chain"),
]
