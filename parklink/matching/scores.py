"""Fits and scores of spaces for a requirement, vectorised (pure NumPy).

Each stated criterion gives a fit in [0, 1]:

- area (a divisible listing is taken at max(target, its minimum lettable area)), budget
  (rent cap, unit price cap or total), technical needs (ceiling height, floor load, power,
  dual power, cleanroom class, 环评, GMP when only wished for: their weighted mean, a need
  the enterprise stated weighing `tech_stated_weight` times one filled from its industry's
  defaults; building specs do not count for a plot of land), industry fit with the park's leading industries, tax fit,
- soft preferences: location (preferred districts and parks, places to be near, by
  distance), kind (preferred kinds), move-in (free by the wanted date), cheaper ("便宜点":
  ref / (ref + price)).

score = 100 × Σ wᵢ·fitᵢ / Σ wᵢ over the stated criteria (weights in `MatchConfig`), where a
plot of land for which no technical need applies leaves the technical weight out.

Two passes: `shortlist.fast_scores` (float32, in place, only the columns the requirement
uses) picks a shortlist; `score_rows` (float64, here) scores it exactly. The exact formula is also written as SQL in bench/match.py;
keep the two in step (operation order included, so float64 results are identical).
"""

from __future__ import annotations

import math

import numpy as np

from parklink.matching.columns import KIND_CODE, LAND, RENT, ParkTable, SpaceIndex
from parklink.matching.config import MatchConfig
from parklink.matching.requirement import Requirement
from parklink.zh.places import places_for

# --- Park-level pieces (computed on the few hundred parks, then gathered per row) -----------


def _cached(parks: ParkTable, key: tuple[object, ...], build):  # type: ignore[no-untyped-def]
    """Park-level arrays are computed once per (park table, requirement): a ranking asks
    for them in the fast pass, the exact pass and every reason."""
    cache = parks.__dict__.setdefault("_fits", {})
    if key not in cache:
        if len(cache) > 512:
            cache.clear()
        cache[key] = build()
    return cache[key]


def industry_fit(parks: ParkTable, req: Requirement, cfg: MatchConfig) -> np.ndarray | None:
    """Per park: 1 when a leading industry contains one of the requirement's industry words,
    the unknown credit when the park lists none, else 0. None when no industry is stated."""
    if not req.park_industries:
        return None
    key = ("industry", req.park_industries, cfg.industry_unknown_credit)
    return _cached(parks, key, lambda: _industry_fit(parks, req, cfg))


def _industry_fit(parks: ParkTable, req: Requirement, cfg: MatchConfig) -> np.ndarray:
    terms = req.park_industries
    out = np.empty(len(parks), dtype=np.float64)
    for i, inds in enumerate(parks.industries):
        if not inds:
            out[i] = cfg.industry_unknown_credit
        else:
            out[i] = 1.0 if any(t in ind for ind in inds for t in terms) else 0.0
    return out


def lead_tax_per_m2(req: Requirement) -> float | None:
    """The lead's expected annual tax per m² of the space it wants (元/㎡/年)."""
    if req.annual_tax_wan is None or not req.area_target_m2:
        return None
    return req.annual_tax_wan * 10000.0 / req.area_target_m2


def tax_fit(parks: ParkTable, req: Requirement) -> np.ndarray | None:
    """Per park: 1 when the lead's tax per m² reaches the park minimum (or there is none),
    else the ratio. None when no tax is stated."""
    t = lead_tax_per_m2(req)
    if t is None:
        return None
    return _cached(parks, ("tax", t), lambda: _tax_fit(parks, t))


def _tax_fit(parks: ParkTable, t: float) -> np.ndarray:
    m = parks.min_tax
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.isnan(m) | (t >= m), 1.0, t / m)


