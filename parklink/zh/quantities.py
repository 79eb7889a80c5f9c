"""Chinese numbers and quantities as people say them ("三千平", "约50亩", "2块8",
"每平米每天不超过4元", "总价1.5亿以内", "承重800公斤以上", "500kVA").

Pure Python, no Django. Public API::

    find_quantities(text) -> list[Quantity]
    parse_number(token) -> float | None

Every `Quantity` carries its value normalised to one unit per dimension, where it was found
(`start`, `end`, `text`) and what the speaker meant by it (`qualifier`):

=============  ===============  ==============================================
dimension      unit             examples
=============  ===============  ==============================================
area           ``m2``           三千平, 1500㎡, 约50亩, 3万平方米, 2公顷
length         ``m``            层高8米, 8m
load           ``kg/m2``        承重800公斤以上, 1吨/平方米, 800kg/㎡
power          ``kva``          500kVA, 800千伏安, 630千瓦 (kW taken as kVA)
money          ``yuan``         总价1.5亿以内, 预算3000万, 2块8, 500万元
rent           ``yuan/m2/day``  3元/平/天, 90元/㎡/月 (converted), 每平米每天4元
unit_price     ``yuan/m2``      1.2万/平, 12000元/平方米
percent        ``%``            15%
weight         ``kg``           年产500吨 (a bare 吨/公斤 without 承重 context)
=============  ===============  ==============================================

`qualifier` is one of ``"max"`` (不超过, 以内, ≤), ``"min"`` (以上, 不低于, 至少),
``"approx"`` (约, 左右, 上下, 多), ``"range"`` (1500–2000平; the upper bound is `high`),
or None. Numbers use cn2an in smart mode (一千五, 1.5亿, 1万2); plain digits skip it.

The scanner is a handful of linear regexes (character classes and fixed alternations, no
nested quantifiers), so 10,000 characters are scanned in a few milliseconds.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from parklink.zh.units import AREA_FACTORS, DAYS_PER_MONTH, LOAD_FACTORS

__all__ = ["Quantity", "find_quantities", "parse_number"]

_CN_DIGITS = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
_CN_ALL = _CN_DIGITS + "十百千万亿拾佰仟"

# A number: digits (with thousands separators / decimals / Chinese multipliers: 1.5亿, 1万2)
# or a run of Chinese numerals (一千五百, 两万, 三点五). Full-width digits are normalised first.
_NUM = (
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:[十百千万亿](?![瓦伏克米])(?:\d(?![\d.]))?)*"
    rf"|[{_CN_ALL}]+(?:点[{_CN_DIGITS}]+[万亿]?)?"
)
NUM_RE = re.compile(_NUM)

_AREA_UNITS = sorted(
    {*AREA_FACTORS, "平方", "m²", "平方米", "平米", "㎡", "亩", "公顷", "万平"} - {"平"}, key=len
)[::-1]
_M2 = r"(?:平方米|平米|平方|平|㎡|m2|m²|米2)"
_TIME = r"(?:天|日|月|年)"
# Units that may follow a number, tried longest first at the number's end (anchored match).
_UNIT_RE = re.compile(
    r"\s*(?:"
    rf"(?P<rent>(?:元|块钱|块)?\s*(?:/|每|一)\s*{_M2}\s*(?:/|每|一|·|\*)?\s*(?P<rent_t>{_TIME}))"
    rf"|(?P<rent2>(?:元|块钱|块)?\s*(?:/|每|一)\s*{_TIME}\s*(?:/|每|一|·)?\s*{_M2})"
    rf"|(?P<uprice>(?:万元|万|元|块钱|块)?\s*(?:/|每|一)\s*{_M2})"
    r"|(?P<load>(?:公斤|千克|kg|KG|吨|t)\s*(?:/|每)\s*(?:平方米|平米|平方|平|㎡|m2|m²))"
    r"|(?P<power>kVA|KVA|kva|Kva|千伏安|kW|KW|kw|千瓦)"
    # 平 alone is an area only when no word goes on with it (骁龙855平台, 平均, 平稳 …).
    r"|(?P<area>" + "|".join(re.escape(u) for u in _AREA_UNITS) + r")(?<!平)"
    r"|(?P<area1>平)(?![台均衡稳安板等常行价时原民日静凡方面衡])"
    r"|(?P<length>毫米|mm|米(?![2²3³])|m(?![a-zA-Z²2³3]))"
    r"|(?P<weight>公斤|千克|kg|KG|吨)"
    r"|(?P<money>兆元|亿元|万元|元|块钱|块|万|亿)"
    r"|(?P<percent>%|％)"
    r")"
)
_RANGE_SEP = re.compile(r"\s*(?:-|~|～|—|–|到|至|－)\s*")
_APPROX_MID = re.compile(r"多|余|来")
_POST_RE = re.compile(
    r"\s*(?:(?P<max>以内|之内|以下|内|封顶|为限|以下为宜)|(?P<min>以上|起|往上|及以上|打底)"
    r"|(?P<approx>左右|上下|出头|前后))"
)
# Qualifiers said before the number ("不超过", "≥"); longest first so 不超过 wins over 超过.
_PRE_WORDS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        {
            "不超过": "max",
            "不高于": "max",
            "不多于": "max",
            "不大于": "max",
            "最多": "max",
            "至多": "max",
            "最高": "max",
            "上限": "max",
            "低于": "max",
            "少于": "max",
            "小于": "max",
            "不到": "max",
            "控制在": "max",
            "≤": "max",
            "<=": "max",
            "<": "max",
            "不低于": "min",
            "不少于": "min",
            "不小于": "min",
            "至少": "min",
            "最少": "min",
            "最低": "min",
            "起码": "min",
            "大于": "min",
            "高于": "min",
            "超过": "min",
            "多于": "min",
            "下限": "min",
            "≥": "min",
            ">=": "min",
            ">": "min",
            "约": "approx",
            "大约": "approx",
            "大概": "approx",
            "差不多": "approx",
            "估计": "approx",
            "预计": "approx",
            "左右": "approx",
            "将近": "approx",
            "接近": "approx",
        }.items(),
        key=lambda kv: -len(kv[0]),
    )
)
_LEVEL_RE = re.compile(r"\s*级")
_BETWEEN_RE = re.compile(r"\s*之间")
_CLAUSE_BREAK = re.compile(r"[,，。;；!！?？\n]")
# "2块8" / "三块五" (毛): yuan and tenths; "3块5一天" / "2块8一平": the 一 starts the unit.
_KUAI_RE = re.compile(
    rf"(\d+|[{_CN_DIGITS}十]+)\s*块\s*([0-9{_CN_DIGITS}])(?:毛)?"
    rf"(?![0-9元钱]|[{_CN_ALL}](?!天|平|个?月|年))"
)
# "每平米每天", "一平一天", "每天每平": rent context said before the number.
_RENT_CTX_RE = re.compile(
    rf"(?:每|一|/){_M2}\s*(?:每|一|/)?(?P<t1>{_TIME})|(?:每|一|/)(?P<t2>{_TIME})\s*(?:每|一|/)?{_M2}"
    rf"|(?P<t3>日|月|年)租金?"
)
_LOAD_CTX_RE = re.compile(r"承重|荷载|载荷|楼板|地面负荷|地坪")
_FULL_RE = re.compile("[０-９．，％～－／]")
_WIDTH = str.maketrans("０１２３４５６７８９．，％～－／", "0123456789.,%~-/")


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity found in a text, normalised (see the module docstring for units)."""

    value: float
    unit: str
    start: int
    end: int
    text: str
    qualifier: str | None = None
    high: float | None = None
    dimension: str = ""


