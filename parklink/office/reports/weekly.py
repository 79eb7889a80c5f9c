"""The weekly 招商 report: what happened in one ISO week (Asia/Shanghai) next to the week
before.

Everything is computed from the domain records (leads, follow-ups, the audit log, space
history, articles and facts) and returned as frozen dataclasses; renderers only lay them
out. The report carries no personal data: companies appear, contacts and mobiles never
(free-text notes are left out too, they may name people).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.utils import timezone

from parklink.core.hygiene import parse_id, parse_ids
from parklink.core.models import AuditEntry
from parklink.leads.choices import Channel, Grade, LostReason, Stage
from parklink.leads.models import FollowUp, Lead
from parklink.leads.selectors import lead_scope
from parklink.news.choices import ReviewStatus
from parklink.news.models import Article, Fact, Mention
from parklink.parks.choices import SpaceStatus
from parklink.parks.models import Space, SpaceChange

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
NONE_LABEL = "(未填)"
DETAIL_LIMIT = 100  # rows of a detail table (signed/lost leads, stale listings)


class WeekError(ValueError):
    """A week string that is not an ISO week (YYYY-Www)."""


@dataclass(frozen=True)
class Week:
    """One ISO week in the site's time zone: [start, end)."""

    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def first_day(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=6)

    @property
    def start(self) -> datetime:
        d = self.first_day
        return datetime(d.year, d.month, d.day, tzinfo=ZoneInfo(settings.TIME_ZONE))

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=7)

    def previous(self) -> Week:
        y, w, _ = (self.first_day - timedelta(days=7)).isocalendar()
        return Week(y, w)


def week_parse(text: str) -> Week:
    """'2025-W03' → Week; anything else raises WeekError (bilingual message)."""
    m = WEEK_RE.match((text or "").strip())
    if m:
        year, number = int(m.group(1)), int(m.group(2))
        try:
            date.fromisocalendar(year, number, 1)
        except ValueError:
            pass
        else:
            return Week(year, number)
    raise WeekError(
        f"无效的周 {text!r},应为 YYYY-Www(如 2025-W03)/ "
        f"invalid week {text!r}: expected YYYY-Www (e.g. 2025-W03)"
    )


@dataclass(frozen=True)
class Metric:
    """One figure of the week next to the week before."""

    label: str
    current: int
    previous: int

    @property
    def delta(self) -> int:
        return self.current - self.previous

    @property
    def delta_text(self) -> str:
        if self.previous == 0:
            return f"{self.delta:+d}"
        return f"{self.delta:+d} ({self.delta * 100 / self.previous:+.0f}%)"


@dataclass(frozen=True)
class Group:
    """A titled list of metrics (a breakdown: by channel, by grade…)."""

    title: str
    metrics: tuple[Metric, ...]


@dataclass(frozen=True)
class Table:
    """A detail table of this week only (e.g. the leads signed)."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    groups: tuple[Group, ...]
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class WeeklyReport:
    week: Week
    previous: Week
    generated_at: datetime
    include_demo: bool
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def metric(self, section: str, group: str, label: str) -> Metric:
        """Look a figure up by section key, group title and label (tests, summaries)."""
        for g in self.section(section).groups:
            if g.title == group:
                for m in g.metrics:
                    if m.label == label:
                        return m
        raise KeyError((section, group, label))


# --- helpers ------------------------------------------------------------------------------


def _in(qs: QuerySet, name: str, week: Week) -> QuerySet:
    return qs.filter(**{f"{name}__gte": week.start, f"{name}__lt": week.end})


def _counts(qs: QuerySet, by: str) -> Counter[str]:
    return Counter(
        {
            (row[by] or ""): row["n"]
            for row in qs.order_by().values(by).annotate(n=Count("pk")).values(by, "n")
        }
    )


def _breakdown(
    title: str,
    cur: Counter,
    prev: Counter,
    order: Iterable[str] = (),
    labels: dict[str, str] | None = None,
) -> Group:
    """Metrics for every key seen in either week: `order` first (when seen), then by
    this week's count."""
    labels = labels or {}
    seen = set(cur) | set(prev)
    ordered = [k for k in order if k in seen]
    rest = sorted(seen - set(ordered), key=lambda k: (-cur[k], -prev[k], str(k)))
    return Group(
        title,
        tuple(Metric(labels.get(k, k) or NONE_LABEL, cur[k], prev[k]) for k in [*ordered, *rest]),
    )


def _pair(fn, week: Week, previous: Week):
    return fn(week), fn(previous)