def near_points(parks: ParkTable, req: Requirement) -> list[tuple[str, float, float]]:
    """(name, lat, lng) of every place the requirement wants to be near: a park of the
    catalogue (at its coordinates or its district's seat) or a gazetteer place."""
    out = []
    for name in req.near:
        r = parks.row_of_name(name)
        if r is not None and not math.isnan(parks.lat[r]):  # type: ignore[index]
            out.append((name, float(parks.lat[r]), float(parks.lng[r])))  # type: ignore[index]
            continue
        for p in places_for(name):
            out.append((p.name, p.lat, p.lng))
    return out


def park_distances(parks: ParkTable, req: Requirement) -> np.ndarray | None:
    """Per park: km to the nearest place the requirement wants to be near (NaN unknown)."""
    if not req.near:
        return None
    return _cached(parks, ("near", req.near), lambda: _distances(parks, req))


def _distances(parks: ParkTable, req: Requirement) -> np.ndarray | None:
    points = near_points(parks, req)
    if not points:
        return None
    lat, lng = np.radians(parks.lat), np.radians(parks.lng)  # type: ignore[arg-type]
    best = np.full(len(parks), np.inf)
    for _, plat, plng in points:
        # haversine, as zh.places.distance_km, over every park at once
        p2, l2 = math.radians(plat), math.radians(plng)
        a = np.sin((p2 - lat) / 2) ** 2 + np.cos(lat) * math.cos(p2) * np.sin((l2 - lng) / 2) ** 2
        best = np.fmin(best, 6371.0 * 2 * np.arcsin(np.minimum(1.0, np.sqrt(a))))
    best[~np.isfinite(best)] = np.nan
    return best


def location_fit(parks: ParkTable, req: Requirement, cfg: MatchConfig) -> np.ndarray | None:
    """Per park, the soft location preference: 1 in a preferred district or park; for places
    to be near, 1 within `near_full_km`, falling to 0 at `near_zero_km`; the best of these.
    None when no location is preferred."""
    if not req.has_location_preference:
        return None
    key = ("location", req.preferred_districts, req.preferred_parks, req.near, cfg)
    return _cached(parks, key, lambda: _location_fit(parks, req, cfg))


def _location_fit(parks: ParkTable, req: Requirement, cfg: MatchConfig) -> np.ndarray:
    fit = np.zeros(len(parks))
    if req.preferred_districts:
        wanted = set(req.preferred_districts)
        fit = np.maximum(fit, [1.0 if d in wanted else 0.0 for d in parks.districts])
    for name in req.preferred_parks:
        r = parks.row_of_name(name)
        if r is not None:
            fit[r] = 1.0
    dist = park_distances(parks, req)
    if dist is not None:
        full, zero = cfg.near_full_km, cfg.near_zero_km
        with np.errstate(invalid="ignore"):
            near = np.clip((zero - dist) / (zero - full), 0.0, 1.0)
        fit = np.maximum(fit, np.nan_to_num(near, nan=0.0))
        for name in req.near:  # a park named as the place to be near fits fully
            r = parks.row_of_name(name)
            if r is not None:
                fit[r] = 1.0
    return fit


# --- Criteria and weights -----------------------------------------------------------------

# Technical criteria in scoring order; building-only ones do not apply to 土地.
TECH_BUILDING = frozenset({"height", "load", "clean", "gmp"})


# The requirement field behind each technical criterion (`Requirement.defaults` names fields).
TECH_FIELD = {
    "height": "ceiling_height_m",
    "load": "floor_load_kg_m2",
    "power": "power_kva",
    "dual": "dual_power",
    "clean": "cleanroom",
    "env": "env_assessment",
    "gmp": "gmp",
}


def tech_weights(req: Requirement, cfg: MatchConfig) -> list[float]:
    """Weight of each technical criterion (in `tech_criteria` order) inside the technical
    mean: a need the enterprise stated weighs `tech_stated_weight`, one filled from its
    industry's defaults 1."""
    default = set(req.defaults)
    return [1.0 if TECH_FIELD[c] in default else cfg.tech_stated_weight for c in tech_criteria(req)]


