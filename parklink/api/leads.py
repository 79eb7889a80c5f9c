"""API endpoints of the leads domain.

`POST /leads` is public (exchange-format lead plus `consent`, rate limited); everything
that holds personal data needs an operator token and follows the same data scopes and
masking as the back office.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from parklink.api.auth import OperatorToken
from parklink.api.schemas import Bool, ErrorOut, Int, IsoDate, Number, Score, inline_schema
from parklink.leads import access, intake, selectors, services
from parklink.leads.choices import Channel, FollowUpKind
from parklink.leads.models import Lead
from parklink.leads.validation import LeadDataError

router = Router(tags=["leads"])


class Requires(Schema):
    gmp: Bool | None = None
    ceiling_height_m: Number | None = None
    floor_load_kg_m2: Number | None = None
    power_kva: Number | None = None


class LeadIn(Schema):
    """A lead in the exchange format (DESIGN.md) plus `consent`; numbers may be strings."""

    company: str | None = None
    contact: str = Field(..., description="联系人")
    mobile: str = Field(..., description="手机号:大陆11位,或带国家代码 (+1 …, +49 …)")
    need: str | None = Field(None, description="需求(自由文本)")
    kind: str | None = None
    deal: str | None = None
    area_min_m2: Number | str | None = None
    area_max_m2: Number | str | None = None
    budget: Number | str | None = None
    budget_unit: str | None = None
    districts: list[str] | None = None
    parks: list[str] | None = None
    industry: str | None = None
    use: str | None = None
    annual_tax_wan: Number | str | None = None
    uscc: str | None = None
    requires: Requires | None = None
    space: str | None = Field(None, description="咨询的房源编号")
    consent: Bool = Field(..., description="同意为对接资源之目的处理个人信息 (PIPL)")
    total_investment_wan: Number | str | None = None
    land_mu: Number | str | None = Field(None, description="用地面积(亩)")
    annual_output_wan: Number | str | None = None
    is_high_tech: Bool | None = Field(None, description="高新技术企业(null = 未知)")
    is_specialized: Bool | None = Field(None, description="专精特新(null = 未知)")
    founded_year: Int | None = None
    staff: Int | None = None


class Created(Schema):
    """201: stored (`status` "received"); 202: the database was busy, the submission is
    safely spooled and will be stored (`id` null, `status` "queued")."""

    id: int | None
    status: str


def _error(status: int, zh: str, en: str, fields: list[dict[str, str]] | None = None):
    return JsonResponse(
        {"error": f"{zh} / {en}", "fields": fields or []},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


@router.post(
    "/leads",
    auth=None,
    response={
        201: Created,
        202: Created,
        400: ErrorOut,
        413: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="提交需求 / submit a lead (public)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": inline_schema(LeadIn)}},
        }
    },
)
def lead_create(request: HttpRequest) -> Any:
    refusal = intake.check(request)
    if refusal is not None:
        return _error(refusal.status, refusal.zh, refusal.en)
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return _error(400, "请求体不是合法的 JSON", "the body is not valid JSON")
    if not isinstance(data, dict):
        return _error(400, "请求体应为 JSON 对象", "the body must be a JSON object")
    try:
        receipt = intake.lead_receive(
            data=data,
            channel=Channel.API,
            actor=None,
            ip=intake.client_ip(request),
            user_agent=intake.user_agent(request),
        )
    except LeadDataError as exc:
        return _error(422, "输入不合法", "invalid input", exc.as_list())
    if receipt.queued:
        return Status(202, {"id": None, "status": "queued"})
    return Status(201, {"id": receipt.lead.pk, "status": "received"})


# --- operators ------------------------------------------------------------------------


class FollowUpOut(Schema):
    id: int
    kind: str
    note: str
    at: datetime
    author: str | None
    next_follow_up: date | None


class LeadOut(Schema):
    id: int
    ref: str
    company: str
    contact: str
    mobile: str
    mobile_masked: bool
    need: str
    use: str
    annual_tax_wan: float | None
    kind: str
    deal: str
    area_min_m2: float | None
    area_max_m2: float | None
    budget: float | None
    budget_unit: str
    districts: list[str]
    parks: list[str]
    industry: str
    requires: dict[str, Any]
    uscc: str
    project_type: str
    grade: str
    stage: str
    lost_reason: str
    owner: str | None
    channel: str
    next_follow_up: date | None
    tags: list[str]
    is_demo: bool
    created_at: datetime
    last_inquiry_at: datetime
    total_investment_wan: float | None = None
    land_mu: float | None = None
    annual_output_wan: float | None = None
    is_high_tech: bool | None = None
    is_specialized: bool | None = None
    founded_year: int | None = None
    staff: int | None = None


class LeadDetailOut(LeadOut):
    follow_ups: list[FollowUpOut]
    inquiries: int


class LeadPage(Schema):
    count: int
    results: list[LeadOut]


def _num(value: Any) -> float | None:
    return float(value) if value is not None else None


def _out(lead: Lead, viewer: Any) -> dict[str, Any]:
    entitled = access.can_see_mobile(viewer, lead)
    return {
        "id": lead.pk,
        "ref": lead.ref,
        "company": lead.company,
        "contact": lead.contact,
        "mobile": access.mobile_for(viewer, lead),
        "mobile_masked": not entitled,
        "need": lead.need,
        "use": lead.use,
        "annual_tax_wan": _num(lead.annual_tax_wan),
        "kind": lead.kind,
        "deal": lead.deal,
        "area_min_m2": _num(lead.area_min_m2),
        "area_max_m2": _num(lead.area_max_m2),
        "budget": _num(lead.budget),
        "budget_unit": lead.budget_unit,
        "districts": lead.districts,
        "parks": lead.parks,
        "industry": lead.industry,
        "requires": lead.requires,
        "uscc": lead.uscc,
        "project_type": lead.project_type,
        "grade": lead.grade,
        "stage": lead.stage,
        "lost_reason": lead.lost_reason,
        "owner": lead.owner.username if lead.owner else None,
        "channel": lead.channel,
        "next_follow_up": lead.next_follow_up,
        "tags": [t.name for t in lead.tags.all()],
        "is_demo": lead.is_demo,
        "created_at": lead.created_at,
        "last_inquiry_at": lead.last_inquiry_at,
        "total_investment_wan": _num(lead.total_investment_wan),
        "land_mu": _num(lead.land_mu),
        "annual_output_wan": _num(lead.annual_output_wan),
        "is_high_tech": lead.is_high_tech,
        "is_specialized": lead.is_specialized,
        "founded_year": lead.founded_year,
        "staff": lead.staff,
    }


MAX_ID = 2**63 - 1  # a database id; larger numbers name no lead (and overflow SQLite)


def _get(request: HttpRequest, lead_id: int) -> Lead:
    try:
        if not 0 < lead_id <= MAX_ID:
            raise Lead.DoesNotExist
        return selectors.lead_get(viewer=request.auth, pk=lead_id)
    except Lead.DoesNotExist:
        raise HttpError(404, "线索不存在 / lead not found") from None


def _detail(lead: Lead, viewer: Any) -> dict[str, Any]:
    services.lead_pii_viewed(leads=[lead], actor=viewer, where="api.detail")
    return {
        **_out(lead, viewer),
        "inquiries": lead.inquiries.count(),
        "follow_ups": [
            {
                "id": f.pk,
                "kind": f.kind,
                "note": f.note,
                "at": f.at,
                "author": f.author.username if f.author else None,
                "next_follow_up": f.next_follow_up,
            }
            for f in lead.follow_ups.select_related("author")
        ],
    }


@router.get(
    "/leads",
    auth=OperatorToken(),
    response=LeadPage,
    summary="线索列表 / list leads (operators)",
)
def lead_list(
    request: HttpRequest,
    q: str = "",
    stage: str = "",
    grade: str = "",
    channel: str = "",
    owner: str = "",
    industry: str = "",
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    filters = selectors.LeadFilter(
        q=q[:100], stage=stage, grade=grade, channel=channel, owner=owner, industry=industry[:50]
    )
    qs = selectors.lead_list(viewer=request.auth, filters=filters)
    limit = max(1, min(limit, 200))
    offset = max(0, min(offset, 10**9))
    page = list(qs[offset : offset + limit])
    services.lead_pii_viewed(leads=page, actor=request.auth, where="api.list")
    return {"count": qs.count(), "results": [_out(lead, request.auth) for lead in page]}


@router.get(
    "/leads/{lead_id}",
    auth=OperatorToken(),
    response=LeadDetailOut,
    summary="线索详情 / retrieve a lead (operators)",
)
def lead_retrieve(request: HttpRequest, lead_id: int) -> dict[str, Any]:
    return _detail(_get(request, lead_id), request.auth)


class LeadPatch(Schema):
    """Any of the 招商 record's fields; `stage` (with `lost_reason`) and `tags` too.

    Any other field (`owner`, `ref`, `id`, a typo) is refused with 422 naming it, never
    ignored: assigning a lead is the office's assign action (managers), not a field."""

    model_config = ConfigDict(extra="forbid")

    company: str | None = None
    contact: str | None = None
    mobile: str | None = None
    need: str | None = None
    use: str | None = None
    kind: str | None = None
    deal: str | None = None
    area_min_m2: Number | str | None = None
    area_max_m2: Number | str | None = None
    budget: Number | str | None = None
    budget_unit: str | None = None
    districts: list[str] | None = None
    parks: list[str] | None = None
    industry: str | None = None
    requires: Requires | None = None
    annual_tax_wan: Number | str | None = None
    uscc: str | None = None
    registered_capital_wan: Number | str | None = None
    founded_year: Int | None = None
    staff: Int | None = None
    qualifications: list[str] | None = None
    project_type: str | None = None
    total_investment_wan: Number | str | None = None
    last_year_tax_wan: Number | str | None = None
    last_year_sales_wan: Number | str | None = None
    expected_sales_wan: Number | str | None = None
    score_intent: Score | None = None
    score_funds: Score | None = None
    score_fit: Score | None = None
    next_follow_up: IsoDate | None = None
    stage: str | None = None
    lost_reason: str | None = None
    lost_note: str | None = None
    tags: list[str] | None = None
    land_mu: Number | str | None = None
    annual_output_wan: Number | str | None = None
    is_high_tech: Bool | None = None
    is_specialized: Bool | None = None


