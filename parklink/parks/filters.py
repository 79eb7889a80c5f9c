"""Filters of the catalogue's listable models, shared by the portal, the office and the API.

A filter parses request parameters (a QueryDict or a plain mapping) into a frozen value,
reports bad parameters, applies itself to a QuerySet and renders itself back into query
parameters (for facet links and pagination). Parameter names are the API's:

spaces: q, kind (repeatable), deal, district (repeatable), park (id, repeatable),
area_min, area_max (m²), price_min, price_max (元/平方米/天 for rent, 元/平方米 for sale),
ceiling_min (m), load_min (kg/m²), power_min (kVA), gmp (1/0), sort, page.
parks: q, district, industry, page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from parklink.core.hygiene import NumberError, parse_decimal, parse_id
from parklink.parks.choices import Deal, SpaceKind
from parklink.parks.models import Park, Space
from parklink.zh.places import normalise_district

SPACE_SORTS: dict[str, tuple[str, ...]] = {
    "updated": ("-updated_at", "-id"),
    "area": ("area_m2", "id"),
    "-area": ("-area_m2", "-id"),
    "price": ("unit_price", "id"),
    "-price": ("-unit_price", "-id"),
}
SORT_LABELS = {
    "updated": _("最近更新"),
    "area": _("面积从小到大"),
    "-area": _("面积从大到小"),
    "price": _("单价从低到高"),
    "-price": _("单价从高到低"),
}


def _getlist(params: Mapping[str, Any], name: str) -> list[str]:
    if hasattr(params, "getlist"):
        values = params.getlist(name)
    else:
        raw = params.get(name)
        values = raw if isinstance(raw, list | tuple) else ([] if raw is None else [raw])
    out: list[str] = []
    for v in values:
        for part in str(v).split(","):
            if part.strip() and part.strip() not in out:
                out.append(part.strip())
    return out


def _get(params: Mapping[str, Any], name: str) -> str:
    values = _getlist(params, name)
    return values[0] if values else ""


def _decimal(params: Mapping[str, Any], name: str, errors: dict[str, str]) -> Decimal | None:
    text = _get(params, name)
    if not text:
        return None
    try:
        return parse_decimal(text)
    except NumberError as exc:
        errors[name] = str(exc)
        return None


def _text(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


@dataclass(frozen=True)
class SpaceFilter:
    """What a visitor asks of the space search (every field optional)."""

    q: str = ""
    kinds: tuple[str, ...] = ()
    deal: str = ""
    districts: tuple[str, ...] = ()
    parks: tuple[int, ...] = ()
    area_min: Decimal | None = None
    area_max: Decimal | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    ceiling_min: Decimal | None = None
    load_min: Decimal | None = None
    power_min: Decimal | None = None
    gmp: bool | None = None
    sort: str = "updated"
    errors: dict[str, str] = field(default_factory=dict, compare=False)

    DIMENSIONS = (
        "kind",
        "deal",
        "district",
        "park",
        "area",
        "price",
        "ceiling",
        "load",
        "power",
        "gmp",
    )

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> SpaceFilter:
        errors: dict[str, str] = {}
        kinds = tuple(k for k in _getlist(params, "kind") if k in SpaceKind.values)
        if len(kinds) != len(_getlist(params, "kind")):
            errors["kind"] = "未知类型 / unknown kind"
        deal = _get(params, "deal")
        if deal and deal not in Deal.values:
            errors["deal"] = "租售应为 出租 或 出售 / deal must be 出租 or 出售"
            deal = ""
        districts: list[str] = []
        for d in _getlist(params, "district"):
            full = normalise_district(d) or d
            districts.append(full)
        parks: list[int] = []
        for p in _getlist(params, "park"):
            pk = parse_id(p)
            if pk is not None:
                parks.append(pk)
            else:
                errors["park"] = "园区应为编号 / park must be an id"
        gmp_text = _get(params, "gmp").lower()
        gmp = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}.get(
            gmp_text
        )
        if gmp_text and gmp is None:
            errors["gmp"] = "应为 1 或 0 / must be 1 or 0"
        sort = _get(params, "sort") or "updated"
        if sort not in SPACE_SORTS:
            errors["sort"] = f"排序应为 {' | '.join(SPACE_SORTS)} / sort must be one of them"
            sort = "updated"
        return cls(
            q=_get(params, "q")[:100],
            kinds=kinds,
            deal=deal,
            districts=tuple(districts),
            parks=tuple(parks),
            area_min=_decimal(params, "area_min", errors),
            area_max=_decimal(params, "area_max", errors),
            price_min=_decimal(params, "price_min", errors),
            price_max=_decimal(params, "price_max", errors),
            ceiling_min=_decimal(params, "ceiling_min", errors),
            load_min=_decimal(params, "load_min", errors),
            power_min=_decimal(params, "power_min", errors),
            gmp=gmp,
            sort=sort,
            errors=errors,
        )

    # -- applying ------------------------------------------------------------------------

    def q_for(self, dimension: str, park_ids_in: Mapping[str, list[int]]) -> Q:
        """The condition of one dimension (Q() when it is not filtered)."""
        if dimension == "kind" and self.kinds:
            return Q(kind__in=self.kinds)
        if dimension == "deal" and self.deal:
            return Q(deal=self.deal)
        if dimension == "district" and self.districts:
            ids = [pk for d in self.districts for pk in park_ids_in.get(d, [])]
            return Q(park_id__in=ids)
        if dimension == "park" and self.parks:
            return Q(park_id__in=self.parks)
        if dimension == "area":
            q = Q()
            if self.area_min is not None:
                q &= Q(area_m2__gte=self.area_min)
            if self.area_max is not None:
                q &= Q(area_m2__lte=self.area_max)
            return q
        if dimension == "price":
            q = Q()
            if self.price_min is not None:
                q &= Q(unit_price__gte=self.price_min)
            if self.price_max is not None:
                q &= Q(unit_price__lte=self.price_max)
            return q
        if dimension == "ceiling" and self.ceiling_min is not None:
            return Q(ceiling_height_m__gte=self.ceiling_min)
        if dimension == "load" and self.load_min is not None:
            return Q(floor_load_kg_m2__gte=self.load_min)
        if dimension == "power" and self.power_min is not None:
            return Q(power_kva__gte=self.power_min)
        if dimension == "gmp" and self.gmp is not None:
            return Q(gmp=self.gmp)
        return Q()

    def is_active(self, dimension: str) -> bool:
        return bool(self.q_for(dimension, {"": []}))

    def condition(
        self, park_ids_in: Mapping[str, list[int]], *, exclude: tuple[str, ...] = ()
    ) -> Q:
        q = Q()
        for dim in self.DIMENSIONS:
            if dim not in exclude:
                q &= self.q_for(dim, park_ids_in)
        if self.q:
            q &= (
                Q(ref__icontains=self.q)
                | Q(title__icontains=self.q)
                | Q(park__name__icontains=self.q)
            )
        return q

    def apply(self, qs: QuerySet[Space], park_ids_in: Mapping[str, list[int]]) -> QuerySet[Space]:
        return qs.filter(self.condition(park_ids_in)).order_by(*SPACE_SORTS[self.sort])

    # -- links ----------------------------------------------------------------------------

    def params(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        if self.q:
            out.append(("q", self.q))
        out += [("kind", k) for k in self.kinds]
        if self.deal:
            out.append(("deal", self.deal))
        out += [("district", d) for d in self.districts]
        out += [("park", str(p)) for p in self.parks]
        for name in (
            "area_min",
            "area_max",
            "price_min",
            "price_max",
            "ceiling_min",
            "load_min",
            "power_min",
        ):
            value = getattr(self, name)
            if value is not None:
                out.append((name, _text(value)))
        if self.gmp is not None:
            out.append(("gmp", "1" if self.gmp else "0"))
        if self.sort != "updated":
            out.append(("sort", self.sort))
        return out

    def query(self, **changes: Any) -> str:
        """The query string of this filter with ``changes`` applied (for facet links)."""
        return urlencode((replace(self, **changes) if changes else self).params())

    def toggle(self, name: str, value: Any) -> str:
        """Query string with ``value`` added to or removed from the multi-valued ``name``."""
        current = getattr(self, name)
        new = tuple(v for v in current if v != value) if value in current else (*current, value)
        return self.query(**{name: new})


@dataclass(frozen=True)
class ParkFilter:
    q: str = ""
    district: str = ""
    industry: str = ""
    errors: dict[str, str] = field(default_factory=dict, compare=False)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> ParkFilter:
        district = _get(params, "district")
        return cls(
            q=_get(params, "q")[:100],
            district=(normalise_district(district) or district) if district else "",
            industry=_get(params, "industry")[:50],
        )

    def apply(self, qs: QuerySet[Park]) -> QuerySet[Park]:
        if self.district:
            qs = qs.filter(district=self.district)
        if self.industry:
            qs = qs.filter(industries__name=self.industry)
        if self.q:
            qs = qs.filter(Q(name__icontains=self.q) | Q(aliases__icontains=self.q))
        return qs

    def query(self, **changes: Any) -> str:
        f = replace(self, **changes) if changes else self
        return urlencode(
            [
                (k, v)
                for k, v in (("q", f.q), ("district", f.district), ("industry", f.industry))
                if v
            ]
        )