def tech_criteria(req: Requirement) -> list[str]:
    out = []
    if req.ceiling_height_m is not None:
        out.append("height")
    if req.floor_load_kg_m2 is not None:
        out.append("load")
    if req.power_kva is not None:
        out.append("power")
    if req.dual_power:
        out.append("dual")
    if req.cleanroom:
        out.append("clean")
    if req.env_assessment:
        out.append("env")
    if req.gmp and "gmp" in req.soft:
        out.append("gmp")
    return out


_tech_criteria = tech_criteria  # the name bench/match.py has always used


def active_weights(req: Requirement, cfg: MatchConfig) -> dict[str, float]:
    """The weight of every criterion the requirement states, in scoring order."""
    w: dict[str, float] = {}
    if req.has_area:
        w["area"] = cfg.w_area
    if req.has_budget:
        w["budget"] = cfg.w_budget
    if tech_criteria(req):
        w["technical"] = cfg.w_technical
    if req.park_industries:
        w["industry"] = cfg.w_industry
    if lead_tax_per_m2(req) is not None:
        w["tax"] = cfg.w_tax
    if req.has_location_preference:
        w["location"] = cfg.w_location
    if req.preferred_kinds:
        w["kind"] = cfg.w_kind
    if req.move_in_by:
        w["move_in"] = cfg.w_move_in
    if req.cheaper:
        w["cheaper"] = cfg.w_cheaper
    return w


_active_weights = active_weights


def scale_factors(req: Requirement, cfg: MatchConfig) -> tuple[float, float]:
    """(100 / Σw for buildings, 100 / Σw for land): land leaves out the technical weight
    when none of the technical needs applies to a plot."""
    w = active_weights(req, cfg)
    total = sum(w.values())
    if not w:
        return 1.0, 1.0
    crit = tech_criteria(req)
    land_total = total
    if "technical" in w and crit and all(c in TECH_BUILDING for c in crit):
        land_total = total - w["technical"]
    if land_total <= 0:
        land_total = total
    return 100.0 / total, 100.0 / land_total


def area_bounds(req: Requirement) -> tuple[float, float, float]:
    lo = req.area_min_m2 if req.area_min_m2 is not None else 0.0
    hi = req.area_max_m2 if req.area_max_m2 is not None else math.inf
    target = (
        req.area_target_m2 if req.area_target_m2 is not None else (lo if hi == math.inf else hi)
    )
    return target, lo, hi


def move_in_day(req: Requirement) -> float | None:
    if not req.move_in_by:
        return None
    return float(np.datetime64(req.move_in_by, "D").astype(np.int64))


def _fit_min(value: np.ndarray, need: float, falloff: float, unknown: float) -> np.ndarray:
    """1 at or above the minimum, linear to 0 at need×(1−falloff), `unknown` for NaN."""
    part = np.maximum(0.0, 1.0 - (need - value) / (need * falloff))
    return np.where(np.isnan(value), unknown, np.where(value >= need, 1.0, part))


def _fit_cap(value: np.ndarray, cap: float, falloff: float, unknown: float) -> np.ndarray:
    """1 at or below the cap, linear to 0 at cap×(1+falloff), `unknown` for NaN."""
    part = np.maximum(0.0, 1.0 - (value - cap) / (cap * falloff))
    return np.where(np.isnan(value), unknown, np.where(value <= cap, 1.0, part))


class _Cols:
    """Column access for a set of rows: slices when `rows` is None or a slice (no copy),
    gathers otherwise; float columns in float64 or in their float32 mirrors."""

    def __init__(
        self, index: SpaceIndex, rows: np.ndarray | slice | None, f32: bool = False
    ) -> None:
        self.index, self.rows, self.f32 = index, rows, f32
        self._cache: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        if self.rows is None:
            return self.index.n
        if isinstance(self.rows, slice):
            return len(range(*self.rows.indices(self.index.n)))
        return len(self.rows)

    def __getattr__(self, name: str) -> np.ndarray:
        cache = self.__dict__["_cache"]
        if name not in cache:
            index = self.index
            src = (
                index.mirror32[name]
                if self.f32 and name in index.mirror32
                else getattr(index, name)
            )
            cache[name] = src[: index.n] if self.rows is None else src[self.rows]
        return cache[name]

    @property
    def ftype(self) -> type:
        return np.float32 if self.f32 else np.float64


