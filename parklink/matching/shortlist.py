"""The shortlist: the best rows of a requirement out of up to millions of candidates.

`best_rows` picks them in two passes — a float32 pass (`fast_scores`) that reads only the
columns the requirement uses and leaves out rows that cannot reach the shortlist (a sampled
threshold, an area window), then the exact float64 scores of `scores.score_rows` on the
shortlist only — and `top_rows` selects by partial selection (no sort). See
docs/matching.md, "The index and freshness", and bench/match.py.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable

import numpy as np

from parklink.matching.columns import KIND_CODE, LAND, RENT, SpaceIndex
from parklink.matching.config import DEFAULT_CONFIG, MatchConfig
from parklink.matching.filters import allowed_kinds, candidate_mask
from parklink.matching.requirement import Requirement
from parklink.matching.scores import (
    TECH_BUILDING,
    _Cols,
    active_weights,
    area_bounds,
    industry_fit,
    location_fit,
    move_in_day,
    scale_factors,
    score_rows,
    tax_fit,
    tech_criteria,
    tech_weights,
)


def top_rows(scores: np.ndarray, ids: np.ndarray, top: int) -> np.ndarray:
    """Positions of the `top` best, by score desc then id asc, by partial selection.

    Large inputs first keep the rows at or above a threshold taken from a strided sample
    (one comparison pass, no index array over every row); whenever that leaves at least
    `top` rows the answer is exactly the same, otherwise the full selection runs. The
    selection is one `argpartition` for the rows above the k-th score and, for the rows tied
    at it, another on their ids (no sort of the ties, however many: a requirement that
    states nothing ties every row)."""
    n = len(scores)
    if n == 0 or top <= 0:
        return np.empty(0, dtype=np.int64)
    if n > 8 * top and n > 8192:
        step = max(1, n // 4096)
        sample = scores[::step]
        k = max(1, top // step // 2)  # half the expected count: a margin, re-checked below
        if len(sample) > 2 * k:
            thr = np.partition(sample, len(sample) - k)[len(sample) - k]
            keep = np.flatnonzero(scores >= thr)
            if top <= len(keep) < n // 2:
                return keep[_select(scores[keep], ids[keep], top)]
    return _select(scores, ids, top)


def _select(scores: np.ndarray, ids: np.ndarray, top: int) -> np.ndarray:
    n = len(scores)
    if n > top:
        # the k-th best value by `partition` (values only: no index array over every row)
        kth = np.partition(scores, n - top)[n - top]
        above = np.flatnonzero(scores > kth)
        need = top - len(above)
        tied = np.flatnonzero(scores == kth)
        if len(tied) > need:
            tied = tied[np.argpartition(ids[tied], need - 1)[:need]] if need > 0 else tied[:0]
        pick = np.concatenate((above, tied))
    else:
        pick = np.arange(n)
    order = np.lexsort((ids[pick], -scores[pick]))
    return pick[order[:top]]


# --- The fast first pass ----------------------------------------------------------------------

_local = threading.local()


def _scratch(n: int, k: int) -> list[np.ndarray]:
    """`k` float32 work buffers of at least `n` elements, one set per thread (the index is
    shared by a process's threads; its buffers are not)."""
    bufs: list[np.ndarray] = getattr(_local, "bufs", [])
    if len(bufs) < k or (bufs and len(bufs[0]) < n):
        size = max(n, len(bufs[0]) if bufs else 0)
        bufs = [np.empty(size, dtype=np.float32) for _ in range(max(k, len(bufs)))]
        _local.bufs = bufs
    return [b[:n] for b in bufs[:k]]


def fast_scores(
    index: SpaceIndex, req: Requirement, rows: np.ndarray | slice | None, cfg: MatchConfig
) -> np.ndarray:
    """Approximate weighted score sums (float32): the same piecewise-linear fits rewritten as
    clipped affine functions, computed in place in per-thread buffers, reading only the
    columns the requirement uses. Masked ufuncs (`where=`), `nan_to_num` and 3-array
    `np.where` are avoided (each costs 5–15× a plain pass): unknown values are patched with
    `putmask`, choices are blended arithmetically. Only used to pick a shortlist; the exact
    scores come from `score_rows`."""
    f = np.float32
    cols = _Cols(index, rows, f32=True)
    size = len(cols)
    w = active_weights(req, cfg)
    acc, t1, t2, t3, t4 = _scratch(size, 5)
    park_val = np.zeros(len(index.parks))
    for name, fit in (
        ("industry", industry_fit(index.parks, req, cfg) if "industry" in w else None),
        ("tax", tax_fit(index.parks, req) if "tax" in w else None),
        ("location", location_fit(index.parks, req, cfg) if "location" in w else None),
    ):
        if fit is not None:
            park_val += w[name] * fit
    if np.any(park_val):
        np.take(park_val.astype(f), cols.park, out=acc)
    else:
        acc.fill(0.0)
    unk = cfg.unknown_credit

    def clipped(
        x: np.ndarray, slope: float, icpt: float, top: float, nan: float, out: np.ndarray
    ) -> np.ndarray:
        np.multiply(x, f(slope), out=out)
        np.add(out, f(icpt), out=out)
        np.clip(out, f(0.0), f(top), out=out)
        np.putmask(out, np.isnan(x), f(nan))
        return out

    def blend(when: np.ndarray, yes: np.ndarray, no: np.ndarray) -> np.ndarray:
        """`no` becomes where(when, yes, no), in place, without a masked loop."""
        np.subtract(yes, no, out=yes)
        np.multiply(yes, when, out=yes)
        np.add(no, yes, out=no)
        return no

    eff = None
    if "area" in w:
        wa = w["area"]
        target, lo, hi = area_bounds(req)
        p, fo = cfg.area_in_range_penalty, cfg.area_falloff
        keep = (1.0 - p) * wa
        width = max(hi - lo, 1.0) if hi != math.inf else max(lo, 1.0)
        eff = t1
        np.maximum(cols.minlet, f(target), out=eff)
        np.minimum(eff, cols.area, out=eff)
        inside = t2
        np.subtract(eff, f(target), out=inside)
        np.abs(inside, out=inside)
        np.multiply(inside, f(-p * wa / width), out=inside)
        np.add(inside, f(wa), out=inside)
        lo1 = max(lo, 1.0) * fo
        out = t3
        np.multiply(eff, f(keep / lo1), out=out)
        np.add(out, f(keep * (1.0 - lo / lo1)), out=out)
        if hi != math.inf:
            np.multiply(eff, f(-keep / (hi * fo)), out=t4)
            np.add(t4, f(keep * (1.0 + hi / (hi * fo))), out=t4)
            np.minimum(out, t4, out=out)
            inrange = eff >= f(lo)
            inrange &= eff <= f(hi)
        else:
            inrange = eff >= f(lo)
        np.maximum(out, f(0.0), out=out)
        acc += blend(inrange, inside, out)
    if "budget" in w:
        wb, bf = w["budget"], cfg.budget_falloff
        rent_cap = req.rent_max_yuan_m2_day
        sale = req.price_max_yuan_m2 is not None or req.total_max_wan is not None

        def cap_fit(x: np.ndarray, cap: float, out: np.ndarray) -> np.ndarray:
            return clipped(x, -wb / (cap * bf), wb * (1.0 + 1.0 / bf), wb, unk * wb, out)

        is_rent = cols.deal == RENT
        r = cap_fit(cols.price, rent_cap, t2) if rent_cap is not None else None
        sv = None
        if sale:
            if req.price_max_yuan_m2 is not None:
                sv = cap_fit(cols.price, req.price_max_yuan_m2, t3)
            else:
                np.multiply(cols.price, eff if eff is not None else cols.area, out=t4)
                np.divide(t4, f(10000.0), out=t4)
                sv = cap_fit(t4, req.total_max_wan, t3)  # type: ignore[arg-type]
        if r is not None and sv is not None:
            acc += blend(is_rent, r, sv)
        elif r is not None:
            np.putmask(r, ~is_rent, f(unk * wb))
            acc += r
        elif sv is not None:
            np.putmask(sv, is_rent, f(unk * wb))
            acc += sv
    crit = tech_criteria(req)
    if crit:
        tw = tech_weights(req, cfg)
        total_w = sum(tw)
        tf = cfg.tech_falloff
        land_crit = [c for c in crit if c not in TECH_BUILDING]
        land = cols.kind == LAND if len(land_crit) < len(crit) else None
        building = ~land if land is not None else None
        # a plot of land averages only the needs that apply to it
        land_w_sum = sum(wi for c, wi in zip(crit, tw, strict=True) if c not in TECH_BUILDING)
        ratio = (total_w / land_w_sum) if land_crit else 0.0
        land_w = None
        if land is not None and land_crit:
            land_w = t4
            np.multiply(land, f(ratio - 1.0), out=land_w)
            np.add(land_w, f(1.0), out=land_w)
        for c, wi in zip(crit, tw, strict=True):
            wk = w["technical"] * wi / total_w
            v = t2
            if c in ("height", "load", "power"):
                need = {
                    "height": req.ceiling_height_m,
                    "load": req.floor_load_kg_m2,
                    "power": req.power_kva,
                }[c]
                clipped(getattr(cols, c), wk / (need * tf), wk * (1.0 - 1.0 / tf), wk, unk * wk, v)  # type: ignore[operator]
            elif c == "clean" and req.cleanroom_iso is not None:
                step = cfg.cleanroom_class_step
                clipped(
                    cols.clean_iso,
                    -wk * step,
                    wk * (1.0 + step * req.cleanroom_iso),
                    wk,
                    unk * wk,
                    v,
                )
                np.multiply(v, cols.clean, out=v)
            else:
                flag = {"dual": cols.dual, "clean": cols.clean, "env": cols.env, "gmp": cols.gmp}[c]
                np.multiply(flag, f(wk), out=v)
            if land is not None:
                if c in TECH_BUILDING:
                    np.multiply(v, building, out=v)
                elif land_w is not None:
                    np.multiply(v, land_w, out=v)
            acc += v
    if "kind" in w:
        codes = [KIND_CODE[k] for k in req.preferred_kinds if k in KIND_CODE]
        hit = cols.kind == codes[0]
        for code in codes[1:]:
            hit |= cols.kind == code
        np.multiply(hit, f(w["kind"]), out=t2)
        acc += t2
    day = move_in_day(req)
    if day is not None:
        wm = w["move_in"]
        np.subtract(cols.avail, f(day), out=t3)
        acc += clipped(t3, -wm / cfg.move_in_falloff_days, wm, wm, wm, t2)
    if "cheaper" in w:
        # w · ref / (ref + price), per deal; 面议 gets the unknown credit
        wc = w["cheaper"]
        for ref, is_deal in (
            (cfg.cheaper_rent_ref, cols.deal == RENT),
            (cfg.cheaper_sale_ref, cols.deal != RENT),
        ):
            np.add(cols.price, f(ref), out=t3)
            np.divide(f(wc * ref), t3, out=t3)
            np.putmask(t3, np.isnan(t3), f(unk * wc))
            np.multiply(t3, is_deal, out=t3)
            acc += t3
    s_all, s_land = scale_factors(req, cfg)
    if s_land != s_all:
        # land rows' sums are over fewer weights: put them on the same 0–100 scale
        land = cols.kind == LAND
        np.multiply(land, f(s_land / s_all - 1.0), out=t2)
        np.add(t2, f(1.0), out=t2)
        acc *= t2
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
    mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(rows, exact scores) of the `top` best spaces, best first.

    Candidates pass the hard filters. When there are many:

    1. a strided sample of them is scored (float32) to get a threshold the shortlist of
       max(SHORTLIST, 20×top) rows will reach;
    2. when the requirement states an area, the rows that can reach the threshold lie in an
       area window around the target (every other criterion counted at its best): that is
       three comparisons over two columns, and only those rows are scored;
    3. otherwise a float32 pass scores the candidates (no gather when they fill a contiguous
       block of the sorted index);
    4. the shortlist is scored exactly in float64 (the SQL formula).

    The float32 error (~1e-5 points) is far below the gap that would push a true top-N row
    out of the shortlist; the window is exact whenever at least a shortlist of rows scores
    above the threshold, which is checked (otherwise the full pass runs).
    """
    if mask is None:
        mask = candidate_mask(index, req, exclude_ids=exclude_ids, public_only=public_only)
    count = int(np.count_nonzero(mask))
    if count == 0:
        return np.empty(0, dtype=np.int64), np.empty(0)
    if count <= EXACT_LIMIT:
        rows = np.flatnonzero(mask)
    else:
        shortlist = max(SHORTLIST, 20 * top)
        lo, hi = _span(mask)
        rows = None
        thr = _sample_threshold(index, req, mask, lo, hi, count, shortlist, config)
        window = _area_window(req, config, thr) if thr is not None else None
        span = slice(lo, hi)
        found = None
        if window is not None:
            found = _in_window(index, span, mask, window) + lo
        elif thr is not None and _by_district(req):
            # 顺义优先: rows outside the preferred districts cannot get the location weight,
            # so they need more from the area than the rows inside them
            w_loc = active_weights(req, config)["location"]
            inside = _area_window(req, config, thr)
            outside = _area_window(req, config, thr, without=w_loc)
            if outside is not None:
                dist = index.district[span]
                codes = [
                    index.parks.district_code_of[d]
                    for d in req.preferred_districts
                    if d in index.parks.district_code_of
                ]
                pref = dist == codes[0] if codes else np.zeros(hi - lo, dtype=bool)
                for c in codes[1:]:
                    pref |= dist == c
                ok_out = _window_mask(index, span, outside) & ~pref
                ok_in = pref if inside is None else _window_mask(index, span, inside) & pref
                ok_out |= ok_in
                ok_out &= mask[span]
                found = np.flatnonzero(ok_out) + lo
        if found is not None and len(found) >= shortlist:
            s32 = fast_scores(index, req, found, config)
            if np.count_nonzero(s32 >= thr) >= shortlist:
                rows = found[top_rows(s32, index.id[found], shortlist)]
        if rows is None:
            if count > (hi - lo) * 2 // 5:
                s32 = fast_scores(index, req, slice(lo, hi), config)
                np.putmask(s32, ~mask[lo:hi], np.float32(-1.0))
                rows = top_rows(s32, index.id[lo:hi], shortlist) + lo
            else:
                rows32 = np.flatnonzero(mask)
                s32 = fast_scores(index, req, rows32, config)
                rows = rows32[top_rows(s32, index.id[rows32], shortlist)]
    scores, _ = score_rows(index, req, rows, config)
    best = top_rows(scores, index.id[rows], top)
    return rows[best], scores[best]


def _span(mask: np.ndarray) -> tuple[int, int]:
    """[first, last + 1) of the True entries, scanning from each end in blocks (a reversed
    view would be walked element by element)."""
    n = len(mask)
    lo = int(np.argmax(mask))
    hi = n
    block = 8192
    while hi > lo:
        start = max(lo, hi - block)
        part = mask[start:hi]
        if part.any():
            return lo, start + int(np.flatnonzero(part)[-1]) + 1
        hi = start
    return lo, lo + 1


def _sample_threshold(
    index: SpaceIndex,
    req: Requirement,
    mask: np.ndarray,
    lo: int,
    hi: int,
    count: int,
    shortlist: int,
    cfg: MatchConfig,
) -> float | None:
    """A float32 score that about twice a shortlist of candidates reach, from every g-th row
    of the candidates' span (None when the sample is too small to tell)."""
    step = max(1, (hi - lo) // 16384)
    pos = np.arange(lo, hi, step)
    pos = pos[mask[pos]]
    expected = shortlist * len(pos) / count  # sample rows expected in the shortlist
    k = int(expected * 2)
    if k < 4 or len(pos) < 4 * k:
        return None
    s = fast_scores(index, req, pos, cfg)
    return float(np.partition(s, len(s) - k)[len(s) - k])


def _by_district(req: Requirement) -> bool:
    """The location preference is by district only (fit 1 inside, 0 outside)."""
    return bool(req.preferred_districts) and not req.near and not req.preferred_parks


def _window_mask(index: SpaceIndex, span: slice, window: tuple[float, float]) -> np.ndarray:
    """Rows whose effective area min(area, max(minlet, target)) lies in [a, b] (with a ≤
    target ≤ b that is exactly area ≥ a and minlet ≤ b)."""
    a, b = window
    ok = index.mirror32["area"][span] >= a
    ok &= index.mirror32["minlet"][span] <= b
    return ok


def _in_window(
    index: SpaceIndex, span: slice, mask: np.ndarray, window: tuple[float, float]
) -> np.ndarray:
    ok = _window_mask(index, span, window)
    ok &= mask[span]
    return np.flatnonzero(ok)


def _area_window(
    req: Requirement,
    cfg: MatchConfig,
    thr: float,
    *,
    without: float = 0.0,
) -> tuple[float, float] | None:
    """The effective-area window outside which no row can reach `thr`, every other criterion
    counted at its best (minus `without`, a weight these rows cannot get); None when a row
    outside the requirement's range still could."""
    w = active_weights(req, cfg)
    if "area" not in w:
        return None
    wa = w["area"]
    s_all, s_land = scale_factors(req, cfg)
    kinds = allowed_kinds(req)
    land_possible = kinds is None or LAND in kinds
    ratio = max(1.0, s_land / s_all) if land_possible else 1.0
    rest = sum(w.values()) - wa - without
    need = thr / ratio - rest  # what the area part must give at least
    target, lo, hi = area_bounds(req)
    p = cfg.area_in_range_penalty
    if need <= (1.0 - p) * wa or p <= 0:
        return None  # outside the range a row can give up to (1 − p)·wa: no window
    width = max(hi - lo, 1.0) if hi != math.inf else max(lo, 1.0)
    delta = (wa - need) * width / (p * wa)
    a, b = max(lo, target - delta), min(hi, target + delta)
    # float32 columns: widen by a relative 1e-5 so rounding never drops a row at the edge
    return a * (1 - 1e-5) - 1e-3, b * (1 + 1e-5) + 1e-3
