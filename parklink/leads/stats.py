"""Aggregates of the leads domain for the manager's dashboard: leads per week by channel,
the pipeline funnel with its conversions, follow-ups due and overdue per agent, and the
articles submissions came from. Reads only; counts, never names or mobiles.

Every function starts from ``lead_scope(viewer=)`` and, for anyone but a manager, narrows
it to the viewer's own leads: agents see their own figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast

from parklink.core.models import AuditEntry
from parklink.core.roles import is_manager
from parklink.leads.choices import OPEN_STAGES, Channel, Stage
from parklink.leads.models import Inquiry, Lead
from parklink.leads.selectors import lead_scope

FUNNEL_STAGES = (*OPEN_STAGES, Stage.WON)


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in Asia/Shanghai."""
    tz = _tz()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def stats_scope(*, viewer: Any, owner: Any = None) -> QuerySet[Lead]:
    """The leads the figures count: a manager's team (or one agent's), an agent's own."""
    qs = lead_scope(viewer=viewer)
    if not is_manager(viewer):
        return qs.filter(owner=viewer)
    if owner is not None:
        qs = qs.filter(owner=owner)
    return qs


MAX_WEEKS = 60


def _weeks(start: date, end: date) -> list[tuple[str, date, date]]:
    """ISO weeks (Monday to Sunday) covering [start, end]; months past MAX_WEEKS weeks."""
    out = []
    monday = start - timedelta(days=start.weekday())
    if (end - monday).days // 7 + 1 <= MAX_WEEKS:
        while monday <= end:
            y, w, _d = monday.isocalendar()
            out.append((f"{y}-W{w:02d}", monday, monday + timedelta(days=7)))
            monday += timedelta(days=7)
        return out
    first = start.replace(day=1)
    while first <= end:
        nxt = (first + timedelta(days=32)).replace(day=1)
        out.append((f"{first:%Y-%m}", first, nxt))
        first = nxt
    return out


@dataclass(frozen=True)
class PeriodCounts:
    """New leads of a period counted once, per (channel, stage) and per bucket (week, or
    month past MAX_WEEKS weeks): what the weekly chart and the funnel both read."""

    buckets: tuple[tuple[str, date, date], ...]
    rows: tuple[dict[str, Any], ...]  # {"channel", "stage", "b0"…"bN"}

    def total(self, row: dict[str, Any]) -> int:
        return sum(row[f"b{i}"] for i in range(len(self.buckets)))


