"""A lead's timeline and its inquiries, in the words of the people who read them.

The audit log stores what changed as data (`{"stage": {"from": "新线索", "to": "已联系"}}`);
this module turns it into sentences ("张专员 将阶段从 新线索 改为 已联系"), with every field
named by its label and every value humanised (areas, money, dates, choices) in the active UI
language. Nothing here renders a field name or a dict: an entry it cannot read says so in
words. `lead_inquiries` shows each submission behind a lead (when, channel, what it asked,
what differs from the lead now).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from parklink.core.models import AuditEntry
from parklink.leads.choices import Channel, FollowUpKind
from parklink.leads.humanize import (
    EMPTY,
    FIELD_LABELS,
    REQUIRES_LABELS,
    area_range,
    budget_text,
    date_text,
    field_label,
    in_sentence,
    list_sep,
    to_decimal,
    value_text,
)
from parklink.leads.models import Inquiry, Lead
from parklink.leads.selectors import _name
from parklink.leads.validation import LeadDataError, clean_submission
from parklink.parks.models import Park


@dataclass(frozen=True)
class Change:
    """One field of a lead changed: its label and both values, ready to read."""

    label: str
    old: str
    new: str
    hidden: bool = False  # personal data: that it changed is shown, never the value


@dataclass(frozen=True)
class Detail:
    label: str
    value: str


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str  # inquiry | follow_up | audit
    title: str  # what happened, in two or three words ("阶段变更")
    sentence: str  # who did what ("张专员 将阶段从 新线索 改为 已联系")
    text: str = ""  # free text written by a person: the need, the follow-up note
    actor: str = ""
    changes: tuple[Change, ...] = ()  # listed under the sentence when there are many
    details: tuple[Detail, ...] = ()


@dataclass(frozen=True)
class InquiryView:
    """One submission behind a lead, as the lead page shows it."""

    at: datetime
    channel: str
    merged: bool
    need: str
    asked: tuple[Detail, ...]
    differs: tuple[Change, ...]  # old = the inquiry's value, new = the lead's value now
    contact_differs: bool  # another contact person or mobile (values not shown here)


AUDIT_LABELS: dict[str, Any] = {
    "lead.create": gettext_lazy("创建线索"),
    "lead.merge": gettext_lazy("合并新咨询"),
    "lead.assign": gettext_lazy("分配负责人"),
    "lead.release": gettext_lazy("退回公海"),
    "lead.update": gettext_lazy("修改"),
    "lead.stage": gettext_lazy("阶段变更"),
    "lead.follow_up": gettext_lazy("添加跟进"),
    "lead.tags": gettext_lazy("修改标签"),
    "lead.reveal": gettext_lazy("查看完整手机号"),
    "lead.admin_create": gettext_lazy("在管理后台创建"),
    "lead.admin_update": gettext_lazy("在管理后台修改"),
    "lead.evaluation_report": gettext_lazy("下载项目研判报告"),
    "lead.merge_manual": gettext_lazy("合并重复线索"),
    "lead.merged_into": gettext_lazy("合并入其他线索"),
    "lead.split": gettext_lazy("拆分线索"),
    "lead.split_from": gettext_lazy("由拆分创建"),
    "match.recommend": gettext_lazy("推荐房源"),
    "match.not_interested": gettext_lazy("房源不感兴趣"),
}
ASSIGN_RULES: dict[str, Any] = {
    "round_robin": gettext_lazy("轮流分配"),
    "industry": gettext_lazy("行业分配规则"),
}

PII_FIELDS = frozenset({"contact", "mobile"})
# Submission keys that are transport or consent, not part of what was asked.
NOT_ASKED = frozenset(
    {"contact", "mobile", "consent", "consent_basis", "ref", "channel", "csrfmiddlewaretoken"}
    | {"website", "need", "area_min_m2", "area_max_m2", "budget_unit"}
)


# --- sentences --------------------------------------------------------------------------------


def _change(name: str, old: Any, new: Any, users: Mapping[int, str] | None = None) -> Change:
    return Change(
        label=field_label(name),
        old=value_text(name, old, users=users),
        new=value_text(name, new, users=users),
    )


def _clause(change: Change) -> str:
    field = in_sentence(change.label)
    if change.hidden:
        return _("修改了%(field)s(内容不显示)") % {"field": field}
    if change.old == EMPTY:
        return _("将%(field)s设为 %(new)s") % {"field": field, "new": change.new}
    if change.new == EMPTY:
        return _("清空了%(field)s") % {"field": field}
    return _("将%(field)s从 %(old)s 改为 %(new)s") % {
        "field": field,
        "old": change.old,
        "new": change.new,
    }


def changes_sentence(actor: str, changes: list[Change]) -> tuple[str, tuple[Change, ...]]:
    """ "张专员 将阶段从 新线索 改为 已联系" for up to three changes; beyond that a summary
    ("张专员 修改了 意向度、资金实力…") and the changes listed."""
    if not changes:
        return _("%(actor)s 保存了线索,没有修改") % {"actor": actor}, ()
    if len(changes) <= 3:
        clauses = pgettext("clause separator", ",").join(_clause(c) for c in changes)
        return f"{actor} {clauses}", ()
    fields = list_sep().join(in_sentence(c.label) for c in changes)
    return _("%(actor)s 修改了 %(fields)s") % {"actor": actor, "fields": fields}, tuple(changes)


def _detail_changes(detail: Mapping[str, Any], users: Mapping[int, str]) -> list[Change]:
    """The {"field": {"from", "to"}} entries of an audit detail (anything else is ignored)."""
    changes = []
    for name, value in detail.items():
        if not isinstance(value, Mapping):
            continue
        if value.get("changed") is True and name in PII_FIELDS:
            changes.append(Change(label=field_label(name), old="", new="", hidden=True))
        elif "from" in value or "to" in value:
            changes.append(_change(name, value.get("from"), value.get("to"), users))
    return changes


def _channel_label(value: Any) -> str:
    try:
        return str(Channel(value).label)
    except ValueError:
        return str(value or EMPTY)


def _audit_sentence(
    entry: AuditEntry, actor: str, users: Mapping[int, str]
) -> tuple[str, tuple[Change, ...]]:
    detail = entry.detail if isinstance(entry.detail, Mapping) else {}
    action = entry.action
    if action == "lead.create":
        channel = _channel_label(detail.get("channel"))
        ref = str(detail.get("ref") or "")
        if entry.actor_id is None:
            return _("客户通过%(channel)s提交需求,创建了线索 %(ref)s") % {
                "channel": channel,
                "ref": ref,
            }, ()
        return _("%(actor)s 通过%(channel)s创建了线索 %(ref)s") % {
            "actor": actor,
            "channel": channel,
            "ref": ref,
        }, ()
    if action == "lead.merge":
        return _("一条新咨询(%(channel)s)合并入本线索") % {
            "channel": _channel_label(detail.get("channel"))
        }, ()
    if action in ("lead.assign", "lead.release"):
        return _owner_sentence(action, detail, actor, users), ()
    if action == "lead.follow_up":
        return _("%(actor)s 记录了跟进(%(kind)s)") % {
            "actor": actor,
            "kind": _follow_up_kind(detail.get("kind")),
        }, ()
    if action == "lead.tags":
        return _tags_sentence(detail, actor), ()
    if action == "lead.reveal":
        return _("%(actor)s 查看了完整手机号") % {"actor": actor}, ()
    if action in ("lead.merge_manual", "lead.merged_into", "lead.split", "lead.split_from"):
        return _merge_sentence(action, detail, actor), ()
    if action in ("match.recommend", "match.not_interested"):
        template = (
            _("%(actor)s 向客户推荐了房源 %(ref)s")
            if action == "match.recommend"
            else _("%(actor)s 将房源 %(ref)s 标记为不感兴趣")
        )
        return template % {"actor": actor, "ref": detail.get("ref") or EMPTY}, ()
    if isinstance(detail.get("fields"), list):  # admin edits: which fields, not values
        fields = list_sep().join(in_sentence(field_label(f)) for f in detail["fields"])
        return _("%(actor)s %(action)s:%(fields)s") % {
            "actor": actor,
            "action": _audit_title(action),
            "fields": fields or EMPTY,
        }, ()
    changes = _detail_changes(detail, users)
    if changes:
        return changes_sentence(actor, changes)
    return _("%(actor)s %(action)s") % {"actor": actor, "action": _audit_title(action)}, ()


def _merge_sentence(action: str, detail: Mapping[str, Any], actor: str) -> str:
    """Manual merges and splits (leads.services.lead_merge / lead_split), told from the side
    of the lead whose timeline this is."""
    count = detail.get("inquiries")
    n = len(count) if isinstance(count, list) else count if isinstance(count, int) else 0
    values = {"actor": actor, "n": n}
    if action == "lead.merge_manual":
        values["ref"] = detail.get("from_ref") or EMPTY
        return _("%(actor)s 将重复线索 %(ref)s 合并入本线索(%(n)s 条咨询)") % values
    if action == "lead.merged_into":
        values["ref"] = detail.get("into_ref") or EMPTY
        return _("%(actor)s 将本线索合并入 %(ref)s(%(n)s 条咨询)") % values
    if action == "lead.split":
        values["ref"] = detail.get("to_ref") or EMPTY
        return _("%(actor)s 将 %(n)s 条咨询拆分为新线索 %(ref)s") % values
    values["ref"] = detail.get("from_ref") or EMPTY
    return _("%(actor)s 从线索 %(ref)s 拆分出本线索(%(n)s 条咨询)") % values


def _audit_title(action: str) -> str:
    label = AUDIT_LABELS.get(action)
    return str(label) if label is not None else _("其他操作")


def _follow_up_kind(value: Any) -> str:
    try:
        return str(FollowUpKind(value).label)
    except ValueError:
        return str(value or EMPTY)


def _owner_sentence(action: str, detail: Mapping[str, Any], actor: str, users) -> str:
    old = users.get(detail["from"]) if isinstance(detail.get("from"), int) else None
    new = users.get(detail["to"]) if isinstance(detail.get("to"), int) else None
    reason = str(detail.get("reason") or "")
    if action == "lead.release" or new is None:
        days = re.search(r"(\d+)\s*days", reason)
        if days:
            return _("%(days)s 天未跟进,系统将线索退回公海") % {"days": days.group(1)}
        return _("%(actor)s 将线索退回公海") % {"actor": actor}
    if reason == "claim":
        return _("%(actor)s 从公海领取了线索") % {"actor": actor}
    if reason in ASSIGN_RULES:
        return _("系统按%(rule)s将线索分配给 %(new)s") % {
            "rule": ASSIGN_RULES[reason],
            "new": new,
        }
    if old:
        return _("%(actor)s 将负责人从 %(old)s 改为 %(new)s") % {
            "actor": actor,
            "old": old,
            "new": new,
        }
    return _("%(actor)s 将线索分配给 %(new)s") % {"actor": actor, "new": new}


def _tags_sentence(detail: Mapping[str, Any], actor: str) -> str:
    before = [str(t) for t in detail.get("from") or []]
    after = [str(t) for t in detail.get("to") or []]
    added = [t for t in after if t not in before]
    removed = [t for t in before if t not in after]
    parts = []
    if added:
        parts.append(_("添加了标签 %(tags)s") % {"tags": list_sep().join(added)})
    if removed:
        parts.append(_("移除了标签 %(tags)s") % {"tags": list_sep().join(removed)})
    if not parts:
        return _("%(actor)s 保存了标签,没有修改") % {"actor": actor}
    return f"{actor} " + pgettext("clause separator", ",").join(parts)


# --- the timeline -----------------------------------------------------------------------------


def _user_names(ids: Iterable[int]) -> dict[int, str]:
    wanted = {i for i in ids if isinstance(i, int)}
    if not wanted:
        return {}
    return {u.pk: _name(u) for u in get_user_model().objects.filter(pk__in=wanted)}


def lead_timeline(*, lead: Lead) -> list[TimelineEvent]:
    """Inquiries, follow-ups and audit entries of a lead, newest first, in sentences."""
    events: list[TimelineEvent] = []
    inquiries = list(lead.inquiries.all())
    parks = _park_names(inquiries)
    for inq in inquiries:
        asked = _asked(inq.data, _clean(inq.data), parks)
        events.append(
            TimelineEvent(
                at=inq.received_at,
                kind="inquiry",
                title=(_("咨询(%(channel)s) · 已合并") if inq.merged else _("咨询(%(channel)s)"))
                % {"channel": inq.get_channel_display()},
                sentence=(
                    _("客户再次提交需求,已合并入本线索") if inq.merged else _("客户提交了需求")
                ),
                text=str(inq.data.get("need") or "") if isinstance(inq.data, Mapping) else "",
                details=asked,
            )
        )
    follow_ups = list(lead.follow_ups.select_related("author"))
    for fu in follow_ups:
        actor = _name(fu.author)
        details = ()
        if fu.next_follow_up:
            details = (Detail(field_label("next_follow_up"), date_text(fu.next_follow_up)),)
        events.append(
            TimelineEvent(
                at=fu.at,
                kind="follow_up",
                title=_("跟进(%(kind)s)") % {"kind": fu.get_kind_display()},
                sentence=_("%(actor)s 记录了跟进(%(kind)s)")
                % {"actor": actor, "kind": fu.get_kind_display()},
                text=fu.note,
                actor=actor,
                details=details,
            )
        )
    shown_follow_ups = {fu.pk for fu in follow_ups}
    audits = list(
        AuditEntry.objects.filter(target_type="leads.Lead", target_id=str(lead.pk)).select_related(
            "actor"
        )
    )
    users = _user_names(
        value
        for entry in audits
        if entry.action in ("lead.assign", "lead.release") and isinstance(entry.detail, Mapping)
        for value in (entry.detail.get("from"), entry.detail.get("to"))
    )
    for entry in audits:
        detail = entry.detail if isinstance(entry.detail, Mapping) else {}
        if entry.action == "lead.follow_up" and detail.get("follow_up") in shown_follow_ups:
            continue  # the follow-up itself is on the timeline, with its note
        actor = _name(entry.actor)
        sentence, changes = _audit_sentence(entry, actor, users)
        events.append(
            TimelineEvent(
                at=entry.at,
                kind="audit",
                title=_audit_title(entry.action),
                sentence=sentence,
                actor=actor,
                changes=changes,
            )
        )
    events.sort(key=lambda e: e.at, reverse=True)
    return events


# --- the inquiries behind a lead ----------------------------------------------------------------


def _clean(data: Any) -> dict[str, Any]:
    """A submission's values normalised as the lead's are (areas, lists, choices), or {}
    when it no longer validates (then the raw values are shown as they were sent)."""
    if not isinstance(data, Mapping):
        return {}
    try:
        return clean_submission(data, require_consent=False, require_need=False)
    except LeadDataError:
        return {}


def _asked(raw: Any, clean: Mapping[str, Any], parks: Mapping[int, str]) -> tuple[Detail, ...]:
    """What a submission asked for, field by field (no personal data, no free-text need)."""
    if not isinstance(raw, Mapping):
        return ()
    details: list[Detail] = []
    for key, value in raw.items():
        if key in NOT_ASKED or value in (None, "", [], {}):
            continue
        if key == "area_m2":
            shown = area_range(clean.get("area_min_m2"), clean.get("area_max_m2"))
            details.append(Detail(field_label("area_m2"), shown if clean else str(value)))
        elif key == "budget":
            details.append(
                Detail(
                    field_label("budget"),
                    budget_text(clean.get("budget", value), raw.get("budget_unit")),
                )
            )
        elif key == "park":
            name = parks.get(_int(value)) if parks else None
            details.append(Detail(field_label("park"), name or str(value)))
        elif key in FIELD_LABELS or key in REQUIRES_LABELS:
            shown_value = clean.get(key, value) if clean else value
            details.append(Detail(field_label(key), value_text(key, shown_value)))
        # Unknown keys stay in the stored inquiry (admin) and are not shown here.
    if "area_m2" not in raw and (raw.get("area_min_m2") or raw.get("area_max_m2")):
        low = clean.get("area_min_m2", raw.get("area_min_m2"))
        high = clean.get("area_max_m2", raw.get("area_max_m2"))
        details.insert(0, Detail(field_label("area_m2"), area_range(low, high)))
    return tuple(details)


def _int(value: Any) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


# The lead fields an inquiry is compared on, in reading order.
COMPARED = (
    "need",
    "kind",
    "deal",
    "use",
    "industry",
    "districts",
    "parks",
    "annual_tax_wan",
    "company",
    "uscc",
    "requires",
)


def _differs(raw: Mapping[str, Any], clean: Mapping[str, Any], lead: Lead) -> tuple[Change, ...]:
    if not clean:
        return ()
    out: list[Change] = []
    for name in COMPARED:
        if name not in raw or clean.get(name) in (None, "", [], {}):
            continue
        mine, theirs = clean[name], getattr(lead, name)
        if name in ("annual_tax_wan",):
            mine, theirs = to_decimal(mine), to_decimal(theirs)
        if mine != theirs:
            out.append(Change(field_label(name), value_text(name, mine), value_text(name, theirs)))
    if clean.get("area_min_m2") is not None and (
        to_decimal(clean.get("area_min_m2")) != to_decimal(lead.area_min_m2)
        or to_decimal(clean.get("area_max_m2")) != to_decimal(lead.area_max_m2)
    ):
        out.insert(
            1 if out and out[0].label == field_label("need") else 0,
            Change(
                field_label("area_m2"),
                area_range(clean.get("area_min_m2"), clean.get("area_max_m2")),
                area_range(lead.area_min_m2, lead.area_max_m2),
            ),
        )
    if clean.get("budget") is not None and (
        to_decimal(clean.get("budget")) != to_decimal(lead.budget)
        or (clean.get("budget_unit") or "") != lead.budget_unit
    ):
        out.append(
            Change(
                field_label("budget"),
                budget_text(clean.get("budget"), clean.get("budget_unit")),
                budget_text(lead.budget, lead.budget_unit),
            )
        )
    return tuple(out)


def _park_names(inquiries: Iterable[Inquiry]) -> dict[int, str]:
    """The parks a visitor came from (`park` = an id in the submission), in one query."""
    ids = {
        _int(inq.data.get("park"))
        for inq in inquiries
        if isinstance(inq.data, Mapping) and inq.data.get("park")
    } - {None}
    if not ids:
        return {}
    return dict(Park.objects.filter(pk__in=ids).values_list("pk", "name"))


def lead_inquiries(*, lead: Lead) -> list[InquiryView]:
    """Every submission behind `lead`, newest first: when, through which channel, what it
    asked and what differs from the lead as it stands (merged inquiries with a new need)."""
    inquiries: list[Inquiry] = list(lead.inquiries.all())
    parks = _park_names(inquiries)
    views = []
    for inq in inquiries:
        raw = inq.data if isinstance(inq.data, Mapping) else {}
        clean = _clean(raw)
        contact_differs = bool(clean) and (
            clean.get("mobile") != lead.mobile or (clean.get("contact") or "") != lead.contact
        )
        views.append(
            InquiryView(
                at=inq.received_at,
                channel=inq.get_channel_display(),
                merged=inq.merged,
                need=str(raw.get("need") or ""),
                asked=_asked(raw, clean, parks),
                differs=_differs(raw, clean, lead),
                contact_differs=contact_differs,
            )
        )
    return views
