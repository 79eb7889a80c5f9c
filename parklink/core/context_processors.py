from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _


def site(request: HttpRequest) -> dict[str, object]:
    return {"site_name": settings.PARKLINK["SITE_NAME"] or _("ParkLink 产业园区招商对接平台")}
