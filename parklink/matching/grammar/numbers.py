"""Quantities of a requirement: area, budgets (rent, unit price, total), tax, ceiling
height, floor load and power, read from zh.quantities with the words around them."""

from __future__ import annotations

import re

from parklink.matching.config import MatchConfig
from parklink.matching.grammar.reading import Reading
from parklink.matching.requirement import DAYS_PER_MONTH
from parklink.zh.quantities import Quantity, find_quantities, parse_number

_TAX_CTX = re.compile(r"纳税|税收|缴税|交税|税额|年税|税")
_TOTAL_CTX = re.compile(r"总价|总预算|预算|总共|一共|全款|总额|购买|买|以内买")
_YEAR_RENT_CTX = re.compile(
    r"(?:房租|租金)(?:每|一)?年|(?:每|一)?年(?:的)?(?:房租|租金)|年租(?!期)|一年租"
)
_MONTH_RENT_CTX = re.compile(
    r"(?:房租|租金)(?:每|一个?)?月|(?:每|一个?)?月(?:的)?(?:房租|租金)|月租(?!期)|一个?月租"
)
# An area said without its unit just before a kind ("要个一千五左右的厂房", "3000的仓库").
_BARE_AREA_RE = re.compile(
    r"(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十百千万]+)\s*(?P<q>左右|上下|多)?\s*(?:的)?"
    r"(?:标准|独栋|单层|多层)?(?=厂房|仓库|研发楼|写字楼|实验室|办公室|库房|车间|办公楼)"
)
_RENT_CTX = re.compile(r"租|每天|一天|日|天")
_IGNORE_MONEY_CTX = re.compile(r"注册资本|注册资金|营收|产值|投资|融资|销售额|收入|利润|年产")
_PER_DAY = re.compile(r"每天|一天|/天|每日|日租|天/")
_HEIGHT_CTX = re.compile(r"层高|净高|挑高|檐高|高度|高")
_TAIL_RE = re.compile(r"[^,，。;；!！?？\n]*$")


def _before(text: str, start: int, n: int = 10) -> str:
    m = _TAIL_RE.search(text, max(0, start - n), start)
    return m.group() if m else ""


# Land is priced per 亩: "每亩50万", "50万/亩", "单价不超过60万一亩".
_PER_MU_RE = re.compile(
    r"(?:每亩|一亩|亩均)\s*(?:不超过|不高于|最多|以内|约|大约)?\s*(?P<a>\d+(?:\.\d+)?)\s*万"
    r"|(?P<b>\d+(?:\.\d+)?)\s*万(?:元)?\s*(?:/|每|一)\s*亩"
)
MU_M2 = 666.67


def read_quantities(text: str, acc: Reading) -> None:
    """Areas, budgets, tax and technical minimums said with their units."""
    for m in _PER_MU_RE.finditer(text):
        value = float(m.group("a") or m.group("b")) * 1e4 / MU_M2
        if acc.price is None:
            acc.price = value
            acc.stated["budget"] = acc.said(m.start(), m.end())
            acc.deals_seen.add("出售")
            acc.mark("budget", m.start(), m.end())
        acc.spans.append((m.start(), m.end()))
        text = text[: m.start()] + "□" * (m.end() - m.start()) + text[m.end() :]
    for q in find_quantities(text):
        before = _before(text, q.start)
        after = text[q.end : q.end + 4]
        said = acc.said(q.start, q.end)
        used = True
        criterion = None
        if q.dimension == "area":
            if acc.area is None:
                acc.area = q
                acc.stated["area"] = said
                criterion = "area"
        elif q.dimension == "rent":
            if q.qualifier != "min":
                acc.rent = q.value if q.high is None else q.high
                acc.stated["budget"] = said
                criterion = "budget"
        elif q.dimension == "unit_price":
            # a rent: said with 租 or per day, or too cheap to be a sale price per m²
            # ("每天1.2元/平以内": no listing sells at 1.2 元/㎡)
            per_day = _PER_DAY.search(before[-4:] + said)
            if q.value <= 300 and ("租" in before or per_day or q.value <= 50):
                acc.rent = q.value if q.value <= 10 else q.value / DAYS_PER_MONTH
            else:
                acc.price = q.high or q.value
            acc.stated["budget"] = said
            criterion = "budget"
        elif q.dimension == "money" and after.startswith(("地", "空地", "土地")):
            used = False  # "一块地": a plot, not one 元
        elif q.dimension == "money":
            what = _read_money(q, before, acc, said)
            used = what is not None
            criterion = "budget" if what == "budget" else None
        elif q.dimension == "length":
            if _HEIGHT_CTX.search(before) or after.startswith(("层高", "净高", "高")):
                if q.qualifier != "max":
                    acc.height = q.value
                    acc.stated["ceiling_height"] = said
                    criterion = "ceiling_height_m"
            else:
                used = "柱距" in before or "跨度" in before
        elif q.dimension == "load":
            acc.load = q.value
            acc.stated["floor_load"] = said
            criterion = "floor_load_kg_m2"
        elif q.dimension == "power":
            acc.power = q.value
            acc.stated["power"] = said
            criterion = "power_kva"
        else:
            used = False
        if criterion is not None:
            acc.mark(criterion, q.start, q.end)
        if used:
            acc.spans.append((q.start, q.end))
    if acc.area is None:
        _read_bare_area(text, acc)


def _read_bare_area(text: str, acc: Reading) -> None:
    """ "一千五左右的厂房": a number before a kind is its area in m² (50 m² to 200,000 m²)."""
    for m in _BARE_AREA_RE.finditer(text):
        value = parse_number(m.group("n"))
        if value is None or not 50 <= value <= 200_000:
            continue
        end = m.end("q") if m.group("q") else m.end("n")
        said = acc.said(m.start(), end)
        acc.area = Quantity(
            value=value,
            unit="m2",
            start=m.start(),
            end=end,
            text=said,
            qualifier="approx",
            dimension="area",
        )
        acc.stated["area"] = said
        acc.mark("area", m.start(), end)
        acc.spans.append((m.start(), end))
        return


def _read_money(q: Quantity, before: str, acc: Reading, said: str) -> str | None:
    """What an amount of money is ("budget", "tax", "other"), recorded; None if not known."""
    value = q.high if q.high is not None and q.qualifier == "range" else q.value
    if _IGNORE_MONEY_CTX.search(before):
        return "other"  # understood (registered capital, output …) but not a criterion
    if _TAX_CTX.search(before):
        acc.tax_wan = value / 1e4
        acc.stated["annual_tax"] = said
        return "tax"
    if _YEAR_RENT_CTX.search(before):
        acc.year_rent_wan = value / 1e4
        acc.stated["budget"] = said
        acc.deals_seen.add("出租")
        return "budget"
    if _MONTH_RENT_CTX.search(before) and value > 300:
        acc.year_rent_wan = value * 12 / 1e4
        acc.stated["budget"] = said
        acc.deals_seen.add("出租")
        return "budget"
    if value <= 50 and (_RENT_CTX.search(before) or "出租" in acc.deals_seen or value <= 20):
        acc.rent = value  # "租金每天不超过3块", "2块8": colloquial rent per m² per day
        acc.stated["budget"] = said
        return "budget"
    if value >= 1e5 or _TOTAL_CTX.search(before):
        acc.total_wan = value / 1e4
        acc.stated["budget"] = said
        return "budget"
    return None


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
