"""Reads of the matching area: requirements of leads, matches for a lead or a text, leads
for a space, parks for a requirement."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from parklink.leads.models import Lead
from parklink.leads.selectors import lead_requirement_data
from parklink.matching import index as match_index
from parklink.matching.config import DEFAULT_CONFIG, MatchConfig
from parklink.matching.models import MatchAlert, MatchFeedback
from parklink.matching.parse import (
    Requirement,
    RequirementError,
    missing,
    parse_lead,
    parse_text,
)
from parklink.matching.ranking import (
    ParkMatch,
    Relaxation,
    SpaceMatch,
    rank,
    rank_parks,
    rank_requirements,
    relaxations,
)

_config_cache: dict[str, Any] = {"key": None, "config": DEFAULT_CONFIG}
_lead_reqs: dict[int, tuple[Any, Requirement, str | None]] = {}


def matching_config() -> MatchConfig:
    """The deployment's config: defaults overridden by settings.PARKLINK["MATCHING"]."""
    overrides = settings.PARKLINK.get("MATCHING") or {}
    key = repr(sorted(overrides.items()))
    if _config_cache["key"] != key:
        _config_cache.update(key=key, config=DEFAULT_CONFIG.with_overrides(overrides))
    return _config_cache["config"]


def requirement_from_data(data: dict[str, Any]) -> Requirement:
    """Parse a lead in the exchange format; raises RequirementError naming the field. The
    one way every interface reads a requirement (a sentence is `{"need": text}`)."""
    return parse_lead(
        data,
        aliases=match_index.alias_table(),
        config=matching_config(),
        today=timezone.localdate(),
    )


def requirement_from_text(text: str) -> Requirement:
    """A sentence as a requirement: the same reading as a lead with only `need`."""
    return requirement_from_data({"need": text})


def lead_requirement(lead: Lead) -> tuple[Requirement, str | None]:
    """(requirement, error): a stored lead whose fields contradict each other falls back to
    what its free text says, with the error to show. Cached per lead version."""
    cached = _lead_reqs.get(lead.pk)
    if cached is not None and cached[0] == lead.updated_at:
        return cached[1], cached[2]
    error = None
    try:
        req = requirement_from_data(lead_requirement_data(lead))
    except RequirementError as exc:
        error = exc.message
        req = parse_text(
            lead.need or "", aliases=match_index.alias_table(), today=timezone.localdate()
        )
    if len(_lead_reqs) > 20000:
        _lead_reqs.clear()
    _lead_reqs[lead.pk] = (lead.updated_at, req, error)
    return req, error


@dataclass
class MatchResult:
    requirement: Requirement
    results: list[SpaceMatch] = field(default_factory=list)
    parks: list[ParkMatch] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    error: str | None = None
    # when no result fits: what to relax and what that would give
    relaxations: list[Relaxation] = field(default_factory=list)

    @property
    def fits(self) -> int:
        """How many results fit every criterion of the space itself."""
        return sum(1 for m in self.results if m.fits)

    def to_dict(self) -> dict[str, Any]:
        """The DESIGN.md shape {"requirement", "results": [{"ref","park","score","reasons"}]}
        plus "fits" and "relaxations" (keys added, none removed)."""
        return {
            "requirement": self.requirement.to_dict(),
            "results": [m.to_dict() for m in self.results],
            "fits": self.fits,
            "relaxations": [r.to_dict() for r in self.relaxations],
        }


def match_requirement(
    req: Requirement,
    *,
    top: int = 10,
    exclude_ids: set[int] | frozenset[int] = frozenset(),
    public_only: bool = False,
    with_parks: bool = False,
) -> MatchResult:
    """Spaces (and optionally parks) ranked for a requirement: the one ranking that the lead
    panel, the match page, the API and `parklink match` all call. When no result fits, the
    closest relaxations say what to relax and what that would give."""
    gaps = missing(req)
    if gaps:
        return MatchResult(requirement=req, missing=gaps)
    idx = match_index.get_index()
    cfg = matching_config()
    kw = {"exclude_ids": exclude_ids, "public_only": public_only}
    results = rank(idx, req, config=cfg, top=top, **kw)
    parks = rank_parks(idx, req, config=cfg, top=top) if with_parks else []
    result = MatchResult(requirement=req, results=results, parks=parks)
    if not result.fits:
        result.relaxations = relaxations(idx, req, config=cfg, **kw)
    return result


def lead_feedback_space_ids(lead: Lead) -> set[int]:
    """Spaces already recommended to this lead or marked 不感兴趣."""
    return set(MatchFeedback.objects.filter(lead=lead).values_list("space_id", flat=True))


def lead_matches(lead: Lead, *, top: int = 10, with_parks: bool = False) -> MatchResult:
    """Spaces for a lead, best first, never those already recommended or refused."""
    req, error = lead_requirement(lead)
    result = match_requirement(
        req, top=top, exclude_ids=lead_feedback_space_ids(lead), with_parks=with_parks
    )
    result.error = error
    return result


def space_leads(
    space_id: int, *, min_score: float = 0.0, limit: int = 50
) -> list[tuple[Lead, SpaceMatch]]:
    """Reverse matching: the open leads this space fits, best first (leads that already had
    it recommended or refused are left out)."""
    idx = match_index.get_index()
    if idx.row(space_id) is None:
        return []
    cfg = matching_config()
    skip = set(MatchFeedback.objects.filter(space_id=space_id).values_list("lead_id", flat=True))
    leads = {
        lead.pk: lead for lead in Lead.objects.open().select_related("owner").exclude(pk__in=skip)
    }
    reqs = []
    for lead in leads.values():
        req, _ = lead_requirement(lead)
        if not missing(req):
            reqs.append((lead.pk, req))
    found = rank_requirements(idx, space_id, reqs, config=cfg, min_score=min_score)
    return [(leads[key], match) for key, match in found[:limit]]  # type: ignore[index]


def alerts_for(user: Any, *, unread_only: bool = False, limit: int = 50) -> list[MatchAlert]:
    qs = MatchAlert.objects.filter(owner=user).select_related("lead", "space", "space__park")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return list(qs[:limit])


def unread_alert_count(user: Any) -> int:
    return MatchAlert.objects.filter(owner=user, read_at__isnull=True).count()
