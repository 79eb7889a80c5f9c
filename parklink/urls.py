from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve as media_serve

from parklink.api.urls import api
from parklink.core import views as core_views

admin.site.site_header = _("ParkLink 管理后台")
admin.site.site_title = "ParkLink"
admin.site.index_title = _("数据管理")

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("office/", include("parklink.office.urls")),
    path("", include("parklink.portal.urls")),
]

if settings.PARKLINK.get("SERVE_MEDIA"):
    # Uploaded photos, served by the app where no web server in front does (make run).
    urlpatterns.insert(
        0,
        re_path(
            r"^media/(?P<path>.+)$", media_serve, {"document_root": settings.MEDIA_ROOT}
        ),
    )

handler400 = "parklink.core.views.bad_request"
handler403 = "parklink.core.views.permission_denied"
handler404 = "parklink.core.views.page_not_found"
handler500 = "parklink.core.views.server_error"
