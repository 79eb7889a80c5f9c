"""English requirements, read into the same model as Chinese ones.

"Looking to lease a 3,000-4,000 sqm factory near the airport, ceiling at least 8 m, budget
under RMB 1.2 per sqm per day, preferably Shunyi, no basement, move in by March 2027."

Areas in sqm / m2 / square metres, sq ft, acres, hectares and mu; rents and prices in
RMB / CNY / yuan (or USD, EUR converted with the config's rates) per sqm per day, month or
year, per sq ft, per mu, or as totals (RMB 20 million, USD 3m); tax per year; ceiling
height, floor load, power; kinds, deals and technical needs by whole words. Qualifiers:
at least / over / more than / above / from (a minimum), up to / at most / under / below /
no more than / within / max (a maximum), about / around / approximately / roughly / ~ (an
approximation), X-Y / X to Y / between X and Y (a range).
"""

from __future__ import annotations

import re

from parklink.matching.config import MatchConfig
from parklink.matching.grammar.reading import HARD, NEAR, SOFT, Reading, add
from parklink.matching.requirement import DAYS_PER_MONTH
from parklink.zh.quantities import Quantity

SQFT_M2 = 0.09290304
ACRE_M2 = 4046.8564224
MU_M2 = 666.67

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_MULT = r"(?:\s*(?P<{g}>k|m|mn|million|thousand|bn|billion)\b)?"
_AREA_UNIT = (
    r"(?P<unit>sq\.?\s*m(?:eters?|etres?)?\b|sqm\b|square\s+met(?:er|re)s?\b|m2\b|m²|㎡|"
    r"sq\.?\s*ft\b|sqft\b|square\s+f(?:ee|oo)t\b|sf\b|acres?\b|hectares?\b|ha\b|mu\b)"
)
_MIN_WORDS = (
    r"at\s+least|minimum(?:\s+of)?|min\.?|no\s+less\s+than|not\s+less\s+than|over|"
    r"more\s+than|above|upwards\s+of|from|>=?"
)
_MAX_WORDS = (
    r"up\s+to|at\s+most|maximum(?:\s+of)?|max\.?|no\s+more\s+than|not\s+more\s+than|"
    r"under|less\s+than|below|within|not\s+exceeding|<=?|capped\s+at"
)
_APPROX_WORDS = r"about|around|approx(?:imately|\.)?|roughly|some|circa|c\.|~|approximately"
_QUAL = rf"(?:(?P<min>{_MIN_WORDS})|(?P<max>{_MAX_WORDS})|(?P<approx>{_APPROX_WORDS}))\s*"