def effective_area(cols: _Cols, target: float) -> np.ndarray:
    """The area the lead would take: a divisible space larger than the target is cut down to
    max(target, its minimum lettable area)."""
    area = cols.area
    return np.where(area > target, np.maximum(target, cols.minlet), area)


def _clean_fit(cols: _Cols, req: Requirement, cfg: MatchConfig) -> np.ndarray:
    """Cleanroom: 1 with a cleanroom of the class needed or cleaner, losing `step` per class
    dirtier; the unknown credit when the listing gives no class; 0 without a cleanroom."""
    clean = cols.clean
    if req.cleanroom_iso is None:
        return clean.astype(np.float64)
    iso = cols.clean_iso
    need = req.cleanroom_iso
    part = np.maximum(0.0, 1.0 - cfg.cleanroom_class_step * (iso - need))
    graded = np.where(np.isnan(iso), cfg.unknown_credit, np.where(iso <= need, 1.0, part))
    return np.where(clean, graded, 0.0)


def _tech_fit(cols: _Cols, req: Requirement, c: str, cfg: MatchConfig) -> np.ndarray:
    tf, unk = cfg.tech_falloff, cfg.unknown_credit
    if c == "height":
        return _fit_min(cols.height, req.ceiling_height_m, tf, unk)  # type: ignore[arg-type]
    if c == "load":
        return _fit_min(cols.load, req.floor_load_kg_m2, tf, unk)  # type: ignore[arg-type]
    if c == "power":
        return _fit_min(cols.power, req.power_kva, tf, unk)  # type: ignore[arg-type]
    if c == "clean":
        return _clean_fit(cols, req, cfg)
    flag = {"dual": cols.dual, "env": cols.env, "gmp": cols.gmp}[c]
    return flag.astype(np.float64)


def components(
    index: SpaceIndex,
    req: Requirement,
    rows: np.ndarray | None,
    cfg: MatchConfig,
) -> dict[str, np.ndarray]:
    """Exact fit (float64) in [0, 1] per stated criterion for the given rows (None: all)."""
    cols = _Cols(index, rows)
    out: dict[str, np.ndarray] = {}
    target, lo, hi = area_bounds(req)
    eff = None
    if req.has_area:
        p = cfg.area_in_range_penalty
        keep = 1.0 - p
        f = cfg.area_falloff
        eff = effective_area(cols, target)
        width = max(hi - lo, 1.0) if hi != math.inf else max(lo, 1.0)
        inside = 1.0 - p * (np.abs(eff - target) / width)
        below = keep * np.maximum(0.0, 1.0 - (lo - eff) / (max(lo, 1.0) * f))
        if hi == math.inf:
            out["area"] = np.where(eff < lo, below, inside)
        else:
            above = keep * np.maximum(0.0, 1.0 - (eff - hi) / (hi * f))
            out["area"] = np.where(eff < lo, below, np.where(eff > hi, above, inside))
    if req.has_budget:
        out["budget"] = _budget_fit(cols, req, cfg, eff)
    crit = tech_criteria(req)
    if crit:
        # weighted mean: Σ wᵢ·fitᵢ / Σ wᵢ, summed left to right (as the SQL reference)
        tw = tech_weights(req, cfg)
        fits = [_tech_fit(cols, req, c, cfg) for c in crit]
        acc = tw[0] * fits[0]
        for wi, v in zip(tw[1:], fits[1:], strict=True):
            acc = acc + wi * v
        tech = acc / float(sum(tw))
        land_crit = [
            (wi, v) for c, wi, v in zip(crit, tw, fits, strict=True) if c not in TECH_BUILDING
        ]
        land = cols.kind == LAND
        if land.any():
            if land_crit:
                lacc = land_crit[0][0] * land_crit[0][1]
                for wi, v in land_crit[1:]:
                    lacc = lacc + wi * v
                tech_land = lacc / float(sum(wi for wi, _ in land_crit))
            else:
                tech_land = np.zeros(len(cols))
            tech = np.where(land, tech_land, tech)
        out["technical"] = tech
    ind = industry_fit(index.parks, req, cfg)
    if ind is not None:
        out["industry"] = ind[cols.park]
    tax = tax_fit(index.parks, req)
    if tax is not None:
        out["tax"] = tax[cols.park]
    loc = location_fit(index.parks, req, cfg)
    if loc is not None:
        out["location"] = loc[cols.park]
    if req.preferred_kinds:
        codes = [KIND_CODE[k] for k in req.preferred_kinds if k in KIND_CODE]
        out["kind"] = np.isin(cols.kind, codes).astype(np.float64)
    day = move_in_day(req)
    if day is not None:
        late = cols.avail - day
        part = np.maximum(0.0, 1.0 - late / cfg.move_in_falloff_days)
        out["move_in"] = np.where(np.isnan(late) | (late <= 0.0), 1.0, part)
    if req.cheaper:
        out["cheaper"] = cheaper_fit(cols.price, cols.deal, cfg)
    return out


