"""Rank spaces and parks for a `Requirement`, vectorised over an in-memory columnar index.

Pure (NumPy, no Django). `SpaceIndex` holds one array per field of the available spaces
(status 可租/可售 only); `rank()` scores every candidate at once:

1. Hard filters exclude: kind, deal, district / named park / excluded district when stated,
   GMP when required, basement when refused, listings already recommended or refused.
2. Each stated criterion gives a fit in [0, 1]: area, budget, technical needs (ceiling
   height, floor load, power, dual power, cleanroom, 环评), industry fit with the park's
   leading industries, tax fit (the lead's expected annual tax per m² against the park's
   minimum). score = 100 × Σ wᵢ·fitᵢ / Σ wᵢ over the stated criteria (weights in
   `MatchConfig`).
3. The top N by (score desc, id asc) get their reasons in plain Chinese.

The same formula is written as one SQL query in bench/match.py; keep the two in step
(operation order included, so float64 results are identical).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from parklink.matching.config import DEFAULT_CONFIG, MatchConfig
from parklink.matching.parse import KINDS, Requirement

DEALS = ("出租", "出售")
KIND_CODE = {k: i for i, k in enumerate(KINDS)}
DEAL_CODE = {d: i for i, d in enumerate(DEALS)}
RENT = DEAL_CODE["出租"]


# --- Data --------------------------------------------------------------------------------------


@dataclass
class ParkTable:
    """The parks the spaces belong to (a few hundred rows: plain lists and small arrays)."""

    ids: list[int]
    names: list[str]
    districts: list[str]
    industries: list[tuple[str, ...]]
    min_tax: np.ndarray  # 元/㎡/年, NaN when the park sets no minimum
    aliases: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.row_of = {pid: i for i, pid in enumerate(self.ids)}
        self.district_names = sorted(set(self.districts))
        self.district_code_of = {d: i for i, d in enumerate(self.district_names)}
        self.district_code = np.array(
            [self.district_code_of[d] for d in self.districts], dtype=np.int16
        )

    def __len__(self) -> int:
        return len(self.ids)

    def row_of_name(self, name: str) -> int | None:
        """Row of a park by name or alias."""
        cache = self.__dict__.get("_name_rows")
        if cache is None:
            cache = {n: i for i, n in enumerate(self.names)}
            self.__dict__["_name_rows"] = cache
        return cache.get(self.aliases.get(name, name))


@dataclass(frozen=True)
class SpaceRow:
    """One available space as the index stores it (units as in parks.Space)."""

    id: int
    ref: str
    park_id: int
    kind: str
    deal: str
    area_m2: float
    unit_price: float | None = None  # rent 元/㎡/天 or sale 元/㎡
    min_lettable_m2: float | None = None  # set when the space can be split
    ceiling_height_m: float | None = None
    floor_load_kg_m2: float | None = None
    power_kva: float | None = None
    dual_power: bool = False
    gmp: bool = False
    env_assessment: bool = False
    cleanroom: bool = False
    basement: bool = False
    public: bool = True  # fresh enough for the public portal/API


_FLOAT_COLS = ("area", "minlet", "price", "height", "load", "power")
_BOOL_COLS = ("dual", "gmp", "env", "clean", "basement", "public", "alive")


class SpaceIndex:
    """Columnar store of available spaces: appends and in-place updates are O(1) amortised,
    removals clear the `alive` flag (compacted on the next full rebuild)."""

    def __init__(self, parks: ParkTable, capacity: int = 1024) -> None:
        self.parks = parks
        self.n = 0
        self.row_of: dict[int, int] = {}
        self.refs: list[str] = []
        self._alloc(max(capacity, 16))

    def _alloc(self, cap: int) -> None:
        def grow(name: str, dtype: type, fill: object) -> None:
            new = np.full(cap, fill, dtype=dtype)
            old = getattr(self, name, None)
            if old is not None:
                new[: self.n] = old[: self.n]
            setattr(self, name, new)

        grow("id", np.int64, -1)
        grow("park", np.int32, 0)
        grow("district", np.int16, -1)
        grow("kind", np.int8, -1)
        grow("deal", np.int8, -1)
        for name in _FLOAT_COLS:
            grow(name, np.float64, np.nan)
        for name in _BOOL_COLS:
            grow(name, np.bool_, False)
        # float32 copies of the float columns for the fast first pass (half the bandwidth)
        old32 = getattr(self, "mirror32", {})
        self.mirror32 = {}
        for name in _FLOAT_COLS:
            new = np.full(cap, np.nan, dtype=np.float32)
            if name in old32:
                new[: self.n] = old32[name][: self.n]
            self.mirror32[name] = new
        self.capacity = cap

    @classmethod
    def from_rows(cls, parks: ParkTable, rows: Iterable[SpaceRow]) -> SpaceIndex:
        # Sorted by (kind, deal, district): the usual hard filters then select contiguous
        # blocks that are scored as slices, without gathering columns.
        rows = sorted(
            rows,
            key=lambda r: (
                KIND_CODE.get(r.kind, 99),
                DEAL_CODE.get(r.deal, 9),
                parks.districts[parks.row_of[r.park_id]] if r.park_id in parks.row_of else "",
            ),
        )
        index = cls(parks, capacity=len(rows) + 16)
        for row in rows:
            index.upsert(row)
        return index

    @classmethod
    def from_arrays(cls, parks: ParkTable, refs: Sequence[str], **cols: np.ndarray) -> SpaceIndex:
        """Bulk construction (benchmarks, big rebuilds). Columns as in `_FLOAT_COLS` etc.,
        plus id, park (row in `parks`), kind, deal codes."""
        n = len(cols["id"])
        index = cls(parks, capacity=n + 16)
        district = parks.district_code[np.asarray(cols["park"])]
        order = np.lexsort((district, cols["deal"], cols["kind"]))  # see from_rows
        refs = [refs[i] for i in order]
        for name, values in cols.items():
            getattr(index, name)[:n] = np.asarray(values)[order]
        for name in _FLOAT_COLS:
            index.mirror32[name][:n] = getattr(index, name)[:n]
        index.alive[:n] = True
        if "public" not in cols:
            index.public[:n] = True
        index.n = n
        index.refs = list(refs)
        index.row_of = {int(i): r for r, i in enumerate(index.id[:n])}
        index.district[:n] = parks.district_code[index.park[:n]]
        return index

    def __len__(self) -> int:
        return int(self.alive[: self.n].sum())

    def upsert(self, row: SpaceRow) -> None:
        """Insert or update one space; a space whose park is unknown is ignored."""
        prow = self.parks.row_of.get(row.park_id)
        if prow is None or row.kind not in KIND_CODE or row.deal not in DEAL_CODE:
            self.remove(row.id)
            return
        r = self.row_of.get(row.id)
        if r is None:
            if self.n == self.capacity:
                self._alloc(self.capacity * 2)
            r = self.n
            self.n += 1
            self.row_of[row.id] = r
            self.refs.append(row.ref)
        else:
            self.refs[r] = row.ref
        self.id[r] = row.id
        self.park[r] = prow
        self.district[r] = self.parks.district_code[prow]
        self.kind[r] = KIND_CODE[row.kind]
        self.deal[r] = DEAL_CODE[row.deal]
        self.area[r] = row.area_m2
        divisible = row.min_lettable_m2 is not None and row.min_lettable_m2 < row.area_m2
        self.minlet[r] = row.min_lettable_m2 if divisible else row.area_m2
        self.price[r] = _nan(row.unit_price)
        self.height[r] = _nan(row.ceiling_height_m)
        self.load[r] = _nan(row.floor_load_kg_m2)
        self.power[r] = _nan(row.power_kva)
        self.dual[r] = row.dual_power
        self.gmp[r] = row.gmp
        self.env[r] = row.env_assessment
        self.clean[r] = row.cleanroom
        self.basement[r] = row.basement
        self.public[r] = row.public
        self.alive[r] = True
        for name in _FLOAT_COLS:
            self.mirror32[name][r] = getattr(self, name)[r]

    def remove(self, space_id: int) -> None:
        r = self.row_of.pop(space_id, None)
        if r is not None:
            self.alive[r] = False

    def row(self, space_id: int) -> int | None:
        return self.row_of.get(space_id)

    def view(self, rows: Sequence[int]) -> SpaceIndex:
        """A small index holding copies of the given rows (reverse matching, alerts)."""
        sub = SpaceIndex(self.parks, capacity=len(rows) + 1)
        idx = np.asarray(rows, dtype=np.int64)
        for name in ("id", "park", "district", "kind", "deal", *_FLOAT_COLS, *_BOOL_COLS):
            getattr(sub, name)[: len(rows)] = getattr(self, name)[idx]
        for name in _FLOAT_COLS:
            sub.mirror32[name][: len(rows)] = self.mirror32[name][idx]
        sub.n = len(rows)
        sub.refs = [self.refs[r] for r in rows]
        sub.row_of = {int(sub.id[i]): i for i in range(sub.n)}
        return sub


def _nan(value: float | None) -> float:
    return math.nan if value is None else float(value)


# --- Results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """One criterion of a match: ok True (fits), False (does not), None (not stated by the
    listing, e.g. 价格面议)."""

    criterion: str
    ok: bool | None
    text: str

    def to_dict(self) -> dict[str, object]:
        return {"criterion": self.criterion, "ok": self.ok, "text": self.text}


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


# --- Park-level pieces (computed on the few hundred parks, then gathered) -----------------------


def park_filter(parks: ParkTable, req: Requirement) -> np.ndarray | None:
    """Bool per park: allowed by the stated districts / parks / excluded districts; None when
    nothing is stated (all allowed)."""
    if not (req.districts or req.parks or req.excluded_districts):
        return None
    ok = np.ones(len(parks), dtype=bool)
    named = [parks.row_of_name(p) for p in req.parks] if req.parks else []
    if req.districts or req.parks:
        ok[:] = False
        if req.districts:
            wanted = set(req.districts)
            ok |= np.array([d in wanted for d in parks.districts], dtype=bool)
        for r in named:
            if r is not None:
                ok[r] = True
    if req.excluded_districts:
        banned = set(req.excluded_districts)
        ok &= np.array([d not in banned for d in parks.districts], dtype=bool)
    return ok


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


# --- Space scoring -----------------------------------------------------------------------------


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


def candidates(
    index: SpaceIndex,
    req: Requirement,
    *,
    exclude_ids: Iterable[int] = (),
    public_only: bool = False,
) -> np.ndarray:
    """Rows that pass the hard filters."""
    return np.flatnonzero(
        candidate_mask(index, req, exclude_ids=exclude_ids, public_only=public_only)
    )


def candidate_mask(
    index: SpaceIndex,
    req: Requirement,
    *,
    exclude_ids: Iterable[int] = (),
    public_only: bool = False,
) -> np.ndarray:
    """Bool per row [:n]: passes the hard filters."""
    n = index.n
    mask = index.alive[:n].copy()
    if req.kinds:
        codes = [KIND_CODE[k] for k in req.kinds if k in KIND_CODE]
        if len(codes) == 1:
            mask &= index.kind[:n] == codes[0]
        elif codes:
            mask &= np.isin(index.kind[:n], codes)
    if req.deal in DEAL_CODE:
        mask &= index.deal[:n] == DEAL_CODE[req.deal]
    if req.gmp:
        mask &= index.gmp[:n]
    if req.no_basement:
        mask &= ~index.basement[:n]
    if public_only:
        mask &= index.public[:n]
    allowed = park_filter(index.parks, req)
    if allowed is not None:
        if req.parks:
            mask &= allowed[index.park[:n]]
        else:
            # district codes of the allowed parks: compares on int16, no gather over parks
            dcodes = np.unique(index.parks.district_code[allowed])
            dist = index.district[:n]
            if len(dcodes) <= 4:
                any_d = dist == dcodes[0] if len(dcodes) else np.zeros(n, dtype=bool)
                for d in dcodes[1:]:
                    any_d |= dist == d
                mask &= any_d
            else:
                mask &= np.isin(dist, dcodes)
    for sid in exclude_ids:
        r = index.row_of.get(int(sid))
        if r is not None:
            mask[r] = False
    return mask


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
                ref=index.refs[r],
                park_id=index.parks.ids[index.park[r]],
                park=index.parks.names[index.park[r]],
                score=s,
                reasons=tuple(explain(index, req, int(r), fits)),
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


# --- Explanations ------------------------------------------------------------------------------


def _n(value: float) -> str:
    """1650 → '1,650'; 2.8 → '2.8'; 0.75 → '0.75'."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _district_reason(parks: ParkTable, p: int, req: Requirement) -> Reason | None:
    name, district = parks.names[p], parks.districts[p] or "区域未知"
    if req.parks and name in req.parks:
        return Reason("location", True, f"位于指定园区 {name}")
    if req.districts:
        return Reason("location", True, f"位于 {district},在意向区域内")
    if req.excluded_districts:
        return Reason("location", True, f"位于 {district},不在排除的区域")
    return Reason("location", True, f"位于 {district}")