@lru_cache(maxsize=4096)
def parse_number(token: str) -> float | None:
    """'1,500' → 1500, '一千五' → 1500, '1.5亿' → 1.5e8, '两' → 2; None if not a number."""
    token = token.translate(_WIDTH).replace(",", "").strip()
    if not token:
        return None
    try:
        value = float(token)
    except ValueError:
        import cn2an  # ~0.15 s to load: on the first Chinese numeral, not at start-up

        try:
            value = float(cn2an.cn2an(token, "smart"))
        except (ValueError, KeyError, IndexError, TypeError, OverflowError):
            return None
    # float() also reads "inf", "NaN" and "1e999": none is a quantity anyone means.
    return value if math.isfinite(value) else None


def _pre_qualifier(text: str, start: int, floor: int) -> str | None:
    window = text[max(floor, start - 6) : start]
    for word, qual in _PRE_WORDS:
        if word in window:
            return qual
    return None


class _Breaks:
    """Clause boundaries of one text, found once (we never look back across a comma)."""

    __slots__ = ("ends",)

    def __init__(self, text: str) -> None:
        self.ends = [m.end() for m in _CLAUSE_BREAK.finditer(text)]

    def floor(self, pos: int) -> int:
        i = bisect_right(self.ends, pos) - 1
        return max(self.ends[i] if i >= 0 else 0, pos - 16)


