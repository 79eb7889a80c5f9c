"""The manager's dashboard: every chart carries the figures of known data, in a table and
in its ECharts option; agents see their own figures; XLSX export; weekly report download."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from parklink.leads import services as lead_services
from parklink.leads.choices import Channel, Stage
from parklink.leases.services import lease_create, tenant_ensure
from parklink.office.reports import dashboard as board
from tests.factories.leads import LeadFactory
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import BuildingFactory, ParkFactory, SpaceFactory

pytestmark = pytest.mark.django_db
CHARTS = {
    "leads_weekly",
    "funnel",
    "follow_ups",
    "occupancy_park",
    "occupancy_kind",
    "expiring_month",
    "rollover",
    "asking_rent",
    "industry_mix",
    "articles",
}


@pytest.fixture
def data(db, manager, agent, agent2):
    today = timezone.localdate()
    park = ParkFactory(name="看板园", district="昌平区")
    building = BuildingFactory(park=park, name="A座")
    office = SpaceFactory(
        ref="K-1",
        park=park,
        building=building,
        kind="写字楼",
        area_m2=Decimal(1000),
        price=Decimal(6),
    )
    SpaceFactory(
        ref="K-2",
        park=park,
        building=building,
        kind="写字楼",
        area_m2=Decimal(500),
        price=Decimal(4),
    )
    factory = SpaceFactory(
        ref="K-3", park=park, kind="厂房", area_m2=Decimal(2000), price=Decimal(2)
    )
    bio = tenant_ensure(name="看板生物", park=park, actor=None)
    bio.industry = "生物医药"
    bio.save()
    lease_create(
        data={
            "ref": "KL-1",
            "space": office,
            "tenant": bio,
            "start": today - timedelta(days=200),
            "end": today + timedelta(days=45),
            "rent": Decimal(5),
            "owner": agent,
        },
        actor=None,
    )
    chip = OrganizationFactory(name="看板芯片", industry="集成电路")
    lease_create(
        data={
            "ref": "KL-2",
            "space": factory,
            "tenant": chip,
            "start": today - timedelta(days=30),
            "end": today + timedelta(days=800),
            "rent": Decimal(2),
            "owner": agent2,
        },
        actor=None,
    )
    # leads: 3 of agent (one lost after 已带看), 1 of agent2, 1 in the pool
    leads = [LeadFactory(owner=agent, channel=Channel.WEB) for _ in range(3)]
    LeadFactory(owner=agent2, channel=Channel.PHONE, next_follow_up=today - timedelta(days=2))
    LeadFactory(channel=Channel.API)
    lead_services.lead_stage_set(lead=leads[0], actor=manager, stage=Stage.VISITED)
    lead_services.lead_stage_set(lead=leads[0], actor=manager, stage=Stage.LOST, lost_reason="价格")
    lead_services.lead_stage_set(lead=leads[1], actor=manager, stage=Stage.WON)
    leads[2].next_follow_up = today
    leads[2].save()
    return park


def _build(viewer, **kw):
    today = timezone.localdate()
    f = board.default_filters(today)
    return board.dashboard_build(
        viewer=viewer, filters=board.Filters(f.start, f.end, **kw), today=today
    )


def test_every_chart_is_there_with_known_figures(data, manager):
    d = _build(manager)
    assert {c.key for c in d.charts} == CHARTS
    funnel = {row[0]: row[1] for row in d.chart("funnel").rows}
    # 5 leads; the lost one reached 已带看 before it was lost; the won one passed every stage
    assert funnel == {
        "新线索": 5,
        "已联系": 2,
        "需求确认": 2,
        "已带看": 2,
        "谈判中": 1,
        "已签约": 1,
    }
    weekly = d.chart("leads_weekly")
    assert weekly.columns[-1] == "合计" and sum(r[-1] for r in weekly.rows) == 5
    follow = {r[0]: r[1:] for r in d.chart("follow_ups").rows}
    assert follow == {"agent1": (0, 1, 0), "agent2": (1, 0, 0)}
    (park_row,) = d.chart("occupancy_park").rows
    assert park_row == ("看板园", 3, 2, 3500.0, 3000.0, 500.0, "85.7%")
    kinds = {r[0]: r for r in d.chart("occupancy_kind").rows}
    assert kinds["写字楼"][1:3] == (2, 1) and kinds["厂房"][4] == 2000.0
    months = [r for r in d.chart("expiring_month").rows if r[1]]
    assert len(months) == 1 and months[0][2] == 1000.0  # KL-1's 1000 m² in its month
    rollover = {r["year"]: r for r in d.rollover}
    assert sum(r["area_m2"] for r in d.rollover) == Decimal(3000)
    assert sum(r["leases"] for r in rollover.values()) == 2
    rents = {(r[0], r[1]): r[2] for r in d.chart("asking_rent").rows}
    assert rents[("昌平区", "写字楼")] == 4.0  # K-2 is listed (K-1 is leased)
    mix = d.chart("industry_mix")
    assert mix.rows == (("看板园", 2000.0, 1000.0),) and mix.columns[1:] == ("集成电路", "生物医药")
    assert d.totals["annual_rent_yuan"] == Decimal(5 * 1000 * 365 + 2 * 2000 * 365)
    for chart in d.charts:  # each option is plain JSON with the same numbers
        json.dumps(chart.option_json)


def test_agents_see_their_own_figures(data, agent, agent2):
    d = _build(agent)
    assert d.own_only
    assert {row[0]: row[1] for row in d.chart("funnel").rows}["新线索"] == 3
    assert [r[0] for r in d.chart("follow_ups").rows] == ["agent1"]
    assert [r["ref"] for r in d.expiring] == ["KL-1"]
    d2 = _build(agent2)
    assert d2.expiring == ()  # KL-2 ends in more than a year
    assert sum(r["leases"] for r in d2.rollover) == 1
    assert sum(r["area_m2"] for r in d2.rollover) == Decimal(2000)
    # the catalogue's figures are the same for everyone
    assert d2.chart("occupancy_park").rows == d.chart("occupancy_park").rows


def test_a_manager_filters_by_agent_and_park(data, manager, agent2):
    d = _build(manager, owner=agent2)
    assert {row[0]: row[1] for row in d.chart("funnel").rows}["新线索"] == 1
    other = ParkFactory(name="别的园")
    assert _build(manager, park=other).chart("occupancy_park").rows == ()


def test_no_personal_data_on_the_page_or_in_the_export(data, manager_client):
    html = manager_client.get(reverse("office:dashboard")).content.decode()
    scripts = "".join(
        re.findall(r'<script id="opt-[^"]+" type="application/json">(.*?)</script>', html, re.S)
    )
    assert scripts and "王先生" not in scripts and "1701" not in scripts
    for key in CHARTS:
        assert f'data-option="opt-{key}"' in html
    resp = manager_client.get(reverse("office:dashboard-xlsx"))
    wb = load_workbook(io.BytesIO(resp.content))
    assert len(wb.sheetnames) == len(CHARTS)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and v.startswith("=")), v
                assert not (isinstance(v, str) and "王先生" in v)


def test_one_chart_export_and_unknown_chart(data, manager_client):
    resp = manager_client.get(reverse("office:dashboard-xlsx") + "?chart=funnel")
    wb = load_workbook(io.BytesIO(resp.content))
    (ws,) = wb.worksheets
    rows = list(ws.iter_rows(values_only=True))
    assert rows[2] == ("阶段", "线索数", "由上一阶段转化")
    assert rows[3][:2] == ("新线索", 5)
    assert manager_client.get(reverse("office:dashboard-xlsx") + "?chart=nope").status_code == 404


def test_formula_like_text_is_written_as_text(data, manager, tmp_path):
    """A park or article named like a formula is a string cell holding exactly that name:
    Excel's quote prefix keeps it text, and no literal ``'`` is shown to the reader."""
    d = _build(manager)
    rows = (('=HYPERLINK("x")', 3), ("-园区", 2), ("-1", 1), ("@租户", 0))
    chart = board.Chart("x", "t", ("a", "n"), rows, {})
    d = board.Dashboard(filters=d.filters, charts=(chart,))
    buffer = io.BytesIO()
    board.write_xlsx(d, buffer)
    ws = load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = [ws[f"A{4 + i}"] for i in range(len(rows))]
    assert [c.value for c in cells] == [r[0] for r in rows]
    assert all(c.data_type == "s" for c in cells)
    # a risky text carries the prefix; a plain number written as text ("-1") needs none
    assert [c.quotePrefix for c in cells] == [True, True, False, True]
    assert [ws[f"B{4 + i}"].value for i in range(len(rows))] == [3, 2, 1, 0]


def test_weekly_report_download(data, manager_client, agent):
    from django.test import Client

    agent_client = Client()
    agent_client.force_login(agent)
    week = "2026-W10"
    pdf = manager_client.get(reverse("office:report-weekly") + f"?week={week}&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = manager_client.get(reverse("office:report-weekly") + f"?week={week}&format=xlsx")
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames[0]
    assert manager_client.get(reverse("office:report-weekly") + "?week=bad").status_code == 400
    assert manager_client.get(reverse("office:report-weekly") + "?format=doc").status_code == 400
    assert agent_client.get(reverse("office:report-weekly")).status_code == 403


def test_filters_are_bounded_and_tolerant(data, manager_client):
    url = reverse("office:dashboard") + "?start=2026-13-01&end=2020-01-01&park=abc&agent=x"
    assert manager_client.get(url).status_code == 200


def test_dashboard_page_for_an_agent_has_no_report_links(data, agent_client):
    html = agent_client.get(reverse("office:dashboard")).content.decode()
    assert "weekly-pdf" not in html
    assert "招商专员只看到自己的线索与租约数字" in html


def test_leads_per_week_are_by_shanghai_week(db, manager):
    from parklink.leads import stats

    lead = LeadFactory()
    # Monday 00:30 in Beijing is still Sunday in UTC
    from datetime import UTC, datetime

    type(lead).objects.filter(pk=lead.pk).update(
        created_at=datetime(2026, 3, 1, 16, 30, tzinfo=UTC)
    )
    rows = stats.leads_by_week_channel(
        viewer=manager, start=date(2026, 2, 23), end=date(2026, 3, 8)
    )
    assert [(r["week"], r.get("网站表单")) for r in rows] == [("2026-W09", 0), ("2026-W10", 1)]


def test_weekly_report_has_a_leases_section(data):
    from parklink.office.reports.weekly import Week, weekly_report

    today = timezone.localdate()
    week = Week(*today.isocalendar()[:2])
    report = weekly_report(week=week, include_demo=True)
    section = report.section("leases")
    figures = {m.label: m.current for m in section.groups[0].metrics}
    assert figures["在租租约"] == 2 and figures["在租面积(㎡)"] == 3000
    assert [row[1] for row in section.tables[0].rows] == ["KL-1"]


def test_built_figures_are_cached_per_scope_and_filters(data, manager, agent, monkeypatch):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(board, "CACHE_SECONDS", 60)
    cache.clear()
    today = timezone.localdate()
    f = board.default_filters(today)
    first = board.dashboard_cached(viewer=manager, filters=f, today=today)
    with CaptureQueriesContext(connection) as ctx:
        again = board.dashboard_cached(viewer=manager, filters=f, today=today)
    assert len(ctx.captured_queries) == 0
    assert again.chart("funnel").rows == first.chart("funnel").rows
    # an agent never gets the team's figures from the cache
    own = board.dashboard_cached(viewer=agent, filters=f, today=today)
    assert own.own_only and own.chart("funnel").rows != first.chart("funnel").rows
    cache.clear()
