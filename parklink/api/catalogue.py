"""API endpoints of the catalogue: parks, spaces, organisations (public, read-only).

List endpoints take the same filters as the portal (``parklink.parks.filters``) and are
paginated: ``{"count", "page", "pages", "per_page", "items"}``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from parklink.api.schemas import Amount, Id
from parklink.core.hygiene import MAX_OFFSET
from parklink.orgs.filters import OrgFilter
from parklink.orgs.selectors import org_list
from parklink.parks import english, selectors
from parklink.parks.filters import ParkFilter, SpaceFilter
from parklink.parks.models import Park, Space

router = Router(tags=["catalogue"])

MAX_PER_PAGE = 100

SpaceKindName = Literal["厂房", "土地", "研发楼", "写字楼", "实验室", "仓库"]
DealName = Literal["出租", "出售"]
SortName = Literal["updated", "area", "-area", "price", "-price"]


def _num(value: Any) -> float | None:
    return float(value) if value is not None else None


# --- Schemas -------------------------------------------------------------------------------


class Paging(Schema):
    page: int = Field(1, ge=1, le=MAX_OFFSET)
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE)


class ParkQuery(Paging):
    q: str | None = Field(None, description="名称 / name contains")
    district: str | None = Field(None, description="区县 (昌平区 or 昌平)")
    industry: str | None = Field(None, description="主导产业 / leading industry")


class SpaceQuery(Paging):
    q: str | None = Field(None, description="编号/标题/园区 contains")
    kind: list[SpaceKindName] | None = Field(
        None, description="厂房|土地|研发楼|写字楼|实验室|仓库"
    )
    deal: DealName | None = Field(None, description="出租|出售")
    district: list[str] | None = None
    park: list[Id] | None = Field(None, description="park ids")
    area_min: Amount | None = Field(None, description="m²")
    area_max: Amount | None = Field(None, description="m²")
    price_min: Amount | None = Field(None, description="元/平方米/天 (rent) or 元/平方米 (sale)")
    price_max: Amount | None = None
    ceiling_min: Amount | None = Field(None, description="m")
    load_min: Amount | None = Field(None, description="kg/m²")
    power_min: Amount | None = Field(None, description="kVA")
    gmp: bool | None = None
    sort: SortName | None = Field(None, description="updated|area|-area|price|-price")
    facets: bool = Field(True, description="include facet counts")


class OrgQuery(Paging):
    q: str | None = None
    kind: str | None = None
    industry: str | None = None
    park: Id | None = None


class ParkItem(Schema):
    id: int
    name: str
    aliases: list[str]
    district: str
    industries: list[str]
    planned_area_m2: float | None
    building_area_m2: float | None
    available_spaces: int
    is_demo: bool
    url: str
    name_en: str
    district_en: str
    industries_en: list[str]


class ParkPage(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    items: list[ParkItem]


class ParkFactOut(Schema):
    kind: str
    label: str
    value: float | None
    value_text: str
    unit: str
    as_of: str
    source_url: str
    source_title: str
    uncertain: bool


class OrgItem(Schema):
    id: int
    name: str
    aliases: list[str]
    kind: str
    uscc: str | None
    industry: str
    park_id: int | None
    park: str | None
    segments: list[str]


class SpaceItem(Schema):
    id: int
    ref: str
    park_id: int
    park: str
    district: str
    building: str | None
    title: str
    kind: str
    deal: str
    area_m2: float
    price: float | None
    price_unit: str
    unit_price: float | None
    floor: str
    ceiling_height_m: float | None
    floor_load_kg_m2: int | None
    power_kva: int | None
    gmp: bool
    status: str
    available_from: date | None
    is_demo: bool
    stale: bool
    updated_at: datetime
    url: str


class SpaceDetail(SpaceItem):
    letting: str
    min_lettable_m2: float | None
    dual_power: bool
    column_spacing_m: float | None
    freight_lifts: int | None
    fire_class: str
    env_assessment: bool
    cleanroom_class: str
    description: str
    photos: list[str]
    confirmed_at: datetime


class ParkDetail(ParkItem):
    english_name: str
    city: str
    address: str
    latitude: float | None
    longitude: float | None
    founded: str
    operator: str
    min_annual_tax_yuan_per_m2: float | None
    description: str
    sources: list[str]
    facts: list[ParkFactOut]
    organizations: list[OrgItem]
    spaces: list[SpaceItem]


class FacetValueOut(Schema):
    value: Any
    label: str
    count: int
    selected: bool


class FacetOut(Schema):
    name: str
    label: str
    values: list[FacetValueOut]


class SpacePage(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    items: list[SpaceItem]
    facets: list[FacetOut]


class OrgPage(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    items: list[OrgItem]


# --- Serialisers -----------------------------------------------------------------------------


def _park_item(p: Park) -> dict[str, Any]:
    return {
        "id": p.pk,
        "name": p.name,
        "aliases": p.aliases,
        "district": p.district,
        "industries": [i.name for i in p.industries.all()],
        "planned_area_m2": _num(p.planned_area_m2),
        "building_area_m2": _num(p.building_area_m2),
        "available_spaces": getattr(p, "available_spaces", 0),
        "is_demo": p.is_demo,
        "url": p.get_absolute_url(),
        "name_en": p.english_name or english.english_name(p.name),
        "district_en": english.district_en(p.district),
        "industries_en": [i.name_en or english.industry_en(i.name) for i in p.industries.all()],
    }


def _space_item(s: Space) -> dict[str, Any]:
    return {
        "id": s.pk,
        "ref": s.ref,
        "park_id": s.park_id,
        "park": s.park.name,
        "district": s.park.district,
        "building": s.building.name if s.building_id else None,
        "title": s.title,
        "kind": s.kind,
        "deal": s.deal,
        "area_m2": float(s.area_m2),
        "price": _num(s.price),
        "price_unit": s.price_unit,
        "unit_price": _num(s.unit_price),
        "floor": s.floor,
        "ceiling_height_m": _num(s.ceiling_height_m),
        "floor_load_kg_m2": s.floor_load_kg_m2,
        "power_kva": s.power_kva,
        "gmp": s.gmp,
        "status": s.status,
        "available_from": s.available_from,
        "is_demo": s.is_demo,
        "stale": s.is_stale,
        "updated_at": s.updated_at,
        "url": s.get_absolute_url(),
    }


def _org_item(o: Any) -> dict[str, Any]:
    return {
        "id": o.pk,
        "name": o.name,
        "aliases": o.aliases,
        "kind": o.kind,
        "uscc": o.uscc,
        "industry": o.industry,
        "park_id": o.park_id,
        "park": o.park.name if o.park_id else None,
        "segments": o.segments,
    }


def _page(qs: Any, page: int, per_page: int, item, prepare=None) -> dict[str, Any]:
    """One page of ``qs`` as the API's envelope; ``prepare(page)`` may complete its rows."""
    paginator = Paginator(qs, per_page)
    p = paginator.get_page(page)
    if prepare is not None:
        p = prepare(p)
    return {
        "count": paginator.count,
        "page": p.number,
        "pages": paginator.num_pages,
        "per_page": per_page,
        "items": [item(x) for x in p.object_list],
    }


