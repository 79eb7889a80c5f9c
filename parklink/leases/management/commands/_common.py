"""Argument helpers shared by the `leases` and `occupancy` commands."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from parklink.core.exchange import json_value
from parklink.leases.selectors import park_find, window_check


def day_arg(text: str | None) -> date:
    """--on YYYY-MM-DD (default: today in Asia/Shanghai)."""
    if not text:
        return timezone.localdate()
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"日期格式应为 YYYY-MM-DD:{text} / dates look like YYYY-MM-DD: {text}"
        ) from None
    window_arg(on=day)
    return day


def window_arg(*, on: date, days: int = 0) -> None:
    """The selectors' bound of days and windows (``window_check``) as one CommandError line."""
    try:
        window_check(on=on, days=days)
    except ValidationError as exc:
        raise CommandError("; ".join(exc.messages)) from None


def park_arg(name: str | None) -> Any:
    if not name:
        return None
    park = park_find(name)
    if park is None:
        raise CommandError(f"园区不存在:{name} / no such park: {name}")
    return park


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(json_value(doc), ensure_ascii=False, indent=1)