def _industry_reason(parks: ParkTable, p: int, req: Requirement, fit: float) -> Reason:
    inds = parks.industries[p]
    label = req.industry or req.profile or "、".join(req.park_industries[:2])
    if not inds:
        return Reason("industry", None, "园区未标明主导产业")
    hit = [i for i in inds if any(t in i for t in req.park_industries)]
    if hit:
        return Reason("industry", True, f"园区主导产业含 {'、'.join(hit[:3])},与需求({label})相符")
    return Reason("industry", False, f"园区主导产业({'、'.join(inds[:3])})与需求({label})不符")


def _tax_reason(parks: ParkTable, p: int, tax_m2: float) -> Reason:
    m = parks.min_tax[p]
    if np.isnan(m):
        return Reason("tax", True, f"园区未设年纳税门槛,需求方约 {_n(tax_m2)} 元/㎡")
    return Reason(
        "tax",
        bool(tax_m2 >= m),
        f"园区要求年纳税不低于 {_n(float(m))} 元/㎡,需求方约 {_n(tax_m2)} 元/㎡",
    )


def explain(index: SpaceIndex, req: Requirement, r: int, fits: dict[str, float]) -> list[Reason]:
    """Plain-Chinese reasons for one row, one per stated criterion (hard filters first)."""
    parks = index.parks
    p = int(index.park[r])
    reasons: list[Reason] = []
    kind, deal = KINDS[index.kind[r]], DEALS[index.deal[r]]
    if req.kinds or req.deal:
        reasons.append(Reason("kind", True, f"{kind}·{deal},类型相符"))
    loc = _district_reason(parks, p, req)
    if loc is not None and (req.districts or req.parks or req.excluded_districts):
        reasons.append(loc)
    if req.gmp:
        reasons.append(Reason("gmp", True, "GMP 厂房"))
    if req.no_basement:
        reasons.append(Reason("basement", True, "非地下室"))
    default = set(req.defaults)
    if "area" in fits:
        target, lo, hi = area_bounds(req)
        area = float(index.area[r])
        eff = float(effective_area(_Cols(index, np.array([r])), target)[0])
        rng = f"{_n(lo)}–{_n(hi)}㎡" if hi != math.inf else f"≥ {_n(lo)}㎡"
        if eff != area:
            text = f"面积 {_n(area)}㎡ 可分割,可按 {_n(eff)}㎡ 租用,在需求 {rng} 内"
            ok = lo <= eff <= hi
        elif lo <= area <= hi:
            text, ok = f"面积 {_n(area)}㎡,在需求 {rng} 内", True
        elif area < lo:
            text, ok = f"面积 {_n(area)}㎡,小于需求下限 {_n(lo)}㎡", False
        else:
            text, ok = f"面积 {_n(area)}㎡,大于需求上限 {_n(hi)}㎡", False
        reasons.append(Reason("area", ok, text))
    if "budget" in fits:
        reasons.append(_budget_reason(index, req, r))
    if "technical" in fits:
        reasons.extend(_tech_reasons(index, req, r, default))
    if "industry" in fits:
        reasons.append(_industry_reason(parks, p, req, fits["industry"]))
    if "tax" in fits:
        tax_m2 = lead_tax_per_m2(req)
        if tax_m2 is not None:
            reasons.append(_tax_reason(parks, p, tax_m2))
    for what in req.excludes:
        reasons.append(Reason("other", None, f"“不要{what}”需人工核对"))
    return reasons


