"""The site's display name: PARKLINK_SITE_NAME, else the translated default."""

from django.conf import settings
from django.utils.translation import gettext as _


def site_name() -> str:
    return settings.PARKLINK["SITE_NAME"] or _("ParkLink 产业园区招商对接平台")
