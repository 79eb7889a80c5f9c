"""Writes of the leads domain: intake, merging, the pipeline, the 公海 pool, PIPL actions.

Every function is keyword-only, runs in one transaction and writes an audit entry
(parklink.core.services.audit_record) for every change of a lead. Side effects (e-mail)
are enqueued on commit.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import uuid
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from parklink.core.bulk import RowWriter, clean_new, instance_factory
from parklink.core.hygiene import parse_id
from parklink.core.roles import ROLE_AGENT, is_manager, is_operator
from parklink.core.services import audit_record, ip_hash
from parklink.leads import access, conf, hooks, ratelimit
from parklink.leads.access import LeadPermissionDenied
from parklink.leads.choices import (
    Channel,
    ConsentBasis,
    FollowUpKind,
    LostReason,
    Stage,
)
from parklink.leads.grading import grade_for
from parklink.leads.models import (
    AssignmentRule,
    FollowUp,
    Inquiry,
    Lead,
    LeadRefCounter,
    LeadTrace,
    Tag,
)
from parklink.leads.selectors import lead_scope_rule, merge_candidates
from parklink.leads.validation import (
    NUMBER_RANGES,
    REQUIRES_RANGES,
    Errors,
    LeadDataError,
    clean_submission,
)
from parklink.parks.choices import Deal, SpaceKind
from parklink.parks.models import Park, Space
from parklink.zh.company import company_key as zh_company_key

logger = logging.getLogger("parklink.leads")

# Personal data: audit entries record that these changed, never their values.
PII_FIELDS = frozenset({"contact", "mobile"})
# Fields a later submission may fill in when the lead has them empty (never overwrites
# what an agent has worked on).
MERGE_FIELDS = (
    "company",
    "need",
    "use",
    "annual_tax_wan",
    "kind",
    "deal",
    "area_min_m2",
    "area_max_m2",
    "budget",
    "budget_unit",
    "industry",
    "uscc",
    "registered_capital_wan",
    "founded_year",
    "staff",
    "project_type",
    "total_investment_wan",
    "last_year_tax_wan",
    "last_year_sales_wan",
    "expected_sales_wan",
    "land_mu",
    "annual_output_wan",
    "is_high_tech",
    "is_specialized",
)
LIST_MERGE_FIELDS = ("districts", "parks", "spaces", "qualifications")
EDITABLE_FIELDS = (
    *MERGE_FIELDS,
    "contact",
    "mobile",
    "districts",
    "parks",
    "qualifications",
    "requires",
    "score_intent",
    "score_funds",
    "score_fit",
    "next_follow_up",
)
DEFAULT_BASIS = {
    Channel.WEB: ConsentBasis.FORM,
    Channel.API: ConsentBasis.API,
    Channel.IMPORT: ConsentBasis.CONTRACT,
}
CONSENT_TEXT = (
    "同意 ParkLink 为对接园区载体资源之目的处理所填写的联系人、手机号等信息,"
    "仅用于招商对接,不向无关第三方提供。"
)


class LeadStateError(ValidationError):
    """An action that does not fit the lead's current state (claiming an owned lead…)."""


# --- intake -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)
def company_key(name: str) -> str:
    """A company name reduced for duplicate detection (`parklink.zh.company.company_key`:
    region prefix, legal form and brackets removed, traditional and pinyin folded).
    Memoised (a pure function; pinyin folding is the costly part: an import computes the
    key of a row when planning and again when writing it)."""
    return zh_company_key(name)


def _digest(data: Mapping[str, Any]) -> str:
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _verbatim(data: Mapping[str, Any]) -> dict[str, Any]:
    """The submission as received, minus transport fields (CSRF token, honeypot), as JSON
    (numbers parsed by an importer are kept as their text)."""
    drop = {"csrfmiddlewaretoken", "website"}
    kept = {str(k): v for k, v in data.items() if k not in drop}
    return json.loads(json.dumps(kept, ensure_ascii=False, default=str))


def _new_ref() -> str:
    """The next free reference of today, L<YYYYMMDD><n>: the day's counter row is advanced
    (and so locked) inside the creating transaction (collision-free, no random part); a
    number already taken (an imported ref) is skipped, still inside the transaction.
    Intake takes it as the transaction's last writes (see `lead_submit_status`), so the
    counter row, which every new lead of the day needs, is held only until the commit."""
    day = timezone.localdate()
    qn = connection.ops.quote_name
    meta = Lead._meta
    taken = f"SELECT 1 FROM {qn(meta.db_table)} WHERE {qn(meta.get_field('ref').column)} = %s"
    while True:
        number = _next_number(day)
        ref = f"L{day:%Y%m%d}{number:04d}"
        with connection.cursor() as cursor:  # plain SQL: every new lead asks (intake's cost)
            cursor.execute(taken, [ref])
            if cursor.fetchone() is None:
                return ref


def _next_number(day: date) -> int:
    table = connection.ops.quote_name(LeadRefCounter._meta.db_table)
    with connection.cursor() as cursor:  # one statement: advance and read (RETURNING)
        cursor.execute(f"UPDATE {table} SET last = last + 1 WHERE day = %s RETURNING last", [day])
        row = cursor.fetchone()
    if row is not None:
        return int(row[0])
    try:
        with transaction.atomic():  # a savepoint: a racing first-of-the-day insert
            LeadRefCounter.objects.create(day=day, last=1)
        return 1
    except IntegrityError:
        LeadRefCounter.objects.filter(day=day).update(last=F("last") + 1)
    return LeadRefCounter.objects.filter(day=day).values_list("last", flat=True).get()


def _placeholder_ref() -> str:
    """A unique stand-in for a new lead's reference until `_new_ref` gives the real one at
    the end of the same transaction (never committed: the lead is updated before)."""
    return f"~{uuid.uuid4().hex}"


