"""Back office: scopes, masking per role, reveal, pipeline actions, board and list."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from parklink.core.models import AuditEntry
from parklink.leads.choices import Stage
from parklink.leads.models import FollowUp, Lead
from tests.factories.leads import InquiryFactory, LeadFactory

pytestmark = pytest.mark.django_db


def detail(lead):
    return reverse("office:lead-detail", args=[lead.pk])


def test_anonymous_redirected_to_login(client):
    lead = LeadFactory()
    resp = client.get(detail(lead))
    assert resp.status_code == 302 and "/office/login/" in resp.url


def test_agent_sees_own_and_pool_not_others(client, agent, agent2):
    own = LeadFactory(owner=agent, company="自己的公司")
    pool = LeadFactory(company="公海的公司")
    other = LeadFactory(owner=agent2, company="别人的公司")
    client.force_login(agent)
    html = client.get(reverse("office:lead-list")).content.decode()
    assert "自己的公司" in html and "公海的公司" in html and "别人的公司" not in html
    assert client.get(detail(other)).status_code == 404
    assert client.get(detail(own)).status_code == 200
    assert client.get(detail(pool)).status_code == 200


@pytest.mark.parametrize(
    ("role", "owned_by_viewer", "masked"),
    [
        ("agent", True, False),  # the owner
        ("agent", False, True),  # a pool lead seen by an agent
        ("manager", False, False),
        ("admin_user_role", False, False),
    ],
)
def test_masking_per_role(client, request, agent, role, owned_by_viewer, masked):
    viewer = request.getfixturevalue(role)
    lead = LeadFactory(mobile="13800002222", owner=viewer if owned_by_viewer else None)
    client.force_login(viewer)
    html = client.get(detail(lead)).content.decode()
    assert ("138****2222" in html) is masked
    assert ("13800002222" in html) is (not masked)
    list_html = client.get(reverse("office:lead-list")).content.decode()
    assert ("13800002222" in list_html) is (not masked)
    if not masked:
        assert AuditEntry.objects.filter(action="lead.view_pii", actor=viewer).exists()


def test_reveal_shows_number_and_is_audited(client, agent):
    lead = LeadFactory(mobile="13800002222")
    client.force_login(agent)
    assert client.get(reverse("office:lead-reveal", args=[lead.pk])).status_code == 405
    resp = client.post(reverse("office:lead-reveal", args=[lead.pk]))
    assert resp.status_code == 200 and "13800002222" in resp.content.decode()
    entry = AuditEntry.objects.get(action="lead.reveal")
    assert (entry.actor, entry.target_id) == (agent, str(lead.pk))


def test_claim_follow_up_stage_flow(client, agent):
    lead = LeadFactory()
    client.force_login(agent)
    client.post(reverse("office:lead-claim", args=[lead.pk]))
    lead.refresh_from_db()
    assert lead.owner == agent
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    resp = client.post(
        reverse("office:lead-follow-up", args=[lead.pk]),
        {"kind": "电话", "note": "约了周五看厂房", "next_follow_up": tomorrow},
    )
    assert resp.status_code == 302
    assert FollowUp.objects.filter(lead=lead).count() == 1
    client.post(reverse("office:lead-stage", args=[lead.pk]), {"stage": "已带看"})
    lead.refresh_from_db()
    assert lead.stage == Stage.VISITED
    client.post(reverse("office:lead-stage", args=[lead.pk]), {"stage": "已流失"})
    lead.refresh_from_db()
    assert lead.stage == Stage.VISITED  # a reason is required
    html = client.get(detail(lead)).content.decode()
    assert "约了周五看厂房" in html and "阶段变更" in html


def test_agent_cannot_assign(client, agent, agent2):
    lead = LeadFactory()
    client.force_login(agent)
    assert (
        client.post(reverse("office:lead-assign", args=[lead.pk]), {"owner": agent2.pk}).status_code
        == 403
    )


def test_manager_assigns(client, manager, agent):
    lead = LeadFactory()
    client.force_login(manager)
    client.post(reverse("office:lead-assign", args=[lead.pk]), {"owner": agent.pk})
    lead.refresh_from_db()
    assert lead.owner == agent


def test_board_columns_and_query_count(client, agent, django_assert_max_num_queries):
    for stage in (Stage.NEW, Stage.NEW, Stage.VISITED, Stage.WON):
        lead = LeadFactory(owner=agent, stage=stage)
        InquiryFactory(lead=lead)
    client.force_login(agent)
    with django_assert_max_num_queries(10):
        resp = client.get(reverse("office:lead-board"))
    html = resp.content.decode()
    for label in ("新线索", "已联系", "需求确认", "已带看", "谈判中", "已签约", "已流失"):
        assert f'data-stage="{label}"' in html
    columns = {c.stage: c.total for c in resp.context["columns"]}
    assert columns["新线索"] == 2 and columns["已带看"] == 1 and columns["已签约"] == 1


def test_list_query_count_is_flat(client, manager, django_assert_max_num_queries):
    for _ in range(15):
        InquiryFactory(lead=LeadFactory())
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        resp = client.get(reverse("office:lead-list"), {"stage": "新线索"})
    assert resp.context["page"].paginator.count == 15


def test_export_respects_masking(client, agent):
    LeadFactory(owner=agent, mobile="13800001111")
    LeadFactory(mobile="13800002222")
    client.force_login(agent)
    resp = client.get(reverse("office:lead-export"))
    ws = load_workbook(io.BytesIO(resp.content)).active
    header = [c.value for c in ws[1]]
    mobiles = sorted(
        row[header.index("手机号")] for row in ws.iter_rows(min_row=2, values_only=True)
    )
    assert mobiles == ["138****2222", "13800001111"]
    entry = AuditEntry.objects.get(action="lead.export")
    assert entry.detail["count"] == 2 and entry.detail["unmasked"] == 1


def test_dashboard_reminders(client, agent, agent2):
    today = timezone.localdate()
    LeadFactory(owner=agent, company="今天要跟进的公司", next_follow_up=today)
    LeadFactory(owner=agent, company="逾期的公司", next_follow_up=today - timedelta(days=2))
    LeadFactory(owner=agent, company="明天的公司", next_follow_up=today + timedelta(days=1))
    LeadFactory(owner=agent2, company="别人的公司", next_follow_up=today)
    client.force_login(agent)
    html = client.get(reverse("office:dashboard")).content.decode()
    assert "今天要跟进的公司" in html and "逾期的公司" in html
    assert "明天的公司" not in html and "别人的公司" not in html


def test_manager_erases(client, manager):
    lead = LeadFactory()
    client.force_login(manager)
    resp = client.post(
        reverse("office:lead-erase", args=[lead.pk]), {"reason": "本人来电要求", "confirm": "on"}
    )
    assert resp.status_code == 302
    assert not Lead.objects.exists()


def test_edit_record(client, agent):
    lead = LeadFactory(owner=agent)
    client.force_login(agent)
    resp = client.post(
        reverse("office:lead-edit", args=[lead.pk]),
        {
            "contact": lead.contact,
            "mobile": lead.mobile,
            "uscc": "91350100M000100Y43",
            "project_type": "总部",
            "qualifications": ["专精特新"],
            "score_intent": "4",
            "score_funds": "3",
            "score_fit": "3",
            "registered_capital_wan": "5000",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    lead.refresh_from_db()
    assert lead.uscc == "91350100M000100Y43" and lead.grade == "B"
    resp = client.post(
        reverse("office:lead-edit", args=[lead.pk]),
        {"contact": lead.contact, "mobile": lead.mobile, "uscc": "91350100M000100Y44"},
    )
    assert resp.status_code == 200 and "校验位" in resp.content.decode()


def test_office_create_by_phone(client, agent):
    client.force_login(agent)
    resp = client.post(
        reverse("office:lead-create"),
        {"channel": "电话", "need": "要500平米办公", "contact": "李女士", "mobile": "13900001234"},
    )
    assert resp.status_code == 302
    lead = Lead.objects.get()
    assert lead.channel == "电话" and lead.consent_basis == "口头同意"