def period_counts(*, viewer: Any, start: date, end: date, owner: Any = None) -> PeriodCounts:
    """The new leads of the period per channel, stage and bucket, in one query of index
    seeks: for every (channel, stage, bucket) a ``COUNT(*)`` over the range [bucket start,
    bucket end) of ``created_at`` within the scope, each a range of the ``lead_live_period``
    index (merged_into, channel, stage, created_at, owner). A lead is counted once, in the
    bucket its creation time falls in; grouping 100,000 rows by a CASE cost ~10× more on
    SQLite (docs/benchmarks.md). Channel and stage are choice fields (every write path
    validates them), so their values are the choices'."""
    buckets = _weeks(start, end)
    low, high = _bounds(start, end)
    tz = _tz()
    # Bucket i holds [edge i, edge i+1): the first starts at the period's start, each ends at
    # the next bucket's first day 00:00 (Asia/Shanghai), the last at the period's end.
    edges = [low]
    for _label, _first, last in buckets:
        edges.append(min(datetime.combine(last, time.min, tzinfo=tz), high))
    scope = stats_scope(viewer=viewer, owner=owner)
    try:
        where, where_params = scope.query.get_compiler(using=scope.db).compile(scope.query.where)
    except EmptyResultSet:
        return PeriodCounts(tuple(buckets), ())
    ops = connections[scope.db].ops
    qn = ops.quote_name
    table = qn(Lead._meta.db_table)

    def col(name: str) -> str:
        return f"{table}.{qn(Lead._meta.get_field(name).column)}"

    def values(rows: list[tuple[Any, ...]]) -> tuple[str, list[Any]]:
        sql = ", ".join("(" + ", ".join(["%s"] * len(r)) + ")" for r in rows)
        return sql, [v for r in rows for v in r]

    channels_sql, channels = values([(c,) for c in Channel.values])
    stages_sql, stages = values([(s,) for s in Stage.values])
    ranges_sql, ranges = values(
        [
            (
                i,
                ops.adapt_datetimefield_value(edges[i]),
                ops.adapt_datetimefield_value(edges[i + 1]),
            )
            for i in range(len(buckets))
        ]
    )
    sql = (
        f"WITH c(channel) AS (VALUES {channels_sql}), s(stage) AS (VALUES {stages_sql}), "
        f"b(i, lo, hi) AS (VALUES {ranges_sql}) "
        f"SELECT c.channel, s.stage, b.i, (SELECT COUNT(*) FROM {table} WHERE ({where}) "
        f"AND {col('channel')} = c.channel AND {col('stage')} = s.stage "
        f"AND {col('created_at')} >= b.lo AND {col('created_at')} < b.hi) "
        "FROM c CROSS JOIN s CROSS JOIN b"
    )
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    with connections[scope.db].cursor() as cursor:
        cursor.execute(sql, [*channels, *stages, *ranges, *where_params])
        found = cursor.fetchall()
    for channel, stage, i, n in found:
        if not n:
            continue
        row = grouped.setdefault(
            (channel, stage),
            {"channel": channel, "stage": stage, **{f"b{k}": 0 for k in range(len(buckets))}},
        )
        row[f"b{i}"] += n
    return PeriodCounts(tuple(buckets), tuple(grouped.values()))


def leads_by_week_channel(
    *,
    viewer: Any,
    start: date,
    end: date,
    owner: Any = None,
    counts: PeriodCounts | None = None,
) -> list[dict[str, Any]]:
    """New leads per ISO week (Monday, Asia/Shanghai) and channel: one row per week of the
    period (per month past MAX_WEEKS weeks), every channel seen as a key (0 where none)."""
    counts = counts or period_counts(viewer=viewer, start=start, end=end, owner=owner)
    per: dict[str, list[int]] = {}
    for row in counts.rows:
        values = per.setdefault(row["channel"], [0] * len(counts.buckets))
        for i in range(len(counts.buckets)):
            values[i] += row[f"b{i}"]
    channels = [c for c in Channel.values if c in per]
    return [
        {"week": label, **{c: per[c][i] for c in channels}}
        for i, (label, _first, _last) in enumerate(counts.buckets)
    ]


def funnel(
    *,
    viewer: Any,
    start: date,
    end: date,
    owner: Any = None,
    counts: PeriodCounts | None = None,
) -> list[dict[str, Any]]:
    """The pipeline funnel of the leads created in the period: how many reached each stage
    (a lead at 已带看 has passed 新线索…需求确认; a lost lead counts up to the furthest stage
    its audit trail shows) and the conversion from the stage before."""
    counts = counts or period_counts(viewer=viewer, start=start, end=end, owner=owner)
    order = {s: i for i, s in enumerate(FUNNEL_STAGES)}
    reached = [0] * len(FUNNEL_STAGES)
    lost_total = 0
    for row in counts.rows:
        n = counts.total(row)
        if row["stage"] in order:
            for i in range(order[row["stage"]] + 1):
                reached[i] += n
        elif row["stage"] == Stage.LOST:
            lost_total += n
    furthest: dict[str, int] = {}
    if lost_total:
        low, high = _bounds(start, end)
        lost = stats_scope(viewer=viewer, owner=owner).filter(
            created_at__gte=low, created_at__lt=high, stage=Stage.LOST
        )
        entries = AuditEntry.objects.filter(
            target_type=Lead._meta.label,
            target_id__in=lost.annotate(t=Cast("pk", CharField())).values("t"),
            detail__has_key="stage",
        )
        # No ORDER BY (the model's "-at" would sort every entry): the furthest stage is a max.
        entries = entries.order_by().values_list("target_id", "detail")
        for target, detail in entries:
            move = detail.get("stage") or {}
            for key in ("from", "to"):
                if move.get(key) in order:
                    furthest[target] = max(furthest.get(target, 0), order[move[key]])
    for i in range(len(FUNNEL_STAGES)):
        reached[i] += sum(1 for v in furthest.values() if v >= i)
    reached[0] += lost_total - len(furthest)
    out = []
    for i, stage in enumerate(FUNNEL_STAGES):
        previous = reached[i - 1] if i else None
        out.append(
            {
                "stage": stage,
                "leads": reached[i],
                "conversion": round(reached[i] / previous, 3) if previous else None,
            }
        )
    return out


