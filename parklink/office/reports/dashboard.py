"""The manager's dashboard: every chart as its numbers (a table) and the ECharts option
that draws them, built from the domain aggregates (``leads.stats``, ``leases.selectors``).

A chart is a frozen dataclass: ``columns`` and ``rows`` are what the table beside it shows
and the XLSX export holds; ``option`` is plain JSON for ``echarts.setOption`` (the page's
script only hands it over). No personal data: counts, areas, rents, agent names.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from parklink.core.exchange import json_value, xlsx_cell
from parklink.core.roles import is_manager
from parklink.leads import stats
from parklink.leads.choices import Stage
from parklink.leases import selectors as lease_selectors

DEFAULT_WEEKS = 12
TABLE_ROWS = 30  # rows shown beside a chart (the XLSX export holds them all)
TOP_PARKS = 30  # parks drawn in the per-park charts (largest first)
# Built figures are kept this long per viewer scope and filters: a dashboard a minute old is
# fine, and repeated views (filters, back button) then cost a cache read.
# Tests build afresh (0) unless they set it.
CACHE_SECONDS = int(
    os.environ.get("PARKLINK_DASHBOARD_CACHE_SECONDS", "0" if settings.TESTING else "60")
)
PALETTE = ["#2f6fd6", "#36a269", "#f0a020", "#d9534f", "#7b5cc4", "#22a6b3", "#8c6d31", "#999999"]


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    park: Any = None
    owner: Any = None  # an agent (managers only; agents always see their own)

    @property
    def on(self) -> date:
        return self.end


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    option: dict[str, Any]
    note: str = ""

    @property
    def has_data(self) -> bool:
        return bool(self.rows)

    @property
    def shown_rows(self) -> tuple[tuple[Any, ...], ...]:
        return self.rows[:TABLE_ROWS]

    @property
    def hidden_rows(self) -> int:
        return max(0, len(self.rows) - TABLE_ROWS)

    @property
    def option_json(self) -> Any:
        return json_value(self.option)


@dataclass(frozen=True)
class Dashboard:
    filters: Filters
    charts: tuple[Chart, ...]
    expiring: tuple[dict[str, Any], ...] = ()
    rollover: tuple[dict[str, Any], ...] = ()
    own_only: bool = False
    totals: dict[str, Any] = field(default_factory=dict)

    def chart(self, key: str) -> Chart:
        return next(c for c in self.charts if c.key == key)


def default_filters(today: date) -> Filters:
    return Filters(start=today - timedelta(days=7 * DEFAULT_WEEKS - 1), end=today)


def _num(value: Any) -> Any:
    """A Decimal as a JSON/XLSX number: whole numbers as int (areas), others as float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _base(title: str) -> dict[str, Any]:
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "type": "scroll"},
        "grid": {"left": 48, "right": 16, "top": 36, "bottom": 28, "containLabel": True},
        "aria": {"enabled": True, "label": {"description": title}},
    }


def _leads_weekly(viewer: Any, f: Filters, counts: stats.PeriodCounts) -> Chart:
    rows = stats.leads_by_week_channel(
        viewer=viewer, start=f.start, end=f.end, owner=f.owner, counts=counts
    )
    channels = [k for k in (rows[0] if rows else {}) if k != "week"]
    title = _("每周新增线索(按渠道)")
    option = {
        **_base(title),
        "xAxis": {"type": "category", "data": [r["week"] for r in rows]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": c, "type": "bar", "stack": "leads", "data": [r[c] for r in rows]}
            for c in channels
        ],
    }
    table = tuple((r["week"], *(r[c] for c in channels), sum(r[c] for c in channels)) for r in rows)
    if not channels:
        table = ()
    return Chart("leads_weekly", title, (_("周"), *channels, _("合计")), table, option)


