"""The one ranking: spaces (and parks) for a requirement, with scores and reasons.

`rank()` is what every interface ends in (through `matching.selectors.match_requirement`):
the lead panel, the match page, the API and `parklink match`. Reverse matching
(`rank_requirements`) and park ranking (`rank_parks`) use the same scores.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import numpy as np
from django.utils import translation

from parklink.matching.columns import DEALS, KINDS, RENT, SpaceIndex
from parklink.matching.config import DEFAULT_CONFIG, MatchConfig
from parklink.matching.filters import candidate_mask, candidates, park_filter
from parklink.matching.reasons import (
    Reason,
    _district_reason,
    _industry_reason,
    _n,
    _tax_reason,
    explain,
)
from parklink.matching.requirement import Requirement
from parklink.matching.scores import (
    area_bounds,
    industry_fit,
    lead_tax_per_m2,
    location_fit,
    move_in_day,
    score_rows,
    tax_fit,
)
from parklink.matching.shortlist import best_rows

# Criteria whose ✗ means a space does not fit (a missed preference or a park-level industry
# or tax mismatch still lets it fit).
FIT_CRITERIA = frozenset(
    {
        "area",
        "budget",
        "ceiling_height_m",
        "floor_load_kg_m2",
        "power_kva",
        "dual_power",
        "cleanroom",
        "env_assessment",
        "move_in",
        "basement",
        "top_floor",
    }
)


@dataclass(frozen=True)
class SpaceMatch:
    space_id: int
    ref: str
    park_id: int
    park: str
    score: float
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "ref": self.ref,
            "park": self.park,
            "score": self.score,
            "reasons": [r.to_dict() for r in self.reasons],
        }

    @property
    def fits(self) -> bool:
        """No ✗ on a criterion of the space itself (area, budget, specs, move-in)."""
        return not any(r.ok is False and r.criterion in FIT_CRITERIA for r in self.reasons)


@dataclass(frozen=True)
class Relaxation:
    """One way to get results when nothing fits: what to relax and what that would give."""

    criterion: str
    text: str  # Chinese: "区域扩大到 昌平区(3 套)"
    text_en: str
    count: int  # spaces that this change alone would add (or make fit)
    best: SpaceMatch | None = None
    change: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "criterion": self.criterion,
            "text": self.text,
            "text_en": self.text_en,
            "count": self.count,
            "change": self.change,
            "best": None
            if self.best is None
            else {"ref": self.best.ref, "park": self.best.park, "score": self.best.score},
        }


@dataclass(frozen=True)
class ParkMatch:
    park_id: int
    park: str
    district: str
    score: float
    spaces: int
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "ref": None,
            "park": self.park,
            "district": self.district,
            "score": self.score,
            "spaces": self.spaces,
            "reasons": [r.to_dict() for r in self.reasons],
        }


def rank(
    index: SpaceIndex,
    req: Requirement,
    *,
    config: MatchConfig = DEFAULT_CONFIG,
    top: int = 10,
    exclude_ids: Iterable[int] = (),
    public_only: bool = False,
    min_score: float = 0.0,
) -> list[SpaceMatch]:
    """The best `top` spaces for the requirement, each with score and reasons."""
    picked, picked_scores = best_rows(
        index, req, config=config, top=top, exclude_ids=exclude_ids, public_only=public_only
    )
    if len(picked) == 0:
        return []
    _, comps = score_rows(index, req, picked, config)
    out = []
    for i, r in enumerate(picked):
        s = round(float(picked_scores[i]), 1)
        if s < min_score:
            continue
        fits = {k: float(v[i]) for k, v in comps.items()}
        out.append(
            SpaceMatch(
                space_id=int(index.id[r]),
                ref=index.ref(int(r)),
                park_id=index.parks.ids[index.park[r]],
                park=index.parks.names[index.park[r]],
                score=s,
                reasons=tuple(
                    explain(
                        index,
                        req,
                        int(r),
                        fits,
                        config.near_full_km,
                        config.cheaper_rent_ref,
                        config.cheaper_sale_ref,
                    )
                ),
            )
        )
    return out


# --- Reverse matching and park ranking ----------------------------------------------------------


def score_space(
    index: SpaceIndex, space_id: int, req: Requirement, *, config: MatchConfig = DEFAULT_CONFIG
) -> SpaceMatch | None:
    """How well one space fits one requirement; None when a hard filter excludes it."""
    r = index.row(space_id)
    if r is None:
        return None
    sub = index.view([r])
    found = rank(sub, req, config=config, top=1)
    return found[0] if found else None


def rank_requirements(
    index: SpaceIndex,
    space_id: int,
    requirements: Iterable[tuple[object, Requirement]],
    *,
    config: MatchConfig = DEFAULT_CONFIG,
    min_score: float = 0.0,
) -> list[tuple[object, SpaceMatch]]:
    """Reverse matching: the requirements (keyed, e.g. by lead id) this space fits, best first."""
    r = index.row(space_id)
    if r is None:
        return []
    sub = index.view([r])
    out = []
    for key, req in requirements:
        found = rank(sub, req, config=config, top=1)
        if found and found[0].score >= min_score:
            out.append((key, found[0]))
    out.sort(key=lambda kv: -kv[1].score)
    return out


def rank_parks(
    index: SpaceIndex,
    req: Requirement,
    *,
    config: MatchConfig = DEFAULT_CONFIG,
    top: int = 10,
) -> list[ParkMatch]:
    """Parks ranked for the requirement, even those with no space listed: industry fit, tax
    threshold, spaces available that pass the hard filters, best space score."""
    parks = index.parks
    P = len(parks)
    if P == 0:
        return []
    allowed = park_filter(parks, req)
    ok = np.ones(P, dtype=bool) if allowed is None else allowed
    rows = candidates(index, req)
    counts = np.bincount(index.park[rows], minlength=P) if len(rows) else np.zeros(P, int)
    any_counts = np.bincount(index.park[: index.n][index.alive[: index.n]], minlength=P)
    best = np.zeros(P)
    if len(rows):
        scores, _ = score_rows(index, req, rows, config)
        np.maximum.at(best, index.park[rows], scores / 100.0)
    avail = np.where(counts > 0, 1.0, np.where(any_counts > 0, 0.3, 0.0))
    ind = industry_fit(parks, req, config)
    tax = tax_fit(parks, req)
    w = {"availability": config.wp_availability, "best": config.wp_size}
    acc = config.wp_availability * avail + config.wp_size * best
    if ind is not None:
        acc = acc + config.wp_industry * ind
        w["industry"] = config.wp_industry
    if tax is not None:
        acc = acc + config.wp_tax * tax
        w["tax"] = config.wp_tax
    loc = location_fit(parks, req, config)
    if loc is not None:
        acc = acc + config.wp_location * loc
        w["location"] = config.wp_location
    score = acc * (100.0 / sum(w.values()))
    score = np.where(ok, score, -1.0)
    order = np.lexsort((np.arange(P), -score))
    out = []
    tax_m2 = lead_tax_per_m2(req)
    for p in order[:top]:
        if not ok[p]:
            break
        reasons = [_district_reason(parks, int(p), req)]
        if ind is not None:
            reasons.append(_industry_reason(parks, int(p), req, float(ind[p])))
        if tax is not None and tax_m2 is not None:
            reasons.append(_tax_reason(parks, int(p), tax_m2))
        c = int(counts[p])
        reasons.append(
            Reason("availability", True, f"有 {c} 套符合条件的在租/在售房源")
            if c
            else Reason(
                "availability",
                False,
                "暂无符合条件的在租/在售房源,可联系园区了解"
                if any_counts[p] == 0
                else f"有 {int(any_counts[p])} 套在租/在售房源,但类型或条件不符",
            )
        )
        out.append(
            ParkMatch(
                park_id=parks.ids[p],
                park=parks.names[p],
                district=parks.districts[p],
                score=round(float(score[p]), 1),
                spaces=c,
                reasons=tuple(r for r in reasons if r is not None),
            )
        )
    return out


# --- When nothing fits: the closest relaxations ----------------------------------------------


def relaxations(
    index: SpaceIndex,
    req: Requirement,
    *,
    config: MatchConfig = DEFAULT_CONFIG,
    exclude_ids: Iterable[int] = (),
    public_only: bool = False,
    limit: int = 3,
) -> list[Relaxation]:
    """Changes of one criterion each that would give results, with how many spaces each
    gives and the best of them: hard constraints dropped one at a time (kind, deal, area,
    GMP, musts), scored limits moved to the nearest listing (area range, budget, specs,
    move-in date). Stated exclusions (不考虑通州, 不要地下室) are never relaxed."""
    exclude = list(exclude_ids)
    kw = {"exclude_ids": exclude, "public_only": public_only}
    base = candidate_mask(index, req, **kw)
    out: list[Relaxation] = []
    for name in _hard_names(req):
        gained = candidate_mask(index, req, skip=frozenset({name}), **kw) & ~base
        rows = np.flatnonzero(gained)
        if len(rows) == 0:
            continue
        relaxed = _without(req, name)
        text, text_en, change = _describe(index, req, name, rows)
        best = rank(index, relaxed, config=config, top=1, **kw)
        out.append(Relaxation(name, text, text_en, len(rows), best[0] if best else None, change))
    rows = np.flatnonzero(base)
    if len(rows):
        out.extend(_scored(index, req, rows, config, kw))
    out.sort(key=lambda r: (-(r.best.score if r.best else 0.0), -r.count))
    return out[:limit]


def _hard_names(req: Requirement) -> list[str]:
    names = []
    if req.kinds:
        names.append("kind")
    if req.deal:
        names.append("deal")
    if req.districts or req.parks:
        names.append("location")
    if req.gmp and "gmp" not in req.soft:
        names.append("gmp")
    names.extend(c for c in req.hard if c not in names)
    return names


def _without(req: Requirement, name: str) -> Requirement:
    """The requirement with one hard constraint turned into a preference."""
    if name == "kind":
        return replace(
            req, kinds=(), preferred_kinds=tuple(dict.fromkeys(req.kinds + req.preferred_kinds))
        )
    if name == "deal":
        return replace(req, deal=None)
    if name == "location":
        return replace(
            req,
            districts=(),
            parks=(),
            preferred_districts=tuple(dict.fromkeys(req.districts + req.preferred_districts)),
            preferred_parks=tuple(dict.fromkeys(req.parks + req.preferred_parks)),
        )
    if name == "gmp":
        return replace(req, soft=(*req.soft, "gmp"))
    return replace(req, hard=tuple(c for c in req.hard if c != name))


_LABEL = {
    "area": ("面积", "area"),
    "budget": ("预算", "budget"),
    "ceiling_height_m": ("层高", "ceiling height"),
    "floor_load_kg_m2": ("承重", "floor load"),
    "power_kva": ("配电", "power"),
    "dual_power": ("双回路", "dual power"),
    "env_assessment": ("可办环评", "EIA"),
    "cleanroom": ("洁净等级", "cleanroom class"),
    "move_in": ("入驻时间", "move-in date"),
}


def _top(counter: Counter[str], k: int = 3) -> str:
    return "、".join(f"{name}({c} 套)" for name, c in counter.most_common(k))


def _top_en(counter: Counter[str], english: Callable[[str], str], k: int = 3) -> str:
    return ", ".join(f"{english(name)} ({c})" for name, c in counter.most_common(k))


def _kind_en(kind: str) -> str:
    """A space kind's English label (厂房 → Factory), from the catalogue's translations."""
    from parklink.parks.choices import SpaceKind

    with translation.override("en"):
        return str(SpaceKind(kind).label) if kind in SpaceKind.values else kind


def _district_en(district: str) -> str:
    from parklink.parks.english import district_en

    return "other" if district == "其他" else district_en(district)


def _describe(
    index: SpaceIndex, req: Requirement, name: str, rows: np.ndarray
) -> tuple[str, str, dict[str, object]]:
    n = len(rows)
    if name == "kind":
        kinds = Counter(KINDS[int(k)] for k in index.kind[rows])
        return (
            f"类型不限:另有 {_top(kinds)}",
            f"any kind of space: {n} more ({_top_en(kinds, _kind_en)})",
            {"kinds": []},
        )
    if name == "deal":
        deals = Counter(DEALS[int(d)] for d in index.deal[rows])
        return (
            f"租售不限:另有 {_top(deals)}",
            f"rent or buy: {n} more",
            {"deal": None},
        )
    if name == "location":
        parks = index.parks
        districts = Counter(parks.districts[int(p)] or "其他" for p in index.park[rows])
        wider = [d for d, _ in districts.most_common(3)]
        return (
            f"区域扩大到 {_top(districts)}",
            f"widen the area to {_top_en(districts, _district_en)}: {n} spaces",
            {"districts": wider},
        )
    if name == "gmp":
        return (f"不强制 GMP:另有 {n} 套", f"GMP not required: {n} more", {"gmp": None})
    zh, en = _LABEL.get(name, (name, name))
    return (
        f"{zh}从“必须”改为优先:另有 {n} 套",
        f"{en} as a preference instead of a must: {n} more",
        {"hard": [c for c in req.hard if c != name]},
    )


def _scored(
    index: SpaceIndex, req: Requirement, rows: np.ndarray, cfg: MatchConfig, kw: dict
) -> list[Relaxation]:
    """Scored limits that no candidate meets, each moved to the nearest listing."""
    out: list[Relaxation] = []
    target, lo, hi = area_bounds(req)
    if req.has_area:
        area = index.area[rows]
        eff = np.where(area > target, np.maximum(target, index.minlet[rows]), area)
        if not np.any((eff >= lo) & (eff <= hi)):
            below = eff[eff < lo]
            above = eff[eff > hi]
            options = []
            if len(below):
                options.append((lo - below.max(), float(below.max()), "min"))
            if len(above) and hi != math.inf:
                options.append((above.min() - hi, float(above.min()), "max"))
            if options:
                _, value, side = min(options)
                new_lo, new_hi = (value, hi) if side == "min" else (lo, value)
                relaxed = replace(req, area_min_m2=new_lo, area_max_m2=new_hi)
                count = int(np.count_nonzero((eff >= new_lo) & (eff <= new_hi)))
                best = rank(index, relaxed, config=cfg, top=1, **kw)
                word = "下限降到" if side == "min" else "上限放宽到"
                out.append(
                    Relaxation(
                        "area",
                        f"面积{word} {_n(value)}㎡:有 {count} 套",
                        f"area {'down' if side == 'min' else 'up'} to {_n(value)} m²: {count}",
                        count,
                        best[0] if best else None,
                        {
                            "area_min_m2": new_lo,
                            "area_max_m2": new_hi if new_hi != math.inf else None,
                        },
                    )
                )
    price = index.price[rows]
    rent = index.deal[rows] == RENT
    cap = req.rent_max_yuan_m2_day
    if cap is not None and np.any(rent) and not np.any(rent & (price <= cap)):
        known = price[rent & ~np.isnan(price)]
        if len(known):
            value = float(known.min())
            relaxed = replace(req, rent_max_yuan_m2_day=value)
            count = int(np.count_nonzero(known <= value))
            best = rank(index, relaxed, config=cfg, top=1, **kw)
            out.append(
                Relaxation(
                    "budget",
                    f"租金预算提高到 {_n(value)} 元/㎡/天:有 {count} 套",
                    f"rent budget up to {_n(value)} CNY/m²/day: {count}",
                    count,
                    best[0] if best else None,
                    {"rent_max_yuan_m2_day": value},
                )
            )
    if req.price_max_yuan_m2 is not None and np.any(~rent):
        known = price[~rent & ~np.isnan(price)]
        if len(known) and not np.any(known <= req.price_max_yuan_m2):
            value = float(known.min())
            relaxed = replace(req, price_max_yuan_m2=value)
            best = rank(index, relaxed, config=cfg, top=1, **kw)
            out.append(
                Relaxation(
                    "budget",
                    f"单价预算提高到 {_n(value)} 元/㎡:有 1 套起",
                    f"unit price budget up to {_n(value)} CNY/m²",
                    int(np.count_nonzero(known <= value)),
                    best[0] if best else None,
                    {"price_max_yuan_m2": value},
                )
            )
    day = move_in_day(req)
    if day is not None:
        avail = index.avail[rows]
        if not np.any(np.isnan(avail) | (avail <= day)):
            value = float(np.nanmin(avail))
            when = str(np.datetime64(int(value), "D"))
            relaxed = replace(req, move_in_by=when)
            best = rank(index, relaxed, config=cfg, top=1, **kw)
            count = int(np.count_nonzero(avail <= value))
            out.append(
                Relaxation(
                    "move_in",
                    f"入驻时间推迟到 {when}:有 {count} 套",
                    f"move in from {when}: {count}",
                    count,
                    best[0] if best else None,
                    {"move_in_by": when},
                )
            )
    return out