def _lock(*keys: str) -> None:
    """Serialise submissions about the same mobile/company on PostgreSQL (SQLite already
    serialises writers: transactions are IMMEDIATE)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted(k for k in keys if k):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(key.encode())])


def _catalogue_context(values: dict[str, Any], data: Mapping[str, Any]) -> None:
    """Pre-fill from the space or park the visitor was looking at (`space` ref, `park`)."""
    spaces: list[str] = []
    parks = list(values.get("parks") or [])
    ref = values.pop("space", "")
    if ref:
        space = Space.objects.select_related("park").filter(ref=ref).first()
        if space is not None:
            spaces.append(space.ref)
            parks.append(space.park.name)
            values["kind"] = values.get("kind") or space.kind
            values["deal"] = values.get("deal") or space.deal
    park = data.get("park")
    if park not in (None, ""):
        text = str(park)
        found = (
            Park.objects.filter(pk=parse_id(text)).first()
            if parse_id(text) is not None
            else Park.objects.filter(name=text[:100]).first()
        )
        if found is not None:
            parks.append(found.name)
    values["parks"] = list(dict.fromkeys(parks))[:10]
    values["spaces"] = spaces


def _fill_from_need(values: dict[str, Any]) -> None:
    """Fill blank structured fields from what the free-text need says (kind, deal, area,
    districts, industry, tax, technical requirements), through the matching area's parser
    (registered in `parklink.leads.hooks` by the matching app). Only what the text states is taken (no industry defaults); a
    value outside the accepted ranges is ignored: the text alone never refuses a lead."""
    text = values.get("need") or ""
    if not text or hooks.need_parser is None:
        return
    try:
        req = hooks.need_parser(text)
    except Exception:  # a parser failure must not lose the submission
        logger.exception("need not parsed")
        return

    def in_range(name: str, value: float | None) -> Decimal | None:
        if value is None:
            return None
        low, high, exclusive = NUMBER_RANGES[name]
        number = Decimal(str(value)).quantize(Decimal("0.01"))
        ok = (number > low if exclusive else number >= low) and number <= high
        return number if ok else None

    if not values.get("kind") and req.kinds and req.kinds[0] in SpaceKind.values:
        values["kind"] = req.kinds[0]
    if not values.get("deal") and req.deal in Deal.values:
        values["deal"] = req.deal
    if values.get("area_min_m2") is None and values.get("area_max_m2") is None:
        low = in_range("area_min_m2", req.area_min_m2)
        high = in_range("area_max_m2", req.area_max_m2)
        if low is not None and high is not None and low <= high:
            values["area_min_m2"], values["area_max_m2"] = low, high
    if not values.get("districts") and req.districts:
        values["districts"] = list(req.districts)[:10]
    if not values.get("industry") and req.industry:
        values["industry"] = req.industry[:50]
    if values.get("annual_tax_wan") is None:
        values["annual_tax_wan"] = in_range("annual_tax_wan", req.annual_tax_wan)
    requires = dict(values.get("requires") or {})
    if req.gmp is not None:
        requires.setdefault("gmp", req.gmp)
    for name, (low, high) in REQUIRES_RANGES.items():
        value = getattr(req, name)
        if value is not None and low <= Decimal(str(value)) <= high:
            requires.setdefault(name, float(value))
    values["requires"] = requires


def lead_submit(
    *,
    data: Mapping[str, Any],
    channel: str,
    actor: Any = None,
    ip: str | None = None,
    user_agent: str = "",
    consent_basis: str | None = None,
    is_demo: bool = False,
    ref: str = "",
) -> Lead:
    """Validate a submission, store it verbatim as an Inquiry and create a Lead or merge it
    into the open lead with the same mobile or company from the last N days (never
    discarded). Raises LeadDataError (field-by-field, bilingual) and stores nothing then."""
    lead, _status = lead_submit_status(
        data=data,
        channel=channel,
        actor=actor,
        ip=ip,
        user_agent=user_agent,
        consent_basis=consent_basis,
        is_demo=is_demo,
        ref=ref,
    )
    return lead


@dataclass(frozen=True)
class PreparedSubmission:
    """A submission validated and enriched (catalogue context, need parsing), ready for the
    write transaction of `lead_submit_status`."""

    values: dict[str, Any]
    basis: str
    ref: str
    verbatim: dict[str, Any]
    digest: str


def lead_prepare(
    *,
    data: Mapping[str, Any],
    channel: str,
    consent_basis: str | None = None,
    ref: str = "",
) -> PreparedSubmission:
    """The part of `lead_submit_status` that writes nothing: validation (LeadDataError,
    field-by-field, bilingual), the space or park the visitor looked at, the structured
    fields the free-text need states. Done before the write transaction, so the database's
    write lock (SQLite: one writer for the whole file) is held only for the writes."""
    basis = consent_basis or _text_or(data.get("consent_basis")) or DEFAULT_BASIS.get(channel)
    if basis not in ConsentBasis.values:
        basis = ConsentBasis.ORAL if channel in (Channel.PHONE, Channel.OFFICE) else None
    # Imported rows carry their basis in the file; submissions must tick the consent box.
    require_consent = channel != Channel.IMPORT and basis in (
        None,
        ConsentBasis.FORM,
        ConsentBasis.API,
    )
    values = clean_submission(data, require_consent=require_consent)
    basis = basis or (ConsentBasis.API if channel == Channel.API else ConsentBasis.FORM)
    row_ref = values.pop("ref", "")
    ref = ref or (row_ref if channel == Channel.IMPORT else "")
    verbatim = _verbatim(data)
    _catalogue_context(values, data)  # the space they looked at wins over the text
    _fill_from_need(values)
    # The folded company key (pinyin folding: the costly part) is memoised: computing it
    # here keeps it out of the write transaction (SQLite's writer turn, PostgreSQL's locks).
    company_key(values.get("company") or "")
    return PreparedSubmission(
        values=values, basis=basis, ref=ref, verbatim=verbatim, digest=_digest(verbatim)
    )


def lead_submit_status(
    *,
    data: Mapping[str, Any],
    channel: str,
    actor: Any = None,
    ip: str | None = None,
    user_agent: str = "",
    consent_basis: str | None = None,
    is_demo: bool = False,
    ref: str = "",
    intake_key: str = "",
    received_at: datetime | None = None,
    ip_hashed: str = "",
    prepared: PreparedSubmission | None = None,
) -> tuple[Lead, str]:
    """`lead_submit`, also saying what happened: "created", "merged", or "unchanged" (an
    imported row whose identical content was imported before: nothing is written).

    `ref` (or, for imports, the row's `ref`) names the lead to merge into or create; public
    submissions cannot choose it. `intake_key` and `received_at` come from the spool
    (leads/spool.py): a submission acknowledged while the database was busy, stored later
    exactly once with the time it was received.

    `prepared` (from `lead_prepare` with the same data, channel, basis and ref) skips the
    validation and enrichment: `leads.intake.lead_receive` prepares once, outside the write
    transaction, and may then retry only the write."""
    if prepared is None:
        prepared = lead_prepare(data=data, channel=channel, consent_basis=consent_basis, ref=ref)
    values = dict(prepared.values)
    basis, ref, verbatim, digest = prepared.basis, prepared.ref, prepared.verbatim, prepared.digest
    now = received_at or timezone.now()

    with transaction.atomic():
        ckey = company_key(values.get("company", ""))
        _lock(values["mobile"], ckey, values.get("uscc", ""))
        if intake_key:
            seen = Inquiry.objects.filter(intake_key=intake_key).select_related("lead").first()
            if seen is not None:
                return seen.lead, "unchanged"  # this spooled submission is stored already
        if channel == Channel.IMPORT:
            seen = Inquiry.objects.filter(channel=Channel.IMPORT, digest=digest).first()
            if seen is not None:
                return seen.lead, "unchanged"  # the same row imported again
        existing = None
        # An operator's submission (office entry, import) changes only leads the operator
        # works, or 公海 leads; the public's merge into any open lead (never shown to them).
        scoped = is_operator(actor)
        if ref:
            existing = Lead.objects.select_for_update().filter(ref=ref).first()
            while existing is not None and existing.merged_into_id:
                existing = Lead.objects.select_for_update().get(pk=existing.merged_into_id)
            if existing is not None and scoped and not _may_merge(actor, existing):
                errors = Errors()
                errors.add(
                    "ref",
                    f"编号 {ref} 属于您无权修改的线索,不能导入或合并",
                    f"ref {ref} names a lead you may not change: not imported",
                )
                raise LeadDataError(errors)
        if existing is None:
            since = now - timedelta(days=conf.merge_days())
            # Duplicates: the same mobile, the same 统一社会信用代码, or the same company
            # name once region, legal form, brackets, script and pinyin are folded.
            keys = {"mobile": values["mobile"], "company_key": ckey, "uscc": values.get("uscc")}
            candidates = merge_candidates(
                {field: [value] for field, value in keys.items() if value}, since=since
            )
            if scoped:
                rule = lead_scope_rule(viewer=actor)
                candidates = [
                    lead
                    for lead in candidates
                    if rule.admits(lead)
                    and (rule.manages or lead.owner_id is None or lead.owner_id == actor.pk)
                ]
            latest = max(candidates, key=lambda lead: (lead.last_inquiry_at, lead.pk), default=None)
            existing_id = latest.pk if latest is not None else None
            if existing_id is not None:
                existing = Lead.objects.select_for_update().get(pk=existing_id)
        if existing is not None:
            lead = _merge(existing, values, now)
            created = False
        else:
            source = data.get("channel") if channel == Channel.IMPORT else None
            lead = _create(
                values,
                ref=ref or _placeholder_ref(),  # a new ref is taken last (below)
                channel=source if source in Channel.values else channel,
                basis=basis,
                now=now,
                demo=is_demo,
            )
            created = True
        inquiry = Inquiry.objects.create(
            lead=lead,
            channel=channel,
            data=verbatim,
            digest=digest,
            intake_key=intake_key,
            ip_hash=ip_hash(ip) or ip_hashed[:64],
            user_agent=(user_agent or "")[:300],
            merged=not created,
            consent=basis in (ConsentBasis.FORM, ConsentBasis.API),
            consent_text=CONSENT_TEXT if basis in (ConsentBasis.FORM, ConsentBasis.API) else "",
        )
        if received_at is not None:  # auto_now_add set the drain's time: keep the receipt's
            Inquiry.objects.filter(pk=inquiry.pk).update(received_at=received_at)
        if created and not ref:
            # The day's counter row is locked from here to the commit: take it last, so
            # concurrent submissions queue on it only for these few statements.
            lead.ref = _new_ref()
            Lead.objects.filter(pk=lead.pk).update(ref=lead.ref)
        audit_record(
            actor=actor,
            action="lead.create" if created else "lead.merge",
            target=lead,
            detail={
                "channel": channel,
                "ref": lead.ref,
                **({"spooled": True} if intake_key else {}),
            },
            ip=ip,
        )
        if created:
            owner = _auto_owner(lead)
            if owner is not None:
                _set_owner(lead, owner, actor=None, reason=conf.assignment_mode())
        if lead.owner_id:
            lead_id, reason = lead.pk, "new" if created else "merged"
            transaction.on_commit(lambda: _notify(lead_id, reason))
    return lead, "created" if created else "merged"


def _may_merge(actor: Any, lead: Lead) -> bool:
    return access.can_edit(actor, lead) or (lead.in_pool and access.can_view(actor, lead))


def _text_or(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _create(
    values: dict[str, Any], *, ref: str, channel: str, basis: str, now: datetime, demo: bool
) -> Lead:
    lead = Lead(
        ref=ref or _new_ref(),
        channel=channel,
        consent_basis=basis,
        consent_at=now if basis in (ConsentBasis.FORM, ConsentBasis.API) else None,
        last_inquiry_at=now,
        is_demo=demo,
    )
    for name in (*MERGE_FIELDS, *LIST_MERGE_FIELDS, "contact", "mobile", "requires"):
        if name in values and values[name] is not None:
            setattr(lead, name, values[name])
    lead.company_key = company_key(lead.company)
    _validate(lead)
    lead.save()
    return lead


def _validate(lead: Lead) -> None:
    """Field validation and clean() on the intake path. The check constraints repeat rules
    clean() already applies (and the database enforces them); `ref` is either new or was
    looked up. Skipping Django's Python-side constraint checks halves the cost of a
    submission."""
    lead.full_clean(validate_unique=False, validate_constraints=False)


def _merge(lead: Lead, values: dict[str, Any], now: datetime) -> Lead:
    for name in MERGE_FIELDS:
        new = values.get(name)
        if new not in (None, "") and getattr(lead, name) in (None, ""):
            setattr(lead, name, new)
    for name in LIST_MERGE_FIELDS:
        merged = list(dict.fromkeys([*getattr(lead, name), *(values.get(name) or [])]))
        setattr(lead, name, merged[:10])
    if values.get("requires"):
        lead.requires = {**values["requires"], **lead.requires}
    if (
        lead.area_min_m2 is not None
        and lead.area_max_m2 is not None
        and lead.area_min_m2 > lead.area_max_m2
    ):
        lead.area_max_m2 = lead.area_min_m2
    lead.company_key = company_key(lead.company)
    lead.last_inquiry_at = now
    _validate(lead)
    lead.save()
    return lead


# --- assignment and the pool --------------------------------------------------------------


def agents() -> Any:
    """Active users holding the 招商专员 role."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=ROLE_AGENT)
        .distinct()
        .order_by("pk")
    )