def _funnel(viewer: Any, f: Filters, counts: stats.PeriodCounts) -> Chart:
    rows = stats.funnel(viewer=viewer, start=f.start, end=f.end, owner=f.owner, counts=counts)
    title = _("招商漏斗与阶段转化")
    labels = {s.value: str(s.label) for s in Stage}
    option = {
        **_base(title),
        "tooltip": {"trigger": "item"},
        "legend": {"show": False},
        "series": [
            {
                "name": title,
                "type": "funnel",
                "sort": "none",
                "top": 36,
                "bottom": 8,
                "left": "10%",
                "width": "80%",
                "minSize": "8%",
                "label": {"show": True, "position": "inside"},
                "data": [{"name": labels[r["stage"]], "value": r["leads"]} for r in rows],
            }
        ],
    }
    table = tuple(
        (
            labels[r["stage"]],
            r["leads"],
            "" if r["conversion"] is None else f"{r['conversion']:.0%}",
        )
        for r in rows
    )
    if not any(r["leads"] for r in rows):
        table = ()
    return Chart("funnel", title, (_("阶段"), _("线索数"), _("由上一阶段转化")), table, option)


def _follow_ups(viewer: Any, f: Filters, today: date) -> Chart:
    rows = stats.follow_ups_by_agent(viewer=viewer, today=today, owner=f.owner)
    title = _("待跟进与逾期(按招商人员)")
    series = (
        ("overdue", _("已逾期"), "#d9534f"),
        ("due", _("今日到期"), "#f0a020"),
        ("upcoming", _("7天内"), "#2f6fd6"),
    )
    option = {
        **_base(title),
        "xAxis": {"type": "category", "data": [r["agent"] for r in rows]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": label,
                "type": "bar",
                "itemStyle": {"color": color},
                "data": [r[key] for r in rows],
            }
            for key, label, color in series
        ],
    }
    table = tuple((r["agent"], r["overdue"], r["due"], r["upcoming"]) for r in rows)
    return Chart(
        "follow_ups", title, (_("招商人员"), _("已逾期"), _("今日到期"), _("7天内")), table, option
    )


def _occupancy_park(occupancy: list[dict[str, Any]]) -> Chart:
    rows = [r for r in occupancy if r["area_m2"]]
    rows.sort(key=lambda r: -r["area_m2"])
    title = _("各园区出租与空置面积(按租约)")
    drawn = rows[:TOP_PARKS]
    names = [r["park"] for r in drawn]
    option = {
        **_base(title),
        "grid": {"left": 8, "right": 24, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": {
            "type": "value",
            "name": "㎡",
            "splitNumber": 3,
            "axisLabel": {"hideOverlap": True},
        },
        "yAxis": {"type": "category", "data": names, "inverse": True},
        "series": [
            {
                "name": _("已租面积"),
                "type": "bar",
                "stack": "area",
                "itemStyle": {"color": "#36a269"},
                "data": [_num(r["leased_area_m2"]) for r in drawn],
            },
            {
                "name": _("空置面积"),
                "type": "bar",
                "stack": "area",
                "itemStyle": {"color": "#d9d9d9"},
                "data": [_num(r["vacant_area_m2"]) for r in drawn],
            },
        ],
    }
    table = tuple(
        (
            r["park"],
            r["spaces"],
            r["leased_spaces"],
            _num(r["area_m2"]),
            _num(r["leased_area_m2"]),
            _num(r["vacant_area_m2"]),
            f"{r['occupancy']:.1%}",
        )
        for r in rows
    )
    return Chart(
        "occupancy_park",
        title,
        (
            _("园区"),
            _("可租套数"),
            _("已租套数"),
            _("可租面积(㎡)"),
            _("已租面积(㎡)"),
            _("空置面积(㎡)"),
            _("出租率"),
        ),
        table,
        option,
    )