def _user_names(ids: Iterable[int | None]) -> dict[int | None, str]:
    wanted = {i for i in ids if i is not None}
    names: dict[int | None, str] = {None: "(系统/已删除账号)"}
    for user in get_user_model().objects.filter(pk__in=wanted):
        names[user.pk] = user.get_full_name() or user.get_username()
    return names


# --- sections -----------------------------------------------------------------------------


def _leads(include_demo: bool, viewer: Any = None) -> QuerySet[Lead]:
    """The leads the report counts: live ones (a lead merged into another stays only as a
    tombstone and is counted once, as its survivor) that `viewer` may see (the lead scope:
    a team manager's report holds the team's leads; the CLI, with no viewer, every lead),
    demo leads only when asked."""
    live = Lead.objects.live()
    if viewer is not None:
        live = live & lead_scope(viewer=viewer)
    return live if include_demo else live.filter(is_demo=False)


def _kept(entries: Iterable[AuditEntry], include_demo: bool, viewer: Any) -> list[AuditEntry]:
    """Audit entries about leads that still count: the lead exists (not erased on request),
    is live (not merged away) and is not demo data unless asked."""
    entries = list(entries)
    ids = {int(e.target_id) for e in entries if e.target_id.isdecimal()}
    counted = {
        str(pk) for pk in _leads(include_demo, viewer).filter(pk__in=ids).values_list("pk", flat=True)
    }
    return [e for e in entries if e.target_id in counted]


def _new_leads(week: Week, previous: Week, include_demo: bool, viewer: Any) -> Section:
    def new(w: Week) -> QuerySet[Lead]:
        return _in(_leads(include_demo, viewer), "created_at", w)

    cur, prev = _pair(new, week, previous)
    grades = {g.value: str(g.label) for g in Grade}
    return Section(
        "leads",
        "新增线索",
        (
            Group("合计", (Metric("新增线索", cur.count(), prev.count()),)),
            _breakdown(
                "按来源渠道", _counts(cur, "channel"), _counts(prev, "channel"), Channel.values
            ),
            _breakdown("按行业", _counts(cur, "industry"), _counts(prev, "industry")),
            _breakdown(
                "按等级", _counts(cur, "grade"), _counts(prev, "grade"), Grade.values, grades
            ),
        ),
    )


def _stage_moves(w: Week, include_demo: bool, viewer: Any) -> list[AuditEntry]:
    qs = _in(
        AuditEntry.objects.filter(
            action__in=("lead.stage", "lead.update"),
            target_type=Lead._meta.label,
            detail__has_key="stage",
        ),
        "at",
        w,
    )
    return _kept(qs.order_by("at", "id"), include_demo, viewer)


def _pipeline(week: Week, previous: Week, include_demo: bool, viewer: Any) -> Section:
    cur, prev = (_stage_moves(w, include_demo, viewer) for w in (week, previous))

    def to_stage(entries: list[AuditEntry]) -> Counter[str]:
        return Counter(e.detail["stage"].get("to") or "" for e in entries)

    def lost_reasons(entries: list[AuditEntry]) -> Counter[str]:
        return Counter(
            (e.detail.get("lost_reason") or {}).get("to") or ""
            for e in entries
            if e.detail["stage"].get("to") == Stage.LOST
        )

    cur_to, prev_to = to_stage(cur), to_stage(prev)
    reasons = {r.value: str(r.label) for r in LostReason}
    groups = (
        Group(
            "合计",
            (
                Metric("阶段变更次数", len(cur), len(prev)),
                Metric("签约", cur_to[Stage.WON], prev_to[Stage.WON]),
                Metric("流失", cur_to[Stage.LOST], prev_to[Stage.LOST]),
            ),
        ),
        _breakdown("按进入阶段", cur_to, prev_to, Stage.values),
        _breakdown("流失原因", lost_reasons(cur), lost_reasons(prev), LostReason.values, reasons),
    )
    # The week's signed and lost leads, by company (never the contact).
    closing = [e for e in cur if e.detail["stage"].get("to") in (Stage.WON, Stage.LOST)]
    leads = _leads(include_demo, viewer).in_bulk(parse_ids(e.target_id for e in closing))
    signed: list[tuple[str, ...]] = []
    lost: list[tuple[str, ...]] = []
    for e in closing:
        lead = leads.get(parse_id(e.target_id))
        ref, company = (lead.ref, lead.company or NONE_LABEL) if lead else ("-", "(已删除)")
        day = f"{timezone.localtime(e.at):%Y-%m-%d}"
        if e.detail["stage"].get("to") == Stage.WON:
            signed.append((day, ref, company, lead.industry if lead else ""))
        else:
            code = (e.detail.get("lost_reason") or {}).get("to") or ""
            lost.append((day, ref, company, reasons.get(code, code)))
    tables = (
        Table("本周签约", ("日期", "编号", "公司", "行业"), tuple(signed[:DETAIL_LIMIT])),
        Table("本周流失", ("日期", "编号", "公司", "流失原因"), tuple(lost[:DETAIL_LIMIT])),
    )
    return Section("pipeline", "商机推进", groups, tables)