# --- Endpoints -------------------------------------------------------------------------------


@router.get("/parks", response=ParkPage, summary="园区列表 / parks")
def park_list(request: HttpRequest, query: Query[ParkQuery]) -> dict[str, Any]:
    filters = ParkFilter.from_params(request.GET)
    return _page(
        selectors.park_list(filters),
        query.page,
        query.per_page,
        _park_item,
        prepare=selectors.paged_parks,
    )


@router.get("/parks/{park_id}", response=ParkDetail, summary="园区详情 / one park")
def park_detail(request: HttpRequest, park_id: int) -> dict[str, Any]:
    try:
        park = selectors.park_get(park_id)
    except Park.DoesNotExist as exc:
        raise HttpError(404, "园区不存在 / park not found") from exc
    spaces = list(selectors.park_public_spaces(park))
    return {
        **_park_item(park),
        "available_spaces": len(spaces),
        "english_name": park.english_name,
        "city": park.city,
        "address": park.address,
        "latitude": _num(park.latitude),
        "longitude": _num(park.longitude),
        "founded": park.founded,
        "operator": park.operator,
        "min_annual_tax_yuan_per_m2": _num(park.min_annual_tax_yuan_per_m2),
        "description": park.description,
        "sources": park.sources,
        "facts": [
            {
                "kind": f.kind,
                "label": f.label,
                "value": _num(f.value),
                "value_text": f.value_text,
                "unit": f.unit,
                "as_of": f.as_of,
                "source_url": f.source_url,
                "source_title": f.source_title,
                "uncertain": f.uncertain,
            }
            for f in park.facts.all()
        ],
        "organizations": [{**_org_item(o), "park": park.name} for o in park.organizations.all()],
        "spaces": [_space_item(s) for s in spaces],
    }


@router.get("/spaces", response=SpacePage, summary="房源搜索 / space search (public listings)")
def space_list(request: HttpRequest, query: Query[SpaceQuery]) -> dict[str, Any]:
    filters = SpaceFilter.from_params(request.GET)
    if filters.errors:
        detail = "; ".join(f"{k}: {v}" for k, v in filters.errors.items())
        raise HttpError(422, f"参数不合法 / invalid parameters: {detail}")
    result = selectors.space_search(filters, page=query.page, per_page=query.per_page)
    return {
        "count": result.total,
        "page": result.page.number,
        "pages": result.page.paginator.num_pages,
        "per_page": query.per_page,
        "items": [_space_item(s) for s in result.page.object_list],
        "facets": [
            {
                "name": f.name,
                "label": f.label,
                "values": [
                    {
                        "value": list(v.value) if isinstance(v.value, tuple) else v.value,
                        "label": v.label,
                        "count": v.count,
                        "selected": v.selected,
                    }
                    for v in f.values
                ],
            }
            for f in result.facets
        ]
        if query.facets
        else [],
    }


@router.get("/spaces/{space_id}", response=SpaceDetail, summary="房源详情 / one space")
def space_detail(request: HttpRequest, space_id: int) -> dict[str, Any]:
    try:
        s = selectors.space_get(space_id)
    except Space.DoesNotExist as exc:
        raise HttpError(404, "房源不存在 / space not found") from exc
    return {
        **_space_item(s),
        "letting": s.letting,
        "min_lettable_m2": _num(s.min_lettable_m2),
        "dual_power": s.dual_power,
        "column_spacing_m": _num(s.column_spacing_m),
        "freight_lifts": s.freight_lifts,
        "fire_class": s.fire_class,
        "env_assessment": s.env_assessment,
        "cleanroom_class": s.cleanroom_class,
        "description": s.description,
        "photos": s.photos,
        "confirmed_at": s.confirmed_at,
    }


@router.get("/orgs", response=OrgPage, summary="机构列表 / organisations")
def org_list_endpoint(request: HttpRequest, query: Query[OrgQuery]) -> dict[str, Any]:
    filters = OrgFilter.from_params(request.GET)
    return _page(org_list(filters), query.page, query.per_page, _org_item)