def _unit_value(m: re.Match[str], value: float) -> tuple[str, str, float] | None:
    """(dimension, unit, normalised value) for a unit match."""
    kind = m.lastgroup
    raw = m.group(kind or 0) or ""
    if kind in ("rent", "rent2", "rent_t"):
        t = m.group("rent_t") or raw.strip()[-1:]
        if kind == "rent2":
            t = re.search(_TIME, raw).group(0)  # type: ignore[union-attr]
        return "rent", "yuan/m2/day", value / _per_day(t)
    if kind == "uprice":
        factor = 10000.0 if raw.lstrip().startswith("万") else 1.0
        return "unit_price", "yuan/m2", value * factor
    if kind == "load":
        factor = 1000.0 if raw[0] in "吨t" else 1.0
        return "load", "kg/m2", value * factor
    if kind == "power":
        return "power", "kva", value
    if kind == "area1":
        return "area", "m2", value
    if kind == "area":
        key = raw.replace("m²", "m2")
        factor = float(AREA_FACTORS.get(key, 10000 if key == "万平" else 1))
        return "area", "m2", value * factor
    if kind == "length":
        return "length", "m", value / 1000 if raw in ("毫米", "mm") else value
    if kind == "weight":
        return "weight", "kg", value * float(LOAD_FACTORS.get(raw.lower(), 1))
    if kind == "money":
        # 兆元 (Taiwan usage: 1.3兆元 = 1.3 trillion); 兆 alone is mega (兆瓦), never money.
        factor = {"兆元": 1e12, "亿元": 1e8, "亿": 1e8, "万元": 1e4, "万": 1e4}.get(raw, 1.0)
        return "money", "yuan", value * factor
    if kind == "percent":
        return "percent", "%", value
    return None


def _per_day(t: str) -> float:
    if t == "月":
        return float(DAYS_PER_MONTH)
    if t == "年":
        return 365.0
    return 1.0


def find_quantities(text: str) -> list[Quantity]:
    """All quantities in `text`, in order, non-overlapping. Bare numbers without a unit are
    left out unless they end in 万/亿 (money) or follow a rent phrase ("每天每平3")."""
    if not text:
        return []
    norm = text.translate(_WIDTH) if _FULL_RE.search(text) else text
    out: list[Quantity] = []
    taken_until = 0
    kuai = {m.start(): m for m in _KUAI_RE.finditer(norm)}
    # "一平一天" / "每平米每天" are rates, not an area of 1 m²: numbers inside are skipped.
    rate_spans = [(m.start(), m.end()) for m in _RENT_CTX_RE.finditer(norm)]
    br = _Breaks(norm)
    rate_i = 0
    for m in NUM_RE.finditer(norm):
        start = m.start()
        if start < taken_until:
            continue
        while rate_i < len(rate_spans) and rate_spans[rate_i][1] <= start:
            rate_i += 1
        if rate_i < len(rate_spans) and rate_spans[rate_i][0] <= start:
            continue
        if start in kuai:  # "2块8": 2.8 元
            k = kuai[start]
            a, b = parse_number(k.group(1)), parse_number(k.group(2))
            if a is not None and b is not None:
                q = _money_or_rent(norm, text, br, start, k.end(), a + b / 10, None, None)
                out.append(q)
                taken_until = q.end
                continue
        token = m.group()
        value = parse_number(token)
        if value is None:
            continue
        q = _scan_one(norm, text, br, start, m.end(), token, value)
        if q is not None:
            out.append(q)
            taken_until = q.end
    return out