def _occupancy_kind(f: Filters, cells: lease_selectors.OccupancyCells) -> Chart:
    rows = lease_selectors.occupancy_by_kind(on=f.on, park=f.park, cells=cells)
    title = _("出租与空置(按载体类型,面积与套数)")
    option = {
        **_base(title),
        "xAxis": {"type": "category", "data": [r["kind"] for r in rows]},
        "yAxis": [
            {"type": "value", "name": "㎡"},
            {"type": "value", "name": _("套"), "minInterval": 1},
        ],
        "series": [
            {
                "name": _("已租面积"),
                "type": "bar",
                "stack": "area",
                "itemStyle": {"color": "#36a269"},
                "data": [_num(r["leased_area_m2"]) for r in rows],
            },
            {
                "name": _("空置面积"),
                "type": "bar",
                "stack": "area",
                "itemStyle": {"color": "#d9d9d9"},
                "data": [_num(r["vacant_area_m2"]) for r in rows],
            },
            {
                "name": _("已租套数"),
                "type": "line",
                "yAxisIndex": 1,
                "data": [r["leased_spaces"] for r in rows],
            },
            {
                "name": _("空置套数"),
                "type": "line",
                "yAxisIndex": 1,
                "data": [r["spaces"] - r["leased_spaces"] for r in rows],
            },
        ],
    }
    table = tuple(
        (
            r["kind"],
            r["spaces"],
            r["leased_spaces"],
            _num(r["area_m2"]),
            _num(r["leased_area_m2"]),
            _num(r["vacant_area_m2"]),
            f"{r['occupancy']:.1%}",
        )
        for r in rows
    )
    return Chart(
        "occupancy_kind",
        title,
        (
            _("类型"),
            _("可租套数"),
            _("已租套数"),
            _("可租面积(㎡)"),
            _("已租面积(㎡)"),
            _("空置面积(㎡)"),
            _("出租率"),
        ),
        table,
        option,
    )


def _expiring_month(rows: list[dict[str, Any]]) -> Chart:
    title = _("未来12个月到期面积(按月)")
    option = {
        **_base(title),
        "xAxis": {"type": "category", "data": [r["month"] for r in rows]},
        "yAxis": [{"type": "value", "name": "㎡"}, {"type": "value", "name": _("万元/年")}],
        "series": [
            {
                "name": _("到期面积"),
                "type": "bar",
                "itemStyle": {"color": "#f0a020"},
                "data": [_num(r["area_m2"]) for r in rows],
            },
            {
                "name": _("到期年租金(万元)"),
                "type": "line",
                "yAxisIndex": 1,
                "data": [round(float(r["annual_rent_yuan"]) / 10000, 2) for r in rows],
            },
        ],
    }
    table = tuple(
        (r["month"], r["leases"], _num(r["area_m2"]), _num(r["annual_rent_yuan"])) for r in rows
    )
    if not any(r["leases"] for r in rows):
        table = ()
    return Chart(
        "expiring_month",
        title,
        (_("月份"), _("租约数"), _("到期面积(㎡)"), _("年租金(元)")),
        table,
        option,
    )


def _rollover(rows: list[dict[str, Any]]) -> tuple[Chart, list[dict[str, Any]]]:
    title = _("租约到期结构(按年,面积与租金占比)")
    option = {
        **_base(title),
        "xAxis": {"type": "category", "data": [r["year"] for r in rows]},
        "yAxis": {"type": "value", "name": "%", "max": 100},
        "series": [
            {"name": _("面积占比"), "type": "bar", "data": [r["area_pct"] for r in rows]},
            {"name": _("租金占比"), "type": "bar", "data": [r["rent_pct"] for r in rows]},
        ],
    }
    table = tuple(
        (
            r["year"],
            r["leases"],
            _num(r["area_m2"]),
            f"{r['area_pct']}%",
            _num(r["annual_rent_yuan"]),
            f"{r['rent_pct']}%",
        )
        for r in rows
    )
    if not any(r["leases"] for r in rows):
        table = ()
    chart = Chart(
        "rollover",
        title,
        (_("到期年份"), _("租约数"), _("面积(㎡)"), _("面积占比"), _("年租金(元)"), _("租金占比")),
        table,
        option,
    )
    return chart, rows


def _asking_rent() -> Chart:
    rows = lease_selectors.asking_rent_by_district_kind()
    districts = sorted({r["district"] for r in rows})
    kinds = sorted({r["kind"] for r in rows})
    value = {(r["district"], r["kind"]): float(r["avg_rent"]) for r in rows}
    title = _("平均报价租金(元/平方米/天,按区县与类型)")
    option = {
        **_base(title),
        "xAxis": {
            "type": "category",
            "data": districts,
            "axisLabel": {"interval": 0, "rotate": 30},
        },
        "yAxis": {"type": "value", "name": _("元/㎡/天")},
        "series": [
            {"name": k, "type": "bar", "data": [value.get((d, k)) for d in districts]}
            for k in kinds
        ],
    }
    table = tuple((r["district"], r["kind"], _num(r["avg_rent"]), r["spaces"]) for r in rows)
    return Chart(
        "asking_rent",
        title,
        (_("区县"), _("类型"), _("平均租金(元/㎡/天)"), _("房源数")),
        table,
        option,
        note=_("在租房源的报价,非成交租金"),
    )


