"""The weekly report counts live leads only: a lead merged into another (its tombstone) and a
lead erased on request are not counted, neither as new leads nor in the pipeline's moves."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from parklink.core.models import AuditEntry
from parklink.leads.choices import Channel, Stage
from parklink.leads.models import Lead
from parklink.leads.services import lead_erase, lead_merge, lead_stage_set
from parklink.office.reports.weekly import week_parse, weekly_report
from tests.factories.leads import LeadFactory

SH = ZoneInfo("Asia/Shanghai")
THIS = datetime(2025, 1, 15, 10, 0, tzinfo=SH)
NOW = datetime(2025, 1, 20, 9, 0, tzinfo=SH)

pytestmark = pytest.mark.django_db


def _this_week(lead: Lead) -> None:
    Lead.objects.filter(pk=lead.pk).update(created_at=THIS)
    AuditEntry.objects.filter(target_type="leads.Lead", target_id=str(lead.pk)).update(at=THIS)


def test_merged_and_erased_leads_are_not_counted(manager):
    kept = LeadFactory(channel=Channel.WEB, company="保留公司")
    duplicate = LeadFactory(channel=Channel.WEB, company="重复公司")
    erased = LeadFactory(channel=Channel.PHONE, company="删除公司")
    for lead in (kept, duplicate, erased):
        lead_stage_set(lead=lead, actor=manager, stage=Stage.WON)
    lead_merge(target=kept, source=duplicate, actor=manager)
    erased_id = str(erased.pk)
    lead_erase(lead=erased, actor=manager, reason="本人要求删除")
    for lead in (kept, duplicate):
        _this_week(lead)
    AuditEntry.objects.filter(target_type="leads.Lead", target_id=erased_id).update(at=THIS)

    report = weekly_report(week=week_parse("2025-W03"), now=NOW)
    m = report.metric
    assert m("leads", "合计", "新增线索").current == 1  # the survivor only
    assert m("leads", "按来源渠道", "网站表单").current == 1
    assert m("pipeline", "合计", "签约").current == 1  # the duplicate's and erased's moves go
