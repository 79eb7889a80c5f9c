"""The dashboard's fast paths count exactly what the plain definitions count.

``leads.stats.period_counts`` (index seeks per channel × stage × bucket) against a Python
count of the scope's leads; ``leases.selectors.occupancy``/``occupancy_by_kind`` (two grouped
queries over (park, kind) cells) against sums over the leases held on the day;
``leases_expiring(limit=)`` against the unlimited list; the lead list's inquiry count and
order. Fixtures put leads on bucket edges (00:00 Asia/Shanghai on a Monday, one microsecond
before, the period's first and last instants, outside) and leases terminated, future,
expired, on withdrawn and sale spaces. Then the plans: on SQLite each query reads the index
built for it (EXPLAIN QUERY PLAN)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from parklink.leads import stats
from parklink.leads.choices import Channel, Stage
from parklink.leads.models import Inquiry, Lead
from parklink.leads.selectors import lead_counts, lead_list
from parklink.leases import selectors as lease_selectors
from parklink.leases.models import Lease
from parklink.leases.services import lease_create
from parklink.parks.choices import Deal, SpaceStatus
from tests.factories.leads import LeadFactory
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import ParkFactory, SpaceFactory
from tests.sql_plans import query_plans

pytestmark = pytest.mark.django_db
TZ = ZoneInfo(settings.TIME_ZONE)


def _at(day: date, *, us: int = 0) -> datetime:
    return datetime.combine(day, time.min, tzinfo=TZ) + timedelta(microseconds=us)


def _oracle(viewer, start: date, end: date, owner=None) -> dict[tuple[str, str], list[int]]:
    """Count the scope's leads per (channel, stage) and bucket by walking them in Python."""
    buckets = stats._weeks(start, end)
    low, high = _at(start), _at(end + timedelta(days=1))
    out: dict[tuple[str, str], list[int]] = {}
    for lead in stats.stats_scope(viewer=viewer, owner=owner):
        if not low <= lead.created_at < high:
            continue
        i = next(
            k for k, (_l, _f, last) in enumerate(buckets) if lead.created_at < min(_at(last), high)
        )
        out.setdefault((lead.channel, lead.stage), [0] * len(buckets))[i] += 1
    return out


def _counted(counts: stats.PeriodCounts) -> dict[tuple[str, str], list[int]]:
    return {
        (r["channel"], r["stage"]): [r[f"b{i}"] for i in range(len(counts.buckets))]
        for r in counts.rows
    }


@pytest.fixture
def edge_leads(db, agent, agent2):
    """Leads around the edges of the default 12 weeks and of their ISO weeks."""
    today = timezone.localdate()
    start = today - timedelta(days=7 * 12 - 1)
    monday = start - timedelta(days=start.weekday()) + timedelta(days=7)
    moments = [
        _at(start),  # the first instant of the period
        _at(start, us=-1),  # just before it: not counted
        _at(monday),  # a week's first instant
        _at(monday, us=-1),  # the previous week's last
        _at(monday + timedelta(days=7), us=1),
        _at(today + timedelta(days=1), us=-1),  # the period's last instant
        _at(today + timedelta(days=1)),  # after it: not counted
        _at(today - timedelta(days=400)),  # in the yearly view only
        _at(today - timedelta(days=200), us=123_456),
    ]
    owners = [agent, agent2, None]
    channels = [Channel.WEB, Channel.PHONE, Channel.API, Channel.OTHER]
    stages = [Stage.NEW, Stage.CONTACTED, Stage.WON, Stage.NEGOTIATING]
    for i, moment in enumerate(moments):
        for j in range(3):
            lead = LeadFactory(
                owner=owners[(i + j) % 3],
                channel=channels[(i + 2 * j) % 4],
                stage=stages[(i + j) % 4],
            )
            Lead.objects.filter(pk=lead.pk).update(created_at=moment)
    merged = LeadFactory(owner=agent, channel=Channel.WEB)
    Lead.objects.filter(pk=merged.pk).update(
        created_at=_at(monday), merged_into=Lead.objects.exclude(pk=merged.pk).first()
    )
    return today


