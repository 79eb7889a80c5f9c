"""API endpoints of the policies area.

- `GET /policies` (public): the policies in force (exchange-format fields), `?on=`, `?region=`.
- `POST /policies/match` (public, no personal data, rate limited): project facts in the
  exchange format → ``{"policies": [...]}`` exactly as ``parklink policy match --json``.
- `POST /evaluate` (operator token): ``{"lead": {...}, "park": NAME}`` → the body of
  ``parklink evaluate --json``.
- `GET /leads/{id}/evaluations` (operator token, the viewer's lead scope): the lead against
  each shortlisted park, best first, and its policy matches.
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from parklink.api.auth import OperatorToken
from parklink.api.schemas import Bool, Int, IsoDate, Number
from parklink.core.services import ip_hash
from parklink.leads import ratelimit
from parklink.leads import selectors as lead_selectors
from parklink.leads.conf import parse_rate
from parklink.leads.intake import client_ip
from parklink.leads.models import Lead
from parklink.policies import selectors, services
from parklink.policies.facts import FactsError, facts_from_data

router = Router(tags=["policies"])


class ConditionOut(Schema):
    field: str
    op: str
    value: Any


class PolicyOut(Schema):
    ref: str
    title: str
    issuer: str
    region: str
    valid_from: date | None
    valid_to: date | None
    industries: list[str]
    conditions: list[ConditionOut]
    benefit: str
    amount_wan_max: float | None
    source: str
    is_demo: bool


class PolicyMatchOut(Schema):
    ref: str
    title: str
    status: str = Field(..., description="eligible | possible | ineligible")
    met: list[ConditionOut]
    unmet: list[ConditionOut]
    unknown: list[ConditionOut]
    amount_wan_max: float | None


class PolicyMatchesOut(Schema):
    policies: list[PolicyMatchOut]


class FactsIn(Schema):
    """A project's facts in the exchange format (numbers may be strings; `need` free text
    is read for what the fields leave blank)."""

    need: str | None = Field(None, max_length=4000)
    industry: str | None = None
    districts: list[str] | None = None
    total_investment_wan: Number | str | None = None
    land_mu: Number | str | None = None
    area_min_m2: Number | str | None = None
    area_max_m2: Number | str | None = None
    annual_tax_wan: Number | str | None = None
    annual_output_wan: Number | str | None = None
    is_high_tech: Bool | None = None
    is_specialized: Bool | None = None
    founded_year: Int | None = None
    staff: Int | None = None
    on: IsoDate | None = Field(None, description="日期(默认今天)/ the day (default today)")


class CheckOut(Schema):
    rule: str
    ok: bool | None
    value: Any
    threshold: Any
    text: str


class VetoOut(Schema):
    rule: str
    text: str


class EvaluationOut(Schema):
    park: str
    score: float | None  # null: unrated (the park sets no scored rule)
    grade: str | None
    vetoed: bool
    veto: list[VetoOut]
    indicators: dict[str, float | None]
    checks: list[CheckOut]


class EvaluateIn(Schema):
    lead: dict[str, Any]
    park: str


class LeadEvaluationsOut(Schema):
    lead_id: int
    ref: str
    evaluations: list[EvaluationOut]
    policies: list[PolicyMatchOut]


def _policy_out(p: Any) -> dict[str, Any]:
    return {
        "ref": p.ref,
        "title": p.title,
        "issuer": p.issuer,
        "region": p.region,
        "valid_from": p.valid_from,
        "valid_to": p.valid_to,
        "industries": p.industries,
        "conditions": p.conditions,
        "benefit": p.benefit,
        "amount_wan_max": float(p.amount_wan_max) if p.amount_wan_max is not None else None,
        "source": p.source,
        "is_demo": p.is_demo,
    }


@router.get("/policies", response=list[PolicyOut], summary="有效政策 / policies in force")
def policy_list(request: HttpRequest, on: IsoDate | None = None, region: str = ""):
    return [_policy_out(p) for p in selectors.policy_public_list(on=on, region=region[:20])]


@router.post(
    "/policies/match",
    response=PolicyMatchesOut,
    summary="政策匹配 / the policies a project may get",
)
def policy_match(request: HttpRequest, payload: FactsIn):
    rate = parse_rate(os.environ.get("PARKLINK_MATCH_RATE_LIMIT", "60/m"))
    if not ratelimit.hit(ip_hash(client_ip(request)) or "unknown", rate=rate, scope="policies"):
        raise HttpError(429, "请求过于频繁,请稍后再试 / too many requests, try again later")
    data = payload.dict(exclude_none=True)
    on = data.pop("on", None) or timezone.localdate()
    try:
        facts = facts_from_data(data)
    except FactsError as exc:
        raise HttpError(422, exc.message) from None
    return {"policies": [m.to_dict() for m in selectors.policy_matches(facts=facts, on=on)]}


@router.post(
    "/evaluate",
    response=EvaluationOut,
    auth=OperatorToken(),
    summary="项目研判 / evaluate a lead against a park (operators)",
)
def evaluate(request: HttpRequest, payload: EvaluateIn):
    park = selectors.park_find(payload.park)
    if park is None:
        raise HttpError(404, f"找不到园区“{payload.park}” / park not found")
    try:
        return selectors.evaluate_data(data=payload.lead, park=park).to_dict()
    except FactsError as exc:
        raise HttpError(422, exc.message) from None


@router.get(
    "/leads/{lead_id}/evaluations",
    response=LeadEvaluationsOut,
    auth=OperatorToken(),
    summary="线索的项目研判与政策匹配 / a lead's evaluations and policy matches (operators)",
)
def lead_evaluations(request: HttpRequest, lead_id: int):
    try:
        lead = lead_selectors.lead_get(viewer=request.auth, pk=lead_id)
    except Lead.DoesNotExist:
        raise HttpError(404, "线索不存在 / lead not found") from None
    evaluations = selectors.lead_evaluations(lead=lead)
    services.evaluation_report_audit(
        lead=lead,
        actor=request.auth,
        parks=[e.park.name for e in evaluations],
        where="api.evaluations",
    )
    return {
        "lead_id": lead.pk,
        "ref": lead.ref,
        "evaluations": [e.evaluation.to_dict() for e in evaluations],
        "policies": [m.to_dict() for m in selectors.lead_policy_matches(lead=lead)],
    }
