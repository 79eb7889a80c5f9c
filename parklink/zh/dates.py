"""Dates as Chinese pages write them, absolute and relative, resolved against a fetch date.

`parse_date("2023年5月18日")`, `parse_date("6个月前 (11-03)", fetched_at=date(2025, 5, 3))`,
`parse_date("昨天 10:20", fetched_at=...)`. A date without a year (11-03, 5月18日) is the
latest such day not after the fetch date; a relative date with a month-day hint
("6个月前 (11-03)") takes the hint's day in the year that lies nearest the relative estimate.

Pure: no Django import.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def _cn_int(text: str) -> int | None:
    """'2023', '二〇二三', '十一', '二十五', '３' → int."""
    text = text.strip()
    if not text:
        return None
    if text.isdecimal():  # int() accepts exactly these (not "²", which isdigit())
        return int(text)
    if all(c in _CN_DIGITS for c in text):  # digit by digit: 二〇二三
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _CN_DIGITS.get(tens, 1) if tens else 1
        o = _CN_DIGITS.get(ones, 0) if ones else 0
        if (tens and tens not in _CN_DIGITS) or (ones and ones not in _CN_DIGITS):
            return None
        return t * 10 + o
    return None


def _safe_date(y: int, m: int, d: int) -> date | None:
    if not (1900 <= y <= 2100 and 1 <= m <= 12):
        return None
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return date(y, m, d)


def add_months(day: date, months: int) -> date:
    """`day` shifted by whole months, clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    y, m = divmod(index, 12)
    return date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


_NUM = r"[0-9０-９〇零○一二两三四五六七八九十]{1,4}"
_ABSOLUTE = re.compile(
    rf"(?P<y>(?:19|20)\d\d|[一二][〇零○一二三四五六七八九]{{3}})\s*(?:[-/.]|年)\s*"
    rf"(?P<m>{_NUM})\s*(?:[-/.]|月)\s*(?P<d>{_NUM})(?![0-9])(?:\s*[日号])?"
)
_YEAR_MONTH = re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月(?!\s*\d)")
_COMPACT = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"
)
_MONTH_DAY = re.compile(
    r"(?<![\d年/.-])(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*(?:[-/]|月)\s*"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})(?:\s*日|号)?(?![\d:])"
)
_RELATIVE = re.compile(
    r"(?P<n>\d+|[一二两三四五六七八九十半]+)\s*(?:个)?\s*(?P<unit>秒|分钟|小时|天|日|周|星期|个月|月|年)\s*(?:前|以前)"
)
_WORDS = {"刚刚": 0, "今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "大前天": -3}


@dataclass(frozen=True)
class DateMatch:
    value: date
    start: int
    end: int
    text: str


def _relative_delta(n_text: str, unit: str, fetched_at: date) -> date:
    n = 0.5 if n_text == "半" else (_cn_int(n_text) or 0)
    if unit in ("秒", "分钟", "小时"):
        hours = {"秒": n / 3600, "分钟": n / 60, "小时": n}[unit]
        return fetched_at - timedelta(days=int(hours // 24))
    if unit in ("天", "日"):
        return fetched_at - timedelta(days=int(n))
    if unit in ("周", "星期"):
        return fetched_at - timedelta(days=int(7 * n))
    if unit in ("个月", "月"):
        return add_months(fetched_at, -int(n)) if n >= 1 else fetched_at - timedelta(days=15)
    return add_months(fetched_at, -12 * int(n))


def _with_year_near(month: int, day: int, target: date, fetched_at: date | None) -> date | None:
    """The date month-day in the year that puts it nearest `target`, not after fetched_at."""
    best: date | None = None
    for year in (target.year - 1, target.year, target.year + 1):
        d = _safe_date(year, month, day)
        if d is None or (fetched_at is not None and d > fetched_at):
            continue
        if best is None or abs((d - target).days) < abs((best - target).days):
            best = d
    return best


def find_dates(text: str, *, fetched_at: date | None = None) -> list[DateMatch]:
    """Every date in `text`, in order. Relative and year-less dates need `fetched_at`."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(value: date | None, s: int, e: int) -> None:
        if value is not None and free(s, e):
            found.append(DateMatch(value, s, e, text[s:e]))
            taken.append((s, e))

    for m in _ABSOLUTE.finditer(text):
        y, mo, d = _cn_int(m["y"]), _cn_int(m["m"]), _cn_int(m["d"])
        if y and mo and d:
            add(_safe_date(y, mo, d), m.start(), m.end())
    for m in _COMPACT.finditer(text):
        add(_safe_date(int(m["y"]), int(m["m"]), int(m["d"])), m.start(), m.end())
    if fetched_at is not None:
        for m in _RELATIVE.finditer(text):
            estimate = _relative_delta(m["n"], m["unit"], fetched_at)
            # "6个月前 (11-03)": a month-day right after the relative part pins the day.
            tail = re.match(
                r"\s*[(（]?\s*(\d{1,2})\s*[-/月]\s*(\d{1,2})\s*日?\s*[)）]?", text[m.end() :]
            )
            end = m.end()
            if tail:
                exact = _with_year_near(int(tail[1]), int(tail[2]), estimate, fetched_at)
                if exact is not None:
                    estimate, end = exact, m.end() + tail.end()
            add(estimate, m.start(), end)
        for word, days in sorted(_WORDS.items(), key=lambda kv: -len(kv[0])):
            for m in re.finditer(word, text):
                add(fetched_at + timedelta(days=days), m.start(), m.end())
        for m in _MONTH_DAY.finditer(text):
            mo, d = _cn_int(m["m"]), _cn_int(m["d"])
            if mo and d and ("月" in m[0] or "-" in m[0] or "/" in m[0]):
                add(_with_year_near(mo, d, fetched_at, fetched_at), m.start(), m.end())
    found.sort(key=lambda dm: dm.start)
    return found


def parse_date(text: str, *, fetched_at: date | None = None) -> date | None:
    """The first date in `text`, or None."""
    matches = find_dates(text, fetched_at=fetched_at)
    return matches[0].value if matches else None


def parse_year_month(text: str) -> tuple[int, int] | None:
    """'2023年11月' → (2023, 11) when no day is given."""
    m = _YEAR_MONTH.search(text)
    return (int(m["y"]), int(m["m"])) if m else None
