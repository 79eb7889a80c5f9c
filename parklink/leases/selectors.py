"""Reads of the leases domain: the rent roll, what expires, occupancy, the 租控表 (stacking
plan), rollover and the figures the dashboard charts.

Figures are computed in the database (sums grouped by park, kind, month) so they stay fast
with tens of thousands of leases; dates are calendar days in Asia/Shanghai. Leases carry no
personal data (tenants are organisations); the pipeline deals overlaid on the 租控表 are read
through ``lead_scope(viewer=)``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Context as DecimalContext
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from parklink.leads.choices import OPEN_STAGES
from parklink.leads.selectors import lead_scope
from parklink.leases import conf, terms
from parklink.leases.choices import UnitState
from parklink.leases.models import ExpiryWarning, Lease
from parklink.parks.choices import Deal, SpaceStatus
from parklink.parks.models import Park, Space

ZERO = Decimal(0)
CENT = Decimal("0.01")


def _q2(value: Decimal | None) -> Decimal:
    return (value or ZERO).quantize(CENT)


def window_check(*, on: date, days: int = 0) -> None:
    """Refuse a day outside ``terms.FIRST_DAY``..``terms.LAST_DAY`` or a window longer than
    ``terms.MAX_DAYS`` (ValidationError naming ``on`` / ``days``, bilingual): the one bound
    of every read that computes a window from a day (the API answers 422, the commands one
    line). Within it no window overflows ``date``."""
    errors = {}
    if message := terms.day_error(on):
        errors["on"] = message
    if message := terms.days_error(days):
        errors["days"] = message
    if errors:
        raise ValidationError(errors)


def park_find(name: str) -> Park | None:
    """A park by name or alias."""
    name = (name or "").strip()
    park = Park.objects.filter(name=name).first()
    if park is None and name:
        park = next((p for p in Park.objects.all() if name in p.aliases), None)
    return park


def lease_list(
    *,
    park: Park | None = None,
    owner: Any = None,
    status: str = "",
    q: str = "",
) -> QuerySet[Lease]:
    qs = Lease.objects.select_related("space__park", "space__building", "tenant", "owner")
    if park is not None:
        qs = qs.filter(space__park=park)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(
            Q(ref__icontains=q) | Q(tenant__name__icontains=q) | Q(space__ref__icontains=q)
        )
    return qs.order_by("end", "ref")


def lease_get(*, pk: int) -> Lease:
    return Lease.objects.select_related(
        "space__park", "space__building", "tenant", "owner", "renewal_lead"
    ).get(pk=pk)


def leases_expiring(
    *,
    days: int,
    on: date,
    park: Park | None = None,
    owner: Any = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Leases active on ``on`` whose last day falls within ``days`` days, soonest first:
    the rows of ``parklink leases --expiring``."""
    window_check(on=on, days=days)
    qs = Lease.objects.active_on(on).ending_between(on, on + timedelta(days=days))
    if park is not None:
        qs = qs.filter(space__park=park)
    if owner is not None:
        qs = qs.filter(owner=owner)
    rows = (
        qs.select_related("space__park", "tenant")
        # the columns the rows show: not every park column (descriptions, sources) per lease
        .only(
            "ref",
            "start",
            "end",
            "terminated_on",
            "area_m2",
            "annual_rent_yuan",
            "space__ref",
            "space__park__name",
            "tenant__name",
        )
        .order_by("ends_on", "ref")
    )
    if limit is not None:
        # The first ``limit`` ids from the lease_active_cover index alone, then those rows:
        # the sort then holds ids, not every column of each active lease and its joins.
        first = qs.order_by("ends_on", "ref").values("pk")[:limit]
        rows = rows.filter(pk__in=first)
    return [
        {
            "ref": lease.ref,
            "space": lease.space.ref,
            "park": lease.space.park.name,
            "tenant": lease.tenant.name,
            "end": lease.last_day.isoformat(),
            "days_left": terms.days_left(lease.last_day, on),
            "area_m2": _q2(lease.area_m2),
            "annual_rent_yuan": _q2(lease.annual_rent_yuan),
        }
        for lease in rows
    ]


def _leasable_spaces(on: date) -> QuerySet[Space]:
    """The spaces for rent (出租), except those withdrawn (下架) and not held by a lease."""
    held = Lease.objects.active_on(on).filter(space=OuterRef("pk"))
    return Space.objects.filter(deal=Deal.RENT).filter(
        ~Q(status=SpaceStatus.WITHDRAWN) | Exists(held)
    )


