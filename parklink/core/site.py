"""The site's display name and its default 招商 contact (the 400 hotline), from settings."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _


def site_name() -> str:
    return settings.PARKLINK["SITE_NAME"] or _("ParkLink 产业园区招商对接平台")


def site_contact() -> dict[str, str]:
    """The contact shown where a park names none: PARKLINK_HOTLINE (the 400 line),
    PARKLINK_CONTACT_NAME, PARKLINK_CONTACT_MOBILE, PARKLINK_CONTACT_WECHAT."""
    conf = settings.PARKLINK
    return {
        "name": conf.get("CONTACT_NAME", "") or _("招商服务中心"),
        "hotline": conf.get("HOTLINE", ""),
        "mobile": conf.get("CONTACT_MOBILE", ""),
        "wechat": conf.get("CONTACT_WECHAT", ""),
    }