def _industry_mix(f: Filters) -> Chart:
    rows = lease_selectors.tenant_industry_mix(on=f.on, park=f.park)
    industries = [k for k in (rows[0] if rows else {}) if k != "park"]
    title = _("各园区租户行业结构(在租面积)")
    option = {
        **_base(title),
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 24, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": {
            "type": "value",
            "name": "㎡",
            "splitNumber": 3,
            "axisLabel": {"hideOverlap": True},
        },
        "yAxis": {
            "type": "category",
            "data": [r["park"] for r in rows[:TOP_PARKS]],
            "inverse": True,
        },
        "series": [
            {
                "name": i,
                "type": "bar",
                "stack": "mix",
                "data": [_num(r[i]) for r in rows[:TOP_PARKS]],
            }
            for i in industries
        ],
    }
    table = tuple((r["park"], *(_num(r[i]) for i in industries)) for r in rows)
    return Chart("industry_mix", title, (_("园区"), *industries), table, option)


def _articles(viewer: Any, f: Filters) -> Chart:
    rows = stats.articles_with_leads(viewer=viewer, start=f.start, end=f.end, owner=f.owner)
    title = _("带来线索的资讯")
    option = {
        **_base(title),
        "grid": {"left": 8, "right": 24, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "inverse": True, "data": [r["title"][:24] for r in rows]},
        "series": [{"name": _("线索数"), "type": "bar", "data": [r["leads"] for r in rows]}],
    }
    table = tuple((r["title"], r["leads"]) for r in rows)
    return Chart(
        "articles",
        title,
        (_("资讯"), _("线索数")),
        table,
        option,
        note=_("按咨询提交时所在的资讯页统计"),
    )


# The worker rebuilds the default view of every scope this often and keeps it this long, so
# that with a shared cache (REDIS_URL) a dashboard request reads built figures instead of
# aggregating 100,000 leads (see docs/benchmarks.md).
WARM_EVERY_SECONDS = 120
WARM_KEEP_SECONDS = int(os.environ.get("PARKLINK_DASHBOARD_WARM_SECONDS", "600"))


def _cache_key(*, viewer: Any, filters: Filters, today: date) -> str:
    from django.utils.translation import get_language

    scope = "team" if is_manager(viewer) else f"agent{viewer.pk}"
    return ":".join(
        str(part)
        for part in (
            "parklink:dashboard:v1",
            scope,
            filters.start,
            filters.end,
            filters.park.pk if filters.park else "",
            filters.owner.pk if filters.owner else "",
            today,
            get_language(),
        )
    )


def dashboard_cached(*, viewer: Any, filters: Filters, today: date) -> Dashboard:
    """``dashboard_build`` kept CACHE_SECONDS per viewer scope (the team for managers, the
    agent otherwise), filters, day and language; the default view is also kept warm by the
    worker (``dashboard_warm``)."""
    from django.core.cache import cache

    if CACHE_SECONDS <= 0:
        return dashboard_build(viewer=viewer, filters=filters, today=today)
    key = _cache_key(viewer=viewer, filters=filters, today=today)
    data = cache.get(key)
    if data is None:
        data = dashboard_build(viewer=viewer, filters=filters, today=today)
        cache.set(key, data, CACHE_SECONDS)
    return data


def dashboard_warm(*, today: date | None = None) -> int:
    """Build the default dashboard of every scope (the team, as one active manager sees it,
    and each active agent) into the cache for WARM_KEEP_SECONDS. Returns how many were
    built. Run by the worker every WARM_EVERY_SECONDS; useful when the cache is shared with
    the web servers (Redis)."""
    from django.conf import settings as dj_settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.utils import timezone, translation

    from parklink.core.roles import ROLE_AGENT, ROLE_MANAGER

    day = today or timezone.localdate()
    users = get_user_model().objects.filter(is_active=True)
    manager = users.filter(groups__name=ROLE_MANAGER).order_by("pk").first()
    viewers = [manager] if manager is not None else []
    viewers += list(users.filter(groups__name=ROLE_AGENT).distinct().order_by("pk"))
    built = 0
    with translation.override(dj_settings.LANGUAGE_CODE):
        for viewer in viewers:
            filters = default_filters(day)
            data = dashboard_build(viewer=viewer, filters=filters, today=day)
            key = _cache_key(viewer=viewer, filters=data.filters, today=day)
            cache.set(key, data, max(WARM_KEEP_SECONDS, CACHE_SECONDS))
            built += 1
    return built