@pytest.mark.parametrize("days", [7 * 12 - 1, 500])  # weekly buckets; monthly past 60 weeks
@pytest.mark.parametrize("who", ["manager", "agent", "manager_for_agent2"])
def test_period_counts_equal_a_count_of_the_leads(edge_leads, manager, agent, agent2, days, who):
    today = edge_leads
    start = today - timedelta(days=days)
    viewer, owner = {
        "manager": (manager, None),
        "agent": (agent, None),
        "manager_for_agent2": (manager, agent2),
    }[who]
    counts = stats.period_counts(viewer=viewer, start=start, end=today, owner=owner)
    expected = _oracle(viewer, start, today, owner)
    assert _counted(counts) == expected
    assert sum(map(sum, expected.values())) > 0
    assert counts.buckets == tuple(stats._weeks(start, today))


def test_period_counts_of_a_viewer_who_sees_nothing(edge_leads, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x")
    counts = stats.period_counts(viewer=nobody, start=edge_leads, end=edge_leads)
    assert counts.rows == ()


@pytest.mark.parametrize("who", ["manager", "agent", "agent2", "nobody"])
def test_lead_counts_equal_a_count_of_the_scope(edge_leads, manager, agent, agent2, who):
    """The per-stage counts (one index range per stage) and the 公海 count against the
    scope's leads counted in Python: merged leads left out, every stage present."""
    from django.contrib.auth import get_user_model

    from parklink.leads.choices import OPEN_STAGES
    from parklink.leads.selectors import lead_scope

    viewer = {"manager": manager, "agent": agent, "agent2": agent2}.get(who) or (
        get_user_model().objects.create_user("nobody", password="x")
    )
    scope = list(lead_scope(viewer=viewer))
    expected = {s: 0 for s in Stage.values}
    expected.update(Counter(lead.stage for lead in scope))
    expected["pool"] = sum(lead.owner_id is None and lead.stage in OPEN_STAGES for lead in scope)
    assert lead_counts(viewer=viewer) == expected
    assert sum(expected[s] for s in Stage.values) == len(scope)
    assert (len(scope) > 0) == (who != "nobody")


@pytest.mark.parametrize("who", ["manager", "agent"])
def test_follow_ups_by_agent_equal_a_count_of_the_scope(db, manager, agent, agent2, who):
    """Overdue, due today and due within 7 days per agent, against the scope's open owned
    leads counted in Python (closed, unowned, merged and later ones left out)."""
    from parklink.leads.choices import OPEN_STAGES
    from parklink.leads.selectors import lead_scope

    today = timezone.localdate()
    for i, days in enumerate([-30, -1, 0, 0, 1, 7, 8, 60, None]):
        for j, stage in enumerate([Stage.NEW, Stage.NEGOTIATING, Stage.WON, Stage.LOST]):
            due = None if days is None else today + timedelta(days=days)
            owner = [agent, agent2, None][(i + j) % 3]
            extra = {"lost_reason": "价格"} if stage == Stage.LOST else {}
            LeadFactory(owner=owner, stage=stage, next_follow_up=due, **extra)
    merged = LeadFactory(owner=agent, stage=Stage.NEW, next_follow_up=today)
    Lead.objects.filter(pk=merged.pk).update(merged_into=Lead.objects.exclude(pk=merged.pk)[0])
    viewer = manager if who == "manager" else agent
    expected: dict[str, Counter] = {}
    for lead in lead_scope(viewer=viewer).select_related("owner"):
        if lead.owner is None or lead.stage not in OPEN_STAGES or lead.next_follow_up is None:
            continue
        d = (lead.next_follow_up - today).days
        kind = "overdue" if d < 0 else "due" if d == 0 else "upcoming" if d <= 7 else None
        if kind:
            name = lead.owner.get_full_name() or lead.owner.get_username()
            expected.setdefault(name, Counter())[kind] += 1
    rows = stats.follow_ups_by_agent(viewer=viewer, today=today)
    got = {
        r["agent"]: Counter({k: r[k] for k in ("overdue", "due", "upcoming") if r[k]}) for r in rows
    }
    assert got == expected
    assert sum(c.total() for c in expected.values()) > 0


@pytest.fixture
def leases(db, agent):
    """Two parks; leases current, terminated early, future, expired; a withdrawn space that
    a lease still holds; a sale space."""
    today = timezone.localdate()
    east, west = ParkFactory(name="东园"), ParkFactory(name="西园")
    spaces = {
        ref: SpaceFactory(ref=ref, park=park, kind=kind, area_m2=Decimal(area), price=Decimal(3))
        for ref, park, kind, area in [
            ("E-1", east, "写字楼", "1000.50"),
            ("E-2", east, "写字楼", "800"),
            ("E-3", east, "厂房", "2500"),
            ("W-1", west, "厂房", "3000"),
            ("W-2", west, "仓库", "1200.25"),
            ("W-3", west, "写字楼", "600"),
        ]
    }
    tenant = OrganizationFactory(name="租户甲", industry="生物医药")
    other = OrganizationFactory(name="租户乙", industry="")

    def lease(ref, space, start, end, area, rent="4.5", who=tenant):
        return lease_create(
            data={
                "ref": ref,
                "space": spaces[space],
                "tenant": who,
                "start": today + timedelta(days=start),
                "end": today + timedelta(days=end),
                "area_m2": Decimal(area),
                "rent": Decimal(rent),
                "owner": agent,
            },
            actor=None,
        )

    lease("L-1", "E-1", -100, 60, "1000.50")
    lease("L-2", "E-2", -300, 400, "500", who=other)
    lease("L-3", "E-2", -30, 900, "300", rent="2.25")  # a second lease on E-2
    lease("L-4", "E-3", -50, 2000, "2500")
    lease("L-5", "W-1", -700, -10, "3000")  # expired
    lease("L-6", "W-1", 5, 1000, "3000")  # future
    t = lease("L-7", "W-2", -200, 500, "1200.25", who=other)
    Lease.objects.filter(pk=t.pk).update(terminated_on=today + timedelta(days=20))
    t = lease("L-8", "W-3", -200, 500, "600")
    Lease.objects.filter(pk=t.pk).update(terminated_on=today - timedelta(days=1))
    lease("L-9", "W-3", 0, 30, "600")
    spaces["W-3"].status = SpaceStatus.WITHDRAWN  # withdrawn, yet held by L-9
    spaces["W-3"].save()
    SpaceFactory(ref="S-1", park=west, kind="厂房", deal=Deal.SALE, area_m2=Decimal(900))
    return today, east, west


def _occupancy_oracle(on: date, park=None):
    """Per (park, kind): leasable spaces and area, distinct spaces held, leased area and
    rent, area ending within 90 days, from the rows themselves."""
    cells: dict[tuple[str, str], Counter] = {}
    from parklink.parks.models import Space

    held = [
        lease
        for lease in Lease.objects.select_related("space__park")
        if lease.is_active_on(on) and lease.space.deal == Deal.RENT
    ]
    held_ids = {lease.space_id for lease in held}
    for space in Space.objects.select_related("park").filter(deal=Deal.RENT):
        if park is not None and space.park_id != park.pk:
            continue
        if space.status == SpaceStatus.WITHDRAWN and space.pk not in held_ids:
            continue
        c = cells.setdefault((space.park.name, space.kind), Counter())
        c["spaces"] += 1
        c["area"] += space.area_m2
    seen: set[int] = set()
    for lease in held:
        if park is not None and lease.space.park_id != park.pk:
            continue
        c = cells.setdefault((lease.space.park.name, lease.space.kind), Counter())
        c["leased_spaces"] += lease.space_id not in seen
        seen.add(lease.space_id)
        c["leased"] += lease.area_m2
        c["rent"] += lease.annual_rent_yuan
        if lease.last_day <= on + timedelta(days=90):
            c["soon"] += lease.area_m2
    return cells


def _add(cells, axis):
    out: dict[str, Counter] = {}
    for key, c in cells.items():
        out.setdefault(key[axis], Counter()).update(c)
    return out


@pytest.mark.parametrize("shift", [0, 25, -150])
@pytest.mark.parametrize("one_park", [False, True])
def test_occupancy_equals_sums_over_the_leases_held(leases, shift, one_park):
    today, east, _west = leases
    on = today + timedelta(days=shift)
    park = east if one_park else None
    cells = _occupancy_oracle(on, park)
    by_park, by_kind = _add(cells, 0), _add(cells, 1)
    got = {r["park"]: r for r in lease_selectors.occupancy(on=on, park=park)}
    assert set(got) == set(by_park)
    for name, c in by_park.items():
        r = got[name]
        assert (r["spaces"], r["leased_spaces"]) == (c["spaces"], c["leased_spaces"])
        assert r["area_m2"] == Decimal(c["area"]).quantize(Decimal("0.01"))
        assert r["leased_area_m2"] == Decimal(c["leased"]).quantize(Decimal("0.01"))
        assert r["annual_rent_yuan"] == Decimal(c["rent"]).quantize(Decimal("0.01"))
        assert r["expiring_90d_area_m2"] == Decimal(c["soon"]).quantize(Decimal("0.01"))
    kinds = {r["kind"]: r for r in lease_selectors.occupancy_by_kind(on=on, park=park)}
    assert set(kinds) == {k for k, c in by_kind.items() if c["spaces"]}
    for kind, r in kinds.items():
        c = by_kind[kind]
        assert (r["spaces"], r["leased_spaces"]) == (c["spaces"], c["leased_spaces"])
        assert r["leased_area_m2"] == Decimal(c["leased"]).quantize(Decimal("0.01"))
    # one set of cells serves both tables with the same figures
    shared = lease_selectors.occupancy_cells(on=on, park=park)
    assert lease_selectors.occupancy(on=on, park=park, cells=shared) == list(got.values())
    assert lease_selectors.occupancy_by_kind(on=on, park=park, cells=shared) == list(kinds.values())


@pytest.mark.parametrize("limit", [1, 2, 3, 50])
def test_leases_expiring_limited_is_the_start_of_the_full_list(leases, limit):
    today = leases[0]
    full = lease_selectors.leases_expiring(days=3000, on=today)
    assert [r["ref"] for r in full] == ["L-7", "L-9", "L-1", "L-2", "L-3", "L-4"]
    assert lease_selectors.leases_expiring(days=3000, on=today, limit=limit) == full[:limit]


def test_lead_list_counts_inquiries_and_keeps_its_order(edge_leads, manager):
    leads = list(Lead.objects.filter(merged_into__isnull=True).order_by("pk")[:4])
    for n, lead in enumerate(leads):
        for k in range(n):
            Inquiry.objects.create(lead=lead, channel=lead.channel, data={"k": k}, digest=f"{k}")
    rows = list(lead_list(viewer=manager))
    expected = sorted(
        Lead.objects.filter(merged_into__isnull=True),
        key=lambda lead: (lead.last_inquiry_at, lead.pk),
        reverse=True,
    )
    assert [r.pk for r in rows] == [lead.pk for lead in expected]
    got = {r.pk: r.inquiry_count for r in rows}
    assert all(got[lead.pk] == n for n, lead in enumerate(leads))
    assert sum(got.values()) == Inquiry.objects.count()


# --- the plans ------------------------------------------------------------------------------


_plans = query_plans


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL picks by statistics, which a test's few rows do not give; its plans at "
    "100,000 leads are in docs/benchmarks.md (bench/dashboard.py --explain)",
)
def test_the_dashboard_queries_read_their_indexes(edge_leads, leases, manager):
    """SQLite has no statistics here (the app never runs ANALYZE), so its planner's choice is
    the same at 10 rows as at 100,000: each query must find its index without them."""
    today = edge_leads
    start = today - timedelta(days=7 * 12 - 1)
    plans = _plans(lambda: stats.period_counts(viewer=manager, start=start, end=today))
    assert "lead_live_period" in plans
    plans = _plans(lambda: list(lead_list(viewer=manager)[50:75]))
    assert "lead_live_list" in plans
    plans = _plans(lambda: stats.follow_ups_by_agent(viewer=manager, today=today))
    assert "lead_live_follow" in plans or "lead_live_stage" in plans
    plans = _plans(lambda: lease_selectors.rollover_by_year(on=today))
    # grouped by the last day in the index's order: no sort of the leases held
    assert "COVERING INDEX lease_last_day_cover" in plans
    assert "TEMP B-TREE" not in plans
    plans = _plans(lambda: lease_selectors.occupancy_cells(on=today))
    assert "lease_space_cover" in plans or "lease_active_cover" in plans
    assert "COVERING INDEX space_deal_park_kind" in plans
    plans = _plans(lease_selectors.asking_rent_by_district_kind)
    assert "COVERING INDEX space_deal_park_kind" in plans
    plans = _plans(lambda: lead_counts(viewer=manager))
    assert "COVERING INDEX lead_live_stage" in plans
    assert "SCAN leads_lead" not in plans


