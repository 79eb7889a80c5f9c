"""Settings of the leases area, from the environment (or ``settings.PARKLINK_LEASES``).

- ``PARKLINK_LEASE_WARNING_DAYS``: how many days before its end a lease is warned about, per
  space kind, e.g. ``写字楼=180,厂房=120`` (kinds not named keep the defaults below). Offices
  and R&D floors are re-let earlier than factories: their tenants decide later and move
  more easily, so the window to propose a renewal opens sooner.
"""

from __future__ import annotations

import os

from django.conf import settings

DEFAULT_WARNING_DAYS: dict[str, int] = {
    "写字楼": 180,
    "研发楼": 180,
    "实验室": 180,
    "厂房": 120,
    "仓库": 90,
    "土地": 365,
}
# Bands of the 租控表 colours (days before the last day).
EXPIRY_BANDS = (90, 180, 365)


def _parse(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for part in text.replace(",", ",").replace(";", ",").split(","):
        if "=" not in part:
            continue
        kind, _sep, days = part.partition("=")
        try:
            value = int(days.strip())
        except ValueError:
            continue
        if 0 < value <= 3650:
            out[kind.strip()] = value
    return out


def warning_days() -> dict[str, int]:
    """Days of warning per space kind."""
    days = dict(DEFAULT_WARNING_DAYS)
    days.update(getattr(settings, "PARKLINK_LEASES", {}).get("WARNING_DAYS", {}))
    days.update(_parse(os.environ.get("PARKLINK_LEASE_WARNING_DAYS", "")))
    return days


def warning_days_for(kind: str) -> int:
    days = warning_days()
    return days.get(kind, max(days.values()))
