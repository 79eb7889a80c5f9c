"""From a lead's fields and/or one Chinese sentence to a `Requirement`.

Pure (no Django): park aliases and industry profiles are passed in. Entry points::

    parse_text(text, *, aliases=None, profiles=None, config=DEFAULT_CONFIG) -> Requirement
    parse_lead(data, *, aliases=None, profiles=None, config=DEFAULT_CONFIG) -> Requirement
    validate(req, config) -> None            # raises RequirementError naming the field
    missing(req) -> list[str]                # what a usable requirement still lacks

The phrasing classes live in `matching.grammar` (numbers, places, specs, industries); the
model in `matching.requirement`. The parser keeps what was said next to what it derives,
marks every value filled from an industry profile in `defaults`, and lists the clauses it
could not understand in `unparsed`.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from parklink.core.hygiene import clean_text
from parklink.matching.config import DEFAULT_CONFIG, MatchConfig
from parklink.matching.grammar.dates import read_dates
from parklink.matching.grammar.english import is_filler_en, read_english, read_english_negations
from parklink.matching.grammar.industries import (
    USE_RE,
    USE_WORDS,
    read_industry,
    with_profile_defaults,
)
from parklink.matching.grammar.markers import find_scopes
from parklink.matching.grammar.numbers import area_range, read_quantities
from parklink.matching.grammar.places import (
    EMPTY_ALIASES,
    AliasTable,
    aliases_table,
    read_places,
)
from parklink.matching.grammar.reading import Reading, add, mask
from parklink.matching.grammar.specs import (
    BASEMENT_RE,
    CLEAN_RE,
    DUAL_RE,
    ENV_RE,
    GMP_RE,
    KIND_RE,
    KIND_WORDS,
    TOP_FLOOR_RE,
    read_specs,
)
from parklink.matching.grammar.wishes import (
    AWAY_RE,
    PRICEY_RE,
    REMOTE_RE,
    excluded_industries,
    read_wishes,
)
from parklink.matching.profiles import ProfileTable, default_profiles
from parklink.matching.requirement import (
    DAYS_PER_MONTH,
    DEALS,
    KINDS,
    Requirement,
    RequirementError,
    missing,
    override,
    validate,
)
from parklink.zh.approx import rewrite
from parklink.zh.normalise import fold_typos, for_matching
from parklink.zh.places import find_places, normalise_district

BEIJING = ZoneInfo("Asia/Shanghai")

__all__ = [
    "DEALS",
    "EMPTY_ALIASES",
    "KINDS",
    "AliasTable",
    "Requirement",
    "RequirementError",
    "missing",
    "override",
    "parse_lead",
    "parse_text",
    "validate",
    "with_profile_defaults",
]

_NEG_RE = re.compile(
    r"(?:不要|不需要|不用|无需|不考虑|不接受|不想要|不能是|不能在|拒绝|排除|别给|别要|别在|不去)"
    r"\s*(?P<what>[^,，。;；!！?？\n\s]{1,16})"
)
# Said after the thing: "通州不考虑", "地下室不要", "通州的就算了" (at the clause end).
_NEG_AFTER_RE = re.compile(
    r"(?P<what>[^,，。;；!！?？\n□\s]{1,12}?)(?:的话)?(?:的)?(?:就)?"
    r"(?:不考虑|不需要|不要了|不要|不用|无需|不必|除外|不行|不去|不合适|排除|算了|免谈|不在考虑范围)"
    r"(?=[\s,，。;；!！?？\n]|$)"
)
# "除了通州都行", "除通州外均可": everything but.
_EXCEPT_RE = re.compile(
    r"除了?(?P<what>[^,，。;；!！?？\n]{1,12}?)(?:以外|之外|外)?(?:都|均|其他|其它|别的)"
    r"|(?P<what2>[^,，。;；!！?？\n□]{1,12}?)(?:以外|之外)(?:的)?(?:都|均|其他|其它|别的|区域|地方)"
)
_NOT_BASEMENT_RE = re.compile(r"非地下室?|地上楼层|地上")
_NUMBERISH = re.compile(
    r"\d|[一二两三四五六七八九十百千万]+(?:平|亩|元|块|米|吨|公斤)|超过|低于|高于"
)
_CLAUSE_RE = re.compile(r"[^,，。;；!！?？\n]+")
_FILLER_RE = re.compile(
    r"你好|您好|谢谢|麻烦|请|尽快|联系我?|急需?|了解一下|看看|帮忙|推荐|一下|我们|我|公司|需要|想|的|了|吧|呢|啊|哈|嗯|和|及|还有|以及|另外|其他|等|有|是|要|在|找|个|能|可以|最好|希望|\s|[、:：·\-—()（）\"“”'‘’□]"
)
_PHONE_RE = re.compile(r"\d{7,}")
_LAND_UNITS = re.compile(r"亩|公顷|acre|hectare|\bmu\b|\bha\b", re.I)


def _negated(what: str, acc: Reading, aliases: AliasTable) -> bool:
    """Record what a negation names; False when it names nothing known."""
    known = False
    # an area named by a park's alias too ("不考虑经开区": the park and the rest of 亦庄)
    for hit in find_places(what):
        for p in hit.places:
            if p.kind == "area":
                add(acc.excluded_areas, p.name)
                known = True
    if aliases.pattern is not None:
        for m in aliases.pattern.finditer(what):
            park = aliases.canonical(m.group(0))
            if park:
                add(acc.excluded_parks, park)
                known = True
        what = aliases.pattern.sub(lambda m: "□" * len(m.group(0)), what)
    for hit in find_places(what):
        for p in hit.places:
            if p.kind == "landmark":
                continue
            if p.kind == "area":
                # "不考虑亦庄": the parks in 亦庄 are left out, not all of 大兴区
                add(acc.excluded_areas, p.name)
                known = True
                continue
            for d in p.districts:
                add(acc.excluded_districts, d)
                known = True
    if REMOTE_RE.fullmatch(what.strip(" 的了")):
        add(acc.access, "transport")  # "不要太偏": a wish for good access, not an exclusion
        known = True
    if PRICEY_RE.fullmatch(what.strip(" 的了")):
        acc.cheaper = True  # "不要太贵": a wish for a cheaper listing, not an exclusion
        known = True
    for industry in excluded_industries(what):
        add(acc.excluded_industries, industry)
        known = True
    for k in KIND_RE.finditer(what):
        add(acc.excluded_kinds, KIND_WORDS[k.group(0)])
        known = True
    if BASEMENT_RE.search(what):
        acc.no_basement = True
        known = True
    if TOP_FLOOR_RE.search(what):
        acc.no_top_floor = True
        known = True
    for regex, attr in (
        (GMP_RE, "gmp"),
        (ENV_RE, "env"),
        (DUAL_RE, "dual"),
        (CLEAN_RE, "cleanroom"),
    ):
        if regex.search(what):
            setattr(acc, attr, False)
            known = True
    return known


def _read_negations(text: str, acc: Reading, aliases: AliasTable) -> str:
    """Negated wishes ("不要地下室", "不考虑通州", "通州不考虑", "除了通州都行") recorded and
    masked out of the text; a negated limit ("不要超过3块") is left to the numbers."""
    out = text
    found: list[tuple[int, int, str]] = []
    for regex in (AWAY_RE, _EXCEPT_RE, _NEG_RE, _NEG_AFTER_RE):
        for m in regex.finditer(out):
            what = m.group("what") or m.groupdict().get("what2") or ""
            if _NUMBERISH.search(what):
                continue
            if regex in (_NEG_AFTER_RE, AWAY_RE) and not _negated(what, Reading(), aliases):
                continue  # "…就不要了" after something unknown: not worth a guess
            found.append((m.start(), m.end(), what))
            out = mask(out, m.start(), m.end())
    for start, end, what in found:
        acc.spans.append((start, end))
        if not _negated(what, acc, aliases):
            add(acc.excludes, what.strip(" 的了"))
        if acc.no_basement:
            acc.mark("basement", start, end)
    for m in _NOT_BASEMENT_RE.finditer(out):
        acc.no_basement = True
        acc.spans.append((m.start(), m.end()))
        acc.mark("basement", m.start(), m.end())
    return out


def _read_words(text: str, acc: Reading, aliases: AliasTable, profiles: ProfileTable) -> str:
    text = read_places(text, acc, aliases)
    read_specs(text, acc)
    read_industry(text, acc, profiles)
    return text


def _unparsed(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """Clauses of the text that no recogniser touched (fillers like 您好/谢谢 ignored)."""
    spans.sort()
    starts = [s for s, _ in spans]
    out: list[str] = []
    for m in _CLAUSE_RE.finditer(text):
        s, e = m.start(), m.end()
        i = bisect.bisect_left(starts, e)
        # any span starting before the clause end and ending after its start?
        touched = False
        j = i - 1
        while j >= 0:
            if spans[j][1] > s:
                touched = True
                break
            if spans[j][0] < s - 64:  # spans are short: nothing further back can reach
                break
            j -= 1
        if touched:
            continue
        clause = m.group().strip()
        if len(_FILLER_RE.sub("", clause)) < 2:
            continue
        if clause.isascii() and is_filler_en(clause):
            continue
        out.append(_PHONE_RE.sub("***", clause)[:60])
        if len(out) >= 20:
            break
    return out


def _today() -> date:
    return datetime.now(tz=BEIJING).date()


def parse_text(
    text: str,
    *,
    aliases: AliasTable | Mapping[str, str] | None = None,
    profiles: ProfileTable | None = None,
    config: MatchConfig = DEFAULT_CONFIG,
    apply_defaults: bool = True,
    today: date | None = None,
) -> Requirement:
    """The requirement said in one text, Chinese or English (a phone note, a form's 需求
    field, an e-mail). `today` dates relative words (下个月, next month); Beijing's date by
    default."""
    table = aliases_table(aliases)
    profiles = profiles or default_profiles()
    # NUL and lone surrogates carry no meaning and break the converters below (OpenCC).
    text = clean_text(text or "")
    # same length as the text (width folded, traditional → simplified, typos folded), then approximate
    # numbers spelled as digit ranges with the offsets kept
    work, offsets, _approx = rewrite(fold_typos(for_matching(text)))
    acc = Reading(offsets=offsets, original=text)
    acc.scopes = find_scopes(work)
    work = _read_negations(work, acc, table)
    work = read_english_negations(work, acc, {})
    work = _read_words(work, acc, table, profiles)
    read_wishes(work, acc)
    read_dates(work, acc, today or _today())
    read_english(work, acc, config)
    read_quantities(work, acc)
    spans = [
        (offsets[min(s, len(offsets) - 1)], offsets[min(e, len(offsets) - 1)]) for s, e in acc.spans
    ]
    req = _bounded(_freeze(acc, config, unparsed=tuple(_unparsed(text, spans))))
    return with_profile_defaults(req, profiles) if apply_defaults else req


# Upper bounds past which a number read from text is no requirement but a typo or an attack
# ("1e27平"): such a value is dropped, as if it had not been said.
_BOUNDS: dict[str, float] = {
    "area_target_m2": 1e9,  # 1,000 km²
    "area_min_m2": 1e9,
    "area_max_m2": 1e9,
    "rent_max_yuan_m2_day": 1e6,
    "price_max_yuan_m2": 1e9,
    "total_max_wan": 1e12,
    "annual_tax_wan": 1e12,
    "ceiling_height_m": 1e4,
    "floor_load_kg_m2": 1e9,
    "power_kva": 1e9,
    "lease_years": 1e3,
}
_AREA = ("area_target_m2", "area_min_m2", "area_max_m2")


def _bounded(req: Requirement) -> Requirement:
    changes: dict[str, Any] = {}
    for name, bound in _BOUNDS.items():
        value = getattr(req, name, None)
        if value is not None and not (math.isfinite(value) and 0 <= value <= bound):
            changes[name] = None
    if any(name in changes for name in _AREA):
        changes.update(dict.fromkeys(_AREA))  # the area range goes as a whole
    return replace(req, **changes) if changes else req


def _freeze(acc: Reading, cfg: MatchConfig, *, unparsed: tuple[str, ...] = ()) -> Requirement:
    deal = next(iter(acc.deals_seen)) if len(acc.deals_seen) == 1 else None
    if deal is None and not acc.deals_seen:
        if acc.rent is not None or acc.year_rent_wan is not None:
            deal = "出租"
        elif acc.price is not None or acc.total_wan is not None:
            deal = "出售"
    target = lo = hi = None
    if acc.area is not None:
        target, lo, hi = area_range(acc.area.value, acc.area.qualifier, acc.area.high, cfg)
    rent = acc.rent
    if rent is None and acc.year_rent_wan is not None and target:
        rent = acc.year_rent_wan * 1e4 / target / 365
    kinds = [k for k in acc.kinds if k not in acc.excluded_kinds]
    if not kinds and not acc.preferred_kinds and _LAND_UNITS.search(acc.stated.get("area", "")):
        kinds = ["土地"]  # "50亩", "20 acres": only land is sold by the 亩 or the acre
    soft, hard = set(acc.soft), set(acc.hard)
    if acc.gmp is not True:
        soft.discard("gmp")
    return Requirement(
        kinds=tuple(kinds),
        deal=deal,
        area_target_m2=target,
        area_min_m2=lo,
        area_max_m2=hi,
        rent_max_yuan_m2_day=rent,
        price_max_yuan_m2=acc.price,
        total_max_wan=acc.total_wan,
        districts=tuple(d for d in acc.districts if d not in acc.excluded_districts),
        excluded_districts=tuple(acc.excluded_districts),
        parks=tuple(p for p in acc.parks if p not in acc.excluded_parks),
        industry=acc.industry,
        profile=acc.profile.name if acc.profile else None,
        park_industries=acc.profile.park_industries if acc.profile else (),
        use=acc.use or (acc.profile.use if acc.profile else None),
        annual_tax_wan=acc.tax_wan,
        gmp=acc.gmp,
        cleanroom=acc.cleanroom,
        env_assessment=acc.env,
        dual_power=acc.dual,
        ceiling_height_m=acc.height,
        floor_load_kg_m2=acc.load,
        power_kva=acc.power,
        no_basement=acc.no_basement,
        no_top_floor=acc.no_top_floor,
        preferred_districts=tuple(
            d for d in acc.preferred_districts if d not in acc.excluded_districts
        ),
        preferred_parks=tuple(p for p in acc.preferred_parks if p not in acc.excluded_parks),
        preferred_kinds=tuple(
            k for k in acc.preferred_kinds if k not in acc.kinds and k not in acc.excluded_kinds
        ),
        near=tuple(acc.near),
        excluded_kinds=tuple(acc.excluded_kinds),
        excluded_parks=tuple(acc.excluded_parks),
        excluded_areas=tuple(acc.excluded_areas),
        excluded_industries=tuple(acc.excluded_industries),
        biosafety_level=acc.biosafety,
        cheaper=acc.cheaper,
        access=tuple(acc.access),
        cleanroom_iso=acc.clean_iso if acc.cleanroom else None,
        move_in_by=acc.move_in.isoformat() if acc.move_in else None,
        lease_years=acc.lease_years,
        soft=tuple(sorted(soft - hard)),
        hard=tuple(sorted(hard)),
        stated=tuple(acc.stated.items()),
        unparsed=unparsed,
        excludes=tuple(acc.excludes),
    )


# --- Structured fields (the exchange format's lead) --------------------------------------------


def _num(data: Mapping[str, Any], key: str) -> float | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RequirementError(key, "应为数字", "must be a number")
    try:
        out = float(str(value).replace(",", ""))
    except ValueError:
        raise RequirementError(key, "应为数字", "must be a number") from None
    if not math.isfinite(out):
        raise RequirementError(key, "应为有限数字", "must be a finite number")
    return out


def _strs(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [p for p in re.split(r"[,，、/;；\s]+|或者|或", value) if p]
    if isinstance(value, Iterable):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def _bool(data: Mapping[str, Any], key: str) -> bool | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "y", "是", "需要", "要", "有"}:
        return True
    if text in {"0", "false", "no", "n", "否", "不需要", "不要", "无"}:
        return False
    raise RequirementError(key, "应为 是/否", "must be yes/no")


def parse_lead(
    data: Mapping[str, Any],
    *,
    aliases: AliasTable | Mapping[str, str] | None = None,
    profiles: ProfileTable | None = None,
    config: MatchConfig = DEFAULT_CONFIG,
    today: date | None = None,
) -> Requirement:
    """A lead in the exchange format (structured fields and/or `need` free text) → its
    requirement. Structured fields win over what the text says. Validated: raises
    RequirementError naming the field for contradictory or absurd values."""
    table = aliases_table(aliases)
    profiles = profiles or default_profiles()
    req = parse_text(
        str(data.get("need") or ""),
        aliases=table,
        profiles=profiles,
        config=config,
        apply_defaults=False,
        today=today,
    )
    changes: dict[str, Any] = {}
    stated = dict(req.stated)
    unparsed = list(req.unparsed)

    kinds = _strs(data.get("kind"))
    if kinds:
        bad = [k for k in kinds if k not in KINDS]
        if bad:
            raise RequirementError(
                "kind", f"未知类型 {bad[0]}(可选:{'、'.join(KINDS)})", f"unknown kind {bad[0]}"
            )
        changes["kinds"] = tuple(dict.fromkeys(kinds))
    deal = str(data.get("deal") or "").strip()
    if deal:
        deal = {"租": "出租", "租赁": "出租", "售": "出售", "购买": "出售", "买": "出售"}.get(
            deal, deal
        )
        if deal not in DEALS:
            raise RequirementError("deal", "租售应为 出租 或 出售", "deal must be 出租 or 出售")
        changes["deal"] = deal

    amin, amax = _num(data, "area_min_m2"), _num(data, "area_max_m2")
    for key, v in (("area_min_m2", amin), ("area_max_m2", amax)):
        if v is not None and v <= 0:
            raise RequirementError(key, "面积必须大于0", "area must be positive")
        if v is not None and v > config.max_area_m2:
            raise RequirementError(
                key, f"面积 {v:g} 超出合理范围", f"area {v:g} is absurd (> 100 km²)"
            )
    if amin is not None and amax is not None and amin > amax:
        raise RequirementError(
            "area_min_m2",
            f"最小面积 {amin:g} 大于最大面积 {amax:g}",
            f"area_min_m2 {amin:g} is greater than area_max_m2 {amax:g}",
        )
    if amin is not None or amax is not None:
        if amin is not None and amax is not None:
            target, lo, hi = (amin + amax) / 2, amin, amax
        elif amin is not None:
            target, lo, hi = area_range(amin, "min", None, config)
        else:
            assert amax is not None
            target, lo, hi = area_range(amax, "max", None, config)
        changes.update(area_target_m2=target, area_min_m2=lo, area_max_m2=hi)
        stated["area"] = f"{amin or ''}–{amax or ''}㎡".replace("None", "")

    budget = _num(data, "budget")
    if budget is not None:
        unit = str(data.get("budget_unit") or "").strip()
        _apply_budget(budget, unit, changes, req, config)
        stated["budget"] = f"{budget:g} {unit}".strip()

    districts, parks = [], []
    for name in _strs(data.get("districts")):
        full = normalise_district(name)
        park = table.canonical(name)
        if full:
            districts.append(full)
        elif park:
            parks.append(park)
        else:
            districts.append(name)  # another city's district: kept as given
    if districts:
        changes["districts"] = tuple(dict.fromkeys(districts))
    for name in _strs(data.get("parks")):
        park = table.canonical(name)
        if park is None:
            unparsed.append(f"未知园区 {name}")
        parks.append(park or name)
    if parks:
        changes["parks"] = tuple(dict.fromkeys(parks))

    industry = str(data.get("industry") or "").strip()
    use = str(data.get("use") or "").strip()
    if use:
        m = USE_RE.search(use)
        changes["use"] = USE_WORDS[m.group(0)] if m else use
    if industry:
        profile, _word = profiles.find(industry, changes.get("use") or req.use)
        changes["industry"] = industry
        if profile is not None:
            changes["profile"] = profile.name
            changes["park_industries"] = profile.park_industries
        else:
            changes["profile"] = None
            changes["park_industries"] = (industry,)
    elif use and req.industry:
        profile, _word = profiles.find(req.industry, changes["use"])
        if profile is not None:
            changes["profile"] = profile.name
            changes["park_industries"] = profile.park_industries

    tax = _num(data, "annual_tax_wan")
    if tax is not None:
        changes["annual_tax_wan"] = tax
        stated["annual_tax"] = f"{tax:g}万元/年"

    requires = data.get("requires") or {}
    if not isinstance(requires, Mapping):
        raise RequirementError("requires", "应为对象", "must be an object")
    for key in ("gmp", "cleanroom", "env_assessment", "dual_power"):
        b = _bool(requires, key)
        if b is not None:
            changes[key] = b
    for key in ("ceiling_height_m", "floor_load_kg_m2", "power_kva"):
        v = _num(requires, key)
        if v is not None:
            changes[key] = v
    changes = _new_only(req, changes, stated)
    criteria = {_CRITERION.get(k, k) for k in changes}
    changes["soft"] = tuple(c for c in req.soft if c not in criteria)
    changes["hard"] = tuple(c for c in req.hard if c not in criteria)
    req = replace(req, stated=tuple(stated.items()), unparsed=tuple(unparsed), **changes)
    req = with_profile_defaults(req, profiles)
    validate(req, config)
    return req


_CRITERION = {
    "area_target_m2": "area",
    "area_min_m2": "area",
    "area_max_m2": "area",
    "rent_max_yuan_m2_day": "budget",
    "price_max_yuan_m2": "budget",
    "total_max_wan": "budget",
}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return abs(float(a) - float(b)) <= 0.01 + 1e-9 * abs(float(b))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return set(a) == set(b)
    return a == b


def _new_only(req: Requirement, changes: dict[str, Any], stated: dict[str, str]) -> dict[str, Any]:
    """Drop the structured values that only repeat what the need text says (leads store the
    text's reading in their fields): the text's richer reading (its stated target, its wishes
    and musts) stays, so a lead ranks the same as its sentence."""
    out = dict(changes)
    text_stated = dict(req.stated)
    area = ("area_target_m2", "area_min_m2", "area_max_m2")
    if (
        "area_min_m2" in out
        and req.area_min_m2 is not None
        and req.area_max_m2 is not None
        and _same(out["area_min_m2"], req.area_min_m2)
        and _same(out["area_max_m2"], req.area_max_m2)
    ):
        for key in area:
            out.pop(key, None)
        if "area" in text_stated:
            stated["area"] = text_stated["area"]
    kinds = out.get("kinds")
    if kinds and req.kinds and set(kinds) <= set(req.kinds):
        out.pop("kinds")
    if out.get("industry") and out["industry"] == req.industry:
        for key in ("industry", "profile", "park_industries"):
            out.pop(key, None)
    for key in list(out):
        if key in area or key in ("kinds", "industry", "profile", "park_industries"):
            continue
        if _same(out[key], getattr(req, key)):
            out.pop(key)
    if "annual_tax_wan" not in out and "annual_tax" in text_stated:
        stated["annual_tax"] = text_stated["annual_tax"]
    return out


def _apply_budget(
    budget: float, unit: str, changes: dict[str, Any], req: Requirement, cfg: MatchConfig
) -> None:
    if budget <= 0:
        raise RequirementError("budget", "预算必须大于0", "budget must be positive")
    unit = unit.replace("㎡", "平方米").replace("m2", "平方米").replace("平米", "平方米")
    if unit in ("元/平方米/天", "元/平方米·天"):
        changes["rent_max_yuan_m2_day"] = budget
        changes.setdefault("deal", "出租")
    elif unit == "元/平方米/月":
        changes["rent_max_yuan_m2_day"] = budget / DAYS_PER_MONTH
        changes.setdefault("deal", "出租")
    elif unit == "元/平方米":
        changes["price_max_yuan_m2"] = budget
        changes.setdefault("deal", "出售")
    elif unit in ("万元", "万元(总价)", "万"):
        changes["total_max_wan"] = budget
        changes.setdefault("deal", "出售")
    elif unit == "万元/年":
        target = changes.get("area_target_m2") or req.area_target_m2
        if not target:
            raise RequirementError(
                "budget_unit",
                "按 万元/年 给出租金预算时需要面积",
                "a yearly rent budget needs an area",
            )
        changes["rent_max_yuan_m2_day"] = budget * 1e4 / target / 365
        changes.setdefault("deal", "出租")
    else:
        raise RequirementError(
            "budget_unit",
            "预算单位应为 元/平方米/天、元/平方米/月、元/平方米、万元 或 万元/年",
            "budget_unit must be 元/平方米/天, 元/平方米/月, 元/平方米, 万元 or 万元/年",
        )