def _budget_reason(index: SpaceIndex, req: Requirement, r: int) -> Reason:
    price = float(index.price[r])
    rent = index.deal[r] == RENT
    if math.isnan(price):
        return Reason("budget", None, "价格面议")
    if rent:
        cap = req.rent_max_yuan_m2_day
        if cap is None:
            return Reason("budget", None, f"租金 {_n(price)} 元/㎡/天,需求未给出租金预算")
        if price <= cap:
            return Reason("budget", True, f"租金 {_n(price)} 元/㎡/天,在预算 {_n(cap)} 元/㎡/天 内")
        over = (price - cap) / cap * 100
        return Reason(
            "budget", False, f"租金 {_n(price)} 元/㎡/天,超出预算 {_n(cap)} 元/㎡/天 {over:.0f}%"
        )
    if req.price_max_yuan_m2 is not None:
        cap = req.price_max_yuan_m2
        ok = price <= cap
        return Reason(
            "budget",
            ok,
            f"售价 {_n(price)} 元/㎡,{'在' if ok else '超出'}预算 {_n(cap)} 元/㎡{' 内' if ok else ''}",
        )
    if req.total_max_wan is not None:
        target, _, _ = area_bounds(req)
        eff = float(effective_area(_Cols(index, np.array([r])), target)[0])
        total = price * eff / 10000.0
        cap = req.total_max_wan
        ok = total <= cap
        return Reason(
            "budget",
            ok,
            f"总价约 {_n(total)} 万元,{'在' if ok else '超出'}预算 {_n(cap)} 万元{' 内' if ok else ''}",
        )
    return Reason("budget", None, f"售价 {_n(price)} 元/㎡,需求未给出购买预算")


