"""The one ranking: spaces (and parks) for a requirement, with scores and reasons.

`rank()` is what every interface ends in (through `matching.selectors.match_requirement`):
the lead panel, the match page, the API and `parklink match`. Reverse matching
(`rank_requirements`) and park ranking (`rank_parks`) use the same scores.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from parklink.matching.columns import SpaceIndex
from parklink.matching.config import DEFAULT_CONFIG, MatchConfig
from parklink.matching.filters import candidates, park_filter
from parklink.matching.reasons import (
    Reason,
    _district_reason,
    _industry_reason,
    _tax_reason,
    explain,
)
from parklink.matching.requirement import Requirement
from parklink.matching.scores import (
    best_rows,
    industry_fit,
    lead_tax_per_m2,
    score_rows,
    tax_fit,
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