def _follow_ups(week: Week, previous: Week, include_demo: bool, viewer: Any) -> Section:
    def done(w: Week) -> QuerySet[FollowUp]:
        qs = _in(FollowUp.objects.all(), "at", w)
        if viewer is not None:
            qs = qs.filter(lead__in=lead_scope(viewer=viewer))
        return qs if include_demo else qs.filter(lead__is_demo=False)

    cur, prev = _pair(done, week, previous)
    by_cur, by_prev = _counts(cur, "author"), _counts(prev, "author")
    names = _user_names([*by_cur, *by_prev])
    by_agent = Counter({names[k or None]: n for k, n in by_cur.items()})
    by_agent_prev = Counter({names[k or None]: n for k, n in by_prev.items()})
    return Section(
        "follow_ups",
        "跟进情况",
        (
            Group("合计", (Metric("跟进次数", cur.count(), prev.count()),)),
            _breakdown("按招商人员", by_agent, by_agent_prev),
            _breakdown("按方式", _counts(cur, "kind"), _counts(prev, "kind")),
        ),
    )


def _release_kind(reason: str) -> str:
    if reason == "release":
        return "主动退回"
    if reason == "manual":
        return "经理收回"
    return "超期自动回收"


def _pool(week: Week, previous: Week, include_demo: bool, viewer: Any) -> Section:
    def entries(w: Week, action: str) -> list[AuditEntry]:
        qs = _in(AuditEntry.objects.filter(action=action, target_type=Lead._meta.label), "at", w)
        return _kept(qs, include_demo, viewer)

    rel_cur, rel_prev = (entries(w, "lead.release") for w in (week, previous))
    asg_cur, asg_prev = (entries(w, "lead.assign") for w in (week, previous))

    def kinds(es: list[AuditEntry]) -> Counter[str]:
        return Counter(_release_kind(str(e.detail.get("reason", ""))) for e in es)

    def claims(es: list[AuditEntry]) -> int:
        return sum(1 for e in es if e.detail.get("reason") == "claim")

    return Section(
        "pool",
        "公海线索",
        (
            Group(
                "合计",
                (
                    Metric("退回公海", len(rel_cur), len(rel_prev)),
                    Metric("从公海领取", claims(asg_cur), claims(asg_prev)),
                ),
            ),
            _breakdown(
                "退回方式",
                kinds(rel_cur),
                kinds(rel_prev),
                ("主动退回", "经理收回", "超期自动回收"),
            ),
        ),
    )


def _spaces(week: Week, previous: Week, include_demo: bool, now: datetime) -> Section:
    spaces = Space.objects.all() if include_demo else Space.objects.filter(is_demo=False)
    changes = SpaceChange.objects.all()
    if not include_demo:
        changes = changes.filter(space__is_demo=False)

    def figures(w: Week) -> dict[str, int]:
        ch = _in(changes, "at", w).exclude(old="")
        status = ch.filter(field="status")

        def n(qs: QuerySet) -> int:
            return qs.values("space").distinct().count()

        stale_at = min(now, w.end)
        return {
            "新上架房源": _in(spaces, "created_at", w).count(),
            "调价房源": n(ch.filter(field__in=("price", "price_unit"))),
            "状态变更房源": n(status),
            "已出租": n(status.filter(new=SpaceStatus.LEASED)),
            "已出售": n(status.filter(new=SpaceStatus.SOLD)),
            "下架": n(status.filter(new=SpaceStatus.WITHDRAWN)),
            "待重新确认(过期)房源": spaces.available().stale(now=stale_at).count(),
        }

    cur, prev = figures(week), figures(previous)
    stale = (
        spaces.available()
        .stale(now=min(now, week.end))
        .select_related("park")
        .order_by("confirmed_at", "id")[:DETAIL_LIMIT]
    )
    rows = tuple(
        (
            s.ref,
            s.park.name,
            f"{s.kind}{s.deal}",
            f"{s.area_m2:.0f}",
            f"{timezone.localtime(s.confirmed_at):%Y-%m-%d}",
        )
        for s in stale
    )
    return Section(
        "spaces",
        "房源动态",
        (Group("合计", tuple(Metric(k, cur[k], prev[k]) for k in cur)),),
        (
            Table(
                f"待重新确认的房源(超过{settings.PARKLINK['LISTING_STALE_DAYS']}天未确认)",
                ("编号", "园区", "类型", "面积(㎡)", "最近确认"),
                rows,
            ),
        ),
    )


