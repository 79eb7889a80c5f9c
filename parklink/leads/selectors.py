"""Reads of the leads domain, always through the viewer's data scope: an agent sees own
leads and the 公海, managers and admins the team's."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from parklink.core.hygiene import parse_id
from parklink.core.roles import ALL_ROLES, is_admin, is_manager, is_operator, team_member_ids
from parklink.leads.choices import OPEN_STAGES, Stage
from parklink.leads.models import Lead


@dataclass
class LeadFilter:
    """The filters of the back-office list, the board and the operators' API."""

    q: str = ""
    stage: str = ""
    grade: str = ""
    channel: str = ""
    owner: str = ""  # "me", "pool", or a user id
    industry: str = ""
    tag: str = ""
    include_closed: bool = True
    demo: str = ""  # "", "only", "hide"

    @classmethod
    def from_params(cls, params: Any) -> LeadFilter:
        return cls(
            q=(params.get("q") or "").strip()[:100],
            stage=params.get("stage") or "",
            grade=params.get("grade") or "",
            channel=params.get("channel") or "",
            owner=params.get("owner") or "",
            industry=(params.get("industry") or "").strip()[:50],
            tag=(params.get("tag") or "").strip()[:30],
            demo=params.get("demo") or "",
        )


@dataclass(frozen=True)
class LeadScope:
    """What one viewer may see and work of the leads: the ONE rule, rendered both as SQL
    (`q`, for every list, export and count) and in Python (`admits`, for a row already in
    hand), so the two cannot disagree (tests/leads/test_scope.py checks they do not).

    - nobody (anonymous, users without an operator role): nothing;
    - admins, and managers in no team: every lead;
    - a manager in teams: leads owned by the teams' members, and every unowned lead;
    - an agent: own leads and the 公海 (unowned, open);
    - nobody sees a lead merged into another (a tombstone).

    Those who may *work* a lead (edit, follow up, see the full mobile) are its owner and the
    managers/admins whose scope holds it; an agent sees 公海 leads masked."""

    viewer_id: int | None = None
    everything: bool = False
    nothing: bool = False
    owner_ids: frozenset[int] = frozenset()
    unowned_open_only: bool = True
    manages: bool = False

    @property
    def q(self) -> Q:
        if self.nothing:
            return Q(pk__in=[])
        live = Q(merged_into__isnull=True)
        if self.everything:
            return live
        unowned = Q(owner__isnull=True)
        if self.unowned_open_only:
            unowned &= Q(stage__in=OPEN_STAGES)
        return live & (unowned | Q(owner_id__in=sorted(self.owner_ids)))

    def admits(self, lead: Any) -> bool:
        if self.nothing or lead.merged_into_id is not None:
            return False
        if self.everything:
            return True
        if lead.owner_id is None:
            return not self.unowned_open_only or lead.stage in OPEN_STAGES
        return lead.owner_id in self.owner_ids

    def works(self, lead: Any) -> bool:
        """May edit it, follow it up and see its full mobile."""
        return self.admits(lead) and (
            self.manages or (lead.owner_id is not None and lead.owner_id == self.viewer_id)
        )


_NOBODY = LeadScope(nothing=True)


def lead_scope_rule(*, viewer: Any) -> LeadScope:
    """The viewer's LeadScope (cached on the user object for the request)."""
    if not getattr(viewer, "is_authenticated", False) or not is_operator(viewer):
        return _NOBODY
    cached = getattr(viewer, "_lead_scope", None)
    if cached is not None:
        return cached
    if is_manager(viewer):
        members = None if is_admin(viewer) else team_member_ids(viewer)
        if members is None:
            rule = LeadScope(viewer_id=viewer.pk, everything=True, manages=True)
        else:
            rule = LeadScope(
                viewer_id=viewer.pk, owner_ids=members, unowned_open_only=False, manages=True
            )
    else:
        rule = LeadScope(viewer_id=viewer.pk, owner_ids=frozenset({viewer.pk}))
    viewer._lead_scope = rule
    return rule


