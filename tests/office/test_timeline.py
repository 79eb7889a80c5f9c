"""The lead timeline in sentences: every audit action and every field by its label, values
humanised, never a field name or a dict; and the inquiries behind a lead with what differs."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from parklink.core.services import audit_record
from parklink.leads import services
from parklink.leads.choices import Channel
from parklink.leads.models import Lead
from parklink.leads.timeline import lead_inquiries, lead_timeline
from tests.factories.leads import LeadFactory

pytestmark = pytest.mark.django_db

FIELD_NAMES = {f.name for f in Lead._meta.get_fields()} | {"area_m2", "follow_up", "from", "to"}
RAW = re.compile(r"[{}\[\]]|'from'|\bNone\b|\bTrue\b|\bFalse\b|[a-z]+_[a-z0-9_]+")


def _texts(events) -> list[str]:
    out = []
    for e in events:
        out += [e.title, e.sentence]
        out += [f"{c.label} {c.old} {c.new}" for c in e.changes]
        out += [f"{d.label} {d.value}" for d in e.details]
    return out


def assert_readable(texts: list[str]) -> None:
    """No dict, list, Python literal or snake_case name; in Chinese no field name at all
    (in English some labels are also field names: "budget", "industry")."""
    english = translation.get_language() == "en"
    for text in texts:
        assert not RAW.search(text), text
        if not english:
            assert not set(re.findall(r"[A-Za-z_]+", text)) & FIELD_NAMES, text


def _submit(**data):
    base = {"contact": "王先生", "mobile": "13912345678", "consent": True}
    return services.lead_submit(data={**base, **data}, channel=Channel.WEB)


def test_stage_change_reads_as_a_sentence(manager):
    lead = LeadFactory(owner=manager)
    services.lead_stage_set(lead=lead, actor=manager, stage="已联系")
    with translation.override("zh-hans"):
        sentences = [e.sentence for e in lead_timeline(lead=lead)]
    assert "manager1 将阶段从 新线索 改为 已联系" in sentences
    with translation.override("en"):
        sentences = [e.sentence for e in lead_timeline(lead=lead)]
    assert "manager1 changed stage from New to Contacted" in sentences


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_every_editable_field_changed_reads_without_field_names(manager, lang):
    lead = LeadFactory(owner=manager, need="需要1000平米厂房")
    services.lead_update(
        lead=lead,
        actor=manager,
        data={
            "company": "北京新名字生物科技有限公司",
            "contact": "李女士",
            "mobile": "13800001111",
            "need": "需要2000平米GMP厂房",
            "use": "生物制剂生产",
            "annual_tax_wan": "300",
            "kind": "厂房",
            "deal": "出租",
            "area_min_m2": "1500",
            "area_max_m2": "2500",
            "budget": "2.5",
            "budget_unit": "元/平方米/天",
            "industry": "生物医药",
            "uscc": "",
            "registered_capital_wan": "5000",
            "founded_year": "2015",
            "staff": "80",
            "project_type": "生产",
            "total_investment_wan": "20000",
            "last_year_tax_wan": "120",
            "last_year_sales_wan": "8000",
            "expected_sales_wan": "12000",
            "districts": "昌平、大兴",
            "parks": ["中关村生命科学园"],
            "qualifications": ["高新技术企业"],
            "requires": {"gmp": True, "ceiling_height_m": 8},
            "score_intent": "4",
            "score_funds": "3",
            "score_fit": "5",
            "next_follow_up": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )
    with translation.override(lang):
        events = lead_timeline(lead=lead)
        assert_readable(_texts(events))
    edit = next(e for e in events if e.kind == "audit" and e.changes)
    assert len(edit.changes) >= 25
    labels = {c.label: c for c in edit.changes}
    mobile = labels["手机号" if lang == "zh-hans" else "Mobile"]
    assert mobile.hidden and "13800001111" not in edit.sentence
    area = labels["最小面积" if lang == "zh-hans" else "Minimum area"]
    assert area.new == ("1,500 ㎡" if lang == "zh-hans" else "1,500 m²")


def test_assignment_claim_release_and_recycle(manager, agent, agent2):
    lead = LeadFactory()
    lead = services.lead_claim(lead=lead, actor=agent)
    lead = services.lead_assign(lead=lead, actor=manager, owner=agent2)
    lead = services.lead_release(lead=lead, actor=agent2)
    lead = services.lead_assign(lead=lead, actor=manager, owner=agent)
    Lead.objects.filter(pk=lead.pk).update(assigned_at=timezone.now() - timedelta(days=40))
    assert services.lead_pool_recycle(days=15) == 1
    with translation.override("zh-hans"):
        sentences = [e.sentence for e in lead_timeline(lead=lead)]
    assert "agent1 从公海领取了线索" in sentences
    assert "manager1 将负责人从 agent1 改为 agent2" in sentences
    assert "agent2 将线索退回公海" in sentences
    assert "manager1 将线索分配给 agent1" in sentences
    assert any(s.startswith("15 天未跟进") for s in sentences)
    with translation.override("en"):
        assert "agent1 claimed the lead from the pool" in [
            e.sentence for e in lead_timeline(lead=lead)
        ]


def test_follow_up_is_shown_once_with_its_note_and_date(agent):
    lead = LeadFactory(owner=agent)
    day = timezone.localdate() + timedelta(days=2)
    services.follow_up_add(
        lead=lead, actor=agent, kind="微信", note="发了园区资料", next_follow_up=day
    )
    with translation.override("zh-hans"):
        events = lead_timeline(lead=lead)
        assert_readable(_texts(events))
    follow_ups = [e for e in events if "跟进(" in e.sentence]
    assert len(follow_ups) == 1  # the audit entry of the follow-up is folded into it
    assert follow_ups[0].text == "发了园区资料"
    assert follow_ups[0].details[0].value == f"{day.year}年{day.month}月{day.day}日"
    stage = next(e for e in events if "阶段" in e.sentence)
    assert stage.sentence.startswith("agent1 将阶段从 新线索 改为 已联系")
    assert "将下次跟进设为" in stage.sentence


def test_tags_reveal_create_and_merge(agent):
    lead = _submit(need="昌平 1000 平米厂房", company="北京合并测试生物科技有限公司")
    lead.owner = agent
    lead.save()
    services.lead_tags_set(lead=lead, actor=agent, names=["重点客户", "展会"])
    services.lead_tags_set(lead=lead, actor=agent, names=["重点客户"])
    services.lead_reveal(lead=lead, actor=agent)
    _submit(need="另需 300 平米办公室", company="北京合并测试生物科技有限公司")
    with translation.override("zh-hans"):
        events = lead_timeline(lead=lead)
        assert_readable(_texts(events))
    sentences = [e.sentence for e in events]
    assert any(s.startswith("agent1 添加了标签") and "展会" in s for s in sentences)
    assert "agent1 移除了标签 展会" in sentences
    assert "agent1 查看了完整手机号" in sentences
    assert any(s.startswith("客户通过网站表单提交需求,创建了线索 ") for s in sentences)
    assert "一条新咨询(网站表单)合并入本线索" in sentences


@pytest.mark.parametrize(
    "detail",
    [
        {"weird": {"nested": {"deep": [1, 2]}}},
        {"space": 3, "ref": "S-1", "score": 88.5},
        {"fields": ["need", "area_min_m2"]},
        {"stage": {"from": "新线索", "to": "不存在的阶段"}},
        {},
    ],
)
def test_unknown_or_odd_entries_still_read_in_words(manager, detail):
    lead = LeadFactory()
    audit_record(actor=manager, action="lead.something_new", target=lead, detail=detail)
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            events = lead_timeline(lead=lead)
            assert_readable(_texts(events))
    assert events[0].title == "Other action"


def test_merged_inquiry_shows_its_own_need_and_what_differs():
    lead = _submit(need="昌平 1000-2000 平米 GMP 厂房", kind="厂房", area_m2="1000-2000")
    _submit(need="另需大兴 300 平米研发楼", kind="研发楼", area_m2="300", districts="大兴")
    lead.refresh_from_db()
    with translation.override("zh-hans"):
        first, second = sorted(lead_inquiries(lead=lead), key=lambda i: i.at)
    assert not first.merged and second.merged
    assert second.need == "另需大兴 300 平米研发楼"
    asked = {d.label: d.value for d in second.asked}
    assert asked["载体类型"] == "研发楼" and asked["面积"] == "300 ㎡"
    assert asked["意向区域"] == "大兴区"
    differs = {c.label: c for c in second.differs}
    assert differs["需求"].old == "另需大兴 300 平米研发楼"
    assert differs["需求"].new == "昌平 1000-2000 平米 GMP 厂房"
    assert differs["面积"].old == "300 ㎡" and differs["面积"].new == "1,000–2,000 ㎡"
    assert differs["载体类型"].new == "厂房"
    assert not second.contact_differs
    assert first.differs == ()  # the first submission is the lead as created


def test_inquiry_from_another_person_is_flagged_without_the_number():
    lead = _submit(need="厂房 1000 平米", company="北京另一个人测试科技有限公司")
    services.lead_submit(
        data={
            "need": "厂房 1000 平米",
            "company": "北京另一个人测试科技有限公司",
            "contact": "赵先生",
            "mobile": "13700000000",
            "consent": True,
        },
        channel=Channel.WEB,
    )
    views = lead_inquiries(lead=Lead.objects.get(pk=lead.pk))
    flagged = [v for v in views if v.contact_differs]
    assert len(flagged) == 1
    shown = " ".join(f"{d.label}{d.value}" for v in views for d in v.asked)
    assert "13700000000" not in shown and "赵先生" not in shown


def test_inquiry_budget_and_requirements_read_as_words():
    lead = _submit(
        need="要 GMP 厂房",
        budget="3.5",
        budget_unit="元/平方米/天",
        requires={"gmp": True, "floor_load_kg_m2": 1000},
    )
    with translation.override("en"):
        (view,) = lead_inquiries(lead=lead)
    asked = {d.label: d.value for d in view.asked}
    assert asked["Budget"] == "3.5 yuan/m²/day"
    assert "GMP workshop" in asked["Hard requirements"]
    assert "1,000 kg/m²" in asked["Hard requirements"]
    assert Decimal(lead.budget) == Decimal("3.5")


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_manual_merge_and_split_read_from_each_side(manager, lang):
    from parklink.leads.models import Inquiry

    keep = LeadFactory(company="甲公司")
    dup = LeadFactory(company="甲公司(北京)")
    Inquiry.objects.create(lead=keep, channel=Channel.WEB, data={"need": "研发楼"}, digest="d0")
    Inquiry.objects.create(
        lead=dup,
        channel=Channel.WEB,
        data={"need": "厂房", "contact": "王先生", "mobile": "13912345678"},
        digest="d1",
    )
    services.lead_merge(target=keep, source=dup, actor=manager)
    inquiry = keep.inquiries.get(digest="d1")
    split = services.lead_split(lead=keep, inquiry_ids=[inquiry.pk], actor=manager)
    with translation.override(lang):
        kept = lead_timeline(lead=keep)
        merged = lead_timeline(lead=Lead.objects.get(pk=dup.pk))
        new = lead_timeline(lead=split)
        texts = [e.sentence for e in (*kept, *merged, *new)]
        assert_readable(texts)
    assert any(dup.ref in t for t in (e.sentence for e in kept))
    assert any(keep.ref in t for t in (e.sentence for e in merged))
    assert any(split.ref in t for t in (e.sentence for e in kept))
    assert any(keep.ref in t for t in (e.sentence for e in new))
    other = "其他操作" if lang == "zh-hans" else "Other action"
    assert not any(other in t for t in texts)