def _news(week: Week, previous: Week, include_demo: bool) -> Section:
    articles = Article.objects.all() if include_demo else Article.objects.filter(is_demo=False)
    facts = Fact.objects.all() if include_demo else Fact.objects.filter(article__is_demo=False)
    mentions = Mention.objects.all()
    if not include_demo:
        mentions = mentions.filter(article__is_demo=False)

    def figures(w: Week) -> dict[str, int]:
        new = _in(articles, "created_at", w)
        reviewed = (ReviewStatus.ACCEPTED, ReviewStatus.MERGED)
        return {
            "入库资讯": new.count(),
            "其中重复稿": new.filter(duplicate_of__isnull=False).count(),
            "抽取事实": _in(facts, "article__created_at", w).count(),
            "采纳事实": _in(facts.filter(status=ReviewStatus.ACCEPTED), "reviewed_at", w).count(),
            "驳回事实": _in(facts.filter(status=ReviewStatus.REJECTED), "reviewed_at", w).count(),
            "采纳/合并实体": _in(mentions.filter(status__in=reviewed), "reviewed_at", w)
            .values("text", "kind")
            .distinct()
            .count(),
        }

    cur, prev = figures(week), figures(previous)
    return Section(
        "news",
        "资讯与知识库",
        (Group("合计", tuple(Metric(k, cur[k], prev[k]) for k in cur)),),
    )


def _leases(week: Week, previous: Week, include_demo: bool) -> Section:
    """Leases: area held at the week's end, leases begun, ended and terminated in it, and
    what ends within 90 days of its last day (tenants are organisations: no personal data)."""
    from django.db.models import F, Q, Sum

    from parklink.leases.models import Lease

    leases = Lease.objects.all() if include_demo else Lease.objects.filter(is_demo=False)

    def figures(w: Week) -> dict[str, int]:
        first, last = w.first_day, w.last_day
        active = leases.active_on(last)
        early = Q(terminated_on__isnull=False, terminated_on__lt=F("end"))
        return {
            "在租面积(㎡)": int(active.aggregate(a=Sum("area_m2"))["a"] or 0),
            "在租租约": active.count(),
            "新起租": leases.filter(start__gte=first, start__lte=last).count(),
            "到期": leases.filter(end__gte=first, end__lte=last).exclude(early).count(),
            "退租": leases.filter(early, terminated_on__gte=first, terminated_on__lte=last).count(),
        }

    cur, prev = figures(week), figures(previous)
    soon = (
        leases.active_on(week.last_day)
        .ending_between(week.last_day, week.last_day + timedelta(days=90))
        .select_related("space__park", "tenant")
        .order_by("ends_on", "ref")[:DETAIL_LIMIT]
    )
    rows = tuple(
        (
            f"{lease.last_day:%Y-%m-%d}",
            lease.ref,
            lease.space.park.name,
            lease.space.ref,
            lease.tenant.name,
            f"{lease.area_m2:.0f}",
        )
        for lease in soon
    )
    return Section(
        "leases",
        "租赁与出租",
        (Group("合计", tuple(Metric(k, cur[k], prev[k]) for k in cur)),),
        (
            Table(
                "90天内到期的租约",
                ("到期日", "合同", "园区", "房源", "租户", "面积(㎡)"),
                rows,
            ),
        ),
    )


def weekly_report(
    *, week: Week, include_demo: bool = False, now: datetime | None = None, viewer: Any = None
) -> WeeklyReport:
    """The weekly 招商 report of `week` with week-over-week figures. Demo data is left out
    unless `include_demo`. The lead sections count the leads `viewer` may see (the lead
    scope, as on every page); without a viewer (the `parklink report` CLI, run by whoever
    runs the server) every lead."""
    now = now or timezone.now()
    previous = week.previous()
    return WeeklyReport(
        week=week,
        previous=previous,
        generated_at=now,
        include_demo=include_demo,
        sections=(
            _new_leads(week, previous, include_demo, viewer),
            _pipeline(week, previous, include_demo, viewer),
            _follow_ups(week, previous, include_demo, viewer),
            _pool(week, previous, include_demo, viewer),
            _spaces(week, previous, include_demo, now),
            _news(week, previous, include_demo),
            _leases(week, previous, include_demo),
        ),
    )
