"""Hard filters: which spaces a requirement excludes (they are never ranked).

Kinds, deal, districts and parks (the preferred ones also allowed when hard ones are said),
excluded districts / parks / kinds, excluded areas (the parks in them) and industries (the
parks leading in them), GMP (unless only wished for), basements and top floors refused, and
every criterion said as a must (`Requirement.hard`: 层高必须8米以上, must have dual power).
Building specs never exclude a plot of land. A listing that does not state a value is kept
(its reason then says "未标明").
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from parklink.matching.columns import DEAL_CODE, KIND_CODE, LAND, RENT, ParkTable, SpaceIndex
from parklink.matching.requirement import Requirement
from parklink.zh.places import place_named

# Hard criteria (from `Requirement.hard`) that only make sense inside a building.
BUILDING_ONLY = frozenset({"gmp", "cleanroom", "ceiling_height_m", "floor_load_kg_m2"})


def allowed_kinds(req: Requirement) -> list[int] | None:
    """Kind codes a space may have; None when any kind will do."""
    if not req.kinds:
        return None
    return [KIND_CODE[k] for k in (*req.kinds, *req.preferred_kinds) if k in KIND_CODE]


def park_filter(parks: ParkTable, req: Requirement) -> np.ndarray | None:
    """Bool per park: allowed by the stated districts / parks and the exclusions; None when
    nothing is stated (all allowed). Preferred districts and parks only widen hard ones."""
    if not (req.districts or req.parks or req.excluded_districts or req.has_park_exclusions):
        return None
    ok = np.ones(len(parks), dtype=bool)
    if req.districts or req.parks:
        ok[:] = False
        wanted = {*req.districts, *req.preferred_districts} if req.districts else set()
        if wanted:
            ok |= np.array([d in wanted for d in parks.districts], dtype=bool)
        names = (*req.parks, *req.preferred_parks) if req.parks else ()
        for name in names:
            r = parks.row_of_name(name)
            if r is not None:
                ok[r] = True
    if req.excluded_districts:
        banned = set(req.excluded_districts)
        ok &= np.array([d not in banned for d in parks.districts], dtype=bool)
    for name in req.excluded_parks:
        r = parks.row_of_name(name)
        if r is not None:
            ok[r] = False
    for r in excluded_park_rows(parks, req):
        ok[r] = False
    return ok


def excluded_park_rows(parks: ParkTable, req: Requirement) -> list[int]:
    """Rows of the parks left out by an excluded area ("不考虑亦庄": the parks in 亦庄, not
    all of 大兴区) or an excluded industry ("不要化工": parks leading in it)."""
    if not (req.excluded_areas or req.excluded_industries):
        return []
    key = ("excluded", req.excluded_areas, req.excluded_industries)
    cache = parks.__dict__.setdefault("_fits", {})
    if key not in cache:
        cache[key] = _excluded_rows(parks, req)
    return cache[key]


def _excluded_rows(parks: ParkTable, req: Requirement) -> list[int]:
    areas = [p for p in (place_named(a) for a in req.excluded_areas) if p is not None]
    names_of: dict[int, list[str]] = {}
    for alias, name in parks.aliases.items():
        r = parks.row_of_name(name)
        if r is not None:
            names_of.setdefault(r, []).append(alias)
    out = []
    for r in range(len(parks)):
        names = [parks.names[r], *names_of.get(r, ())]
        lat, lng = float(parks.lat[r]), float(parks.lng[r])  # type: ignore[index]
        if any(a.covers(lat, lng, names) for a in areas) or any(
            t in ind for ind in parks.industries[r] for t in req.excluded_industries
        ):
            out.append(r)
    return out


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


def _any_of(col: np.ndarray, codes: list[int]) -> np.ndarray:
    out = col == codes[0]
    for c in codes[1:]:
        out |= col == c
    return out


def candidate_mask(
    index: SpaceIndex,
    req: Requirement,
    *,
    exclude_ids: Iterable[int] = (),
    public_only: bool = False,
    skip: frozenset[str] = frozenset(),
) -> np.ndarray:
    """Bool per row [:n]: passes the hard filters (those named in `skip` left out, which is
    how relaxations are counted)."""
    n = index.n
    mask = index.alive[:n].copy()
    kind = index.kind[:n]
    codes = allowed_kinds(req)
    if codes and "kind" not in skip:
        mask &= _any_of(kind, codes) if len(codes) <= 3 else np.isin(kind, codes)
    if req.excluded_kinds and "kind" not in skip:
        for k in req.excluded_kinds:
            if k in KIND_CODE:
                mask &= kind != KIND_CODE[k]
    if req.deal in DEAL_CODE and "deal" not in skip:
        mask &= index.deal[:n] == DEAL_CODE[req.deal]
    land = kind == LAND
    if req.gmp and "gmp" not in req.soft and "gmp" not in skip:
        mask &= index.gmp[:n] | land if "土地" in req.kinds else index.gmp[:n]
    if req.no_basement and "basement" not in req.soft and "basement" not in skip:
        mask &= ~index.basement[:n]
    if req.no_top_floor and "top_floor" not in req.soft and "top_floor" not in skip:
        mask &= ~index.top[:n]
    if public_only:
        mask &= index.public[:n]
    if "location" not in skip:
        _location(index, req, mask)
    for criterion in req.hard:
        if criterion not in skip:
            _hard(index, req, criterion, mask, land)
    for r in index.rows_of(exclude_ids):
        if r < n:
            mask[r] = False
    return mask


def _location(index: SpaceIndex, req: Requirement, mask: np.ndarray) -> None:
    n = index.n
    allowed = park_filter(index.parks, req)
    if allowed is None:
        return
    if req.parks or req.has_park_exclusions:
        mask &= allowed[index.park[:n]]
        return
    # district codes of the allowed parks: compares on int16, no gather over parks
    dcodes = [int(d) for d in np.unique(index.parks.district_code[allowed])]
    if not dcodes:
        mask[:] = False
    elif len(dcodes) <= 4:
        mask &= _any_of(index.district[:n], dcodes)
    else:
        mask &= np.isin(index.district[:n], dcodes)


def _hard(
    index: SpaceIndex, req: Requirement, criterion: str, mask: np.ndarray, land: np.ndarray
) -> None:
    """One must-have criterion as a filter; unknown values pass (shown as 未标明)."""
    n = index.n
    building = criterion in BUILDING_ONLY
    bad: np.ndarray | None = None
    with np.errstate(invalid="ignore"):
        if criterion == "ceiling_height_m" and req.ceiling_height_m is not None:
            bad = index.height[:n] < req.ceiling_height_m
        elif criterion == "floor_load_kg_m2" and req.floor_load_kg_m2 is not None:
            bad = index.load[:n] < req.floor_load_kg_m2
        elif criterion == "power_kva" and req.power_kva is not None:
            bad = index.power[:n] < req.power_kva
        elif criterion == "dual_power" and req.dual_power:
            bad = ~index.dual[:n]
        elif criterion == "env_assessment" and req.env_assessment:
            bad = ~index.env[:n]
        elif criterion == "cleanroom" and req.cleanroom:
            bad = ~index.clean[:n]
            if req.cleanroom_iso is not None:
                bad |= index.clean_iso[:n] > req.cleanroom_iso
        elif criterion == "area" and (req.area_min_m2 is not None or req.area_max_m2 is not None):
            lo = req.area_min_m2 or 0.0
            hi = req.area_max_m2 if req.area_max_m2 is not None else np.inf
            target = req.area_target_m2 or lo
            area = index.area[:n]
            eff = np.where(area > target, np.maximum(target, index.minlet[:n]), area)
            bad = (eff < lo) | (eff > hi)
        elif criterion == "budget":
            bad = _over_budget(index, req)
        elif criterion == "move_in" and req.move_in_by:
            bad = index.avail[:n] > _day(req.move_in_by)
    if bad is None:
        return
    if building:
        bad &= ~land
    mask &= ~bad


def _over_budget(index: SpaceIndex, req: Requirement) -> np.ndarray | None:
    n = index.n
    price = index.price[:n]
    rent = index.deal[:n] == RENT
    bad = np.zeros(n, dtype=bool)
    if req.rent_max_yuan_m2_day is not None:
        bad |= rent & (price > req.rent_max_yuan_m2_day)
    if req.price_max_yuan_m2 is not None:
        bad |= ~rent & (price > req.price_max_yuan_m2)
    elif req.total_max_wan is not None:
        target = req.area_target_m2 or 0.0
        area = index.area[:n]
        eff = np.where(area > target, np.maximum(target, index.minlet[:n]), area)
        bad |= ~rent & (price * eff / 10000.0 > req.total_max_wan)
    return bad


def _day(iso: str) -> float:
    """Days since 1970-01-01 of an ISO date (the index's `avail` unit)."""
    return float(np.datetime64(iso, "D").astype(np.int64))