def _auto_owner(lead: Lead) -> Any | None:
    mode = conf.assignment_mode()
    if mode == "round_robin":
        # The agent who least recently received a lead (never assigned first).
        return (
            agents()
            .annotate(last=Max("leads__assigned_at"))
            .order_by(F("last").asc(nulls_first=True), "pk")
            .first()
        )
    if mode == "industry" and lead.industry:
        for rule in AssignmentRule.objects.select_related("agent").order_by("-industry"):
            if rule.industry in lead.industry and rule.agent.is_active:
                return rule.agent
    return None


def _set_owner(lead: Lead, owner: Any, *, actor: Any, reason: str) -> None:
    old = lead.owner_id
    lead.owner = owner
    lead.assigned_at = timezone.now() if owner is not None else None
    lead.save(update_fields=["owner", "assigned_at", "updated_at"])
    audit_record(
        actor=actor,
        action="lead.assign" if owner is not None else "lead.release",
        target=lead,
        detail={"from": old, "to": owner.pk if owner is not None else None, "reason": reason},
    )


def _locked(lead: Lead) -> Lead:
    return Lead.objects.select_for_update().get(pk=lead.pk)


def lead_assign(*, lead: Lead, actor: Any, owner: Any) -> Lead:
    """A manager hands a lead to an agent (or back to the pool with owner=None)."""
    access.require(is_manager(actor), "只有经理可以分配线索", "only managers assign leads")
    access.require(access.can_edit(actor, lead))
    if owner is not None and not is_operator(owner):
        raise LeadStateError("负责人必须是招商人员 / the owner must be an operator")
    if owner is not None and not access.can_view(actor, Lead(owner_id=owner.pk)):
        # A team's manager hands leads only to the team (the lead must stay in scope).
        raise LeadStateError("负责人必须是本团队成员 / the owner must be in your team")
    with transaction.atomic():
        lead = _locked(lead)
        _set_owner(lead, owner, actor=actor, reason="manual")
        if owner is not None:
            lead_id = lead.pk
            transaction.on_commit(lambda: _notify(lead_id, "assigned"))
    return lead


