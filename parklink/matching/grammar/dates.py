"""When the enterprise moves in and for how long: "明年3月入驻", "下个月要用", "Q2进场",
"三个月内", "年底前", "by March 2027", "move in next month", "in Q3"; lease terms "租期5年",
"签三年", "5-year lease".

A move-in date becomes the latest day the space must be available (`move_in_by`): the end of
the month or quarter said, or today plus the months said. Relative words need `today`,
which the caller passes (the parser stays pure and testable).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from parklink.matching.grammar.reading import Reading

_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN |= {"十": 10, "十一": 11, "十二": 12, "半": 0.5}
_MONTHS_EN = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS_EN |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}

_N = r"\d{1,2}|十[一二]?|[一二两三四五六七八九]|半"
# A clause says when to move in if it has one of these words (or 前/内 after the date).
_MOVE_CTX = re.compile(
    r"入驻|入住|进驻|进场|搬迁|搬进|搬过去|搬家|搬|启用|使用|要用|用上|交付|交房|投产|开业|起租|"
    r"落地|到位|开工|装修|就要|急用|\bmove\b|\bmoving\b|\bmove-in\b|\boccup|\bavailable\b|\bstart\b|"
    r"\bready\b|\bfrom\b|\bby\b|\bbefore\b",
    re.I,
)
_ZH = re.compile(
    rf"(?P<year>今年|明年|后年|(?P<y4>20\d\d)年)?\s*"
    rf"(?:(?P<month>{_N})月份?(?P<part>初|底|末|中旬|中|上旬|下旬)?"
    r"|(?P<q>第?(?P<qn>[一二三四1-4])季度|Q(?P<qq>[1-4]))"
    r"|(?P<half>上半年|下半年|年初|年中|年底|年末|年内))"
    r"(?P<tail>前|之前|以前|内|以内)?"
    rf"|(?P<next>下下个?月|下个?月|下周|下季度)"
    rf"|(?P<nmonths>{_N}|\d{{1,2}})个?月(?:内|以内|之内|后)"
    r"|(?P<asap>马上|立即|随时|立刻|即刻|尽快|现房)(?=入驻|入住|进驻|使用|要用|搬|起租|能用)"
)
_EN = re.compile(
    r"(?:\b(?:by|before|from|in|around|starting|until|end of|early|late|mid)\s+(?:the\s+)?"
    r"(?P<month>january|february|march|april|may|june|july|august|september|october|"
    r"november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
    r"(?:\s*(?P<y4>20\d\d))?)"
    r"|\b(?:(?P<q>q(?P<qq>[1-4]))(?:\s*(?P<qy>20\d\d))?"
    r"|(?P<next>next month|next quarter)"
    r"|(?P<eoy>(?:the\s+)?end of (?:the\s+)?(?:this\s+)?year|year[- ]end)"
    r"|within\s+(?P<nmonths>\d{1,2})\s+months?"
    r"|(?P<asap>asap|as soon as possible|immediately|right away))\b",
    re.I,
)
_LEASE_ZH = re.compile(
    rf"(?:租期|合同期|签约?|(?<![房月年])租(?!金)|起租)\s*(?:至少|最少|不少于|不低于)?\s*(?P<a>{_N}|\d{{1,2}})\s*年"
    rf"|(?P<b>{_N}|\d{{1,2}})\s*年(?:的)?(?:租期|合同|长租|起租)"
)
_LEASE_EN = re.compile(
    r"(?P<a>\d{1,2})[- ]years?(?:[- ]long)?\s+(?:lease|contract|term)"
    r"|lease\s+(?:term\s+)?(?:of\s+)?(?:at least\s+)?(?P<b>\d{1,2})\s+years?",
    re.I,
)
_CLAUSE = re.compile(r"[^,，。;；!！?？\n]+")
_MONEY_AFTER = re.compile(
    r"^\s*(?:的)?(?:租金|房租|不超过|以内|预算|约)?\s*[\d一二两三四五六七八九十百千万]+\s*(?:万|元|块)"
)


def _num(token: str) -> float | None:
    token = token.strip()
    if token.isdecimal():  # int()/float() accept exactly these (not "²", which isdigit())
        return float(token)
    value = _CN.get(token)
    return float(value) if value is not None else None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _year(word: str | None, y4: str | None, today: date) -> int | None:
    if y4:
        return int(y4)
    return {"今年": today.year, "明年": today.year + 1, "后年": today.year + 2}.get(word or "")


def _zh_date(m: re.Match[str], today: date) -> date | None:
    g = m.groupdict()
    if g["next"]:
        months = {"下下个月": 2, "下下月": 2, "下个月": 1, "下月": 1, "下季度": 3}.get(g["next"])
        if g["next"] == "下周":
            return today + timedelta(days=14)
        return _month_end(*_ym(_add_months(today, months or 1)))
    if g["nmonths"]:
        n = _num(g["nmonths"])
        if n is None:
            return None
        return today + timedelta(days=round(n * 30.44))
    if g["asap"]:
        return today + timedelta(days=30)
    year = _year(g["year"], g["y4"], today)
    explicit = year is not None
    year = year or today.year
    if g["month"]:
        month = _num(g["month"])
        if month is None or not 1 <= month <= 12:
            return None
        month = int(month)
        day = _month_end(year, month)
        part = g["part"] or ""
        if part in ("初", "上旬"):
            day = date(year, month, 10)
        elif part in ("中", "中旬"):
            day = date(year, month, 20)
        if not explicit and day < today:
            day = _month_end(year + 1, month)
        return day
    if g["q"]:
        qn = g["qq"] or g["qn"]
        q = int(qn) if qn.isdecimal() else "一二三四".index(qn) + 1
        day = _month_end(year, q * 3)
        if not explicit and day < today:
            day = _month_end(year + 1, q * 3)
        return day
    if g["half"]:
        month = {"上半年": 6, "年初": 2, "年中": 6}.get(g["half"], 12)
        day = _month_end(year, month)
        if not explicit and day < today:
            day = _month_end(year + 1, month)
        return day
    return None


def _ym(day: date) -> tuple[int, int]:
    return day.year, day.month


def _en_date(m: re.Match[str], today: date) -> date | None:
    g = m.groupdict()
    if g["next"]:
        months = 3 if "quarter" in g["next"].lower() else 1
        return _month_end(*_ym(_add_months(today, months)))
    if g["nmonths"]:
        return today + timedelta(days=round(int(g["nmonths"]) * 30.44))
    if g["asap"]:
        return today + timedelta(days=30)
    if g["eoy"]:
        return date(today.year, 12, 31)
    if g["month"]:
        month = _MONTHS_EN[g["month"].lower().rstrip(".")]
        year = int(g["y4"]) if g["y4"] else today.year
        day = _month_end(year, month)
        if not g["y4"] and day < today:
            day = _month_end(year + 1, month)
        return day
    if g["q"]:
        q = int(g["qq"])
        year = int(g["qy"]) if g["qy"] else today.year
        day = _month_end(year, q * 3)
        if not g["qy"] and day < today:
            day = _month_end(year + 1, q * 3)
        return day
    return None


def read_dates(text: str, acc: Reading, today: date) -> None:
    """The move-in date and the lease term, when said."""
    for clause in _CLAUSE.finditer(text):
        c = clause.group()
        base = clause.start()
        lease = _LEASE_ZH.search(c) or _LEASE_EN.search(c)
        if lease and _MONEY_AFTER.search(c, lease.end()):
            lease = None  # "租一年不超过100万": a yearly rent, not a lease term
        if lease and acc.lease_years is None:
            years = _num(lease.group("a") or lease.group("b") or "")
            if years:
                acc.lease_years = years
                acc.stated["lease"] = acc.said(base + lease.start(), base + lease.end())
                acc.deals_seen.add("出租")
                acc.spans.append((base + lease.start(), base + lease.end()))
        if acc.move_in is not None:
            continue
        readers = [(_ZH, _zh_date)]
        if re.search(r"[A-Za-z]{2}", c):
            readers.append((_EN, _en_date))
        for regex, reader in readers:
            for m in regex.finditer(c):
                if not m.group(0).strip():
                    continue
                if lease and lease.start() <= m.start() < lease.end():
                    continue
                ctx = _MOVE_CTX.search(c) or (m.groupdict().get("tail"))
                if not ctx:
                    continue
                day = reader(m, today)
                if day is None:
                    continue
                acc.move_in = day
                s, e = base + m.start(), base + m.end()
                acc.stated["move_in"] = acc.said(s, e).strip()
                acc.mark("move_in", s, e)
                acc.spans.append((s, e))
                break
            if acc.move_in is not None:
                break
