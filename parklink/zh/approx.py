"""Approximate Chinese numbers as people say them on the phone, read as ranges.

Pure Python, no Django. ``find_approx(text)`` finds the spans; ``rewrite(text)`` replaces each
with a plain digit range ("三四千" → "3000-4000") that ``zh.quantities`` reads as a range, and
returns the offset map back to the original text.

================  ===================  ======================================
phrasing          example              range
================  ===================  ======================================
adjacent digits   三四千, 七八百, 两三万  3000–4000, 700–800, 2–3万
one-two apart     三五千                3000–5000
tail digits       一千二三百, 三千五六   1200–1300, 3500–3600
split magnitude   三到四千, 3-4万        3000–4000, 3–4万
来 / 把           十来亩, 二十来, 千把平  10–13, 20–26, 900–1200
多 / 余           两千多, 十多亩         2000–2500, 10–15
出头              三千出头               3000–3450
小                小两千                 1700–2000
bare pair         两三块                 2–3
================  ===================  ======================================

Every pattern is a fixed alternation of character classes (no nested quantifiers): linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Approx", "find_approx", "rewrite"]

_D = "一二两三四五六七八九"
_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_MAG = {
    "十": 10,
    "百": 100,
    "千": 1000,
    "万": 10_000,
    "十万": 100_000,
    "百万": 1_000_000,
    "千万": 10_000_000,
    "亿": 100_000_000,
}
_NEXT_LOWER = {1000: 100, 10_000: 1000, 100: 10, 100_000_000: 10_000_000}
_MAG_RE = "十万|百万|千万|十|百|千|万|亿"

_PATTERNS = re.compile(
    # 一千二三百 / 三千五六 / 两万五六千 / 一百二三十: head, then two adjacent tail digits
    rf"(?P<t_head>[{_D}])(?P<t_mag>[千万百])(?P<t_a>[{_D}])(?P<t_b>[{_D}])(?P<t_tmag>[千百十])?"
    # 三四千 / 七八百 / 两三万 / 三五千 / 三四十万 / 十五六万 / 二十五六万
    rf"|(?P<p_ten>[{_D}]?十)?(?P<p_a>[{_D}])(?P<p_b>[{_D}])(?P<p_mag>{_MAG_RE})"
    # 三到四千 / 3-4万 / 3到4千
    rf"|(?P<s_a>[{_D}]|\d+(?:\.\d+)?)\s*(?:到|至|-|~|～|—|–)\s*(?P<s_b>[{_D}]|\d+(?:\.\d+)?)"
    rf"(?P<s_mag>{_MAG_RE})"
    # 十来 / 二十来 / 百来 / 一百来 / 千把 / 万把
    rf"|(?P<l_head>[{_D}])?(?P<l_mag>十|百|千|万)(?P<l_word>来|把)"
    # 两千多 / 十多 / 一千五百多 / 二十余
    rf"|(?P<d_head>[{_D}])?(?P<d_mag>十|百|千|万)(?:(?P<d_tail>[{_D}])(?P<d_tmag>百|十|千)?)?"
    rf"(?P<d_word>多|余)(?![{_D}十百千万])"
    # 三千出头 / 3000出头
    rf"|(?P<c_num>(?:[{_D}][十百千万]){{1,3}}[{_D}]?|\d+(?:\.\d+)?[千万]?)出头"
    # 50亩出头 / 三千平出头: the unit between the number and 出头
    rf"|(?P<u_num>(?:[{_D}][十百千万]){{1,3}}[{_D}]?|\d+(?:\.\d+)?[千万]?)"
    r"(?P<u_unit>平方米|平米|平|亩|㎡)出头"
    # 小两千 / 小一万
    rf"|小(?P<x_head>[{_D}])(?P<x_mag>十|百|千|万)"
    # 两三块 / 七八块钱 (no magnitude: small money)
    rf"|(?P<b_a>[{_D}])(?P<b_b>[{_D}])(?=块|元)"
    # 一个亿 / 两个亿 / 三个多亿 (exact, said with 个)
    rf"|(?P<g_num>[{_D}十]|\d+(?:\.\d+)?)个(?P<g_more>多)?(?P<g_mag>亿|万)"
)


@dataclass(frozen=True, slots=True)
class Approx:
    """An approximate number: where it is, what it was, the range it means."""

    start: int
    end: int
    text: str
    low: float
    high: float
    kind: str


def _adjacent(a: str, b: str) -> tuple[int, int] | None:
    """Digits said together for a range: 三四, 两三, 一两, 三五 (b one or two above a)."""
    x, y = _DIGIT[a], _DIGIT[b]
    return (x, y) if 1 <= y - x <= 2 else None


def _cn_small(text: str) -> float | None:
    """一千五 / 三千 / 1500 / 3千 → value (a small self-contained reader)."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([千万])", text)
    if m:
        return float(m.group(1)) * _MAG[m.group(2)]
    total, last_mag = 0.0, None
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _DIGIT:
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if nxt in _MAG:
                total += _DIGIT[ch] * _MAG[nxt]
                last_mag = _MAG[nxt]
                i += 2
                continue
            # a trailing digit after a magnitude: 一千五 = 1500
            if last_mag is None:
                return None
            total += _DIGIT[ch] * _NEXT_LOWER.get(last_mag, 1)
            i += 1
            continue
        return None
    return total or None


