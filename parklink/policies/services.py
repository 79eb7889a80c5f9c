"""Writes of the policies area: the policy library, the review queue of policies read from
documents, and the audit of evaluation reports.

Every function is keyword-only, validates before it writes, runs in one transaction and
writes an audit entry with its actor. A write that changes nothing saves nothing (imports are
idempotent).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parklink.core.services import audit_record
from parklink.news.choices import ReviewStatus
from parklink.policies.eligibility import ConditionError, normalise_conditions
from parklink.policies.models import MAX_AMOUNT_WAN, Policy, PolicyProposal
from parklink.policies.reader import ReadPolicy
from parklink.zh.places import BEIJING_DISTRICTS, normalise_district

POLICY_FIELDS = (
    "ref",
    "title",
    "issuer",
    "region",
    "valid_from",
    "valid_to",
    "industries",
    "conditions",
    "benefit",
    "amount_wan_max",
    "source",
    "is_demo",
)
CITY = "北京市"
_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
_LIMITS = {"title": 200, "issuer": 100, "source": 500, "benefit": 4000}


def region_normalise(value: Any) -> str:
    """A district's full name, 北京市, another city's district or city; ValueError else."""
    text = str(value or "").strip()
    if not text:
        return ""
    if text in ("北京", "北京市", "全市", "本市"):
        return CITY
    full = normalise_district(text)
    if full is not None and full in BEIJING_DISTRICTS:
        return full
    if len(text) <= 20 and text[-1] in "区市县省州盟旗":
        return text
    raise ValueError(
        f"未知的地区 {text} / unknown region {text} (允许/allowed: 北京市 | "
        + "、".join(BEIJING_DISTRICTS)
        + ")"
    )


def _date(value: Any, name: str, errors: dict[str, str]) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        errors[name] = "日期格式应为 YYYY-MM-DD / dates look like YYYY-MM-DD"
        return None


def _list(value: Any, name: str, errors: dict[str, str]) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        items = re.split(r"[、,，;；|\n]+", value)
    elif isinstance(value, list | tuple):
        items = [str(v) for v in value if v is not None]
    else:
        errors[name] = "应为列表 / must be a list"
        return []
    clean = list(dict.fromkeys(i.strip() for i in items if i.strip()))
    if len(clean) > 30 or any(len(i) > 50 for i in clean):
        errors[name] = "最多30项,每项最多50字 / at most 30 items of 50 characters"
    return clean


def policy_clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate one policy (exchange format fields); ValidationError names every bad field."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    ref = str(data.get("ref") or "").strip()
    if not ref:
        errors["ref"] = "必填 / required"
    elif not _REF.match(ref):
        errors["ref"] = "编号只能含字母、数字、-、_、. (最多64字) / letters, digits, - _ . only"
    out["ref"] = ref
    for name, limit in _LIMITS.items():
        # Line breaks stored as LF whatever the browser sent (CRLF): an unchanged form
        # changes nothing.
        text = str(data.get(name) or "").replace("\r\n", "\n").replace("\r", "\n").strip()
        if len(text) > limit:
            errors[name] = f"过长(最多{limit}个字符)/ too long (at most {limit} characters)"
        out[name] = text
    if not out["title"]:
        errors["title"] = "必填 / required"
    try:
        out["region"] = region_normalise(data.get("region"))
    except ValueError as exc:
        errors["region"] = str(exc)
    out["valid_from"] = _date(data.get("valid_from"), "valid_from", errors)
    out["valid_to"] = _date(data.get("valid_to"), "valid_to", errors)
    if out["valid_from"] and out["valid_to"] and out["valid_from"] > out["valid_to"]:
        errors["valid_to"] = "截止日期不能早于生效日期 / valid_to is before valid_from"
    out["industries"] = _list(data.get("industries"), "industries", errors)
    conditions = data.get("conditions")
    if isinstance(conditions, str):
        conditions = conditions_from_text(conditions, errors)
    try:
        out["conditions"] = [c.to_dict() for c in normalise_conditions(conditions)]
    except ConditionError as exc:
        errors["conditions"] = str(exc)
    amount = data.get("amount_wan_max")
    out["amount_wan_max"] = None
    if amount not in (None, ""):
        try:
            number = Decimal(str(amount).strip().replace(",", ""))
        except InvalidOperation:
            errors["amount_wan_max"] = "不是数字 / not a number"
        else:
            if not number.is_finite() or number < 0 or number > MAX_AMOUNT_WAN:
                errors["amount_wan_max"] = (
                    f"应在0到{MAX_AMOUNT_WAN}万元之间 / must be 0–{MAX_AMOUNT_WAN} 万元"
                )
            else:
                out["amount_wan_max"] = number.quantize(Decimal("0.01"))
    out["is_demo"] = bool(data.get("is_demo") or False)
    if errors:
        raise ValidationError(errors)
    return out


def conditions_from_text(text: str, errors: dict[str, str]) -> list[Any]:
    """Conditions written as JSON text: a list, or objects one after another ("{…}、{…}",
    how a CSV/XLSX cell holds a list of objects)."""
    text = text.strip()
    if not text:
        return []
    decoder = json.JSONDecoder()
    items: list[Any] = []
    pos = 0
    try:
        while pos < len(text):
            value, pos = decoder.raw_decode(text, pos)
            items.extend(value if isinstance(value, list) else [value])
            while pos < len(text) and text[pos] in " \t\r\n、,，;；":
                pos += 1
    except ValueError:
        errors["conditions"] = (
            '条件应为 JSON,如 [{"field": "annual_tax_wan", "op": ">=", "value": 100}] / '
            "conditions must be JSON"
        )
        return []
    return items


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is None and new is None
        return Decimal(old) == Decimal(new)
    return old == new


def _save(policy: Policy, values: dict[str, Any]) -> list[str]:
    changed = []
    for name in POLICY_FIELDS:
        if name in values and not _same(getattr(policy, name), values[name]):
            setattr(policy, name, values[name])
            changed.append(name)
    if changed or policy.pk is None:
        policy.full_clean()
        policy.save()
    return changed


@transaction.atomic
def policy_upsert(*, data: Mapping[str, Any], actor: Any) -> tuple[Policy, str]:
    """Create or update the policy with ``data["ref"]``: ("created"|"updated"|"unchanged")."""
    values = policy_clean(data)
    policy = Policy.objects.select_for_update().filter(ref=values["ref"]).first()
    if policy is None:
        policy = Policy()
        _save(policy, values)
        audit_record(actor=actor, action="policy.create", target=policy, detail={"ref": policy.ref})
        return policy, "created"
    changed = _save(policy, values)
    if not changed:
        return policy, "unchanged"
    audit_record(actor=actor, action="policy.update", target=policy, detail={"fields": changed})
    return policy, "updated"


@transaction.atomic
def policy_update(*, policy: Policy, data: Mapping[str, Any], actor: Any) -> list[str]:
    """Change a policy (its ref included); returns the fields that changed."""
    values = policy_clean({**{n: getattr(policy, n) for n in POLICY_FIELDS}, **data})
    if values["ref"] != policy.ref and Policy.objects.filter(ref=values["ref"]).exists():
        raise ValidationError({"ref": "编号已存在 / this ref is taken"})
    changed = _save(policy, values)
    if changed:
        audit_record(actor=actor, action="policy.update", target=policy, detail={"fields": changed})
    return changed


@transaction.atomic
def policy_delete(*, policy: Policy, actor: Any) -> None:
    audit_record(actor=actor, action="policy.delete", target=policy, detail={"ref": policy.ref})
    policy.delete()


# --- The review queue -------------------------------------------------------------------------


@transaction.atomic
def proposal_submit(
    *, source_name: str, text: str, read: ReadPolicy, actor: Any
) -> tuple[PolicyProposal, bool]:
    """Queue what the reader found in a document: one proposal per measure (条款) when the
    document has several (落户奖励 最高500万元 … 租金补贴 最高100万元), each with the
    document's title, region and validity and its own conditions, amount and sentences;
    else one proposal. The same text twice is queued once. Returns (first proposal, created)."""
    digest = PolicyProposal.digest_of(text)
    existing = PolicyProposal.objects.filter(digest=digest).first()
    if existing is not None:
        return existing, False
    whole = {**read.to_dict(), "benefit": read.benefit, "issuer": read.issuer}
    evidence = [
        {"what": p.what, "value": _jsonable(p.value), "sentence": p.sentence}
        for p in read.proposals
    ]
    parts: list[tuple[str, dict[str, Any], list[dict[str, Any]]]] = []
    if len(read.measures) <= 1:
        parts.append((digest, whole, evidence))
    else:
        total = len(read.measures)
        for i, m in enumerate(read.measures, 1):
            label = m.title or f"第{i}项"
            parsed = {
                **whole,
                "title": f"{read.title}({label})"[:200] if read.title else label,
                "conditions": [c.to_dict() for c in m.conditions],
                "amount_wan_max": m.amount_wan_max,
                "benefit": m.sentence[:500],
                "evidence": m.evidence,
                "measure": i,
                "measures_total": total,
            }
            parsed.pop("measures", None)
            kept = [
                p
                for p in evidence
                if p["what"] in ("title", "region", "valid_from", "valid_to", "industry")
                or p["sentence"] in m.evidence
            ]
            key = digest if i == 1 else PolicyProposal.digest_of(f"{text}\n\x00measure {i}")
            parts.append((key, parsed, kept))
    first: PolicyProposal | None = None
    for key, parsed, kept in parts:
        proposal = PolicyProposal.objects.create(
            source_name=source_name[:300],
            digest=key,
            text=text,
            parsed=parsed,
            proposals=kept,
        )
        first = first or proposal
        audit_record(
            actor=actor,
            action="policy.proposal",
            target=proposal,
            detail={"source": proposal.source_name, "title": parsed.get("title", "")},
        )
    if first is None:  # pragma: no cover - parts always holds one
        raise ValidationError("没有可排队的识别结果 / nothing to queue")
    return first, True


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _decided(proposal: PolicyProposal) -> PolicyProposal:
    locked = PolicyProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ReviewStatus.PROPOSED:
        raise ValidationError("该识别结果已审核过 / this proposal was already reviewed")
    return locked


@transaction.atomic
def proposal_accept(*, proposal: PolicyProposal, data: Mapping[str, Any], actor: Any) -> Policy:
    """Accept a proposal as corrected by the reviewer: the policy is created (or updated,
    by ref) and the proposal marked accepted."""
    proposal = _decided(proposal)
    policy, status = policy_upsert(data=data, actor=actor)
    proposal.status = ReviewStatus.ACCEPTED
    proposal.policy = policy
    proposal.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    proposal.reviewed_at = timezone.now()
    proposal.save(update_fields=["status", "policy", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=actor,
        action="policy.proposal_accept",
        target=proposal,
        detail={"policy": policy.ref, "status": status},
    )
    return policy


@transaction.atomic
def proposal_reject(*, proposal: PolicyProposal, actor: Any) -> PolicyProposal:
    proposal = _decided(proposal)
    proposal.status = ReviewStatus.REJECTED
    proposal.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    proposal.reviewed_at = timezone.now()
    proposal.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_record(actor=actor, action="policy.proposal_reject", target=proposal)
    return proposal


# --- Evaluation reports (they leave the system: audited) --------------------------------------


def evaluation_report_audit(*, lead: Any, actor: Any, parks: list[str], where: str) -> None:
    """Record that a 项目研判报告 of this lead was produced (no personal data is in it)."""
    audit_record(
        actor=actor,
        action="lead.evaluation_report",
        target=lead,
        detail={"parks": parks[:20], "where": where},
    )
