"""Fits and scores of spaces for a requirement, vectorised (pure NumPy).

Each stated criterion gives a fit in [0, 1]: area, budget, technical needs (ceiling height,
floor load, power, dual power, cleanroom, 环评), industry fit with the park's leading
industries, tax fit (the lead's expected annual tax per m² against the park's minimum).
score = 100 × Σ wᵢ·fitᵢ / Σ wᵢ over the stated criteria (weights in `MatchConfig`).

The same formula is written as one SQL query in bench/match.py; keep the two in step
(operation order included, so float64 results are identical).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from parklink.matching.columns import RENT, ParkTable, SpaceIndex
from parklink.matching.config import DEFAULT_CONFIG, MatchConfig
from parklink.matching.filters import candidate_mask
from parklink.matching.requirement import Requirement


def industry_fit(parks: ParkTable, req: Requirement, cfg: MatchConfig) -> np.ndarray | None:
    """Per park: 1 when a leading industry contains one of the requirement's industry words,
    the unknown credit when the park lists none, else 0. None when no industry is stated."""
    if not req.park_industries:
        return None
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
    m = parks.min_tax
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.isnan(m) | (t >= m), 1.0, t / m)


def _active_weights(req: Requirement, cfg: MatchConfig) -> dict[str, float]:
    w: dict[str, float] = {}
    if req.has_area:
        w["area"] = cfg.w_area
    if req.has_budget:
        w["budget"] = cfg.w_budget
    if _tech_criteria(req):
        w["technical"] = cfg.w_technical
    if req.park_industries:
        w["industry"] = cfg.w_industry
    if lead_tax_per_m2(req) is not None:
        w["tax"] = cfg.w_tax
    return w


def _tech_criteria(req: Requirement) -> list[str]:
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
    return out


def area_bounds(req: Requirement) -> tuple[float, float, float]:
    lo = req.area_min_m2 if req.area_min_m2 is not None else 0.0
    hi = req.area_max_m2 if req.area_max_m2 is not None else math.inf
    target = (
        req.area_target_m2 if req.area_target_m2 is not None else (lo if hi == math.inf else hi)
    )
    return target, lo, hi


def _fit_min(value: np.ndarray, need: float, falloff: float, unknown: float) -> np.ndarray:
    """1 at or above the minimum, linear to 0 at need×(1−falloff), `unknown` for NaN."""
    part = np.maximum(0.0, 1.0 - (need - value) / (need * falloff))
    return np.where(np.isnan(value), unknown, np.where(value >= need, 1.0, part))


def _fit_cap(value: np.ndarray, cap: float, falloff: float, unknown: float) -> np.ndarray:
    """1 at or below the cap, linear to 0 at cap×(1+falloff), `unknown` for NaN."""
    part = np.maximum(0.0, 1.0 - (value - cap) / (cap * falloff))
    return np.where(np.isnan(value), unknown, np.where(value <= cap, 1.0, part))


class _Cols:
    """Column access for a set of rows: slices when `rows` is None (all rows: no copy),
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


def components(
    index: SpaceIndex,
    req: Requirement,
    rows: np.ndarray | None,
    cfg: MatchConfig,
    *,
    f32: bool = False,
) -> dict[str, np.ndarray]:
    """Fit in [0, 1] per stated criterion for the given rows (None: all rows)."""
    cols = _Cols(index, rows, f32)
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
    crit = _tech_criteria(req)
    if crit:
        tf, unk = cfg.tech_falloff, cfg.unknown_credit
        acc = None
        for c in crit:
            if c == "height":
                v = _fit_min(cols.height, req.ceiling_height_m, tf, unk)  # type: ignore[arg-type]
            elif c == "load":
                v = _fit_min(cols.load, req.floor_load_kg_m2, tf, unk)  # type: ignore[arg-type]
            elif c == "power":
                v = _fit_min(cols.power, req.power_kva, tf, unk)  # type: ignore[arg-type]
            elif c == "dual":
                v = cols.dual.astype(cols.ftype)
            elif c == "clean":
                v = cols.clean.astype(cols.ftype)
            else:
                v = cols.env.astype(cols.ftype)
            acc = v if acc is None else acc + v
        out["technical"] = acc / float(len(crit))  # type: ignore[operator]
    ind = industry_fit(index.parks, req, cfg)
    if ind is not None:
        out["industry"] = ind.astype(cols.ftype)[cols.park]
    tax = tax_fit(index.parks, req)
    if tax is not None:
        out["tax"] = tax.astype(cols.ftype)[cols.park]
    return out


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
        return np.full(len(cols), unk, dtype=cols.ftype)
    if rent_fit is None:
        rent_fit = np.full(len(cols), unk, dtype=cols.ftype)
    if sale_fit is None:
        sale_fit = np.full(len(cols), unk, dtype=cols.ftype)
    return np.where(cols.deal == RENT, rent_fit, sale_fit)


