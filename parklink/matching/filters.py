"""Hard filters: which spaces a requirement excludes (never ranked)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from parklink.matching.columns import DEAL_CODE, KIND_CODE, ParkTable, SpaceIndex
from parklink.matching.requirement import Requirement


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