def lead_scope(*, viewer: Any) -> QuerySet[Lead]:
    """Every lead `viewer` may see (see LeadScope). Every page, API operation, export,
    import, report and mail that touches leads starts here."""
    rule = lead_scope_rule(viewer=viewer)
    if rule.nothing:
        return Lead.objects.none()
    return Lead.objects.filter(rule.q)


MERGE_KEYS = ("mobile", "company_key", "uscc")


def merge_candidates(wanted: Mapping[str, Iterable[str]], *, since: datetime) -> list[Lead]:
    """The leads a submission merges into: those whose ``field`` is one of ``values`` for
    any ``field → values`` of ``wanted`` (MERGE_KEYS columns), open, not merged into
    another, last asked at or after ``since``; oldest first (the latest wins). No viewer
    scope: the caller applies it (``admits``).

    The SQL names only the key columns, each in its own arm of a UNION (so each reads its
    own index), and the other conditions are checked on the few rows it returns: with them
    in the WHERE clause SQLite (which has no ANALYZE statistics on a young database) reads
    the ``lead_live_list`` range of every lead asked since ``since`` instead, which grows
    with the table: a 30,000-lead import spent a quarter of its writing process there, and
    every lead submission paid it too."""
    unknown = set(wanted) - set(MERGE_KEYS)
    if unknown:
        raise ValueError(", ".join(sorted(unknown)))
    db = router.db_for_read(Lead)
    qn = connections[db].ops.quote_name
    meta = Lead._meta
    pk, table = qn(meta.pk.column), qn(meta.db_table)
    arms: list[tuple[str, list[str]]] = []
    for name, values in wanted.items():
        column = qn(meta.get_field(name).column)
        for chunk in in_chunks(sorted({v for v in values if v})):
            arms.append(
                (
                    f"SELECT {pk} FROM {table} WHERE {column} IN ({', '.join(['%s'] * len(chunk))})",
                    chunk,
                )
            )
    # Most values (every new lead's) match nothing: a plain probe of the indexes says which
    # do, without the ORM compiling 500 parameters per query; a few arms per query.
    ids: set[int] = set()
    with connections[db].cursor() as cursor:
        for i in range(0, len(arms), 3):
            group = arms[i : i + 3]
            cursor.execute(
                " UNION ".join(sql for sql, _ in group), [v for _, c in group for v in c]
            )
            ids.update(key for (key,) in cursor.fetchall())
    out = [
        lead
        for chunk in in_chunks(sorted(ids))
        for lead in Lead.objects.using(db).filter(pk__in=chunk).order_by()
        if lead.merged_into_id is None
        and lead.stage in OPEN_STAGES
        and lead.last_inquiry_at >= since
    ]
    out.sort(key=lambda lead: (lead.last_inquiry_at, lead.pk))
    return out


def in_chunks(values: list[Any], size: int = 500) -> Iterator[list[Any]]:
    """``values`` in lists of at most ``size`` (a query's parameters)."""
    for i in range(0, len(values), size):
        yield values[i : i + size]