def follow_ups_by_agent(*, viewer: Any, today: date, owner: Any = None) -> list[dict[str, Any]]:
    """Open leads per agent whose next follow-up is overdue, due today or due within 7 days."""
    # Bounded above (indexed next_follow_up): nothing later than a week counts.
    qs = stats_scope(viewer=viewer, owner=owner).filter(
        stage__in=OPEN_STAGES,
        owner__isnull=False,
        next_follow_up__lte=today + timedelta(days=7),
    )
    # Counting next_follow_up (never NULL under these filters) rather than the id keeps
    # the query on lead_live_follow's columns: index-only on PostgreSQL too, whose indexes
    # do not carry the primary key (COUNT(id) read every matching row from the table).
    rows = (
        qs.order_by()
        .values("owner")
        .annotate(
            overdue=Count("next_follow_up", filter=Q(next_follow_up__lt=today)),
            due=Count("next_follow_up", filter=Q(next_follow_up=today)),
            upcoming=Count(
                "next_follow_up",
                filter=Q(next_follow_up__gt=today, next_follow_up__lte=today + timedelta(days=7)),
            ),
        )
    )
    names = {
        u.pk: u.get_full_name() or u.get_username()
        for u in get_user_model().objects.filter(pk__in=[r["owner"] for r in rows])
    }
    return sorted(
        (
            {
                "agent": names.get(r["owner"], "?"),
                "overdue": r["overdue"],
                "due": r["due"],
                "upcoming": r["upcoming"],
            }
            for r in rows
        ),
        key=lambda r: (-r["overdue"], -r["due"], r["agent"]),
    )


def articles_with_leads(
    *, viewer: Any, start: date, end: date, owner: Any = None, top: int = 10
) -> list[dict[str, Any]]:
    """Articles that brought leads: submissions in the period whose data names the article
    they were sent from (``article``: its id), counted per article (distinct leads)."""
    from parklink.news.models import Article

    low, high = _bounds(start, end)
    rows = (
        # EXISTS per submission of the period (on the received_at index) rather than
        # ``lead__in``, which materialises every lead id of the scope first.
        Inquiry.objects.filter(
            Exists(stats_scope(viewer=viewer, owner=owner).filter(pk=OuterRef("lead_id"))),
            received_at__gte=low,
            received_at__lt=high,
            data__has_key="article",
        )
        .order_by()
        .values("data__article")
        .annotate(n=Count("lead", distinct=True))
    )
    counts: dict[int, int] = {}
    for r in rows:
        try:
            key = int(str(r["data__article"]))
        except ValueError:
            continue
        counts[key] = counts.get(key, 0) + r["n"]
    titles = dict(Article.objects.filter(pk__in=counts).values_list("pk", "title"))
    ranked = sorted(((n, pk) for pk, n in counts.items() if pk in titles), reverse=True)[:top]
    return [{"article": pk, "title": titles[pk], "leads": n} for n, pk in ranked]