_AREA_RE = re.compile(
    rf"(?:{_QUAL})?(?:between\s+)?(?P<a>{_NUM}){_MULT.format(g='ma')}\s*"
    rf"(?:(?:-|–|~|to|and)\s*(?P<b>{_NUM}){_MULT.format(g='mb')}\s*)?{_AREA_UNIT}"
    r"(?:\s*(?P<post_min>or\s+more|plus|\+|minimum)|\s*(?P<post_max>or\s+less|max(?:imum)?))?",
    re.I,
)
_CUR = r"(?P<cur>rmb|cny|yuan|usd|us\$|\$|eur|€)"
_PER_AREA = r"(?:/|per|a|each)\s*(?P<per_unit>sq\.?\s*m(?:eters?|etres?)?|sqm|m2|m²|㎡|square\s+met(?:er|re)|sq\.?\s*ft|sqft|square\s+f(?:ee|oo)t|mu)"
_PER_TIME = r"(?:\s*(?:/|per|a|each)\s*(?P<per_time>day|month|year|annum|yr|mo))?"
_MONEY_RE = re.compile(
    rf"(?:{_QUAL})?(?:{_CUR}\s*(?P<a1>{_NUM}){_MULT.format(g='m1')}"
    rf"(?:\s*(?:-|–|to)\s*(?P<b1>{_NUM}){_MULT.format(g='n1')})?"
    rf"|(?P<a2>{_NUM}){_MULT.format(g='m2')}(?:\s*(?:-|–|to)\s*(?P<b2>{_NUM}))?\s*"
    rf"(?P<cur2>rmb|cny|yuan|usd|dollars|eur|euros?)\b)"
    rf"(?:\s*{_PER_AREA})?{_PER_TIME}",
    re.I,
)
_HEIGHT_RE = re.compile(
    rf"(?:ceiling(?:\s+height)?|clear\s+height|headroom|eaves?\s+height|height)\s*(?:of\s+)?"
    rf"(?:{_QUAL})?(?P<a>{_NUM})\s*(?:m|meters?|metres?)\b"
    rf"|(?P<b>{_NUM})\s*(?:m|meters?|metres?)\s*(?:\+\s*)?(?:clear\s+)?(?:ceiling|height|headroom)",
    re.I,
)
_LOAD_RE = re.compile(
    rf"(?P<a>{_NUM})\s*(?P<u>kg|kgs|t|tons?|tonnes?)\s*(?:/|per)\s*(?:sq\.?\s*m|sqm|m2|m²|㎡|square\s+met(?:er|re))",
    re.I,
)
_POWER_RE = re.compile(rf"(?P<a>{_NUM})\s*(?P<u>kva|kw|mva|mw)\b", re.I)
_TAX_RE = re.compile(r"\b(?:annual\s+)?tax(?:es|\s+revenue|\s+contribution)?\b", re.I)
_TOTAL_RE = re.compile(
    r"\b(?:budget|total|purchase\s+price|price\s+tag|capex|spend|up\s+to|afford)\b", re.I
)
_RENT_WORD = re.compile(r"\b(?:rent|rental|lease|leasing|per\s+day|a\s+day|daily)\b", re.I)
_MONTHLY = re.compile(r"\b(?:monthly|per\s+month|a\s+month)\b", re.I)
_YEARLY = re.compile(r"\b(?:annual|annually|yearly|per\s+year|a\s+year)\b", re.I)
_IGNORE_MONEY = re.compile(
    r"\b(?:registered\s+capital|revenue|turnover|sales|investment|invest|funding|raised|"
    r"valuation|output)\b",
    re.I,
)

_KINDS_EN = {
    "厂房": r"factory|factories|plant|workshop|manufacturing\s+(?:facility|space|building|site)|"
    r"industrial\s+(?:building|space|unit|facility)|production\s+(?:facility|space|building)",
    "土地": r"land|plot|land\s+parcel|industrial\s+land|site\s+to\s+build|greenfield",
    "研发楼": r"r&d\s+(?:building|space|center|centre|facility|offices?)|research\s+building",
    "写字楼": r"office|offices|office\s+space|office\s+building",
    "实验室": r"lab|labs|laboratory|laboratories|wet\s+lab",
    "仓库": r"warehouse|warehouses|storage\s+(?:space|facility)|logistics\s+(?:center|centre|facility)|"
    r"distribution\s+(?:center|centre)|cold\s+store",
}
_KIND_EN_RE = re.compile(
    "|".join(f"(?P<k{i}>(?<![A-Za-z]){v}(?![A-Za-z]))" for i, v in enumerate(_KINDS_EN.values())),
    re.I,
)
_KIND_BY_GROUP = {f"k{i}": k for i, k in enumerate(_KINDS_EN)}
_DEAL_EN_RE = re.compile(
    r"(?<![A-Za-z])(?:(?P<sale>buy|buying|purchase|purchasing|acquire|own|ownership|for\s+sale|"
    r"freehold|land\s+use\s+rights)|(?P<rent>rent|renting|rental|lease|leasing|to\s+let|let))"
    r"(?![A-Za-z])",
    re.I,
)
_SPECS_EN = {
    "env": re.compile(
        r"\b(?:eia|environmental\s+(?:impact\s+assessment|approval|permit|assessment))\b", re.I
    ),
    "dual": re.compile(
        r"\b(?:dual[\s\-]+(?:power|circuit|feed|supply)|redundant\s+power|two\s+power\s+feeds)\b",
        re.I,
    ),
    "clean": re.compile(r"\bclean[\s\-]?rooms?\b|\bdust[\s\-]free\b", re.I),
}
_NEG_EN_RE = re.compile(
    r"(?<![A-Za-z])(?:no|not\s+in|not|without|except(?:\s+for)?|excluding|exclude|avoid|"
    r"avoiding|other\s+than|anything\s+but|anywhere\s+but|anywhere\s+except|"
    r"(?:stay|keep|far)\s+away\s+from|away\s+from|don'?t\s+want|do\s+not\s+want|"
    r"no\s+need\s+for|not\s+interested\s+in|rule\s+out|never)\s+"
    r"(?P<what>[A-Za-z][A-Za-z\s\-&']{1,40})",
    re.I,
)
# Said after the thing: "GMP not required", "basement is not needed", "cleanroom optional".
_NEG_AFTER_EN_RE = re.compile(
    r"(?<![A-Za-z])(?P<what>gmp|basements?|dual[\s\-]+power|eia|clean[\s\-]?rooms?|"
    r"environmental\s+approval)\s+(?:is\s+|are\s+)?(?:not\s+(?:required|needed|necessary|a\s+must)|"
    r"unnecessary|optional|not\s+important)(?![A-Za-z])",
    re.I,
)
# "Daxing is not an option", "E-Town is out", "chemical parks are a no-go".
_NEG_POST_EN_RE = re.compile(
    r"(?<![A-Za-z])(?P<what>[A-Za-z][A-Za-z\s\-&']{1,30}?)\s+(?:is|are)\s+(?:not\s+an?\s+option|"
    r"out(?:\s+of\s+the\s+question)?|excluded|a\s+no[\s\-]go|not\s+acceptable|unacceptable|"
    r"not\s+(?:ok|okay|suitable|possible|considered))(?![A-Za-z])",
    re.I,
)
_NEG_NOT_LIMIT = re.compile(
    r"^(?:more|less|over|under|exceeding|above|below|later|earlier)\b", re.I
)
_FILLER_EN = re.compile(
    r"\b(?:hello|hi|dear|thanks|thank\s+you|please|we|we're|are|our|us|i|i'm|am|is|be|a|an|"
    r"the|looking|look|for|need|needs|want|would|like|to|in|at|of|with|and|or|on|company|"
    r"firm|space|something|some|any|it|that|this|can|could|should|will|get|find|have|has|"
    r"also|just|very|good|nice|ok|okay|beijing|china|call|contact|me|asap)\b",
    re.I,
)
_CLAUSE = re.compile(r"[^,，。;；!！?？\n.]+")