def lead_filtered(*, viewer: Any, filters: LeadFilter | None = None) -> QuerySet[Lead]:
    """The viewer's leads narrowed by `filters`: no ordering, no annotation, so counts and
    windows over it stay plain indexed queries."""
    f = filters or LeadFilter()
    qs = lead_scope(viewer=viewer)
    if f.q:
        qs = qs.filter(
            Q(company__icontains=f.q)
            | Q(need__icontains=f.q)
            | Q(ref__iexact=f.q)
            | Q(contact__icontains=f.q)
            | Q(industry__icontains=f.q)
            # A full mobile number finds its lead without showing it.
            | Q(mobile=f.q)
        )
    if f.stage in Stage.values:
        qs = qs.filter(stage=f.stage)
    elif not f.include_closed:
        qs = qs.filter(stage__in=OPEN_STAGES)
    if f.grade:
        qs = qs.filter(grade=f.grade)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.owner == "me":
        qs = qs.filter(owner=viewer)
    elif f.owner == "pool":
        qs = qs.filter(owner__isnull=True)
    elif parse_id(f.owner) is not None:
        qs = qs.filter(owner_id=parse_id(f.owner))
    if f.industry:
        qs = qs.filter(industry__icontains=f.industry)
    if f.tag:
        # A subquery rather than a join: one row per lead, so counts need no DISTINCT.
        qs = qs.filter(pk__in=Lead.tags.through.objects.filter(tag__name=f.tag).values("lead_id"))
    if f.demo == "only":
        qs = qs.filter(is_demo=True)
    elif f.demo == "hide":
        qs = qs.filter(is_demo=False)
    return qs


LIST_ORDER = ("-last_inquiry_at", "-id")