@pytest.mark.parametrize("shift", [0, 25, -150, 300])
@pytest.mark.parametrize("filtered", ["", "park", "owner"])
def test_expiry_profile_equals_the_month_and_year_tables(leases, agent, agent2, shift, filtered):
    today, east, _west = leases
    on = today + timedelta(days=shift)
    kw = {"park": east} if filtered == "park" else {"owner": agent} if filtered == "owner" else {}
    by_month, by_year = lease_selectors.expiry_profile(on=on, months=12, **kw)
    assert by_month == lease_selectors.expiring_by_month(on=on, months=12, **kw)
    assert by_year == lease_selectors.rollover_by_year(on=on, **kw)
    assert sum(r["leases"] for r in by_year) > 0
    empty_month, empty_year = lease_selectors.expiry_profile(on=on, owner=agent2)
    assert not any(r["leases"] for r in empty_month + empty_year)


def _expiry_oracle(on: date, buckets, **kw):
    """Count, area and rent of the leases held on ``on`` per (label, first, last) bucket of
    last days, from the rows themselves."""
    out = {label: [0, Decimal(0), Decimal(0)] for label, _f, _l in buckets}
    for lease in Lease.objects.all():
        if not lease.is_active_on(on):
            continue
        if kw.get("park") is not None and lease.space.park_id != kw["park"].pk:
            continue
        if kw.get("owner") is not None and lease.owner_id != kw["owner"].pk:
            continue
        for label, first, last in buckets:
            if first <= lease.last_day <= last:
                out[label][0] += 1
                out[label][1] += lease.area_m2
                out[label][2] += lease.annual_rent_yuan
    return out