def _value(num: str, mult: str | None) -> float:
    v = float(num.replace(",", ""))
    m = (mult or "").lower()
    if m in ("k", "thousand"):
        v *= 1e3
    elif m in ("m", "mn", "million"):
        v *= 1e6
    elif m in ("bn", "billion"):
        v *= 1e9
    return v


def _area_factor(unit: str) -> float:
    u = re.sub(r"[\s.]", "", unit.lower())
    if u.startswith(("sqft", "squarefe", "squarefo", "sf")):
        return SQFT_M2
    if u.startswith("acre"):
        return ACRE_M2
    if u.startswith(("hectare", "ha")):
        return 10_000.0
    if u == "mu":
        return MU_M2
    return 1.0


def _qual(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    if g.get("min") or g.get("post_min"):
        return "min"
    if g.get("max") or g.get("post_max"):
        return "max"
    if g.get("approx"):
        return "approx"
    return None


def _cny(cur: str, cfg: MatchConfig) -> float:
    c = (cur or "").lower()
    if c in ("usd", "us$", "$", "dollars"):
        return cfg.usd_cny
    if c in ("eur", "€", "euro", "euros"):
        return cfg.eur_cny
    return 1.0


def read_english_negations(text: str, acc: Reading, known: dict[str, str]) -> str:
    """ "no basement", "not in Tongzhou", "excluding Daxing", "avoid the basement", "Daxing is
    not an option", "no chemical industry": excluded places, areas, industries and kinds, `no_basement`; limits ("no more than 3 RMB") are left to the numbers."""
    from parklink.matching.grammar.wishes import excluded_industries
    from parklink.zh.places import find_places

    out = text
    for m in _NEG_AFTER_EN_RE.finditer(text):
        what = m.group("what").lower()
        attr = (
            "gmp"
            if what == "gmp"
            else "no_basement"
            if what.startswith("basement")
            else "dual"
            if what.startswith("dual")
            else "cleanroom"
            if what.startswith("clean")
            else "env"
        )
        if attr == "no_basement":
            pass  # a basement being acceptable is no requirement at all
        else:
            setattr(acc, attr, False)
        acc.spans.append((m.start(), m.end()))
        out = out[: m.start()] + "□" * (m.end() - m.start()) + out[m.end() :]
    matches = [*_NEG_EN_RE.finditer(out), *_NEG_POST_EN_RE.finditer(out)]
    for m in matches:
        what = m.group("what")
        if _NEG_NOT_LIMIT.match(what):
            continue
        hit = False
        if re.search(r"\bbasements?\b|\bunderground\b", what, re.I):
            acc.no_basement = True
            hit = True
        if re.search(r"\btop\s+(?:floors?|storey)\b|\bpenthouse\b", what, re.I):
            acc.no_top_floor = True
            hit = True
        if re.search(r"\bgmp\b", what, re.I):
            acc.gmp = False
            hit = True
        for place in find_places(what):
            for p in place.places:
                if p.kind == "area":  # "not in E-Town": its parks, not all of Daxing
                    add(acc.excluded_areas, p.name)
                    hit = True
                    continue
                for d in p.districts if p.kind != "landmark" else ():
                    add(acc.excluded_districts, d)
                    hit = True
        for industry in excluded_industries(what):
            add(acc.excluded_industries, industry)
            hit = True
        for k in _KIND_EN_RE.finditer(what):
            add(acc.excluded_kinds, _KIND_BY_GROUP[k.lastgroup or ""])
            hit = True
        for name, park in known.items():
            if name.isascii() and re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", what, re.I):
                add(acc.excluded_parks, park)
                hit = True
        if hit:
            acc.spans.append((m.start(), m.end()))
            out = out[: m.start()] + "□" * (m.end() - m.start()) + out[m.end() :]
    return out


def read_english(text: str, acc: Reading, cfg: MatchConfig) -> None:
    """Kinds, deals, technical needs and quantities said in English."""
    if not re.search(r"[A-Za-z]{2,}", text):
        return
    for m in _KIND_EN_RE.finditer(text):
        kind = _KIND_BY_GROUP[m.lastgroup or ""]
        if kind in acc.excluded_kinds:
            continue
        how = acc.strength(m.start(), m.end())
        if (SOFT in how or NEAR in how) and HARD not in how:
            add(acc.preferred_kinds, kind)
        else:
            add(acc.kinds, kind)
        acc.spans.append((m.start(), m.end()))
    for m in _DEAL_EN_RE.finditer(text):
        acc.deals_seen.add("出售" if m.group("sale") else "出租")
        acc.spans.append((m.start(), m.end()))
    for attr, regex in _SPECS_EN.items():
        m = regex.search(text)
        if m is None:
            continue
        name = {"env": "env", "dual": "dual", "clean": "cleanroom"}[attr]
        if getattr(acc, name) is None:
            setattr(acc, name, True)
        criterion = {"env": "env_assessment", "dual": "dual_power", "clean": "cleanroom"}[attr]
        acc.mark(criterion, m.start(), m.end())
        acc.spans.append((m.start(), m.end()))
    _read_areas(text, acc)
    _read_money(text, acc, cfg)
    _read_specs(text, acc)


def _read_areas(text: str, acc: Reading) -> None:
    for m in _AREA_RE.finditer(text):
        factor = _area_factor(m.group("unit"))
        a = _value(m.group("a"), m.group("ma")) * factor
        b = _value(m.group("b"), m.group("mb") or m.group("ma")) * factor if m.group("b") else None
        acc.spans.append((m.start(), m.end()))
        if acc.area is not None:
            continue
        qual = "range" if b is not None and b >= a else _qual(m)
        said = acc.said(m.start(), m.end()).strip()
        acc.area = Quantity(
            value=round(a, 6),
            unit="m2",
            start=m.start(),
            end=m.end(),
            text=said,
            qualifier=qual,
            high=round(b, 6) if qual == "range" and b is not None else None,
            dimension="area",
        )
        acc.stated["area"] = said
        acc.mark("area", m.start(), m.end())


def _read_money(text: str, acc: Reading, cfg: MatchConfig) -> None:
    for m in _MONEY_RE.finditer(text):
        num = m.group("a1") or m.group("a2")
        mult = m.group("m1") or m.group("m2")
        value = _value(num, mult) * _cny(m.group("cur") or m.group("cur2") or "", cfg)
        hi = m.group("b1") or m.group("b2")
        if hi and _qual(m) is None:
            value = _value(hi, m.group("n1") or mult) * _cny(
                m.group("cur") or m.group("cur2") or "", cfg
            )
        before = text[max(0, m.start() - 40) : m.start()]
        said = acc.said(m.start(), m.end()).strip()
        per_unit = (m.group("per_unit") or "").lower().replace(" ", "")
        per_time = (m.group("per_time") or "").lower()
        if not per_time:  # "monthly rent under 150k RMB", "annual rent of RMB 2m"
            lead = before[-30:]
            if _MONTHLY.search(lead):
                per_time = "month"
            elif _YEARLY.search(lead) and _RENT_WORD.search(lead):
                per_time = "year"
        if _IGNORE_MONEY.search(before):
            acc.spans.append((m.start(), m.end()))
            continue
        if _qual(m) == "min" and not _TAX_RE.search(before):
            continue  # "at least RMB 3 per sqm" is not a cap
        if per_unit:
            factor = _area_factor(per_unit)
            per_m2 = value / factor
            if per_time or _RENT_WORD.search(before + " " + said):
                days = {"month": DAYS_PER_MONTH, "mo": DAYS_PER_MONTH}.get(per_time, 1.0)
                if per_time in ("year", "annum", "yr"):
                    days = 365.0
                acc.rent = per_m2 / days
                acc.deals_seen.add("出租")
            else:
                acc.price = per_m2
                acc.deals_seen.add("出售")
            acc.stated["budget"] = said
            acc.mark("budget", m.start(), m.end())
        elif _TAX_RE.search(before[-25:]):
            acc.tax_wan = value / 1e4
            acc.stated["annual_tax"] = said
        elif per_time in ("year", "annum", "yr") and _RENT_WORD.search(before + said):
            acc.year_rent_wan = value / 1e4
            acc.deals_seen.add("出租")
            acc.stated["budget"] = said
        elif per_time in ("month", "mo") and value > 300:
            acc.year_rent_wan = value * 12 / 1e4
            acc.deals_seen.add("出租")
            acc.stated["budget"] = said
        elif value <= 50 and (_RENT_WORD.search(before) or "出租" in acc.deals_seen):
            acc.rent = value
            acc.stated["budget"] = said
            acc.mark("budget", m.start(), m.end())
        elif value >= 1e5 or _TOTAL_RE.search(before):
            acc.total_wan = value / 1e4
            acc.stated["budget"] = said
            acc.mark("budget", m.start(), m.end())
        else:
            continue
        acc.spans.append((m.start(), m.end()))


def _read_specs(text: str, acc: Reading) -> None:
    m = _HEIGHT_RE.search(text)
    if m and acc.height is None and not (m.group("max")):
        acc.height = float((m.group("a") or m.group("b")).replace(",", ""))
        acc.stated["ceiling_height"] = acc.said(m.start(), m.end()).strip()
        acc.mark("ceiling_height_m", m.start(), m.end())
        acc.spans.append((m.start(), m.end()))
    m = _LOAD_RE.search(text)
    if m and acc.load is None:
        v = float(m.group("a").replace(",", ""))
        acc.load = v * (1000.0 if m.group("u").lower().startswith("t") else 1.0)
        acc.stated["floor_load"] = acc.said(m.start(), m.end()).strip()
        acc.mark("floor_load_kg_m2", m.start(), m.end())
        acc.spans.append((m.start(), m.end()))
    m = _POWER_RE.search(text)
    if m and acc.power is None:
        v = float(m.group("a").replace(",", ""))
        acc.power = v * (1000.0 if m.group("u").lower().startswith("m") else 1.0)
        acc.stated["power"] = acc.said(m.start(), m.end()).strip()
        acc.mark("power_kva", m.start(), m.end())
        acc.spans.append((m.start(), m.end()))


def is_filler_en(clause: str) -> bool:
    """True when an English clause holds nothing but greetings and function words."""
    rest = _FILLER_EN.sub(" ", clause)
    return not re.search(r"[A-Za-z]{3,}", rest)


__all__ = ["is_filler_en", "read_english", "read_english_negations"]