def score_rows(
    index: SpaceIndex,
    req: Requirement,
    rows: np.ndarray | None,
    cfg: MatchConfig,
    *,
    f32: bool = False,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(score 0–100, fits by criterion) for the given rows (None: all rows)."""
    weights = _active_weights(req, cfg)
    comps = components(index, req, rows, cfg, f32=f32)
    size = index.n if rows is None else len(rows)
    if not weights:
        return np.full(size, 100.0), comps
    acc = None
    for name, w in weights.items():
        term = w * comps[name]
        acc = term if acc is None else acc + term
    return acc * (100.0 / sum(weights.values())), comps  # type: ignore[operator]


def top_rows(scores: np.ndarray, ids: np.ndarray, top: int) -> np.ndarray:
    """Positions of the `top` best, by score desc then id asc."""
    if len(scores) == 0 or top <= 0:
        return np.empty(0, dtype=np.int64)
    if len(scores) > top:
        kth = np.partition(scores, len(scores) - top)[len(scores) - top]
        pick = np.flatnonzero(scores >= kth)
    else:
        pick = np.arange(len(scores))
    order = np.lexsort((ids[pick], -scores[pick]))
    return pick[order[:top]]


def fast_scores(
    index: SpaceIndex, req: Requirement, rows: np.ndarray | slice | None, cfg: MatchConfig
) -> np.ndarray:
    """Approximate weighted score sums in float32 with fused, in-place operations: the same
    piecewise-linear fits rewritten as clipped affine functions. Only used to pick a
    shortlist; the exact scores come from `score_rows`."""
    f = np.float32
    cols = _Cols(index, rows, f32=True)
    w = _active_weights(req, cfg)
    park_val = np.zeros(len(index.parks))
    if "industry" in w:
        park_val += w["industry"] * industry_fit(index.parks, req, cfg)  # type: ignore[operator]
    if "tax" in w:
        park_val += w["tax"] * tax_fit(index.parks, req)  # type: ignore[operator]
    if "industry" in w or "tax" in w:
        acc = park_val.astype(f)[cols.park]
    else:
        acc = np.zeros(len(cols), dtype=f)
    unk = cfg.unknown_credit

    def clipped(x: np.ndarray, slope: float, icpt: float, top: float, nan: float) -> np.ndarray:
        t = x * f(slope)
        t += f(icpt)
        np.clip(t, 0.0, top, out=t)
        return np.nan_to_num(t, copy=False, nan=nan)

    eff = None
    if "area" in w:
        wa = w["area"]
        target, lo, hi = area_bounds(req)
        p, fo = cfg.area_in_range_penalty, cfg.area_falloff
        keep = (1.0 - p) * wa
        width = max(hi - lo, 1.0) if hi != math.inf else max(lo, 1.0)
        eff = np.maximum(cols.minlet, f(target))
        np.minimum(eff, cols.area, out=eff)
        inside = eff - f(target)
        np.abs(inside, out=inside)
        inside *= f(-p * wa / width)
        inside += f(wa)
        lo1 = max(lo, 1.0) * fo
        out = eff * f(keep / lo1)
        out += f(keep * (1.0 - lo / lo1))
        if hi != math.inf:
            above = eff * f(-keep / (hi * fo))
            above += f(keep * (1.0 + hi / (hi * fo)))
            np.minimum(out, above, out=out)
            inrange = (eff >= lo) & (eff <= hi)
        else:
            inrange = eff >= lo
        np.maximum(out, 0.0, out=out)
        np.copyto(out, inside, where=inrange)
        acc += out
    if "budget" in w:
        wb, bf = w["budget"], cfg.budget_falloff

        def cap_fit(x: np.ndarray, cap: float) -> np.ndarray:
            return clipped(x, -wb / (cap * bf), wb * (1.0 + 1.0 / bf), wb, unk * wb)

        rent = cap_fit(cols.price, req.rent_max_yuan_m2_day) if req.rent_max_yuan_m2_day else None
        if req.price_max_yuan_m2 is not None:
            sale = cap_fit(cols.price, req.price_max_yuan_m2)
        elif req.total_max_wan is not None:
            total = cols.price * (eff if eff is not None else cols.area)
            total /= f(10000.0)
            sale = cap_fit(total, req.total_max_wan)
        else:
            sale = None
        if rent is not None and sale is not None:
            acc += np.where(cols.deal == RENT, rent, sale)
        elif rent is not None:
            np.copyto(rent, f(unk * wb), where=cols.deal != RENT)
            acc += rent
        elif sale is not None:
            np.copyto(sale, f(unk * wb), where=cols.deal == RENT)
            acc += sale
    crit = _tech_criteria(req)
    if crit:
        wk = w["technical"] / len(crit)
        tf = cfg.tech_falloff
        for c in crit:
            if c in ("height", "load", "power"):
                need = {
                    "height": req.ceiling_height_m,
                    "load": req.floor_load_kg_m2,
                    "power": req.power_kva,
                }[c]
                col = getattr(cols, c)
                acc += clipped(col, wk / (need * tf), wk * (1.0 - 1.0 / tf), wk, unk * wk)  # type: ignore[operator]
            else:
                flag = {"dual": cols.dual, "clean": cols.clean, "env": cols.env}[c]
                np.add(acc, f(wk), out=acc, where=flag)
    return acc


# Above this many candidates the first pass runs in float32 and only a shortlist is scored in
# float64 (the exact scores, identical to the SQL formula).
EXACT_LIMIT = 20000
SHORTLIST = 200


def best_rows(
    index: SpaceIndex,
    req: Requirement,
    *,
    config: MatchConfig = DEFAULT_CONFIG,
    top: int = 10,
    exclude_ids: Iterable[int] = (),
    public_only: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """(rows, exact scores) of the `top` best spaces, best first.

    Candidates pass the hard filters. When there are many, a float32 pass over them (no
    gather when most rows are candidates) keeps a shortlist of max(SHORTLIST, 20×top) rows,
    which are then scored exactly in float64: the float32 error (~1e-5 points) is far below
    the gap that would be needed to push a true top-N row out of the shortlist.
    """
    mask = candidate_mask(index, req, exclude_ids=exclude_ids, public_only=public_only)
    n = index.n
    count = int(np.count_nonzero(mask))
    if count == 0:
        return np.empty(0, dtype=np.int64), np.empty(0)
    if count <= EXACT_LIMIT:
        rows = np.flatnonzero(mask)
    else:
        # The candidates' span; dense when they fill most of it (a kind/deal block of the
        # sorted index): score the slice as views, no gathers.
        lo = int(np.argmax(mask))
        hi = n - int(np.argmax(mask[::-1]))
        shortlist = max(SHORTLIST, 20 * top)
        if count > (hi - lo) * 2 // 5:
            s32 = fast_scores(index, req, slice(lo, hi), config)
            s32[~mask[lo:hi]] = -1.0
            rows = top_rows(s32, index.id[lo:hi], shortlist) + lo
        else:
            rows32 = np.flatnonzero(mask)
            s32 = fast_scores(index, req, rows32, config)
            rows = rows32[top_rows(s32, index.id[rows32], shortlist)]
    scores, _ = score_rows(index, req, rows, config)
    best = top_rows(scores, index.id[rows], top)
    return rows[best], scores[best]