def lead_assign_of_record(*, lead: Lead, owner: Any, reason: str) -> Lead:
    """The system hands a lead to the agent a record names (the lease's agent owns its 续约
    deal), without a manager: audit-logged with the reason, the agent notified."""
    if not is_operator(owner) or not getattr(owner, "is_active", False):
        raise LeadStateError("负责人必须是招商人员 / the owner must be an operator")
    with transaction.atomic():
        lead = _locked(lead)
        if lead.owner_id != owner.pk:
            _set_owner(lead, owner, actor=None, reason=reason)
            lead_id = lead.pk
            transaction.on_commit(lambda: _notify(lead_id, "assigned"))
    return lead


def lead_claim(*, lead: Lead, actor: Any) -> Lead:
    """An agent takes a lead from the 公海."""
    access.require(is_operator(actor))
    with transaction.atomic():
        lead = _locked(lead)
        if not lead.in_pool:
            raise LeadStateError("该线索已有负责人或已关闭 / this lead is not in the pool")
        _set_owner(lead, actor, actor=actor, reason="claim")
    return lead


def lead_release(*, lead: Lead, actor: Any) -> Lead:
    """The owner (or a manager) returns a lead to the 公海."""
    access.require(access.can_edit(actor, lead))
    with transaction.atomic():
        lead = _locked(lead)
        if lead.owner_id is None:
            raise LeadStateError("该线索已在公海 / this lead is already in the pool")
        _set_owner(lead, None, actor=actor, reason="release")
    return lead