@dataclass(frozen=True)
class OccupancyCells:
    """Supply and what active leases hold on ``on``, added up per park (keyed by its name,
    which is unique) and per space kind: what ``occupancy`` (per park) and
    ``occupancy_by_kind`` read. Each side is one query grouped by (park, kind) whose cells
    the database adds up both ways (a space has one park and one kind, so every count,
    distinct spaces included, and every sum is the sum of its cells): two queries serve both
    tables, and ~700 rows reach Python instead of the ~3,000 cells."""

    supply_by_park: dict[str, dict[str, Any]]
    supply_by_kind: dict[str, dict[str, Any]]
    held_by_park: dict[str, dict[str, Any]]
    held_by_kind: dict[str, dict[str, Any]]


_FROM_FLOAT = DecimalContext(prec=15).create_decimal_from_float


def _decimal(value: Any) -> Decimal:
    """A sum read by a raw cursor as Decimal: PostgreSQL's numeric already is one; SQLite
    gives a float or an int, kept to the 15 significant digits its floats hold (what Django's
    converter does for an aggregate of a DecimalField)."""
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return _FROM_FLOAT(value)


def _rows(qs: QuerySet[Any], sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Raw ``sql`` (built around ``qs``'s own SQL) run on the database ``qs`` reads."""
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _by_park_and_kind(
    qs: QuerySet[Any], park: str, kind: str, sums: tuple[str, ...]
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The cells of ``qs`` (a ``values(park, kind).annotate(*sums)`` grouping, ``park`` a
    park id) added up per park name and per kind in the database, in one statement: a CTE of
    the cells read twice (PostgreSQL and SQLite materialise a CTE used twice), the park
    names joined to the few hundred per-park rows (park names are unique), so no second
    query looks them up."""
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    qn = connections[qs.db].ops.quote_name
    parks = qn(Park._meta.db_table)
    totals = ", ".join(f"SUM(c.{qn(name)})" for name in sums)
    rows = _rows(
        qs,
        f"WITH c AS ({sql}) "
        f"SELECT 0, p.{qn('name')}, {totals} FROM c INNER JOIN {parks} p "
        f"ON p.{qn('id')} = c.{qn(park)} GROUP BY p.{qn('name')} "
        f"UNION ALL SELECT 1, c.{qn(kind)}, {totals} FROM c GROUP BY c.{qn(kind)}",
        list(params),
    )
    out: tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]] = ({}, {})
    for axis, key, *values in rows:
        acc: dict[str, Any] = {}
        for name, value in zip(sums, values, strict=True):
            if value is not None:
                acc[name] = int(value) if name == "n" else _decimal(value)
        out[axis][key] = acc
    return out


def occupancy_cells(*, on: date, park: Park | None = None) -> OccupancyCells:
    window_check(on=on)
    spaces = _leasable_spaces(on)
    active = Lease.objects.active_on(on).filter(space__deal=Deal.RENT)
    if park is not None:
        spaces = spaces.filter(park=park)
        active = active.filter(space__park=park)
    supply = spaces.order_by().values("park", "kind").annotate(n=Count("pk"), area=Sum("area_m2"))
    soon = Q(ends_on__gte=on, ends_on__lte=on + timedelta(days=90))
    held = (
        active.with_last_day()
        .order_by()
        .values("space__park", "space__kind")
        .annotate(
            n=Count("space", distinct=True),
            area=Sum("area_m2"),
            rent=Sum("annual_rent_yuan"),
            soon=Sum("area_m2", filter=soon),
        )
    )
    supply_by_park, supply_by_kind = _by_park_and_kind(supply, "park", "kind", ("n", "area"))
    held_by_park, held_by_kind = _by_park_and_kind(
        held, "space__park", "space__kind", ("n", "area", "rent", "soon")
    )
    return OccupancyCells(supply_by_park, supply_by_kind, held_by_park, held_by_kind)


def occupancy(
    *, on: date, park: Park | None = None, cells: OccupancyCells | None = None
) -> list[dict[str, Any]]:
    """Per park: leasable spaces and area, what active leases hold on ``on``, the vacant
    area, the area whose lease ends within 90 days and the annual rent: the rows of
    ``parklink occupancy``. Parks without space for rent are left out unless named."""
    cells = cells or occupancy_cells(on=on, park=park)
    supply, held = cells.supply_by_park, cells.held_by_park
    names = set(supply) | set(held)
    if park is not None:
        names.add(park.name)
    out = []
    for name in sorted(names):
        s, h = supply.get(name, {}), held.get(name, {})
        area = _q2(s.get("area"))
        leased = _q2(h.get("area"))
        out.append(
            {
                "park": name,
                "spaces": s.get("n", 0),
                "leased_spaces": h.get("n", 0),
                "area_m2": area,
                "leased_area_m2": leased,
                "occupancy": float(round(leased / area, 4)) if area else 0.0,
                "vacant_area_m2": max(area - leased, ZERO),
                "expiring_90d_area_m2": _q2(h.get("soon")),
                "annual_rent_yuan": _q2(h.get("rent")),
            }
        )
    return out


# --- dashboard figures ------------------------------------------------------------------------


def occupancy_by_kind(
    *, on: date, park: Park | None = None, cells: OccupancyCells | None = None
) -> list[dict[str, Any]]:
    """Leased and vacant area and count per space kind (from leases)."""
    cells = cells or occupancy_cells(on=on, park=park)
    supply, held = cells.supply_by_kind, cells.held_by_kind
    out = []
    for kind in sorted(supply):
        area, leased = _q2(supply[kind]["area"]), _q2(held.get(kind, {}).get("area"))
        out.append(
            {
                "kind": kind,
                "spaces": supply[kind]["n"],
                "leased_spaces": held.get(kind, {}).get("n", 0),
                "area_m2": area,
                "leased_area_m2": leased,
                "vacant_area_m2": max(area - leased, ZERO),
                "occupancy": float(round(leased / area, 4)) if area else 0.0,
            }
        )
    return out


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    return date(day.year + y, m + 1, 1)


def _bucket_sums(
    qs: QuerySet[Lease], buckets: list[tuple[str, date, date]]
) -> list[dict[str, Any]]:
    """Count, area and annual rent of ``qs`` per bucket of last days [first, last] (buckets
    in order, not overlapping), from ranges of the lease_last_day_cover index, index-only on
    both databases (``COUNT(*)``: PostgreSQL's index holds no id, and ``COUNT(id)`` read
    every lease from the table). PostgreSQL joins a VALUES list of the buckets to the leases
    on their last day: one range per bucket, a row per bucket back (~30 % faster than the
    rows per day). SQLite would sort the joined rows for that GROUP BY (3× slower there), so
    it groups by the last day in the index's order (no sort, no CASE of the last-day
    expression per bucket, which it recomputed in every WHEN) and each day is placed in its
    bucket here. Each day's and bucket's sums are exact (numeric on PostgreSQL; on SQLite
    floats of cent values kept to 15 digits, then quantised to cents)."""
    if not buckets:
        return []
    leases = qs.with_last_day().filter(ends_on__gte=buckets[0][1], ends_on__lte=buckets[-1][2])
    out = [
        {"label": label, "leases": 0, "area_m2": ZERO, "annual_rent_yuan": ZERO}
        for label, _first, _last in buckets
    ]
    if connections[qs.db].vendor == "postgresql":
        inner = leases.order_by().values("ends_on", "area_m2", "annual_rent_yuan")
        sql, params = inner.query.get_compiler(using=inner.db).as_sql()
        values = ", ".join(["(%s, %s, %s)"] * len(buckets))
        per_bucket = _rows(
            inner,
            f"WITH b(i, lo, hi) AS (VALUES {values}) "
            "SELECT b.i, COUNT(*), SUM(x.area_m2), SUM(x.annual_rent_yuan) FROM b "
            f"INNER JOIN ({sql}) x ON x.ends_on >= b.lo AND x.ends_on <= b.hi GROUP BY b.i",
            [v for i, (_label, first, last) in enumerate(buckets) for v in (i, first, last)]
            + list(params),
        )
        for i, n, area, rent in per_bucket:
            out[i].update(leases=n, area_m2=area or ZERO, annual_rent_yuan=rent or ZERO)
    else:
        lasts = [last for _label, _first, last in buckets]
        days = (
            leases.order_by()
            .values("ends_on")
            .annotate(n=Count("*"), area=Sum("area_m2"), rent=Sum("annual_rent_yuan"))
            .values_list("ends_on", "n", "area", "rent")
        )
        for day, n, area, rent in days:
            i = bisect_left(lasts, day)
            if i == len(buckets) or day < buckets[i][1]:
                continue  # in a gap between buckets
            row = out[i]
            row["leases"] += n
            row["area_m2"] += area or ZERO
            row["annual_rent_yuan"] += rent or ZERO
    for row in out:
        row["area_m2"] = _q2(row["area_m2"])
        row["annual_rent_yuan"] = _q2(row["annual_rent_yuan"])
    return out


def expiring_by_month(
    *, on: date, months: int = 12, park: Park | None = None, owner: Any = None
) -> list[dict[str, Any]]:
    """Area and annual rent of the leases held on ``on`` by the month their last day falls
    in, for the next ``months`` months (the current one first)."""
    first = _month_start(on)
    qs = Lease.objects.active_on(on)
    if park is not None:
        qs = qs.filter(space__park=park)
    if owner is not None:
        qs = qs.filter(owner=owner)
    buckets = []
    for i in range(months):
        m = _add_months(first, i)
        buckets.append((f"{m:%Y-%m}", max(m, on), _add_months(m, 1) - timedelta(days=1)))
    return [
        {
            "month": b["label"],
            "leases": b["leases"],
            "area_m2": b["area_m2"],
            "annual_rent_yuan": b["annual_rent_yuan"],
        }
        for b in _bucket_sums(qs, buckets)
    ]


def rollover_by_year(
    *, on: date, years: int = 5, park: Park | None = None, owner: Any = None
) -> list[dict[str, Any]]:
    """The lease rollover: per calendar year, the area and rent of leases held on ``on``
    that end in it, as shares of all the area and rent held (the last row: later)."""
    qs = Lease.objects.active_on(on)
    if park is not None:
        qs = qs.filter(space__park=park)
    if owner is not None:
        qs = qs.filter(owner=owner)
    horizon = on.year + years - 1
    buckets = [(str(y), date(y, 1, 1), date(y, 12, 31)) for y in range(on.year, horizon + 1)]
    buckets.append((f"{horizon + 1}+", date(horizon + 1, 1, 1), date.max))
    return _rollover_rows(_bucket_sums(qs, buckets))


def _rollover_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    total_area = sum((r["area_m2"] for r in rows), ZERO)
    total_rent = sum((r["annual_rent_yuan"] for r in rows), ZERO)
    return [
        {
            "year": r["label"],
            "leases": r["leases"],
            "area_m2": r["area_m2"],
            "area_pct": float(round(r["area_m2"] * 100 / total_area, 1)) if total_area else 0.0,
            "annual_rent_yuan": r["annual_rent_yuan"],
            "rent_pct": float(round(r["annual_rent_yuan"] * 100 / total_rent, 1))
            if total_rent
            else 0.0,
        }
        for r in rows
    ]


def expiry_profile(
    *, on: date, months: int = 12, years: int = 5, park: Park | None = None, owner: Any = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``expiring_by_month`` and ``rollover_by_year`` from one scan of the leases held on
    ``on``: the buckets are the months, then the rest of the last month's year, then the
    years and the "later" one, each month or part-year added to the year it lies in. The
    figures are those of the two functions (tests/office/test_dashboard_figures.py)."""
    qs = Lease.objects.active_on(on)
    if park is not None:
        qs = qs.filter(space__park=park)
    if owner is not None:
        qs = qs.filter(owner=owner)
    first = _month_start(on)
    horizon = on.year + years - 1
    fine: list[tuple[str, date, date]] = []
    year_of: list[str] = []
    for i in range(months):
        m = _add_months(first, i)
        fine.append((f"{m:%Y-%m}", max(m, on), _add_months(m, 1) - timedelta(days=1)))
        year_of.append(str(m.year) if m.year <= horizon else f"{horizon + 1}+")
    after = _add_months(first, months)
    for y in range(after.year, horizon + 1):
        fine.append((str(y), max(after, date(y, 1, 1)), date(y, 12, 31)))
        year_of.append(str(y))
    later = max(after, date(horizon + 1, 1, 1))
    fine.append((f"{horizon + 1}+", later, date.max))
    year_of.append(f"{horizon + 1}+")
    sums = _bucket_sums(qs, fine)
    by_month = [
        {
            "month": b["label"],
            "leases": b["leases"],
            "area_m2": b["area_m2"],
            "annual_rent_yuan": b["annual_rent_yuan"],
        }
        for b in sums[:months]
    ]
    labels = [str(y) for y in range(on.year, horizon + 1)] + [f"{horizon + 1}+"]
    years_rows = {
        label: {"label": label, "leases": 0, "area_m2": ZERO, "annual_rent_yuan": ZERO}
        for label in labels
    }
    for b, label in zip(sums, year_of, strict=True):
        row = years_rows[label]
        row["leases"] += b["leases"]
        row["area_m2"] += b["area_m2"]
        row["annual_rent_yuan"] += b["annual_rent_yuan"]
    return by_month, _rollover_rows(list(years_rows.values()))


def tenant_industry_mix(
    *, on: date, park: Park | None = None, top: int = 8
) -> list[dict[str, Any]]:
    """Leased area per park and tenant industry (the ``top`` industries by area; the rest
    as 其他)."""
    qs = Lease.objects.active_on(on)
    if park is not None:
        qs = qs.filter(space__park=park)
    cells = qs.order_by().values("space__park_id", "tenant__industry").annotate(area=Sum("area_m2"))
    sql, params = cells.query.get_compiler(using=cells.db).as_sql()
    qn = connections[cells.db].ops.quote_name
    # the park's name joined to the ~2,000 (park, industry) sums, not looked up by a second
    # query (park names are unique)
    rows = [
        (name, industry or "未填", _decimal(area))
        for name, industry, area in _rows(
            cells,
            f"WITH c AS ({sql}) "
            f"SELECT p.{qn('name')}, c.{qn('tenant__industry')}, c.{qn('area')} FROM c "
            f"INNER JOIN {qn(Park._meta.db_table)} p ON p.{qn('id')} = c.{qn('space__park_id')}",
            list(params),
        )
    ]
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for _name, industry, area in rows:
        totals[industry] += area
    ranked = [k for k, _v in sorted(totals.items(), key=lambda kv: -kv[1])[:top]]
    keep = set(ranked)
    mix: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for name, industry, area in rows:
        mix[name][industry if industry in keep else "其他"] += area
    industries = [*ranked, *(["其他"] if len(totals) > top else [])]
    return [
        {"park": p, **{i: _q2(mix[p].get(i)) for i in industries}}
        for p in sorted(mix, key=lambda p: (-sum(mix[p].values()), p))
    ]


def asking_rent_by_district_kind() -> list[dict[str, Any]]:
    """Average asking rent (元/平方米/天) of the spaces listed for rent, by district and
    kind (the catalogue's listings, not the leases)."""
    from django.db.models import Avg

    rows = (
        Space.objects.available()
        .filter(deal=Deal.RENT, unit_price__isnull=False)
        .order_by()
        .values("park__district", "kind")
        .annotate(avg=Avg("unit_price"), n=Count("pk"))
    )
    return [
        {
            "district": r["park__district"] or "未填",
            "kind": r["kind"],
            "avg_rent": Decimal(str(r["avg"])).quantize(CENT),
            "spaces": r["n"],
        }
        for r in sorted(rows, key=lambda r: (r["park__district"] or "", r["kind"]))
    ]


def warnings_for(*, user: Any, limit: int = 20) -> tuple[list[ExpiryWarning], int]:
    """The user's expiry warnings, soonest first, and how many are unread."""
    qs = ExpiryWarning.objects.filter(recipient=user).select_related(
        "lease__space__park", "lease__tenant", "lease__renewal_lead"
    )
    unread = qs.filter(read_at__isnull=True).count()
    return list(
        qs.filter(lease_end__gte=timezone.localdate()).order_by("lease_end", "pk")[:limit]
    ), unread


# --- the 租控表 (stacking plan) -----------------------------------------------------------------


@dataclass(frozen=True)
class DealMark:
    lead_id: int
    ref: str
    stage: str
    company: str


@dataclass(frozen=True)
class Unit:
    space_id: int
    ref: str
    kind: str
    area_m2: Decimal
    floor: str
    state: str
    lettable: bool
    lease: Lease | None
    next_lease: Lease | None
    deals: tuple[DealMark, ...]
    asking_rent: Decimal | None

    @property
    def days_left(self) -> int | None:
        return None if self.lease is None else (self.lease.last_day - self._on).days

    _on: date = date.min


@dataclass
class Floor:
    label: str
    units: list[Unit] = field(default_factory=list)

    @property
    def area_m2(self) -> Decimal:
        return sum((u.area_m2 for u in self.units), ZERO)

    @property
    def cells(self) -> list[tuple[Unit, int]]:
        """Each unit with its width in twelfths of the floor (by area, at least 1): the
        plan draws a unit as wide as the share of the floor it takes."""
        total = self.area_m2 or Decimal(1)
        return [(u, max(1, min(12, round(float(u.area_m2 / total) * 12)))) for u in self.units]


@dataclass
class BuildingPlan:
    name: str
    floors: list[Floor] = field(default_factory=list)
    area_m2: Decimal = ZERO
    leased_m2: Decimal = ZERO

    @property
    def occupancy(self) -> float:
        return float(self.leased_m2 / self.area_m2) if self.area_m2 else 0.0

    @property
    def max_units(self) -> int:
        return max((len(f.units) for f in self.floors), default=0)


_FLOOR_NUM = re.compile(r"^\s*(B|负|地下)?\s*(\d+)")


def floor_key(label: str) -> tuple[int, str]:
    """Sort key of a floor label (higher floors first in the plan): 12, 3F, 3层, B1, 负1."""
    m = _FLOOR_NUM.match(label or "")
    if not m:
        return (-10_000, label or "")
    n = int(m.group(2))
    return (-n if m.group(1) else n, label)


def unit_state(*, lettable: bool, lease: Lease | None, next_lease: Lease | None, on: date) -> str:
    if lease is not None:
        left = (lease.last_day - on).days
        for band in conf.EXPIRY_BANDS:
            if left <= band:
                return f"expiring_{band}"
        return UnitState.LEASED
    if not lettable:
        return UnitState.NOT_LETTABLE
    if next_lease is not None:
        return UnitState.RESERVED
    return UnitState.VACANT


def stacking_plan(
    *,
    park: Park,
    on: date,
    viewer: Any,
    building: str = "",
    kind: str = "",
    state: str = "",
) -> list[BuildingPlan]:
    """The 租控表 of one park on ``on``: buildings × floors × units, each unit with its
    current lease, its next committed lease, its state (colour) and the open pipeline deals
    that target it (those the viewer may see). Four queries whatever the size."""
    spaces = list(
        Space.objects.filter(park=park)
        .select_related("building")
        .order_by("building__name", "floor", "ref")
    )
    if kind:
        spaces = [s for s in spaces if s.kind == kind]
    if building:
        spaces = [s for s in spaces if (s.building.name if s.building_id else "") == building]
    ids = [s.pk for s in spaces]
    current: dict[int, Lease] = {}
    upcoming: dict[int, Lease] = {}
    for lease in (
        Lease.objects.filter(space_id__in=ids)
        .holding_from(on)
        .select_related("tenant", "owner")
        .order_by("start", "pk")
    ):
        if lease.is_active_on(on):
            current.setdefault(lease.space_id, lease)
        elif lease.start > on:
            upcoming.setdefault(lease.space_id, lease)
    refs = {s.ref for s in spaces}
    deals: dict[str, list[DealMark]] = defaultdict(list)
    for pk, ref, stage, company, targets in (
        lead_scope(viewer=viewer)
        .filter(stage__in=OPEN_STAGES)
        .exclude(spaces=[])
        .values_list("pk", "ref", "stage", "company", "spaces")
    ):
        for target in targets or []:
            if target in refs:
                deals[target].append(DealMark(pk, ref, stage, company))
    plans: dict[str, BuildingPlan] = {}
    for s in spaces:
        lettable = s.deal == Deal.RENT and s.status != SpaceStatus.WITHDRAWN
        lease, nxt = current.get(s.pk), upcoming.get(s.pk)
        st = unit_state(lettable=lettable, lease=lease, next_lease=nxt, on=on)
        if state and not (st == state or (state == "expiring" and st.startswith("expiring"))):
            continue
        unit = Unit(
            space_id=s.pk,
            ref=s.ref,
            kind=s.kind,
            area_m2=s.area_m2,
            floor=s.floor,
            state=st,
            lettable=lettable,
            lease=lease,
            next_lease=nxt,
            deals=tuple(deals.get(s.ref, ())),
            asking_rent=s.unit_price,
            _on=on,
        )
        name = s.building.name if s.building_id else ""
        plan = plans.setdefault(name, BuildingPlan(name=name))
        plan.area_m2 += s.area_m2 if lettable or lease else ZERO
        if lease is not None:
            plan.leased_m2 += lease.area_m2
        floor = next((f for f in plan.floors if f.label == (s.floor or "")), None)
        if floor is None:
            floor = Floor(label=s.floor or "")
            plan.floors.append(floor)
        floor.units.append(unit)
    for plan in plans.values():
        plan.floors.sort(key=lambda f: floor_key(f.label), reverse=True)
    return sorted(plans.values(), key=lambda p: (p.name == "", _natural(p.name)))


def _natural(text: str) -> list[Any]:
    return [int(t) if t.isdecimal() else t for t in re.split(r"(\d+)", text)]


def parks_with_spaces() -> QuerySet[Park]:
    """Parks with at least one space for rent (the choices of the operations pages)."""
    rent = Space.objects.filter(park=OuterRef("pk"), deal=Deal.RENT)
    return Park.objects.filter(Exists(rent)).order_by("name")


def park_busiest() -> Park | None:
    """The park with the most leases (the 租控表 opens on it)."""
    return (
        Park.objects.annotate(n=Count("spaces__leases"))
        .filter(n__gt=0)
        .order_by("-n", "name")
        .first()
    )


def contiguous_free(
    *, need_m2: Decimal, free_from: date, park: Park | None = None, kind: str = ""
) -> list[Any]:
    """Blocks of neighbouring units free from ``free_from`` (no lease holding them on that
    day or later) that reach ``need_m2``: on one floor, else on consecutive floors of one
    building (``finder.find_blocks``)."""
    from parklink.leases.finder import FreeUnit, find_blocks

    spaces = Space.objects.filter(deal=Deal.RENT, building__isnull=False).exclude(
        status__in=(SpaceStatus.WITHDRAWN,)
    )
    if park is not None:
        spaces = spaces.filter(park=park)
    if kind:
        spaces = spaces.filter(kind=kind)
    taken = set(
        Lease.objects.filter(space__in=spaces)
        .holding_from(free_from)
        .values_list("space_id", flat=True)
    )
    units = []
    rows = spaces.values_list(
        "pk", "ref", "park__name", "building__name", "floor", "area_m2"
    ).order_by("ref")
    for position, (pk, ref, park_name, building, floor, area) in enumerate(rows):
        m = _FLOOR_NUM.match(floor or "")
        number = (-int(m.group(2)) if m.group(1) else int(m.group(2))) if m else None
        units.append(
            FreeUnit(
                pk,
                ref,
                f"{park_name} {building}",
                floor or "",
                number,
                position,
                area,
                pk not in taken,
            )
        )
    return find_blocks(units, need_m2)


def map_points(*, on: date) -> list[dict[str, Any]]:
    """Every park for the map: its coordinates (WGS-84; None when not placed yet), its
    occupancy from leases, its vacant listings and its leading industry."""
    occ = {r["park"]: r for r in occupancy(on=on)}
    vacant: dict[int, list[tuple[str, str, Decimal]]] = defaultdict(list)
    for park_id, ref, kind, area in (
        Space.objects.available()
        .filter(deal=Deal.RENT)
        .order_by("-area_m2")
        .values_list("park_id", "ref", "kind", "area_m2")
    ):
        vacant[park_id].append((ref, kind, area))
    out = []
    for park in Park.objects.prefetch_related("industries").order_by("name"):
        o = occ.get(park.name, {})
        industries = sorted(i.name for i in park.industries.all())
        out.append(
            {
                "id": park.pk,
                "name": park.name,
                "district": park.district,
                "lat": float(park.latitude) if park.latitude is not None else None,
                "lng": float(park.longitude) if park.longitude is not None else None,
                "industry": industries[0] if industries else "",
                "industries": industries[:4],
                "area_m2": float(o.get("area_m2", 0)),
                "leased_area_m2": float(o.get("leased_area_m2", 0)),
                "occupancy": o.get("occupancy"),
                "vacancy": round(1 - o["occupancy"], 4) if o.get("area_m2") else None,
                "vacant_spaces": len(vacant[park.pk]),
                "spaces": [
                    {"ref": ref, "kind": kind, "area_m2": float(area)}
                    for ref, kind, area in vacant[park.pk][:5]
                ],
                "url": park.get_absolute_url(),
            }
        )
    return out
