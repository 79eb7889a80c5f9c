"""Back-office URLs of the catalogue area (included by office/urls.py)."""

from django.urls import path

from parklink.office.views import catalogue, exchange, photos

urlpatterns: list = [
    path("catalogue/spaces/", catalogue.space_list, name="catalogue-spaces"),
    path("catalogue/spaces/new/", catalogue.space_edit, name="catalogue-space-create"),
    path("catalogue/spaces/<int:pk>/", catalogue.space_edit, name="catalogue-space-edit"),
    path(
        "catalogue/spaces/<int:pk>/reconfirm/",
        catalogue.space_reconfirm,
        name="catalogue-space-reconfirm",
    ),
    path(
        "catalogue/spaces/<int:pk>/status/",
        catalogue.space_status,
        name="catalogue-space-status",
    ),
    path("catalogue/spaces/<int:pk>/photos/", photos.space_photos, name="catalogue-space-photos"),
    path("catalogue/parks/<int:pk>/photos/", photos.park_photos, name="catalogue-park-photos"),
    path("catalogue/parks/", catalogue.park_list, name="catalogue-parks"),
    path("catalogue/parks/new/", catalogue.park_edit, name="catalogue-park-create"),
    path("catalogue/parks/<int:pk>/", catalogue.park_edit, name="catalogue-park-edit"),
    path("catalogue/orgs/", catalogue.org_list, name="catalogue-orgs"),
    path("catalogue/orgs/new/", catalogue.org_edit, name="catalogue-org-create"),
    path("catalogue/orgs/<int:pk>/", catalogue.org_edit, name="catalogue-org-edit"),
    path("catalogue/exchange/", exchange.exchange_page, name="catalogue-exchange"),
    path("catalogue/export/", exchange.export_download, name="catalogue-export"),
]