def dashboard_build(*, viewer: Any, filters: Filters, today: date) -> Dashboard:
    """Every chart of the dashboard for ``viewer``: a manager sees the team (or the agent
    chosen), an agent their own leads and leases; occupancy, rents and tenant mix are the
    catalogue's and the same for all."""
    own_only = not is_manager(viewer)
    f = filters if not own_only else Filters(filters.start, filters.end, filters.park, None)
    lease_owner = viewer if own_only else f.owner
    # one scan of the held leases for both expiry charts (months and the yearly rollover)
    by_month, by_year = lease_selectors.expiry_profile(
        on=f.on, months=12, park=f.park, owner=lease_owner
    )
    rollover_chart, rollover_rows = _rollover(by_year)
    cells = lease_selectors.occupancy_cells(on=f.on, park=f.park)
    occupancy = lease_selectors.occupancy(on=f.on, park=f.park, cells=cells)
    counts = stats.period_counts(viewer=viewer, start=f.start, end=f.end, owner=f.owner)
    charts = (
        _leads_weekly(viewer, f, counts),
        _funnel(viewer, f, counts),
        _follow_ups(viewer, f, today),
        _occupancy_park(occupancy),
        _occupancy_kind(f, cells),
        _expiring_month(by_month),
        rollover_chart,
        _asking_rent(),
        _industry_mix(f),
        _articles(viewer, f),
    )
    expiring = lease_selectors.leases_expiring(
        days=365, on=f.on, park=f.park, owner=lease_owner, limit=15
    )
    area = sum((r["area_m2"] for r in occupancy), Decimal(0))
    leased = sum((r["leased_area_m2"] for r in occupancy), Decimal(0))
    totals = {
        "area_m2": area,
        "leased_area_m2": leased,
        "occupancy": float(leased / area) if area else 0.0,
        "occupancy_pct": round(float(leased * 100 / area), 1) if area else 0.0,
        "annual_rent_yuan": sum((r["annual_rent_yuan"] for r in occupancy), Decimal(0)),
        "expiring_90d_area_m2": sum((r["expiring_90d_area_m2"] for r in occupancy), Decimal(0)),
    }
    return Dashboard(
        filters=f,
        charts=charts,
        expiring=tuple(expiring),
        rollover=tuple(rollover_rows),
        own_only=own_only,
        totals=totals,
    )


def _cell(ws: Any, value: Any) -> Any:
    """Spreadsheet cells never carry live formulas: every text is a string cell, and one
    Excel would evaluate when edited gets the quote prefix (``xlsx_cell``), so the cell
    shows exactly the text (no stray ``'`` in it). Numbers stay numbers."""
    if isinstance(value, Decimal):
        value = float(value)
    return xlsx_cell(ws, value)


def write_xlsx(dashboard: Dashboard, out: BinaryIO, *, only: str = "") -> int:
    """The numbers of every chart (or of chart ``only``), one sheet per chart."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    f = dashboard.filters
    written = 0
    for chart in dashboard.charts:
        if only and chart.key != only:
            continue
        ws = wb.create_sheet(chart.title[:31].replace("/", "-"))
        ws.append([_cell(ws, chart.title)])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append([_cell(ws, f"{f.start:%Y-%m-%d} ~ {f.end:%Y-%m-%d}")])
        ws.append([_cell(ws, c) for c in chart.columns])
        for cell in ws[3]:
            cell.font = Font(bold=True)
        for row in chart.rows:
            ws.append([_cell(ws, v) for v in row])
        for i in range(len(chart.columns)):
            ws.column_dimensions[ws.cell(row=3, column=i + 1).column_letter].width = 16
        written += 1
    if not written:
        wb.create_sheet("empty")
    wb.save(out)
    return written
