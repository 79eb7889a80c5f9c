"""A lead's timeline: its inquiries, follow-ups and audit entries, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parklink.core.models import AuditEntry
from parklink.leads.models import Lead
from parklink.leads.selectors import _name


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str  # inquiry | follow_up | audit
    title: str
    text: str
    actor: str
    data: dict[str, Any]


def lead_timeline(*, lead: Lead) -> list[TimelineEvent]:
    """Inquiries, follow-ups and audit entries of a lead, newest first."""
    events: list[TimelineEvent] = []
    for inq in lead.inquiries.all():
        events.append(
            TimelineEvent(
                at=inq.received_at,
                kind="inquiry",
                title=(_("咨询(%(channel)s) · 已合并") if inq.merged else _("咨询(%(channel)s)"))
                % {"channel": inq.get_channel_display()},
                text=str(inq.data.get("need") or ""),
                actor="",
                data={k: v for k, v in inq.data.items() if k not in ("mobile", "contact")},
            )
        )
    for fu in lead.follow_ups.select_related("author"):
        events.append(
            TimelineEvent(
                at=fu.at,
                kind="follow_up",
                title=_("跟进(%(kind)s)") % {"kind": fu.get_kind_display()},
                text=fu.note,
                actor=_name(fu.author),
                data={"next_follow_up": fu.next_follow_up},
            )
        )
    audits = AuditEntry.objects.filter(target_type="leads.Lead", target_id=str(lead.pk))
    for entry in audits.select_related("actor"):
        events.append(
            TimelineEvent(
                at=entry.at,
                kind="audit",
                title=str(AUDIT_LABELS.get(entry.action, entry.action)),
                text="",
                actor=_name(entry.actor),
                data=entry.detail,
            )
        )
    events.sort(key=lambda e: e.at, reverse=True)
    return events


AUDIT_LABELS = {
    "lead.create": gettext_lazy("创建线索"),
    "lead.merge": gettext_lazy("合并新咨询"),
    "lead.assign": gettext_lazy("分配负责人"),
    "lead.release": gettext_lazy("退回公海"),
    "lead.update": gettext_lazy("修改"),
    "lead.stage": gettext_lazy("阶段变更"),
    "lead.follow_up": gettext_lazy("添加跟进"),
    "lead.tags": gettext_lazy("修改标签"),
    "lead.reveal": gettext_lazy("查看完整手机号"),
}
