"""Writes: the policy library, the review queue, park rules and the lead's project facts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from parklink.core.models import AuditEntry
from parklink.leads.choices import Channel
from parklink.leads.services import lead_submit, lead_update
from parklink.news.choices import ReviewStatus
from parklink.parks.services import park_rules_set
from parklink.policies import services
from parklink.policies.models import Policy, PolicyProposal
from parklink.policies.reader import read_policy

pytestmark = pytest.mark.django_db

DATA = {
    "ref": "P-1",
    "title": "测试落户奖励",
    "region": "昌平",
    "valid_from": "2026-01-01",
    "valid_to": "2027-12-31",
    "industries": "生物医药、医疗器械",
    "conditions": [{"field": "annual_tax_wan", "op": "≥", "value": "300"}],
    "amount_wan_max": "500",
}


def test_upsert_creates_then_changes_nothing_then_updates():
    policy, status = services.policy_upsert(data=DATA, actor=None)
    assert status == "created"
    assert policy.region == "昌平区"  # short form normalised
    assert policy.industries == ["生物医药", "医疗器械"]
    assert policy.conditions == [{"field": "annual_tax_wan", "op": ">=", "value": 300}]
    assert policy.amount_wan_max == Decimal("500.00")
    assert services.policy_upsert(data=DATA, actor=None)[1] == "unchanged"
    assert AuditEntry.objects.filter(action__startswith="policy.").count() == 1
    _, status = services.policy_upsert(data={**DATA, "amount_wan_max": 800}, actor=None)
    assert status == "updated"
    assert AuditEntry.objects.filter(action="policy.update").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ref": ""}, "ref"),
        ({"ref": "有 空格"}, "ref"),
        ({"title": ""}, "title"),
        ({"region": "火星"}, "region"),
        ({"valid_to": "2025-01-01"}, "valid_to"),
        ({"valid_from": "2026-13-01"}, "valid_from"),
        ({"conditions": [{"field": "revenue", "op": ">=", "value": 1}]}, "conditions"),
        ({"conditions": "not json"}, "conditions"),
        ({"amount_wan_max": "-5"}, "amount_wan_max"),
        ({"amount_wan_max": "abc"}, "amount_wan_max"),
    ],
)
def test_bad_policies_name_the_field_and_write_nothing(change, field):
    with pytest.raises(ValidationError) as exc:
        services.policy_upsert(data={**DATA, **change}, actor=None)
    assert field in exc.value.message_dict
    assert Policy.objects.count() == 0


def test_conditions_from_cell_text():
    errors: dict[str, str] = {}
    text = (
        '{"field": "staff", "op": ">=", "value": 10}、{"field": "land_mu", "op": "<=", "value": 50}'
    )
    assert len(services.conditions_from_text(text, errors)) == 2 and not errors
    assert services.conditions_from_text('[{"field": "staff", "op": ">=", "value": 1}]', errors)


def test_proposal_queue_accept_and_reject(manager):
    text = "昌平区测试奖励办法\n对年纳税额达到500万元以上的企业给予最高100万元奖励。"
    read = read_policy(text, today=date(2026, 1, 1))
    proposal, created = services.proposal_submit(
        source_name="a.txt", text=text, read=read, actor=manager
    )
    assert created and proposal.status == ReviewStatus.PROPOSED
    assert proposal.parsed["amount_wan_max"] == 100
    assert any(p["what"] == "condition" for p in proposal.proposals)
    # the same text twice is queued once
    again, created = services.proposal_submit(
        source_name="b.txt", text=text, read=read, actor=manager
    )
    assert again.pk == proposal.pk and not created
    assert not Policy.objects.exists()  # nothing counts before review

    policy = services.proposal_accept(
        proposal=proposal, data={**DATA, "ref": "P-ACC"}, actor=manager
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.policy_id, proposal.reviewed_by_id) == (
        ReviewStatus.ACCEPTED,
        policy.pk,
        manager.pk,
    )
    with pytest.raises(ValidationError):
        services.proposal_reject(proposal=proposal, actor=manager)


def test_reject_creates_no_policy(manager):
    read = read_policy("某政策", today=date(2026, 1, 1))
    proposal, _ = services.proposal_submit(source_name="x", text="某政策", read=read, actor=None)
    services.proposal_reject(proposal=proposal, actor=manager)
    assert PolicyProposal.objects.get().status == ReviewStatus.REJECTED
    assert not Policy.objects.exists()


def test_accept_with_bad_data_leaves_the_proposal_proposed(manager):
    read = read_policy("某政策", today=date(2026, 1, 1))
    proposal, _ = services.proposal_submit(source_name="x", text="某政策", read=read, actor=None)
    with pytest.raises(ValidationError):
        services.proposal_accept(proposal=proposal, data={**DATA, "region": "火星"}, actor=manager)
    assert PolicyProposal.objects.get().status == ReviewStatus.PROPOSED


def test_park_rules_set(bio_park, manager):
    rules = {"亩均税收": "60", "准入产业": "生物医药、医疗器械"}  # Chinese keys accepted
    assert park_rules_set(park=bio_park, rules=rules, sources=["某文件"], actor=manager)
    bio_park.refresh_from_db()
    assert bio_park.rules["min_tax_wan_per_mu"] == 60
    assert bio_park.rules["industries"] == ["生物医药", "医疗器械"]
    assert bio_park.rules["veto_keywords"] == []
    assert bio_park.rules_sources == ["某文件"]
    assert not park_rules_set(park=bio_park, rules=rules, sources=["某文件"], actor=manager)
    assert AuditEntry.objects.filter(action="park.rules").count() == 1
    with pytest.raises(ValidationError) as exc:
        park_rules_set(park=bio_park, rules={"min_tax_wan_per_mu": -1}, actor=manager)
    assert "rules" in exc.value.message_dict
    with pytest.raises(ValidationError):
        park_rules_set(park=bio_park, rules={"colour": "red"}, actor=manager)
    assert park_rules_set(park=bio_park, rules={}, actor=manager)  # cleared
    bio_park.refresh_from_db()
    assert bio_park.rules == {}


LEAD = {"contact": "王先生", "mobile": "17012345678", "need": "投资2亿元做创新药", "consent": True}


def test_lead_project_facts_through_the_leads_service(agent):
    lead = lead_submit(
        data={
            **LEAD,
            "land_mu": "30",
            "annual_output_wan": "50000",
            "is_high_tech": "是",
            "is_specialized": "",
        },
        channel=Channel.WEB,
    )
    assert lead.land_mu == Decimal("30.00") and lead.annual_output_wan == Decimal("50000.00")
    assert lead.is_high_tech is True
    assert lead.is_specialized is None  # blank is unknown, never false
    lead.owner = agent
    lead.save()
    lead = lead_update(lead=lead, actor=agent, data={"is_specialized": False, "land_mu": "12.5"})
    assert lead.is_specialized is False and lead.land_mu == Decimal("12.50")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"land_mu": "0"}, "land_mu"),
        ({"is_high_tech": "也许"}, "is_high_tech"),
        ({"annual_output_wan": "-1"}, "annual_output_wan"),
    ],
)
def test_lead_project_facts_are_validated(change, field):
    from parklink.leads.validation import LeadDataError

    with pytest.raises(LeadDataError) as exc:
        lead_submit(data={**LEAD, **change}, channel=Channel.WEB)
    assert field in exc.value.messages_by_field


def test_a_policy_with_unreadable_conditions_is_left_out(policies):
    from parklink.policies.facts import ProjectFacts
    from parklink.policies.selectors import policy_matches

    Policy.objects.filter(ref="T-TECH").update(conditions=[{"field": "revenue", "op": "?"}])
    refs = [m.policy.ref for m in policy_matches(facts=ProjectFacts())]
    assert "T-TECH" not in refs and "T-TAX" in refs


def test_a_stored_lead_is_measured_by_the_area_it_stated():
    from parklink.policies.selectors import lead_facts

    lead = lead_submit(data={**LEAD, "need": "需要1500平米厂房,年纳税300万元"}, channel=Channel.WEB)
    assert lead.area_min_m2 < 1500 < lead.area_max_m2  # widened for matching
    assert lead_facts(lead).area_m2 == 1500
    lead.area_min_m2, lead.area_max_m2 = Decimal(2000), Decimal(3000)  # an agent's own range
    assert lead_facts(lead).area_m2 == 3000
