"""Figures as people write them: 150 平方公里 rather than 150000000 ㎡, 522万㎡, 3.5亿元.

``lang`` is "zh" (Chinese units) or "en" (km², million m², million yuan). Pure: no Django.
"""

from __future__ import annotations

import re
from decimal import Decimal

KM2 = Decimal(1_000_000)
WAN = Decimal(10_000)
YI = Decimal(100_000_000)


def number(value: Decimal | float | int, places: int = 2) -> str:
    """1234.5 → '1,234.5'; 7.190 → '7.19'; 150.0 → '150' (at most ``places`` decimals)."""
    d = Decimal(str(value)).quantize(Decimal(1).scaleb(-places))
    text = f"{d:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def area(value: Decimal | float | int | None, lang: str = "zh", *, land: bool = False) -> str:
    """An area given in m². Land and planned areas of a square kilometre or more read in
    平方公里 / km²; other areas of 10,000 m² or more in 万㎡ (million m² in English)."""
    if value is None:
        return ""
    v = Decimal(str(value))
    if lang == "en":
        if land and v >= KM2:
            return f"{number(v / KM2)} km²"
        if v >= KM2:
            return f"{number(v / KM2)} million m²"
        return f"{number(v, 0)} m²"
    if land and v >= KM2:
        return f"{number(v / KM2)} 平方公里"
    if v >= WAN:
        return f"{number(v / WAN)} 万㎡"
    return f"{number(v, 0)} ㎡"


def money(value: Decimal | float | int | None, lang: str = "zh") -> str:
    """An amount in 元: 亿元 from 100 million, 万元 from 10,000 (billion / million yuan)."""
    if value is None:
        return ""
    v = Decimal(str(value))
    if lang == "en":
        if v >= 1000 * Decimal(1_000_000):
            return f"{number(v / Decimal(1_000_000_000))} billion yuan"
        if v >= Decimal(1_000_000):
            return f"{number(v / Decimal(1_000_000))} million yuan"
        return f"{number(v, 0)} yuan"
    if v >= YI:
        return f"{number(v / YI)} 亿元"
    if v >= WAN:
        return f"{number(v / WAN)} 万元"
    return f"{number(v, 0)} 元"


def count(value: Decimal | float | int | None) -> str:
    if value is None:
        return ""
    return number(value, 0) if Decimal(str(value)) == int(value) else number(value)


_ABOUT = re.compile(r"约|大约|左右|about|approx|around|c\.\s", re.I)
_NEARLY = re.compile(r"近|nearly|almost", re.I)
_OVER = re.compile(r"超过|超|逾|以上|余|多|\+|over|more than|above", re.I)


def qualifier(text: str) -> str:
    """How a written figure is bounded: 'about', 'nearly', 'over' or ''."""
    text = text or ""
    # Look only at what surrounds the first number (a bracketed remark says other things).
    head = re.split(r"[（(;；]", text, maxsplit=1)[0]
    m = re.search(r"\d", head)
    if not m:
        return ""
    around = head[: m.start()] + head[m.start() :][:16]
    if _NEARLY.search(around):
        return "nearly"
    if _ABOUT.search(around):
        return "about"
    if _OVER.search(around):
        return "over"
    return ""


QUALIFIER_WORDS = {
    "zh": {"about": ("约", ""), "nearly": ("近", ""), "over": ("超过", "")},
    "en": {"about": ("about ", ""), "nearly": ("nearly ", ""), "over": ("over ", "")},
}


def qualified(text: str, how: str, lang: str = "zh") -> str:
    if not how or not text:
        return text
    before, after = QUALIFIER_WORDS["en" if lang == "en" else "zh"][how]
    return f"{before}{text}{after}"