def lead_pool_recycle(*, now: datetime | None = None, days: int | None = None) -> int:
    """Return to the 公海 every open lead whose owner has not followed it up for `days`
    days (PARKLINK_LEAD_POOL_DAYS) since the last follow-up or the assignment. Idempotent."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=days if days is not None else conf.pool_days())
    stale = (
        Lead.objects.open()
        .filter(owner__isnull=False, assigned_at__lt=cutoff)
        .filter(Q(last_follow_up_at__isnull=True) | Q(last_follow_up_at__lt=cutoff))
    )
    count = 0
    for pk in stale.values_list("pk", flat=True):
        with transaction.atomic():
            lead = Lead.objects.select_for_update().get(pk=pk)
            if lead.owner_id is None:
                continue
            _set_owner(lead, None, actor=None, reason=f"no follow-up for {conf.pool_days()} days")
            count += 1
    return count


# --- the pipeline -------------------------------------------------------------------------


def _audit_changes(lead: Lead, actor: Any, before: dict[str, Any], action: str) -> list[str]:
    changed = [k for k, v in before.items() if getattr(lead, k) != v]
    if changed:
        detail = {
            k: {"changed": True}
            if k in PII_FIELDS
            else {"from": _jsonable(before[k]), "to": _jsonable(getattr(lead, k))}
            for k in changed
        }
        audit_record(actor=actor, action=action, target=lead, detail=detail)
    return changed


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def lead_update(*, lead: Lead, actor: Any, data: Mapping[str, Any]) -> Lead:
    """Change the 招商 record (company, project, requirement, scores, next follow-up).
    Only the owner or a manager; values are validated like a submission."""
    access.require(access.can_edit(actor, lead))
    merged = {name: getattr(lead, name) for name in EDITABLE_FIELDS}
    merged.update({k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    values = clean_submission(
        {k: _jsonable(v) for k, v in merged.items()}, require_consent=False, require_need=False
    )
    scores: dict[str, int | None] = {}
    for name in ("score_intent", "score_funds", "score_fit"):
        raw = merged.get(name)
        if raw in (None, ""):
            scores[name] = None
            continue
        try:
            scores[name] = int(raw)
        except (TypeError, ValueError):
            raise ValidationError(
                {name: "评分应为1-5的整数 / scores are whole numbers 1-5"}
            ) from None
    next_fu = merged.get("next_follow_up")
    if isinstance(next_fu, str):
        try:
            next_fu = date.fromisoformat(next_fu) if next_fu else None
        except ValueError:
            raise ValidationError(
                {"next_follow_up": "日期格式应为 YYYY-MM-DD / dates look like YYYY-MM-DD"}
            ) from None
    with transaction.atomic():
        lead = _locked(lead)
        before = {name: getattr(lead, name) for name in (*EDITABLE_FIELDS, "grade")}
        for name in EDITABLE_FIELDS:
            if name in values:
                setattr(lead, name, values[name])
        for name, score in scores.items():
            setattr(lead, name, score)
        lead.next_follow_up = next_fu
        lead.grade = grade_for(lead.score_intent, lead.score_funds, lead.score_fit)
        lead.company_key = company_key(lead.company)
        lead.full_clean()
        lead.save()
        _audit_changes(lead, actor, before, "lead.update")
    return lead


def lead_stage_set(
    *, lead: Lead, actor: Any, stage: str, lost_reason: str = "", note: str = ""
) -> Lead:
    """Move a lead along the pipeline; 已流失 needs a reason."""
    access.require(access.can_edit(actor, lead))
    if stage not in Stage.values:
        raise ValidationError({"stage": "未知阶段 / unknown stage"})
    if stage == Stage.LOST and lost_reason not in LostReason.values:
        raise ValidationError({"lost_reason": "请选择流失原因 / a reason for losing is required"})
    with transaction.atomic():
        lead = _locked(lead)
        before = {"stage": lead.stage, "lost_reason": lead.lost_reason, "lost_note": lead.lost_note}
        lead.stage = stage
        lead.lost_reason = lost_reason if stage == Stage.LOST else ""
        lead.lost_note = note[:500] if stage == Stage.LOST else ""
        lead.full_clean()
        lead.save()
        _audit_changes(lead, actor, before, "lead.stage")
    return lead


def follow_up_add(
    *,
    lead: Lead,
    actor: Any,
    kind: str,
    note: str,
    next_follow_up: date | None = None,
) -> FollowUp:
    """Log a call, visit, WeChat… on a lead; sets the next follow-up date and moves a
    新线索 to 已联系."""
    access.require(access.can_edit(actor, lead))
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if kind not in FollowUpKind.values:
        errors["kind"] = "请选择跟进方式 / choose how you followed up"
    if not note:
        errors["note"] = "请填写跟进内容 / the note is required"
    elif len(note) > 2000:
        errors["note"] = "跟进内容最多2000字 / the note is limited to 2000 characters"
    if next_follow_up is not None and next_follow_up < timezone.localdate():
        errors["next_follow_up"] = (
            "下次跟进日期不能早于今天 / the next follow-up must not be in the past"
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        lead = _locked(lead)
        follow = FollowUp.objects.create(
            lead=lead, kind=kind, note=note, author=actor, next_follow_up=next_follow_up
        )
        before = {"stage": lead.stage, "next_follow_up": lead.next_follow_up}
        lead.last_follow_up_at = follow.at
        lead.next_follow_up = next_follow_up
        if lead.stage == Stage.NEW:
            lead.stage = Stage.CONTACTED
        lead.save()
        audit_record(
            actor=actor,
            action="lead.follow_up",
            target=lead,
            detail={"follow_up": follow.pk, "kind": kind},
        )
        _audit_changes(lead, actor, before, "lead.update")
    return follow


def lead_tags_set(*, lead: Lead, actor: Any, names: Iterable[str]) -> Lead:
    access.require(access.can_edit(actor, lead))
    clean = list(dict.fromkeys(n.strip()[:30] for n in names if n and n.strip()))[:20]
    with transaction.atomic():
        before = sorted(lead.tags.values_list("name", flat=True))
        tags = [Tag.objects.get_or_create(name=n)[0] for n in clean]
        lead.tags.set(tags)
        if sorted(clean) != before:
            audit_record(
                actor=actor,
                action="lead.tags",
                target=lead,
                detail={"from": before, "to": sorted(clean)},
            )
    return lead


# --- duplicates: manual merge and split --------------------------------------------------


def lead_duplicates(*, lead: Lead, viewer: Any) -> list[Lead]:
    """Other leads in the viewer's scope that look like the same enterprise: the same
    mobile, 统一社会信用代码 or folded company name (the intake's merge rules, any age)."""
    from parklink.leads.selectors import lead_scope

    match = Q(mobile=lead.mobile)
    if lead.company_key:
        match |= Q(company_key=lead.company_key)
    if lead.uscc:
        match |= Q(uscc=lead.uscc)
    return list(
        lead_scope(viewer=viewer)
        .filter(match)
        .exclude(pk=lead.pk)
        .select_related("owner")
        .order_by("-last_inquiry_at", "-id")[:50]
    )


def lead_merge(*, target: Lead, source: Lead, actor: Any) -> Lead:
    """Merge the duplicate `source` into `target`: every Inquiry and follow-up moves to
    `target`, its tags join, blank fields of `target` are filled from `source` (nothing
    entered on `target` is overwritten). `source` stays as a tombstone (`merged_into`),
    with its audit trail, out of every list. The actor must work `target` and work or be
    offered (公海) `source`."""
    access.require(access.can_edit(actor, target))
    access.require(access.can_edit(actor, source) or source.in_pool)
    if target.pk == source.pk:
        raise LeadStateError("不能将线索合并到自身 / a lead cannot be merged into itself")
    with transaction.atomic():
        first, second = sorted([target.pk, source.pk])
        locked = {
            lead.pk: lead
            for lead in Lead.objects.select_for_update().filter(pk__in=[first, second])
        }
        target, source = locked[target.pk], locked[source.pk]
        if target.merged_into_id or source.merged_into_id:
            raise LeadStateError("线索已被合并 / the lead was merged already")
        inquiry_ids = list(source.inquiries.values_list("pk", flat=True))
        follow_ids = list(source.follow_ups.values_list("pk", flat=True))
        Inquiry.objects.filter(pk__in=inquiry_ids).update(lead=target)
        FollowUp.objects.filter(pk__in=follow_ids).update(lead=target)
        target.tags.add(*source.tags.all())
        before = {name: getattr(target, name) for name in (*MERGE_FIELDS, *LIST_MERGE_FIELDS)}
        values = {name: getattr(source, name) for name in (*MERGE_FIELDS, *LIST_MERGE_FIELDS)}
        values["requires"] = source.requires
        last = max(target.last_inquiry_at, source.last_inquiry_at)
        _merge(target, values, last)
        if source.next_follow_up and (
            target.next_follow_up is None or source.next_follow_up < target.next_follow_up
        ):
            target.next_follow_up = source.next_follow_up
            target.save(update_fields=["next_follow_up", "updated_at"])
        source.merged_into = target
        source.save(update_fields=["merged_into", "updated_at"])
        filled = sorted(k for k, v in before.items() if getattr(target, k) != v)
        audit_record(
            actor=actor,
            action="lead.merge_manual",
            target=target,
            detail={
                "from": source.pk,
                "from_ref": source.ref,
                "inquiries": inquiry_ids[:500],
                "follow_ups": len(follow_ids),
                "filled": filled,
            },
        )
        audit_record(
            actor=actor,
            action="lead.merged_into",
            target=source,
            detail={"into": target.pk, "into_ref": target.ref, "inquiries": len(inquiry_ids)},
        )
    return target


def lead_split(*, lead: Lead, actor: Any, inquiry_ids: Iterable[int]) -> Lead:
    """Split the chosen inquiries off `lead` into a new lead (a wrong merge undone): the new
    lead's fields come from the earliest chosen inquiry as received, it keeps the owner,
    consent basis and channel, and every inquiry stays (moved, never copied or dropped).
    At least one inquiry must stay with `lead`."""
    access.require(access.can_edit(actor, lead))
    wanted = {int(i) for i in inquiry_ids}
    with transaction.atomic():
        lead = _locked(lead)
        all_ids = set(lead.inquiries.values_list("pk", flat=True))
        chosen = sorted(wanted & all_ids)
        if not chosen or wanted - all_ids:
            raise LeadStateError("请选择该线索的咨询记录 / choose inquiries of this lead")
        if len(chosen) == len(all_ids):
            raise LeadStateError(
                "至少保留一条咨询记录 / at least one inquiry must stay with the lead"
            )
        first = Inquiry.objects.filter(pk__in=chosen).order_by("received_at", "pk").first()
        values = clean_submission(first.data, require_consent=False, require_need=False)
        values.pop("ref", None)
        values.pop("space", None)
        new = _create(
            values,
            ref="",
            channel=first.channel if first.channel in Channel.values else lead.channel,
            basis=lead.consent_basis,
            now=first.received_at,
            demo=lead.is_demo,
        )
        new.owner, new.assigned_at = lead.owner, lead.assigned_at
        new.save(update_fields=["owner", "assigned_at", "updated_at"])
        Inquiry.objects.filter(pk__in=chosen).update(lead=new)
        remaining = lead.inquiries.order_by("-received_at").values_list("received_at", flat=True)
        lead.last_inquiry_at = remaining.first()
        lead.save(update_fields=["last_inquiry_at", "updated_at"])
        audit_record(
            actor=actor,
            action="lead.split",
            target=lead,
            detail={"to": new.pk, "to_ref": new.ref, "inquiries": chosen[:500]},
        )
        audit_record(
            actor=actor,
            action="lead.split_from",
            target=new,
            detail={"from": lead.pk, "from_ref": lead.ref, "inquiries": chosen[:500]},
        )
    return new


# --- personal data (PIPL) -----------------------------------------------------------------


def lead_reveal(*, lead: Lead, actor: Any, ip: str | None = None) -> str:
    """The full mobile number for someone who may see the lead: a deliberate action,
    audit-logged (who, when, which lead)."""
    access.require(access.can_reveal(actor, lead))
    if not access.can_see_mobile(actor, lead) and not ratelimit.hit(
        str(actor.pk), rate=conf.reveal_limit(), scope="reveal"
    ):
        # Someone revealing 公海 numbers one by one is harvesting them: a daily cap.
        raise LeadPermissionDenied(
            "今日查看完整号码次数已达上限,请认领线索后联系 / "
            "daily limit of revealed numbers reached; claim the lead to contact it"
        )
    audit_record(actor=actor, action="lead.reveal", target=lead, detail={"field": "mobile"}, ip=ip)
    return lead.mobile


def lead_pii_viewed(*, leads: Iterable[Lead], actor: Any, where: str) -> None:
    """Record that `actor` was shown these leads' personal data unmasked."""
    ids = [lead.pk for lead in leads if access.can_see_mobile(actor, lead)]
    if ids:
        audit_record(
            actor=actor, action="lead.view_pii", detail={"leads": ids[:500], "where": where}
        )


def lead_erase(*, lead: Lead, actor: Any, reason: str) -> LeadTrace:
    """Delete a lead on its subject's request (PIPL art. 47): the lead, its inquiries and
    follow-ups go; an anonymised trace stays for statistics; the audit entry keeps only the
    reference. Managers only."""
    access.require(is_manager(actor), "只有经理可以删除线索", "only managers erase leads")
    access.require(access.can_edit(actor, lead))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写删除原因 / a reason is required"})
    with transaction.atomic():
        lead = _locked(lead)
        trace = LeadTrace.objects.create(
            created_month=f"{timezone.localtime(lead.created_at):%Y-%m}",
            channel=lead.channel,
            stage=lead.stage,
            grade=lead.grade,
            industry=lead.industry,
            kind=lead.kind,
            districts=lead.districts,
            inquiries=lead.inquiries.count(),
            follow_ups=lead.follow_ups.count(),
            is_demo=lead.is_demo,
        )
        audit_record(
            actor=actor,
            action="lead.erase",
            target=lead,
            detail={"ref": lead.ref, "trace": trace.pk, "reason": reason[:200]},
        )
        lead.delete()
    return trace


def lead_export_audit(*, actor: Any, count: int, unmasked: int, fmt: str) -> None:
    audit_record(
        actor=actor,
        action="lead.export",
        detail={"count": count, "unmasked": unmasked, "format": fmt},
    )


# --- notifications ------------------------------------------------------------------------


def _notify(lead_id: int, reason: str) -> None:
    from parklink.leads.tasks import lead_notify_owner

    try:
        lead_notify_owner.enqueue(lead_id, reason)
    except Exception:  # a notification must never lose the lead already committed
        logger.exception("lead notification not enqueued", extra={"lead": lead_id})


def lead_notify_owner_send(*, lead_id: int, reason: str) -> bool:
    """E-mail the owner that a lead arrived (no personal data in the mail: the link)."""
    from django.conf import settings
    from django.core.mail import send_mail

    lead = Lead.objects.select_related("owner").filter(pk=lead_id).first()
    if lead is None or lead.owner is None or not lead.owner.email:
        return False
    # Deliberately Chinese, not gettext: the worker sends this outside any request, no
    # per-user language is stored, and the recipients work in the Chinese back office.
    subject = {
        "new": "新线索",
        "merged": "线索有新咨询",
        "assigned": "分配给您的线索",
    }.get(reason, "线索提醒")
    body = (
        f"{subject}:{lead.ref} {lead.company or ''}\n"
        f"阶段 {lead.stage};请在后台查看并跟进:{lead.get_absolute_url()}\n"
    )
    send_mail(
        f"[ParkLink] {subject} {lead.ref}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [lead.owner.email],
        fail_silently=False,
    )
    return True


# --- bulk import --------------------------------------------------------------------------


def _new_refs(count: int) -> list[str]:
    """``count`` new references of today in one counter update (skipping taken numbers),
    inside the caller's transaction like ``_new_ref``."""
    day = timezone.localdate()
    refs: list[str] = []
    while len(refs) < count:
        want = count - len(refs)
        if not LeadRefCounter.objects.filter(day=day).update(last=F("last") + want):
            try:
                with transaction.atomic():
                    LeadRefCounter.objects.create(day=day, last=want)
            except IntegrityError:
                LeadRefCounter.objects.filter(day=day).update(last=F("last") + want)
        last = LeadRefCounter.objects.filter(day=day).values_list("last", flat=True).get()
        block = [f"L{day:%Y%m%d}{n:04d}" for n in range(last - want + 1, last + 1)]
        taken = set(Lead.objects.filter(ref__in=block).values_list("ref", flat=True))
        refs += [r for r in block if r not in taken]
    return refs


PREPARED = "_prepared"  # marks a cleaned import row whose context and need are filled in
INQUIRY = "_inquiry"  # a cleaned import row's (verbatim record, digest), when prepared
VALIDATED = "_validated"  # its new Lead passed clean_new where it was prepared


def _import_basis(data: Mapping[str, Any], bases: frozenset[str]) -> str:
    basis = _text_or(data.get("consent_basis")) or ConsentBasis.CONTRACT
    return basis if basis in bases else ConsentBasis.FORM


def _import_lead_values(
    values: Mapping[str, Any],
    data: Mapping[str, Any],
    ref: str,
    basis: str,
    is_demo: bool,
    now: datetime,
    channels: frozenset[str],
) -> dict[str, Any]:
    """The values (by attname) an imported row gives its new Lead, ``company_key`` aside."""
    source = data.get("channel")
    fields: dict[str, Any] = {
        "ref": ref,
        "channel": source if source in channels else Channel.IMPORT,
        "consent_basis": basis,
        "consent_at": now if basis in (ConsentBasis.FORM, ConsentBasis.API) else None,
        "last_inquiry_at": now,
        "is_demo": is_demo,
    }
    for name in (*MERGE_FIELDS, *LIST_MERGE_FIELDS, "contact", "mobile", "requires"):
        if name in values and values[name] is not None:
            fields[name] = values[name]
    return fields


# The values ``_import_lead_values`` sets itself, valid by construction (a channel or basis
# taken only from its choices, the import's instant, a flag, the computed company key of at
# most MAX_KEY characters): not cleaned again per row.
_SET_BY_IMPORT = frozenset(
    {"channel", "consent_basis", "consent_at", "last_inquiry_at", "is_demo", "company_key"}
)


def _clean_import_lead(lead: Lead, given: list[str]) -> None:
    """`_validate` for a new lead: the fields left at their defaults, and those the import
    sets itself, are not re-cleaned."""
    given = [name for name in given if name not in _SET_BY_IMPORT]
    if not lead.ref:
        lead.ref = "pending"  # replaced when written; full_clean needs a value
        clean_new(lead, given)
        lead.ref = ""
    else:
        clean_new(lead, given)


@functools.cache
def _import_constants() -> tuple[frozenset[str], frozenset[str], Any]:
    """The consent bases, the channels and the Lead factory, built once per process (an
    import validates every row through them)."""
    return frozenset(ConsentBasis.values), frozenset(Channel.values), instance_factory(Lead)


def lead_import_validate(values: dict[str, Any], data: Mapping[str, Any]) -> None:
    """Run, for a prepared import row, the validation ``lead_import_bulk_create`` would run
    on its new Lead (pure: no database), and mark the row VALIDATED when it passes, so the
    writing process skips it; a row that fails is left unmarked (the writer validates it
    again and reports as before: a merge may still make it valid)."""
    if not values.get(PREPARED):
        return
    rest = {k: v for k, v in values.items() if k not in (PREPARED, INQUIRY, VALIDATED)}
    ref = rest.pop("ref", "")
    ckey = rest.pop("company_key", None)
    bases, channels, new_lead = _import_constants()
    basis = _import_basis(data, bases)
    fields = _import_lead_values(rest, data, ref, basis, False, timezone.now(), channels)
    fields["company_key"] = ckey if ckey is not None else company_key(fields.get("company", ""))
    lead = new_lead(**fields)
    try:
        _clean_import_lead(lead, list(fields))
    except ValidationError:
        return
    values[VALIDATED] = True


def lead_import_bulk_create(
    *,
    items: list[tuple[Mapping[str, Any], bool]],
    actor: Any,
    journal: Any = None,
    cleaned: list[dict[str, Any]] | None = None,
) -> list[int]:
    """Imported rows that create new leads (the caller checked that none matches an
    existing lead, an earlier row or an earlier import, and that leads go to the 公海:
    assignment mode "pool"), in a few queries: what ``lead_submit_status`` does for such a
    row (validation, need parsing, Inquiry verbatim, one ``lead.create`` audit entry per
    lead), with bulk inserts of plain rows (``core.bulk.RowWriter``: no model instance for
    a row validated where it was prepared). Returns the new leads' ids, in order. Raises
    LeadDataError for a bad row (the caller validated).

    A ``cleaned`` entry holding ``PREPARED`` (``leads.exchange`` planned it, maybe in worker
    processes) already has the catalogue context, what the need says and ``company_key``:
    that work is not done again here; one holding ``VALIDATED`` passed the new Lead's
    validation there."""
    from parklink.core.models import AuditEntry

    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    bases, channels, new_lead = _import_constants()
    leads_out, inquiries_out, audits_out = _import_writers()
    ref_at = leads_out.index["ref"]
    rows: list[list[Any]] = []
    extra: list[tuple[dict[str, Any], str, str]] = []
    for i, (data, is_demo) in enumerate(items):
        basis = _import_basis(data, bases)
        # ``cleaned``: the caller's clean_submission of the same rows (a plan step).
        values = (
            dict(cleaned[i])
            if cleaned is not None
            else clean_submission(data, require_consent=False)
        )
        ref = values.pop("ref", "")
        inquiry = values.pop(INQUIRY, None)
        if inquiry is None:
            verbatim = _verbatim(data)
            inquiry = (verbatim, _digest(verbatim))
        prepared = values.pop(PREPARED, False)
        validated = values.pop(VALIDATED, False)
        ckey = values.pop("company_key", None)
        if not prepared:
            _catalogue_context(values, data)
            _fill_from_need(values)
        fields = _import_lead_values(values, data, ref, basis, is_demo, now, channels)
        fields["company_key"] = (
            ckey if prepared and ckey is not None else company_key(fields.get("company", ""))
        )
        if validated:  # in a worker process, with the same values
            rows.append(leads_out.new(**fields))
        else:
            lead = new_lead(**fields)
            _clean_import_lead(lead, list(fields))
            rows.append(leads_out.row_of(lead))
        extra.append((*inquiry, basis))
    fresh = iter(_new_refs(sum(1 for row in rows if not row[ref_at])))
    for row in rows:
        if not row[ref_at]:
            row[ref_at] = next(fresh)
    ids = leads_out.insert(rows)
    if journal is not None:
        journal.created_ids(Lead._meta.label, ids)
    consented = (ConsentBasis.FORM, ConsentBasis.API)
    inquiry_ids = inquiries_out.insert(
        [
            inquiries_out.new(
                lead_id=pk,
                channel=Channel.IMPORT,
                data=verbatim,
                digest=digest,
                merged=False,
                consent=basis in consented,
                consent_text=CONSENT_TEXT if basis in consented else "",
            )
            for pk, (verbatim, digest, basis) in zip(ids, extra, strict=True)
        ]
    )
    if journal is not None:
        # Undone before the leads (the journal is played backwards): a lead left with an
        # Inquiry after the undo got a submission from outside the import and is kept.
        journal.created_ids(Inquiry._meta.label, inquiry_ids)
    audits = audits_out.insert(
        [
            audits_out.new(
                actor_id=user.pk if user is not None else None,
                action="lead.create",
                target_type=Lead._meta.label,
                target_id=str(pk),
                detail={"channel": Channel.IMPORT, "ref": row[ref_at]},
            )
            for pk, row in zip(ids, rows, strict=True)
        ]
    )
    if journal is not None:
        journal.created_ids(AuditEntry._meta.label, audits)
    return ids


@functools.cache
def _import_writers() -> tuple[RowWriter, RowWriter, RowWriter]:
    """The plain-row writers of an import's leads, their Inquiry records and audit entries."""
    from parklink.core.models import AuditEntry

    return RowWriter(Lead), RowWriter(Inquiry), RowWriter(AuditEntry)