def _one(m: re.Match[str]) -> Approx | None:
    g = m.groupdict()
    text = m.group(0)
    if g["t_head"]:
        pair = _adjacent(g["t_a"], g["t_b"])
        if pair is None:
            return None
        mag = _MAG[g["t_mag"]]
        tmag = _MAG[g["t_tmag"]] if g["t_tmag"] else _NEXT_LOWER.get(mag, 1)
        if tmag >= mag:
            return None
        base = _DIGIT[g["t_head"]] * mag
        return Approx(
            m.start(), m.end(), text, base + pair[0] * tmag, base + pair[1] * tmag, "tail"
        )
    if g["p_a"]:
        pair = _adjacent(g["p_a"], g["p_b"])
        if pair is None:
            return None
        mag = _MAG[g["p_mag"]]
        ten = 0
        if g["p_ten"]:
            ten = 10 * (_DIGIT[g["p_ten"][0]] if len(g["p_ten"]) == 2 else 1)
        lo, hi = (ten + pair[0]) * mag, (ten + pair[1]) * mag
        return Approx(m.start(), m.end(), text, lo, hi, "pair")
    if g["s_a"]:
        try:
            a = float(g["s_a"])
        except ValueError:
            a = float(_DIGIT[g["s_a"]])
        try:
            b = float(g["s_b"])
        except ValueError:
            b = float(_DIGIT[g["s_b"]])
        if not 0 < a < b or b >= 100:
            return None
        mag = _MAG[g["s_mag"]]
        return Approx(m.start(), m.end(), text, a * mag, b * mag, "split")
    if g["l_mag"]:
        mag = _MAG[g["l_mag"]]
        base = (_DIGIT[g["l_head"]] if g["l_head"] else 1) * mag
        if g["l_word"] == "来":
            return Approx(m.start(), m.end(), text, base, base * 1.3, "lai")
        return Approx(m.start(), m.end(), text, base * 0.9, base * 1.2, "ba")
    if g["d_mag"]:
        mag = _MAG[g["d_mag"]]
        base = (_DIGIT[g["d_head"]] if g["d_head"] else 1) * mag
        step = mag
        if g["d_tail"]:
            tmag = _MAG[g["d_tmag"]] if g["d_tmag"] else _NEXT_LOWER.get(mag, 1)
            if tmag >= mag:
                return None
            base += _DIGIT[g["d_tail"]] * tmag
            step = tmag
        return Approx(m.start(), m.end(), text, base, base + step / 2, "duo")
    if g["c_num"]:
        value = _cn_small(g["c_num"])
        if value is None:
            return None
        return Approx(m.start(), m.end(), text, value, value * 1.15, "chutou")
    if g["u_num"]:
        value = _cn_small(g["u_num"])
        if value is None:
            return None
        return Approx(m.start(), m.end(), text, value, value * 1.15, "chutou:" + g["u_unit"])
    if g["x_head"]:
        value = _DIGIT[g["x_head"]] * _MAG[g["x_mag"]]
        return Approx(m.start(), m.end(), text, value * 0.85, value, "xiao")
    if g["g_num"]:
        head = g["g_num"]
        num = float(head) if head[0].isdecimal() else float(_DIGIT.get(head, 10))
        value = num * _MAG[g["g_mag"]]
        high = value * 1.3 if g["g_more"] else value
        return Approx(m.start(), m.end(), text, value, high, "ge")
    if g["b_a"]:
        pair = _adjacent(g["b_a"], g["b_b"])
        if pair is None:
            return None
        return Approx(m.start(), m.end(), text, float(pair[0]), float(pair[1]), "bare")
    return None


def find_approx(text: str) -> list[Approx]:
    """Every approximate number in `text`, in order, non-overlapping."""
    out = []
    for m in _PATTERNS.finditer(text or ""):
        found = _one(m)
        if found is not None:
            out.append(found)
    return out


_UNIT_STARTS = set("平亩㎡mM米公千元块吨kK")


def _digits(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _render(a: Approx, after: str) -> str:
    if a.kind.startswith("chutou:"):
        return f"{_digits(a.low)}-{_digits(a.high)}{a.kind.split(':', 1)[1]}"
    if a.kind == "ge" and a.low == a.high:
        return f"{_digits(a.low / 1e8)}亿" if a.low >= 1e8 else f"{_digits(a.low / 1e4)}万"
    return _render_range(a, after)


def _render_range(a: Approx, after: str) -> str:
    """The range in plain digits ("3000-4000平", "7000000-8000000元"); with no unit after
    it, amounts of 万 stay in 万 ("700-800万") so they still read as money."""
    no_unit = not after[:1].strip(" ") or after[:1] not in _UNIT_STARTS
    if no_unit and a.low >= 10_000 and a.low % 100 == 0 and a.high % 100 == 0:
        return f"{_digits(a.low / 10_000)}-{_digits(a.high / 10_000)}万"
    return f"{_digits(a.low)}-{_digits(a.high)}"


def rewrite(text: str) -> tuple[str, list[int], list[Approx]]:
    """(new text, offset map, approximations): `offsets[i]` is the position in `text` of
    character i of the new text (one extra entry for the end)."""
    found = find_approx(text)
    if not found:
        return text, list(range(len(text) + 1)), []
    parts: list[str] = []
    offsets: list[int] = []
    pos = 0
    for a in found:
        parts.append(text[pos : a.start])
        offsets.extend(range(pos, a.start))
        repl = _render(a, text[a.end : a.end + 1])
        parts.append(repl)
        # every character of the replacement points into the original span
        span = max(a.end - a.start, 1)
        offsets.extend(
            a.start + min(i * span // max(len(repl), 1), span - 1) for i in range(len(repl))
        )
        pos = a.end
    parts.append(text[pos:])
    offsets.extend(range(pos, len(text) + 1))
    return "".join(parts), offsets, found