def _scan_one(
    norm: str, text: str, br: _Breaks, start: int, pos: int, token: str, value: float
) -> Quantity | None:
    """The quantity that starts with the number norm[start:pos], if it has a unit."""
    if _LEVEL_RE.match(norm, pos):  # 十万级洁净: a cleanroom class, not money
        return None
    unit_m = _UNIT_RE.match(norm, pos)
    end = unit_m.end() if unit_m else pos
    high: float | None = None
    qualifier: str | None = None
    # A range: "1500-2000平", "一千五到两千平米", "1500平到2000平", "3-5万".
    sep = _RANGE_SEP.match(norm, end)
    if sep:
        m2 = NUM_RE.match(norm, sep.end())
        v2 = parse_number(m2.group()) if m2 else None
        if m2 is not None and v2 is not None:
            u2 = _UNIT_RE.match(norm, m2.end())
            tail = m2.group()[-1]
            if unit_m is None and u2 is None and tail in "万亿" and token[-1] not in "万亿":
                value *= 1e4 if tail == "万" else 1e8
            if (u2 or unit_m or tail in "万亿") and v2 >= value:
                high, qualifier = v2, "range"
                unit_m = u2 or unit_m
                end = u2.end() if u2 else m2.end()
                between = _BETWEEN_RE.match(norm, end)
                if between:
                    end = between.end()
    if unit_m is None and high is None:
        mid = _APPROX_MID.match(norm, pos)
        if mid:
            unit_m = _UNIT_RE.match(norm, mid.end())
            if unit_m is not None:
                qualifier, end = "approx", unit_m.end()
    if unit_m is None:
        floor = br.floor(start)
        ctx = _RENT_CTX_RE.search(norm, max(floor, start - 10), start)
        if ctx and ctx.group("t3") and token[-1] in "万亿":
            ctx = None  # "年租金200万": a total rent, not a rate per m²
        if ctx:  # "每平米每天3" : a rent without its 元
            t = ctx.group("t1") or ctx.group("t2") or ctx.group("t3") or "天"
            return _finish(
                norm, text, br, start, end, value / _per_day(t), "rent", "yuan/m2/day", None, None
            )
        if (token[-1] in "万亿" or high is not None) and value >= 1000 and _bare_money(norm, end):
            return _finish(norm, text, br, start, end, value, "money", "yuan", qualifier, high)
        return None
    conv = _unit_value(unit_m, value)
    if conv is None:
        return None
    dimension, unit, nvalue = conv
    nhigh = _unit_value(unit_m, high)[2] if high is not None else None  # type: ignore[index]
    if dimension == "money":
        return _money_or_rent(norm, text, br, start, end, nvalue, qualifier, nhigh)
    if dimension == "weight":
        floor = br.floor(start)
        if _LOAD_CTX_RE.search(norm, max(floor, start - 10), start) or _LOAD_CTX_RE.match(
            norm, end
        ):
            dimension, unit = "load", "kg/m2"
    return _finish(norm, text, br, start, end, nvalue, dimension, unit, qualifier, nhigh)


# What may follow a bare 万/亿 amount for it to be money: punctuation, the end, a qualifier, a
# verb (投, 建, 买, 购, 租 …) or a conjunction. A counter word, a unit or a Latin unit after it (7.8万张, 7.8万IPS,
# 100万立方米, 3000万人次) makes it a count or a volume of something else.
_BARE_MONEY_NEXT = re.compile(
    r"$|[\s,，。;；:：、!！?？)）\]】”\"'/]|以|左|上|多|余|的|用|投|建|资|买|购|租|拿|找|内|元|美|欧|港|日|英|人民币|资金|规模|和|与|及|至|到|-|~"
)


def _bare_money(norm: str, end: int) -> bool:
    return bool(_BARE_MONEY_NEXT.match(norm, end)) and not re.match(
        r"人次|人|吨|台|辆|张|件|户|个", norm[end:]
    )


def _money_or_rent(
    norm: str,
    text: str,
    br: _Breaks,
    start: int,
    end: int,
    value: float,
    qualifier: str | None,
    high: float | None,
) -> Quantity:
    """Money, or a rent when a rate phrase came first ("每平米每天不超过4元")."""
    floor = br.floor(start)
    ctx = _RENT_CTX_RE.search(norm, max(floor, start - 12), start)
    if ctx and ctx.group("t3") and norm[start:end].rstrip("元以内下上左右约 ")[-1:] in "万亿":
        ctx = None  # "年租金200万": a total rent, not a rate per m²
    if ctx:
        t = ctx.group("t1") or ctx.group("t2") or ctx.group("t3") or "天"
        per = _per_day(t)
        return _finish(
            norm,
            text,
            br,
            start,
            end,
            value / per,
            "rent",
            "yuan/m2/day",
            qualifier,
            high / per if high is not None else None,
        )
    return _finish(norm, text, br, start, end, value, "money", "yuan", qualifier, high)


def _finish(
    norm: str,
    text: str,
    br: _Breaks,
    start: int,
    end: int,
    value: float,
    dimension: str,
    unit: str,
    qualifier: str | None,
    high: float | None,
) -> Quantity:
    """Attach the qualifier said before or after the number and build the Quantity."""
    if qualifier is None:
        post = _POST_RE.match(norm, end)
        if post:
            qualifier = post.lastgroup
            end = post.end()
    if qualifier is None:
        qualifier = _pre_qualifier(norm, start, br.floor(start))
    return Quantity(
        value=round(value, 6),
        unit=unit,
        start=start,
        end=end,
        text=text[start:end],
        qualifier=qualifier,
        high=round(high, 6) if high is not None else None,
        dimension=dimension,
    )