@pytest.mark.parametrize("shift", [0, 25, -150, 300, 495, 496])
@pytest.mark.parametrize("filtered", ["", "park", "owner"])
def test_expiry_months_and_years_equal_sums_over_the_leases_held(leases, agent, shift, filtered):
    """The months and years of last days (grouped per day, placed in buckets in Python)
    against the leases themselves: terminated leases count on their termination day, a
    lease ending on a bucket's first or last day falls in that bucket."""
    today, east, _west = leases
    on = today + timedelta(days=shift)
    kw = {"park": east} if filtered == "park" else {"owner": agent} if filtered == "owner" else {}
    by_month = lease_selectors.expiring_by_month(on=on, months=12, **kw)
    months = []
    for r in by_month:
        first = date.fromisoformat(r["month"] + "-01")
        nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        months.append((r["month"], max(first, on), nxt - timedelta(days=1)))
    oracle = _expiry_oracle(on, months, **kw)
    assert [(r["leases"], r["area_m2"], r["annual_rent_yuan"]) for r in by_month] == [
        (n, area.quantize(Decimal("0.01")), rent.quantize(Decimal("0.01")))
        for n, area, rent in oracle.values()
    ]
    by_year = lease_selectors.rollover_by_year(on=on, years=5, **kw)
    years = [(str(y), date(y, 1, 1), date(y, 12, 31)) for y in range(on.year, on.year + 5)]
    years.append((f"{on.year + 5}+", date(on.year + 5, 1, 1), date.max))
    oracle = _expiry_oracle(on, years, **kw)
    assert [(r["year"], r["leases"], r["area_m2"]) for r in by_year] == [
        (label, n, area.quantize(Decimal("0.01"))) for label, (n, area, _rent) in oracle.items()
    ]
    if not kw:  # every lease held ends in one of the years (the last one has no end)
        held = sum(lease.is_active_on(on) for lease in Lease.objects.all())
        assert sum(r["leases"] for r in by_year) == held > 0
