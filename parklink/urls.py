from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

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

handler400 = "parklink.core.views.bad_request"
handler403 = "parklink.core.views.permission_denied"
handler404 = "parklink.core.views.page_not_found"
handler500 = "parklink.core.views.server_error"
