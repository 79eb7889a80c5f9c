"""Quantities of a requirement: area, budgets (rent, unit price, total), tax, ceiling
height, floor load and power, read from zh.quantities with the words around them."""

from __future__ import annotations

import re

from parklink.matching.config import MatchConfig
from parklink.matching.grammar.reading import Reading
from parklink.matching.requirement import DAYS_PER_MONTH
from parklink.zh.quantities import Quantity, find_quantities

_TAX_CTX = re.compile(r"纳税|税收|缴税|交税|税额|年税|税")
_TOTAL_CTX = re.compile(r"总价|总预算|预算|总共|一共|全款|总额|购买|买|以内买")
_YEAR_RENT_CTX = re.compile(r"年租金|租金每年|一年租金|每年租金|租金一年")
_MONTH_RENT_CTX = re.compile(r"月租金|每月租金|租金每月|一个月租金")
_RENT_CTX = re.compile(r"租|每天|一天|日|天")
_IGNORE_MONEY_CTX = re.compile(r"注册资本|注册资金|营收|产值|投资|融资|销售额|收入|利润|年产")
_HEIGHT_CTX = re.compile(r"层高|净高|挑高|檐高|高度|高")
_TAIL_RE = re.compile(r"[^,，。;；!！?？\n]*$")


def _before(text: str, start: int, n: int = 10) -> str:
    m = _TAIL_RE.search(text, max(0, start - n), start)
    return m.group() if m else ""


def read_quantities(text: str, acc: Reading) -> None:
    for q in find_quantities(text):
        before = _before(text, q.start)
        after = text[q.end : q.end + 4]
        used = True
        if q.dimension == "area":
            if acc.area is None:
                acc.area = q
                acc.stated["area"] = q.text
        elif q.dimension == "rent":
            if q.qualifier != "min":
                acc.rent = q.value if q.high is None else q.high
                acc.stated["budget"] = q.text
        elif q.dimension == "unit_price":
            if "租" in before and q.value <= 300:
                acc.rent = q.value if q.value <= 10 else q.value / DAYS_PER_MONTH
            else:
                acc.price = q.high or q.value
            acc.stated["budget"] = q.text
        elif q.dimension == "money":
            used = _read_money(q, before, acc)
        elif q.dimension == "length":
            if _HEIGHT_CTX.search(before) or after.startswith(("层高", "净高", "高")):
                if q.qualifier != "max":
                    acc.height = q.value
                    acc.stated["ceiling_height"] = q.text
            else:
                used = "柱距" in before or "跨度" in before
        elif q.dimension == "load":
            acc.load = q.value
            acc.stated["floor_load"] = q.text
        elif q.dimension == "power":
            acc.power = q.value
            acc.stated["power"] = q.text
        else:
            used = False
        if used:
            acc.spans.append((q.start, q.end))


def _read_money(q: Quantity, before: str, acc: Reading) -> bool:
    value = q.high if q.high is not None and q.qualifier == "range" else q.value
    if _IGNORE_MONEY_CTX.search(before):
        return True  # understood (registered capital, output …) but not a criterion
    if _TAX_CTX.search(before):
        acc.tax_wan = value / 1e4
        acc.stated["annual_tax"] = q.text
        return True
    if _YEAR_RENT_CTX.search(before):
        acc.year_rent_wan = value / 1e4
        acc.stated["budget"] = q.text
        acc.deals_seen.add("出租")
        return True
    if _MONTH_RENT_CTX.search(before) and value > 300:
        acc.year_rent_wan = value * 12 / 1e4
        acc.stated["budget"] = q.text
        acc.deals_seen.add("出租")
        return True
    if value <= 50 and (_RENT_CTX.search(before) or "出租" in acc.deals_seen or value <= 20):
        acc.rent = value  # "租金每天不超过3块", "2块8": colloquial rent per m² per day
        acc.stated["budget"] = q.text
        return True
    if value >= 1e5 or _TOTAL_CTX.search(before):
        acc.total_wan = value / 1e4
        acc.stated["budget"] = q.text
        return True
    return False


def area_range(
    q_value: float, qualifier: str | None, high: float | None, cfg: MatchConfig
) -> tuple[float, float, float]:
    """(target, min, max) in m² from a stated area and what was meant by it."""
    if qualifier == "range" and high is not None:
        return (q_value + high) / 2, q_value, high
    if qualifier == "min":
        return q_value, q_value, q_value * (1 + cfg.area_min_only_above)
    if qualifier == "max":
        return q_value, q_value * (1 - cfg.area_max_only_below), q_value
    return q_value, q_value * (1 - cfg.area_below), q_value * (1 + cfg.area_above)
