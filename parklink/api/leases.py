"""Operators' API of park operations (token): the same figures as the commands.

- ``GET /api/v1/leases/expiring?days=90[&on=YYYY-MM-DD][&park=NAME]`` → the body of
  ``parklink leases --expiring DAYS --json``: ``{"on", "leases": [...]}``;
- ``GET /api/v1/occupancy[?on=][&park=]`` → the body of ``parklink occupancy --json``.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from parklink.api.auth import OperatorToken
from parklink.api.schemas import IsoDate
from parklink.core.exchange import json_value
from parklink.leases import selectors, terms

router = Router(tags=["leases"])


# The days the reads accept (leases.terms.FIRST_DAY..LAST_DAY, checked again by
# ``selectors.window_check``, whose refusal is the 422 body), stated in the schema so that
# clients and the schema tests know them: years 1900–2999.
LeaseDay = Annotated[
    IsoDate,
    Field(
        json_schema_extra={"pattern": r"^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$"},
        description=(
            f"日期,{terms.FIRST_DAY} 至 {terms.LAST_DAY}(默认今天,北京时间)/ the day, "
            f"{terms.FIRST_DAY} to {terms.LAST_DAY} (default today)"
        ),
    ),
]


class ExpiringQuery(Schema):
    days: int = Field(..., ge=0, le=terms.MAX_DAYS, description="天数 / days")
    on: LeaseDay | None = None
    park: str | None = Field(None, description="园区名称或别名 / park name or alias")


class OccupancyQuery(Schema):
    on: LeaseDay | None = None
    park: str | None = None


class ExpiringLease(Schema):
    ref: str
    space: str
    park: str
    tenant: str
    end: str
    days_left: int
    area_m2: float
    annual_rent_yuan: float


class ExpiringOut(Schema):
    on: str
    leases: list[ExpiringLease]


class ParkOccupancy(Schema):
    park: str
    spaces: int
    leased_spaces: int
    area_m2: float
    leased_area_m2: float
    occupancy: float
    vacant_area_m2: float
    expiring_90d_area_m2: float
    annual_rent_yuan: float


class OccupancyOut(Schema):
    on: str
    parks: list[ParkOccupancy]


def _park(name: str | None) -> Any:
    if not name:
        return None
    park = selectors.park_find(name)
    if park is None:
        raise HttpError(404, "园区不存在 / no such park")
    return park


@router.get("/leases/expiring", response=ExpiringOut, auth=OperatorToken())
def leases_expiring(request: HttpRequest, query: Query[ExpiringQuery]) -> dict[str, Any]:
    day = query.on or timezone.localdate()
    rows = selectors.leases_expiring(days=query.days, on=day, park=_park(query.park))
    return json_value({"on": day.isoformat(), "leases": rows})


@router.get("/occupancy", response=OccupancyOut, auth=OperatorToken())
def occupancy(request: HttpRequest, query: Query[OccupancyQuery]) -> dict[str, Any]:
    day = query.on or timezone.localdate()
    return json_value(
        {"on": day.isoformat(), "parks": selectors.occupancy(on=day, park=_park(query.park))}
    )