def _inquiry_count() -> Subquery:
    """A lead's submissions, counted per row: unlike a joined ``Count`` it adds no GROUP BY,
    so a page of the list reads the ``lead_live_list`` index in LIST_ORDER and stops at the
    page instead of grouping and sorting every lead first."""
    from parklink.leads.models import Inquiry

    return Subquery(
        Inquiry.objects.filter(lead=OuterRef("pk"))
        .order_by()
        .values("lead")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def lead_list(*, viewer: Any, filters: LeadFilter | None = None) -> QuerySet[Lead]:
    qs = lead_filtered(viewer=viewer, filters=filters)
    return (
        qs.select_related("owner")
        .prefetch_related("tags")
        .annotate(inquiry_count=Coalesce(_inquiry_count(), 0))
        .order_by(*LIST_ORDER)
    )


def lead_get(*, viewer: Any, pk: int) -> Lead:
    """One lead in the viewer's scope; Lead.DoesNotExist otherwise (outside the scope is
    indistinguishable from missing)."""
    return lead_scope(viewer=viewer).select_related("owner").prefetch_related("tags").get(pk=pk)


def lead_pool(*, viewer: Any) -> QuerySet[Lead]:
    return lead_list(viewer=viewer, filters=LeadFilter(owner="pool", include_closed=False))


@dataclass
class BoardColumn:
    stage: str
    label: str
    leads: list[Lead] = field(default_factory=list)
    total: int = 0


def lead_board(
    *, viewer: Any, filters: LeadFilter | None = None, per_column: int = 50
) -> list[BoardColumn]:
    """The pipeline board: one column per stage, newest first, at most `per_column` each.

    Bounded at any size: the totals come from one GROUP BY, the cards from one query whose
    ``IN`` subqueries take the newest ``per_column`` ids of each stage (``LIMIT``, on the
    stage index), their tags from one more: three queries, whatever the number of leads."""
    columns = {s: BoardColumn(stage=s, label=str(Stage(s).label)) for s in Stage.values}
    base = lead_filtered(viewer=viewer, filters=filters)
    for row in base.order_by().values("stage").annotate(n=Count("pk")):
        if row["stage"] in columns:
            columns[row["stage"]].total = row["n"]
    stages = [s for s, c in columns.items() if c.total]
    if not stages:
        return list(columns.values())
    newest = Q()
    for s in stages:  # one LIMIT subquery per stage, each on the stage's index
        newest |= Q(pk__in=base.filter(stage=s).order_by(*LIST_ORDER).values("pk")[:per_column])
    cards = (
        Lead.objects.filter(newest)
        .select_related("owner")
        .prefetch_related("tags")
        .annotate(inquiry_count=Count("inquiries", distinct=True))
        .order_by(*LIST_ORDER)
    )
    for lead in cards:
        columns[lead.stage].leads.append(lead)
    return list(columns.values())


def lead_reminders(*, viewer: Any, today: date | None = None) -> QuerySet[Lead]:
    """Open leads whose next follow-up is due today or overdue: the viewer's own, and for a
    manager the team's."""
    today = today or timezone.localdate()
    qs = lead_scope(viewer=viewer).filter(
        stage__in=OPEN_STAGES, next_follow_up__isnull=False, next_follow_up__lte=today
    )
    if not is_manager(viewer):
        qs = qs.filter(owner=viewer)
    return qs.select_related("owner").order_by("next_follow_up", "pk")


def lead_counts(*, viewer: Any) -> dict[str, int]:
    """Leads per stage and the open unowned ones (公海) in the viewer's scope. The stages
    are counted by one scalar COUNT(*) per stage over a VALUES list: each is a range of
    lead_live_stage (merged_into, stage, ...) read index-only. A GROUP BY stage over every
    live lead was, on PostgreSQL, a sequential scan of the whole table plus a hash
    aggregate (~150 ms at 100,000 leads), and a UNION ALL of the ranges a parallel plan
    whose workers cost more to start than the counting (~25 ms against ~12 ms). COUNT(*),
    not COUNT(id): PostgreSQL's indexes do not carry the id."""
    scope = lead_scope(viewer=viewer)
    counts = {s: 0 for s in Stage.values}
    try:
        where, params = scope.query.get_compiler(using=scope.db).compile(scope.query.where)
    except EmptyResultSet:
        return {**counts, "pool": 0}
    qn = connections[scope.db].ops.quote_name
    table = qn(Lead._meta.db_table)
    stage = f"{table}.{qn(Lead._meta.get_field('stage').column)}"
    stages_sql = ", ".join(["(%s)"] * len(Stage.values))
    sql = (
        f"WITH s(stage) AS (VALUES {stages_sql}) "
        f"SELECT s.stage, (SELECT COUNT(*) FROM {table} "
        f"WHERE {f'({where}) AND ' if where else ''}{stage} = s.stage) FROM s"
    )
    with connections[scope.db].cursor() as cursor:
        cursor.execute(sql, [*Stage.values, *params])
        counts.update(dict(cursor.fetchall()))
    counts["pool"] = scope.filter(owner__isnull=True, stage__in=OPEN_STAGES).count()
    return counts


def _name(user: Any) -> str:
    if user is None:
        return _("系统")
    return user.get_full_name() or user.username


def operators() -> QuerySet[Any]:
    """Users who may own leads (for the assignment select)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=ALL_ROLES)
        .distinct()
        .order_by("username")
    )


def mobile_for(*, viewer: Any, lead: Lead) -> str:
    from parklink.leads import access

    return access.mobile_for(viewer, lead)


def catalogue_context(*, space_ref: str = "", park_id: str = "") -> tuple[Any, Any]:
    """The space and park a visitor came from (`?space=<ref>`, `?park=<id>`), or None."""
    from parklink.parks.models import Park, Space

    space = (
        Space.objects.select_related("park").filter(ref=space_ref[:64]).first()
        if space_ref
        else None
    )
    park = space.park if space is not None else None
    if park is None and parse_id(park_id) is not None:
        park = Park.objects.filter(pk=parse_id(park_id)).first()
    return space, park


def lead_requirement_data(lead: Lead) -> dict[str, Any]:
    """A lead's requirement fields in the exchange format (no personal data): what matching
    ranks spaces for and what the exchange writes beside the contact fields."""
    return {
        "need": lead.need,
        "kind": lead.kind,
        "deal": lead.deal,
        "area_min_m2": lead.area_min_m2,
        "area_max_m2": lead.area_max_m2,
        "budget": lead.budget,
        "budget_unit": lead.budget_unit,
        "districts": lead.districts,
        "parks": lead.parks,
        "industry": lead.industry,
        "use": lead.use,
        "annual_tax_wan": lead.annual_tax_wan,
        "requires": lead.requires or {},
    }
