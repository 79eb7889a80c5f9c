"""The shape of a park's admission rules (准入条件, ``Park.rules``), one home for every reader.

``Park.rules`` holds exactly these keys (the exchange format's ``parks[].rules``)::

    {"industries": [...],            # allowed industries; empty = any
     "banned_industries": [...],     # 禁止类产业: a match is a veto (一票否决)
     "min_investment_wan_per_mu",    # 投资强度 ≥ 万元/亩
     "min_tax_wan_per_mu",           # 亩均税收 ≥ 万元/亩·年
     "min_output_wan_per_mu",        # 亩均产值 ≥ 万元/亩·年
     "min_tax_yuan_per_m2",          # 地均税收 ≥ 元/平方米·年 (rented space)
     "veto_keywords": [...]}         # 一票否决 words (电镀, 危化品 …)

Pure (Django only inside ``validate_rules``, the model field's validator). ``normalise_rules`` accepts the English keys or their Chinese names, lists
as JSON lists or one "、"-separated string, numbers as numbers or numeric strings, and returns
the canonical dict (every key present, thresholds as floats or None); anything else raises
``ValueError`` with one bilingual message naming the key.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

LIST_KEYS = ("industries", "banned_industries", "veto_keywords")
NUMBER_KEYS = (
    "min_investment_wan_per_mu",
    "min_tax_wan_per_mu",
    "min_output_wan_per_mu",
    "min_tax_yuan_per_m2",
)
RULE_KEYS = (
    "industries",
    "banned_industries",
    "min_investment_wan_per_mu",
    "min_tax_wan_per_mu",
    "min_output_wan_per_mu",
    "min_tax_yuan_per_m2",
    "veto_keywords",
)
# Chinese names an operator may write instead of the keys (in JSON cells and the editor).
KEY_ALIASES: dict[str, str] = {
    "准入产业": "industries",
    "允许产业": "industries",
    "产业": "industries",
    "禁止产业": "banned_industries",
    "禁止类产业": "banned_industries",
    "投资强度": "min_investment_wan_per_mu",
    "亩均投资": "min_investment_wan_per_mu",
    "亩均税收": "min_tax_wan_per_mu",
    "亩均产值": "min_output_wan_per_mu",
    "产出强度": "min_output_wan_per_mu",
    "地均税收": "min_tax_yuan_per_m2",
    "每平方米税收": "min_tax_yuan_per_m2",
    "一票否决": "veto_keywords",
    "否决关键词": "veto_keywords",
}
LABELS: dict[str, tuple[str, str]] = {
    "industries": ("准入产业", "allowed industries"),
    "banned_industries": ("禁止产业", "banned industries"),
    "min_investment_wan_per_mu": ("投资强度下限(万元/亩)", "minimum investment per mu"),
    "min_tax_wan_per_mu": ("亩均税收下限(万元/亩·年)", "minimum tax per mu"),
    "min_output_wan_per_mu": ("亩均产值下限(万元/亩·年)", "minimum output per mu"),
    "min_tax_yuan_per_m2": ("地均税收下限(元/平方米·年)", "minimum tax per m²"),
    "veto_keywords": ("一票否决关键词", "veto keywords"),
}
MAX_THRESHOLD = 10_000_000.0  # beyond any real 万元/亩 or 元/平方米 figure: a typo
MAX_ITEMS = 50
MAX_ITEM_CHARS = 50
_SPLIT = re.compile(r"[、,，;；|\n]+")


def empty_rules() -> dict[str, Any]:
    return {k: ([] if k in LIST_KEYS else None) for k in RULE_KEYS}


def has_rules(rules: Mapping[str, Any] | None) -> bool:
    """Whether any admission condition is set."""
    if not rules:
        return False
    return any(rules.get(k) for k in LIST_KEYS) or any(
        rules.get(k) is not None for k in NUMBER_KEYS
    )


def _items(key: str, value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        raw = _SPLIT.split(value)
    elif isinstance(value, list | tuple):
        raw = []
        for item in value:
            if not isinstance(item, str | int | float) or isinstance(item, bool):
                raise ValueError(f"{key}: 每项应为文本 / each item must be text")
            raw.append(str(item))
    else:
        raise ValueError(f"{key}: 应为列表 / must be a list")
    items = list(dict.fromkeys(i.strip() for i in raw if i and i.strip()))
    if len(items) > MAX_ITEMS:
        raise ValueError(f"{key}: 最多{MAX_ITEMS}项 / at most {MAX_ITEMS} items")
    if any(len(i) > MAX_ITEM_CHARS for i in items):
        raise ValueError(
            f"{key}: 每项最多{MAX_ITEM_CHARS}个字 / items are limited to {MAX_ITEM_CHARS} characters"
        )
    return items


def _number(key: str, value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{key}: 应为数字 / must be a number")
    try:
        number = float(str(value).strip().replace(",", "").replace(",", ""))
    except ValueError:
        raise ValueError(f"{key}: 应为数字 / must be a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{key}: 应为数字 / must be a number")
    if number < 0:
        raise ValueError(f"{key}: 不能为负数 / must not be negative")
    if number > MAX_THRESHOLD:
        raise ValueError(f"{key}: 数值大得不合理 / implausibly large")
    return int(number) if number.is_integer() else number


def normalise_rules(value: Any) -> dict[str, Any]:
    """The canonical rules dict from a mapping or its JSON text; ValueError when malformed."""
    if value in (None, "", {}):
        return empty_rules()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValueError(
                '准入条件应为 JSON 对象,如 {"min_tax_wan_per_mu": 50} / rules must be a JSON object'
            ) from None
    if not isinstance(value, Mapping):
        raise ValueError("准入条件应为对象 / rules must be an object")
    out = empty_rules()
    for raw_key, item in value.items():
        key = KEY_ALIASES.get(str(raw_key).strip(), str(raw_key).strip())
        if key not in RULE_KEYS:
            raise ValueError(
                f"未知的准入条件 {raw_key} / unknown rule {raw_key} "
                f"(允许/allowed: {' | '.join(RULE_KEYS)})"
            )
        out[key] = _items(key, item) if key in LIST_KEYS else _number(key, item)
    return out


def validate_rules(value: Any) -> None:
    """Model field validator: raise Django's ValidationError for malformed rules."""
    from django.core.exceptions import ValidationError

    try:
        normalise_rules(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
