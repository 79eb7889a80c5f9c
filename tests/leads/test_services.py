"""Intake, merging, the pipeline, the pool, PIPL actions: effects and audit entries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from parklink.core.models import AuditEntry
from parklink.leads import services
from parklink.leads.choices import Channel, ConsentBasis, Stage
from parklink.leads.models import AssignmentRule, FollowUp, Inquiry, Lead, LeadTrace
from tests.factories.leads import LeadFactory
from tests.factories.parks import SpaceFactory

pytestmark = pytest.mark.django_db


def submit(data, channel=Channel.WEB, **kw):
    return services.lead_submit(
        data=data, channel=channel, actor=None, ip="10.0.0.1", user_agent="pytest", **kw
    )


def audits(lead, action=None):
    qs = AuditEntry.objects.filter(target_type="leads.Lead", target_id=str(lead.pk))
    return qs.filter(action=action) if action else qs


def test_submit_creates_lead_inquiry_and_audit(valid_data):
    lead = submit(valid_data)
    assert lead.mobile == "13800138000"
    assert lead.stage == Stage.NEW and lead.owner is None and lead.in_pool
    assert lead.consent_basis == ConsentBasis.FORM and lead.consent_at is not None
    inquiry = Inquiry.objects.get()
    assert inquiry.lead == lead and not inquiry.merged and inquiry.consent
    assert inquiry.data["need"] == valid_data["need"]  # verbatim
    assert inquiry.ip_hash and inquiry.ip_hash != "10.0.0.1"
    assert inquiry.user_agent == "pytest"
    assert audits(lead, "lead.create").count() == 1


def test_same_mobile_within_30_days_merges(valid_data):
    first = submit(valid_data)
    second = submit(
        {**valid_data, "company": "", "need": "另外还要500平米办公", "mobile": "13800138000"}
    )
    assert second.pk == first.pk
    assert Lead.objects.count() == 1
    assert Inquiry.objects.filter(lead=first).count() == 2
    assert Inquiry.objects.filter(merged=True).count() == 1
    assert audits(first, "lead.merge").count() == 1


def test_same_company_other_mobile_merges_and_fills_blanks(valid_data):
    first = submit({**valid_data, "use": "", "annual_tax_wan": None})
    second = submit(
        {
            **valid_data,
            "mobile": "13900139000",
            "use": "研发中试",
            "annual_tax_wan": 500,
            "company": " 北京华康生物科技有限公司 ",
        }
    )
    assert second.pk == first.pk
    second.refresh_from_db()
    assert second.use == "研发中试" and second.annual_tax_wan == 500
    assert second.mobile == "13800138000"  # never overwritten by a later submission


def test_old_or_closed_lead_is_not_merged_into(valid_data):
    first = submit(valid_data)
    Lead.objects.filter(pk=first.pk).update(last_inquiry_at=timezone.now() - timedelta(days=31))
    second = submit(valid_data)
    assert second.pk != first.pk
    Lead.objects.filter(pk=second.pk).update(stage=Stage.WON)
    third = submit(valid_data)
    assert third.pk not in (first.pk, second.pk)
    assert Inquiry.objects.count() == 3


def test_space_prefill(valid_data):
    space = SpaceFactory(ref="SP-PREFILL", kind="研发楼", deal="出售")
    data = {k: v for k, v in valid_data.items() if k not in ("kind", "deal")}
    lead = submit({**data, "space": "SP-PREFILL"})
    assert lead.spaces == ["SP-PREFILL"]
    assert space.park.name in lead.parks
    assert (lead.kind, lead.deal) == ("研发楼", "出售")


def test_import_same_row_twice_changes_nothing(valid_data):
    row = {**valid_data, "ref": "IMP-1"}
    row.pop("consent")
    lead = submit(row, channel=Channel.IMPORT)
    again = submit(row, channel=Channel.IMPORT)
    assert again.pk == lead.pk and lead.ref == "IMP-1"
    assert Inquiry.objects.count() == 1
    assert lead.consent_basis == ConsentBasis.CONTRACT


def test_round_robin_assignment_and_email(
    valid_data, settings, agent, agent2, django_capture_on_commit_callbacks
):
    settings.PARKLINK_LEAD_ASSIGNMENT = "round_robin"
    owners = []
    for i in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            lead = submit(
                {**valid_data, "company": f"公司{i}号有限公司", "mobile": f"1390013900{i}"}
            )
        owners.append(lead.owner)
    assert owners == [agent, agent2, agent, agent2]
    assert len(mail.outbox) == 4
    assert mail.outbox[0].to == [agent.email]
    assert "13900139000" not in mail.outbox[0].body  # no personal data in mail


def test_industry_assignment(valid_data, settings, agent, agent2):
    settings.PARKLINK_LEAD_ASSIGNMENT = "industry"
    AssignmentRule.objects.create(industry="医药", agent=agent2)
    assert submit(valid_data).owner == agent2
    other = submit(
        {
            **valid_data,
            "industry": "集成电路",
            "company": "芯片公司有限公司",
            "mobile": "13700137000",
        }
    )
    assert other.owner is None


def test_claim_release_assign(agent, agent2, manager):
    lead = LeadFactory()
    services.lead_claim(lead=lead, actor=agent)
    lead.refresh_from_db()
    assert lead.owner == agent
    with pytest.raises(ValidationError):
        services.lead_claim(lead=lead, actor=agent2)
    with pytest.raises(PermissionDenied):
        services.lead_release(lead=lead, actor=agent2)
    with pytest.raises(PermissionDenied):
        services.lead_assign(lead=lead, actor=agent, owner=agent2)
    services.lead_assign(lead=lead, actor=manager, owner=agent2)
    lead.refresh_from_db()
    assert lead.owner == agent2
    services.lead_release(lead=lead, actor=agent2)
    lead.refresh_from_db()
    assert lead.in_pool
    actions = list(audits(lead).order_by("id").values_list("action", "actor"))
    assert actions == [
        ("lead.assign", agent.pk),
        ("lead.assign", manager.pk),
        ("lead.release", agent2.pk),
    ]


def test_pool_recycle_returns_stale_leads_only(agent):
    now = timezone.now()
    stale = LeadFactory(owner=agent, assigned_at=now - timedelta(days=20))
    fresh = LeadFactory(
        owner=agent, assigned_at=now - timedelta(days=20), last_follow_up_at=now - timedelta(days=2)
    )
    won = LeadFactory(owner=agent, assigned_at=now - timedelta(days=40), stage=Stage.WON)
    assert services.lead_pool_recycle(now=now, days=15) == 1
    assert services.lead_pool_recycle(now=now, days=15) == 0
    stale.refresh_from_db(), fresh.refresh_from_db(), won.refresh_from_db()
    assert stale.owner is None and fresh.owner == agent and won.owner == agent
    entry = audits(stale, "lead.release").get()
    assert entry.actor is None and "15" in entry.detail["reason"]


def test_follow_up_moves_new_to_contacted(agent):
    lead = LeadFactory(owner=agent)
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.follow_up_add(
        lead=lead, actor=agent, kind="电话", note="已电话沟通", next_follow_up=tomorrow
    )
    lead.refresh_from_db()
    assert lead.stage == Stage.CONTACTED and lead.next_follow_up == tomorrow
    assert lead.last_follow_up_at is not None
    assert audits(lead, "lead.follow_up").count() == 1
    assert audits(lead, "lead.update").get().detail["stage"] == {"from": "新线索", "to": "已联系"}


@pytest.mark.parametrize(
    ("kind", "note", "days", "field"),
    [("飞鸽", "x", 1, "kind"), ("电话", "  ", 1, "note"), ("电话", "x", -1, "next_follow_up")],
)
def test_follow_up_refused(agent, kind, note, days, field):
    lead = LeadFactory(owner=agent)
    with pytest.raises(ValidationError) as info:
        services.follow_up_add(
            lead=lead,
            actor=agent,
            kind=kind,
            note=note,
            next_follow_up=timezone.localdate() + timedelta(days=days),
        )
    assert field in info.value.message_dict
    assert not FollowUp.objects.exists()


def test_stage_lost_needs_reason(agent):
    lead = LeadFactory(owner=agent)
    with pytest.raises(ValidationError):
        services.lead_stage_set(lead=lead, actor=agent, stage=Stage.LOST)
    services.lead_stage_set(
        lead=lead, actor=agent, stage=Stage.LOST, lost_reason="价格", note="嫌贵"
    )
    lead.refresh_from_db()
    assert lead.stage == Stage.LOST and lead.lost_reason == "价格"
    assert audits(lead, "lead.stage").get().detail["stage"]["to"] == "已流失"


def test_update_grades_and_audits_without_pii(agent):
    lead = LeadFactory(owner=agent)
    services.lead_update(
        lead=lead,
        actor=agent,
        data={
            "score_intent": 5,
            "score_funds": 4,
            "score_fit": 4,
            "mobile": "13800138000",
            "project_type": "CDMO",
            "qualifications": ["高新技术企业", "专精特新"],
        },
    )
    lead.refresh_from_db()
    assert lead.grade == "A" and lead.project_type == "CDMO"
    detail = audits(lead, "lead.update").get().detail
    assert detail["mobile"] == {"changed": True}
    assert "13800138000" not in str(detail)
    assert detail["grade"]["to"] == "A"


def test_update_by_other_agent_refused(agent, agent2):
    lead = LeadFactory(owner=agent)
    with pytest.raises(PermissionDenied):
        services.lead_update(lead=lead, actor=agent2, data={"use": "x"})
    assert not audits(lead).exists()


def test_reveal_is_audited(agent):
    lead = LeadFactory()
    assert services.lead_reveal(lead=lead, actor=agent, ip="1.1.1.1") == lead.mobile
    entry = audits(lead, "lead.reveal").get()
    assert entry.actor == agent and entry.ip_hash


def test_erase_leaves_anonymised_trace(manager, agent, valid_data):
    lead = submit(valid_data)
    services.follow_up_add(lead=lead, actor=manager, kind="电话", note="联系过")
    with pytest.raises(PermissionDenied):
        services.lead_erase(lead=lead, actor=agent, reason="本人要求")
    trace = services.lead_erase(lead=lead, actor=manager, reason="本人要求删除")
    assert not Lead.objects.exists() and not Inquiry.objects.exists()
    assert not FollowUp.objects.exists()
    assert (trace.inquiries, trace.follow_ups, trace.industry) == (1, 1, "生物医药")
    assert LeadTrace.objects.count() == 1
    entry = AuditEntry.objects.get(action="lead.erase")
    for value in ("13800138000", "王先生"):
        assert value not in str(entry.detail)


def test_public_submission_cannot_choose_ref(valid_data):
    target = LeadFactory(ref="VICTIM-1", mobile="13900000001")
    lead = submit({**valid_data, "ref": "VICTIM-1"})
    assert lead.pk != target.pk and lead.ref != "VICTIM-1"
    assert not Inquiry.objects.filter(lead=target).exists()


def test_free_text_need_fills_blank_structured_fields():
    pytest.importorskip("parklink.matching.parse")
    lead = submit(
        {
            "contact": "王先生",
            "mobile": "13800138000",
            "need": "想在昌平租1500平米左右的GMP厂房,层高8米,做生物制剂,年纳税300万",
            "consent": True,
        }
    )
    assert lead.need.startswith("想在昌平")  # stored as written
    assert lead.kind == "厂房" and lead.districts == ["昌平区"]
    assert lead.area_min_m2 is not None and lead.area_min_m2 <= 1500 <= lead.area_max_m2
    assert lead.requires.get("gmp") is True


def test_structured_fields_win_over_free_text(valid_data):
    lead = submit({**valid_data, "need": "想要5000平米写字楼", "kind": "厂房"})
    assert lead.kind == "厂房" and (lead.area_min_m2, lead.area_max_m2) == (1000, 2000)
