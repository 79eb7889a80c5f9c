"""Reading the one lead a command is given (`--lead FILE.json`): the lead object itself or
{"leads": [lead]}, as `parklink match` takes it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError


def load_lead(path: str) -> dict[str, Any]:
    p = Path(path)
    if not p.is_file():
        raise CommandError(f"找不到文件 {path} / file not found: {path}")
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandError(f"{path} 不是有效的 JSON / not valid JSON: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("leads"), list):
        if len(data["leads"]) != 1:
            raise CommandError(
                f"{path} 应只含一条线索,实际 {len(data['leads'])} 条 / "
                f"expected exactly one lead, found {len(data['leads'])}"
            )
        data = data["leads"][0]
    if not isinstance(data, dict):
        raise CommandError(f"{path} 应为一个线索对象 / expected one lead object")
    return data