@router.patch(
    "/leads/{lead_id}",
    auth=OperatorToken(),
    response={200: LeadDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="修改线索 / update a lead (owner or manager)",
)
def lead_patch(request: HttpRequest, lead_id: int, payload: LeadPatch) -> Any:
    lead = _get(request, lead_id)
    data = payload.model_dump(exclude_unset=True)
    stage = data.pop("stage", None)
    lost_reason = data.pop("lost_reason", None) or ""
    lost_note = data.pop("lost_note", None) or ""
    tags = data.pop("tags", None)
    try:
        if data:
            lead = services.lead_update(lead=lead, actor=request.auth, data=data)
        if stage:
            lead = services.lead_stage_set(
                lead=lead, actor=request.auth, stage=stage, lost_reason=lost_reason, note=lost_note
            )
        if tags is not None:
            services.lead_tags_set(lead=lead, actor=request.auth, names=tags)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    except LeadDataError as exc:
        return _error(422, "输入不合法", "invalid input", exc.as_list())
    return Status(200, _detail(_get(request, lead_id), request.auth))


class FollowUpIn(Schema):
    kind: FollowUpKind  # one of the office's follow-up kinds (电话, 拜访, 微信, 邮件, 会谈, 其他)
    note: str
    next_follow_up: IsoDate | None = None


@router.post(
    "/leads/{lead_id}/follow-ups",
    auth=OperatorToken(),
    response={201: FollowUpOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="添加跟进 / add a follow-up (owner or manager)",
)
def follow_up_create(request: HttpRequest, lead_id: int, payload: FollowUpIn) -> Any:
    lead = _get(request, lead_id)
    try:
        follow = services.follow_up_add(
            lead=lead,
            actor=request.auth,
            kind=str(payload.kind.value),
            note=payload.note,
            next_follow_up=payload.next_follow_up,
        )
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    except ValidationError as exc:
        fields = [{"field": k, "message": m} for k, msgs in exc.message_dict.items() for m in msgs]
        return _error(422, "输入不合法", "invalid input", fields)
    return Status(
        201,
        {
            "id": follow.pk,
            "kind": follow.kind,
            "note": follow.note,
            "at": follow.at,
            "author": request.auth.username,
            "next_follow_up": follow.next_follow_up,
        },
    )
