"""API endpoints of the matching domain.

- `GET /leads/{id}/matches` (operator token): spaces for a lead, best first, with reasons.
- `GET /spaces/{id}/leads` (operator token): reverse matching, the open leads a space fits.
- `POST /match` (public, no personal data): a requirement in the exchange format or only
  free text (Chinese or English) → the parsed requirement and the public spaces that fit;
  when nothing fits, `relaxations` says what to relax and what that would give.

All three call the one ranking, `matching.selectors.match_requirement`.
"""

from __future__ import annotations

import os
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from parklink.api.auth import OperatorToken
from parklink.api.schemas import Bool, Int, Number
from parklink.core.services import ip_hash
from parklink.leads import access, ratelimit
from parklink.leads.conf import parse_rate
from parklink.leads.intake import client_ip
from parklink.leads.selectors import lead_scope
from parklink.matching import selectors
from parklink.matching.parse import RequirementError
from parklink.parks.models import Space

router = Router(tags=["matching"])


class ReasonOut(Schema):
    criterion: str
    ok: bool | None
    text: str
    hard: bool = Field(False, description="硬性条件(过滤)/ a hard constraint that filters")


class BestOut(Schema):
    ref: str
    park: str
    score: float


class RelaxationOut(Schema):
    criterion: str
    text: str = Field(..., description="放宽什么,能得到什么 / what to relax, what it gives")
    text_en: str
    count: int
    change: dict[str, Any]
    best: BestOut | None = None


class SpaceMatchOut(Schema):
    id: int
    ref: str
    park: str
    score: float
    reasons: list[ReasonOut]


class ParkMatchOut(Schema):
    park: str
    district: str
    score: float
    spaces: int
    reasons: list[ReasonOut]


class MatchOut(Schema):
    requirement: dict[str, Any]
    results: list[SpaceMatchOut]
    parks: list[ParkMatchOut] = []
    missing: list[str] = []
    error: str | None = None
    fits: int = Field(0, description="完全符合的结果数 / results that fit every criterion")
    relaxations: list[RelaxationOut] = []
    explanation: str | None = Field(
        None, description="没有合适房源时的说明 / why nothing fits, in Chinese / English"
    )


class RequiresIn(Schema):
    gmp: Bool | None = None
    ceiling_height_m: Number | None = None
    floor_load_kg_m2: Number | None = None
    power_kva: Number | None = None


class MatchIn(Schema):
    """A requirement: structured exchange-format fields and/or `need` free text (no name or
    mobile needed)."""

    need: str | None = Field(None, max_length=10000, description="需求(自由文本)")
    kind: str | list[str] | None = None
    deal: str | None = None
    area_min_m2: Number | None = None
    area_max_m2: Number | None = None
    budget: Number | None = None
    budget_unit: str | None = None
    districts: list[str] | None = None
    parks: list[str] | None = None
    industry: str | None = None
    use: str | None = None
    annual_tax_wan: Number | None = None
    requires: RequiresIn | None = None
    top: Int = Field(10, ge=1, le=50)


def _out(result: selectors.MatchResult) -> dict[str, Any]:
    return {
        "requirement": result.requirement.to_dict(),
        "results": [
            {
                "id": m.space_id,
                "ref": m.ref,
                "park": m.park,
                "score": m.score,
                "reasons": [r.to_dict() for r in m.reasons],
            }
            for m in result.results
        ],
        "parks": [p.to_dict() for p in result.parks],
        "missing": result.missing,
        "error": result.error,
        "fits": result.fits,
        "relaxations": [r.to_dict() for r in result.relaxations],
        "explanation": _explanation(result),
    }


def _explanation(result: selectors.MatchResult) -> str | None:
    """One bilingual line when nothing fits: the closest relaxation first."""
    if result.fits or result.missing:
        return None
    head = (
        "没有符合全部硬性条件的房源 / no space meets every hard constraint"
        if not result.results
        else "没有完全符合的房源 / no space fits every criterion"
    )
    if not result.relaxations:
        return head
    best = result.relaxations[0]
    return f"{head};{best.text} / {best.text_en}"


@router.get(
    "/leads/{lead_id}/matches",
    response=MatchOut,
    auth=OperatorToken(),
    summary="线索的匹配房源 / spaces matching a lead",
)
def lead_matches(request: HttpRequest, lead_id: int, top: int = 10, parks: bool = False):
    # Out of scope answers exactly like missing (no 403-vs-404 oracle).
    lead = get_object_or_404(lead_scope(viewer=request.user), pk=lead_id)
    top = max(1, min(top, 50))
    return _out(selectors.lead_matches(lead, top=top, with_parks=parks))


class LeadMatchOut(Schema):
    lead_id: int
    ref: str
    company: str
    owner: str | None
    stage: str
    score: float
    reasons: list[ReasonOut]


@router.get(
    "/spaces/{space_id}/leads",
    response=list[LeadMatchOut],
    auth=OperatorToken(),
    summary="适合该房源的线索 / open leads a space fits",
)
def space_leads(request: HttpRequest, space_id: int, min_score: float = 0.0, limit: int = 50):
    get_object_or_404(Space, pk=space_id)
    limit = max(1, min(limit, 200))
    out = []
    for lead, match in selectors.space_leads(space_id, min_score=min_score, limit=limit * 3):
        if not access.can_view(request.user, lead):
            continue
        out.append(
            {
                "lead_id": lead.pk,
                "ref": lead.ref,
                "company": lead.company,
                "owner": lead.owner.get_username() if lead.owner else None,
                "stage": lead.stage,
                "score": match.score,
                "reasons": [r.to_dict() for r in match.reasons],
            }
        )
        if len(out) >= limit:
            break
    return out


@router.post("/match", response=MatchOut, summary="按需求匹配房源 / match a requirement")
def match(request: HttpRequest, payload: MatchIn):
    rate = parse_rate(os.environ.get("PARKLINK_MATCH_RATE_LIMIT", "60/m"))
    if not ratelimit.hit(ip_hash(client_ip(request)) or "unknown", rate=rate, scope="match"):
        raise HttpError(429, "请求过于频繁,请稍后再试 / too many requests, try again later")
    data = payload.dict(exclude_none=True)
    top = data.pop("top", 10)
    try:
        req = selectors.requirement_from_data(data)
    except RequirementError as exc:
        raise HttpError(422, f"{exc.field}: {exc.message}") from None
    result = selectors.match_requirement(req, top=top, public_only=True, with_parks=True)
    if result.missing:
        raise HttpError(
            422,
            "需求信息不足,无法匹配,请至少提供其中一项 / not enough to match, give at least "
            "one of: " + "; ".join(result.missing),
        )
    return _out(result)
