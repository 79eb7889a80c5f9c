"""API endpoint of the chain map: GET /api/v1/parks/{id}/chain (public, read-only).

The body holds the keys of ``parklink chain --json`` (park, template, segments, targets) and a
few more for clients (ids, stage order, the templates to choose from).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from parklink.chains.selectors import (
    TemplateNotFound,
    chain_template_list,
    park_chain_get,
    park_get,
    park_network_get,
)
from parklink.parks.models import Park

router = Router(tags=["chains"])


class ChainQuery(Schema):
    template: str | None = Field(
        None, description="产业链模板(名称、文件名或别名)/ template name, file name or alias"
    )


class ChainOrg(Schema):
    id: int
    name: str
    score: float


class ChainSegment(Schema):
    name: str
    stage: str
    status: str = Field(..., description="strong | weak | gap")
    orgs: list[str]
    members: list[ChainOrg]


class ChainTarget(Schema):
    segment: str
    org: str
    reason: str
    org_id: int
    park: str | None
    action: str = Field(..., description="补链 (gap) | 强链 (weak)")
    score: float


class ChainOut(Schema):
    park: str
    park_id: int
    template: str
    templates: list[str]
    config_version: str
    segments: list[ChainSegment]
    targets: list[ChainTarget]


@router.get(
    "/parks/{park_id}/chain", response=ChainOut, summary="园区产业链与招商目标 / a park's chain"
)
def park_chain(request: HttpRequest, park_id: int, query: Query[ChainQuery]) -> dict[str, Any]:
    try:
        park = park_get(park_id)
    except Park.DoesNotExist as exc:
        raise HttpError(404, "园区不存在 / park not found") from exc
    try:
        result = park_chain_get(park=park, template=query.template)
    except TemplateNotFound as exc:
        raise HttpError(
            422, f"没有产业链模板“{query.template}” / unknown chain template: {query.template}"
        ) from exc
    body = result.as_dict()
    for out, seg in zip(body["segments"], result.segments, strict=True):
        out["members"] = [
            {"id": p.org.id, "name": p.org.name, "score": p.score} for p in seg.placements
        ]
    for out, t in zip(body["targets"], result.targets, strict=True):
        out.update(org_id=t.org.id, park=t.org.park_name or None, action=t.action, score=t.score)
    return {
        **body,
        "park_id": park.pk,
        "templates": [t.name for t in chain_template_list()],
        "config_version": result.config.version,
    }


class NetworkNode(Schema):
    id: str = Field(..., description="park:ID | org:ID")
    name: str
    kind: str = Field(..., description="park | org | institute")


class NetworkArticle(Schema):
    id: int
    title: str


class NetworkEdge(Schema):
    source: str
    target: str
    weight: float
    relation: str | None = Field(None, description="入驻 | 合作 | 投资 | 孵化 | null (co-mention)")
    articles: list[NetworkArticle]


class NetworkOut(Schema):
    park: str
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


@router.get(
    "/parks/{park_id}/network",
    response=NetworkOut,
    summary="园区创新网络 / a park's innovation network",
)
def park_network(request: HttpRequest, park_id: int) -> dict[str, Any]:
    try:
        park = park_get(park_id)
    except Park.DoesNotExist as exc:
        raise HttpError(404, "园区不存在 / park not found") from exc
    return park_network_get(park=park).as_dict()