def cheaper_fit(price: np.ndarray, deal: np.ndarray, cfg: MatchConfig) -> np.ndarray:
    """The wish for a cheap listing: ref / (ref + price), 1 when free, ½ at the reference
    price of its deal (rent per day, sale per m²); the unknown credit when 面议."""
    rent = cfg.cheaper_rent_ref / (cfg.cheaper_rent_ref + price)
    sale = cfg.cheaper_sale_ref / (cfg.cheaper_sale_ref + price)
    return np.where(np.isnan(price), cfg.unknown_credit, np.where(deal == RENT, rent, sale))


def _budget_fit(
    cols: _Cols, req: Requirement, cfg: MatchConfig, eff: np.ndarray | None
) -> np.ndarray:
    price = cols.price
    bf, unk = cfg.budget_falloff, cfg.unknown_credit
    rent_fit = (
        _fit_cap(price, req.rent_max_yuan_m2_day, bf, unk)
        if req.rent_max_yuan_m2_day is not None
        else None
    )
    if req.price_max_yuan_m2 is not None:
        sale_fit = _fit_cap(price, req.price_max_yuan_m2, bf, unk)
    elif req.total_max_wan is not None:
        area = eff if eff is not None else cols.area
        sale_fit = _fit_cap(price * area / 10000.0, req.total_max_wan, bf, unk)
    else:
        sale_fit = None
    if rent_fit is None and sale_fit is None:
        return np.full(len(cols), unk, dtype=np.float64)
    if rent_fit is None:
        rent_fit = np.full(len(cols), unk, dtype=np.float64)
    if sale_fit is None:
        sale_fit = np.full(len(cols), unk, dtype=np.float64)
    return np.where(cols.deal == RENT, rent_fit, sale_fit)


def score_rows(
    index: SpaceIndex,
    req: Requirement,
    rows: np.ndarray | None,
    cfg: MatchConfig,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(exact score 0–100, fits by criterion) for the given rows (None: all rows)."""
    weights = active_weights(req, cfg)
    comps = components(index, req, rows, cfg)
    size = index.n if rows is None else len(rows)
    if not weights:
        return np.full(size, 100.0), comps
    acc = None
    for name, w in weights.items():
        term = w * comps[name]
        acc = term if acc is None else acc + term
    s_all, s_land = scale_factors(req, cfg)
    if s_land != s_all:
        kind = index.kind[: index.n] if rows is None else index.kind[rows]
        return acc * np.where(kind == LAND, s_land, s_all), comps  # type: ignore[operator]
    return acc * s_all, comps  # type: ignore[operator]
