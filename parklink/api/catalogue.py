"""API endpoints of the catalogue: parks, spaces, organisations."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from parklink.parks import selectors

router = Router(tags=["catalogue"])


class ParkOut(Schema):
    id: int
    name: str
    aliases: list[str]
    district: str
    industries: list[str]
    planned_area_m2: float | None
    building_area_m2: float | None


@router.get("/parks", response=list[ParkOut], summary="园区列表 / parks")
def park_list(request: HttpRequest) -> list[ParkOut]:
    return [
        ParkOut(
            id=p.pk,
            name=p.name,
            aliases=p.aliases,
            district=p.district,
            industries=[i.name for i in p.industries.all()],
            planned_area_m2=float(p.planned_area_m2) if p.planned_area_m2 is not None else None,
            building_area_m2=float(p.building_area_m2) if p.building_area_m2 is not None else None,
        )
        for p in selectors.park_list()
    ]