def _tech_reasons(index: SpaceIndex, req: Requirement, r: int, default: set[str]) -> list[Reason]:
    out = []

    def tag(attr: str) -> str:
        return "(行业默认)" if attr in default else ""

    for attr, col, label, unit in (
        ("ceiling_height_m", index.height, "层高", "米"),
        ("floor_load_kg_m2", index.load, "承重", "公斤/㎡"),
        ("power_kva", index.power, "配电", "kVA"),
    ):
        need = getattr(req, attr)
        if need is None:
            continue
        v = float(col[r])
        if math.isnan(v):
            out.append(Reason(attr, None, f"{label}未标明,需求 ≥ {_n(need)} {unit}{tag(attr)}"))
        elif v >= need:
            out.append(
                Reason(attr, True, f"{label} {_n(v)} {unit},满足 ≥ {_n(need)} {unit}{tag(attr)}")
            )
        else:
            out.append(
                Reason(attr, False, f"{label} {_n(v)} {unit},低于要求 {_n(need)} {unit}{tag(attr)}")
            )
    for attr, col, yes, no in (
        ("dual_power", index.dual, "双回路供电", "无双回路供电"),
        ("cleanroom", index.clean, "有洁净车间", "无洁净车间"),
        ("env_assessment", index.env, "可办环评", "未标明可办环评"),
    ):
        if getattr(req, attr):
            ok = bool(col[r])
            out.append(Reason(attr, ok, (yes if ok else no) + tag(attr)))
    return out
