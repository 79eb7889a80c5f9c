"""Back-office pages: the lead's evaluation and policy panels and its PDF report, the policy
library (list, edit, expiry warnings), the review queue and the park rules editor."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from parklink.core.models import AuditEntry
from parklink.news.choices import ReviewStatus
from parklink.policies.models import Policy, PolicyProposal
from tests.factories.leads import LeadFactory
from tests.policies.conftest import make_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(bio_park, agent):
    return LeadFactory(
        owner=agent,
        need="昌平 2000平米厂房,投资2亿元, 占地30亩, 年纳税1800万元, 做创新药中试",
        industry="创新药",
        districts=["昌平区"],
        parks=["测试生命科学园"],
        mobile="17099990001",
        contact="赵先生",
    )


def test_lead_page_shows_the_evaluation_and_policy_panels(agent_client, lead, policies):
    html = agent_client.get(f"/office/leads/{lead.pk}/").content.decode()
    assert 'id="evaluation-panel"' in html and 'id="policy-panel"' in html
    assert 'data-park="测试生命科学园"' in html
    assert "l-grade-A" in html and "666.67" in html  # grade and investment per 亩
    assert "亩均税收60万元/亩,达到不低于50万元/亩的要求" in html
    assert 'data-ref="T-TAX" data-status="eligible"' in html
    assert 'data-ref="T-TECH" data-status="possible"' in html
    assert "T-OLD" not in html  # expired
    assert f"/office/policies/leads/{lead.pk}/report.pdf" in html


def test_lead_page_query_count(agent_client, lead, policies, django_assert_max_num_queries):
    agent_client.get(f"/office/leads/{lead.pk}/")  # warm the matching index
    # the page's own queries (session, lead, inquiries, timeline, match panel) plus this
    # area's few; a constant, whatever the number of parks, spaces and policies
    with django_assert_max_num_queries(28):
        assert agent_client.get(f"/office/leads/{lead.pk}/").status_code == 200


def test_a_vetoed_park_says_so(agent_client, lead):
    lead.need += ",生产过程含电镀工序"
    lead.save()
    html = agent_client.get(f"/office/leads/{lead.pk}/").content.decode()
    assert "ev-vetoed" in html and "一票否决项“电镀”" in html and "l-grade-D" in html


def test_report_pdf_is_audited_and_holds_no_contact(agent_client, agent, lead, policies):
    resp = agent_client.get(f"/office/policies/leads/{lead.pk}/report.pdf")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF") and len(resp.content) > 2000
    assert b"17099990001" not in resp.content
    entry = AuditEntry.objects.get(action="lead.evaluation_report")
    assert entry.actor == agent and entry.target_id == str(lead.pk)
    assert entry.detail["parks"] == ["测试生命科学园"]


def test_report_of_a_lead_outside_the_scope_is_missing(client, agent2, lead):
    client.force_login(agent2)  # the lead is owned by another agent
    assert client.get(f"/office/policies/leads/{lead.pk}/report.pdf").status_code == 404
    assert not AuditEntry.objects.filter(action="lead.evaluation_report").exists()


@pytest.mark.parametrize(
    "url", ["/office/policies/", "/office/policies/review/", "/office/policies/parks/"]
)
def test_pages_need_an_operator(client, url, db):
    resp = client.get(url)
    assert resp.status_code == 302 and "/office/login/" in resp["Location"]


def test_policy_list_with_expiry_warning(agent_client, policies, django_assert_max_num_queries):
    for n in range(20):
        make_policy(f"BULK-{n:02d}")
    with django_assert_max_num_queries(12):
        html = agent_client.get("/office/policies/").content.decode()
    assert 'id="expiry-warning"' in html and "测试政策T-IC" in html  # ends in 10 days
    assert 'data-ref="BULK-19"' in html and "已到期" in html
    expired = agent_client.get("/office/policies/?state=expired").content.decode()
    assert 'data-ref="T-OLD"' in expired and 'data-ref="T-TAX"' not in expired
    ending = agent_client.get("/office/policies/?state=ending").content.decode()
    assert 'data-ref="T-IC"' in ending and 'data-ref="T-TAX"' not in ending


def _form(**over):
    data = {
        "ref": "NEW-1",
        "title": "新政策",
        "region": "大兴",
        "valid_from": "2026-01-01",
        "valid_to": "2027-12-31",
        "industries": "医疗器械、体外诊断",
        "amount_wan_max": "300",
        "benefit": "补助",
        "source": "",
        "cond-TOTAL_FORMS": "3",
        "cond-INITIAL_FORMS": "0",
        "cond-MIN_NUM_FORMS": "0",
        "cond-MAX_NUM_FORMS": "30",
        "cond-0-field": "total_investment_wan",
        "cond-0-op": ">=",
        "cond-0-value": "5000",
        "cond-1-field": "district",
        "cond-1-op": "in",
        "cond-1-value": "大兴区、亦庄",
        "cond-2-field": "",
        "cond-2-op": ">=",
        "cond-2-value": "",
    }
    data.update(over)
    return data


def test_create_and_edit_a_policy(agent_client):
    resp = agent_client.post("/office/policies/new/", _form())
    assert resp.status_code == 302
    policy = Policy.objects.get(ref="NEW-1")
    assert policy.region == "大兴区" and policy.industries == ["医疗器械", "体外诊断"]
    assert policy.conditions == [
        {"field": "total_investment_wan", "op": ">=", "value": 5000},
        {"field": "district", "op": "in", "value": ["大兴区"]},
    ]
    page = agent_client.get(f"/office/policies/{policy.pk}/").content.decode()
    assert 'value="5000"' in page
    agent_client.post(f"/office/policies/{policy.pk}/", _form(**{"cond-0-value": "8000"}))
    policy.refresh_from_db()
    assert policy.conditions[0]["value"] == 8000


def test_bad_policy_form_shows_the_message_and_saves_nothing(agent_client):
    resp = agent_client.post(
        "/office/policies/new/", _form(region="火星", **{"cond-0-value": "很多"})
    )
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "未知的地区" in html or "必须" in html or "应为数字" in html
    assert not Policy.objects.exists()


def test_only_managers_delete(client, agent, manager, policies):
    pk = policies["tax"].pk
    client.force_login(agent)
    assert client.post(f"/office/policies/{pk}/delete/").status_code == 403
    client.force_login(manager)
    assert client.post(f"/office/policies/{pk}/delete/").status_code == 302
    assert not Policy.objects.filter(pk=pk).exists()


TEXT = (
    "昌平区测试产业奖励办法\n第一条 支持生物医药企业发展。\n"
    "第二条 对年纳税额达到300万元以上的企业,给予最高200万元奖励。\n"
    "第三条 本办法自2026年1月1日起施行,有效期2年。"
)


def test_review_queue_upload_accept(agent_client, agent):
    resp = agent_client.post("/office/policies/review/", {"text": TEXT})
    proposal = PolicyProposal.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/office/policies/review/{proposal.pk}/"
    page = agent_client.get(resp["Location"]).content.decode()
    assert "第二条 对年纳税额达到300万元以上的企业" in page  # the evidence sentence
    assert "预计年纳税不低于300万元" in page  # the proposed condition, in words
    assert 'value="昌平区测试产业奖励办法"' in page and 'value="200"' in page
    form = _form(
        ref="ACC-1",
        title="昌平区测试产业奖励办法",
        region="昌平区",
        industries="生物医药",
        amount_wan_max="200",
        **{
            "cond-0-field": "annual_tax_wan",
            "cond-0-value": "300",
            "cond-1-field": "",
            "decision": "accept",
        },
    )
    resp = agent_client.post(f"/office/policies/review/{proposal.pk}/", form)
    assert resp.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ReviewStatus.ACCEPTED and proposal.policy.ref == "ACC-1"
    assert Policy.objects.get(ref="ACC-1").conditions == [
        {"field": "annual_tax_wan", "op": ">=", "value": 300}
    ]


def test_review_reject_and_file_upload(agent_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("p.html", f"<html><body><p>{TEXT}</p></body></html>".encode())
    resp = agent_client.post("/office/policies/review/", {"file": upload})
    proposal = PolicyProposal.objects.get()
    assert proposal.source_name == "p.html" and "<p>" not in proposal.text
    resp = agent_client.post(f"/office/policies/review/{proposal.pk}/", {"decision": "reject"})
    assert resp.status_code == 302
    assert PolicyProposal.objects.get().status == ReviewStatus.REJECTED
    assert not Policy.objects.exists()


def test_review_upload_needs_something(agent_client):
    resp = agent_client.post("/office/policies/review/", {"text": "  "})
    assert resp.status_code == 200 and "请上传文件或粘贴政策原文" in resp.content.decode()
    assert not PolicyProposal.objects.exists()


def test_park_rules_editor(agent_client, bio_park, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        listing = agent_client.get("/office/policies/parks/").content.decode()
    assert "测试生命科学园" in listing
    url = f"/office/policies/parks/{bio_park.pk}/rules/"
    page = agent_client.get(url).content.decode()
    assert 'value="生物医药"' in page and 'value="50"' in page
    resp = agent_client.post(
        url,
        {
            "industries": "生物医药、医疗器械",
            "banned_industries": "化工",
            "min_investment_wan_per_mu": "600",
            "min_tax_wan_per_mu": "",
            "min_output_wan_per_mu": "2000",
            "min_tax_yuan_per_m2": "",
            "veto_keywords": "电镀、印染",
            "rules_sources": "https://example.test/rules",
        },
    )
    assert resp.status_code == 302
    bio_park.refresh_from_db()
    assert bio_park.rules["min_investment_wan_per_mu"] == 600
    assert bio_park.rules["min_tax_wan_per_mu"] is None
    assert bio_park.rules["veto_keywords"] == ["电镀", "印染"]
    assert bio_park.rules_sources == ["https://example.test/rules"]
    bad = agent_client.post(url, {"min_tax_wan_per_mu": "-5"})
    assert bad.status_code == 200 and "不能为负数" in bad.content.decode()


def test_expiry_window_is_configurable(agent_client, settings, policies):
    settings.PARKLINK = {**settings.PARKLINK, "POLICY_EXPIRY_DAYS": 5}
    html = agent_client.get("/office/policies/").content.decode()
    assert 'id="expiry-warning"' not in html  # T-IC ends in 10 days
    make_policy(
        "SOON", valid_to=timezone.localdate() + timedelta(days=2), amount_wan_max=Decimal(1)
    )
    assert 'id="expiry-warning"' in agent_client.get("/office/policies/").content.decode()


def test_saving_a_policy_unchanged_changes_nothing(agent_client):
    agent_client.post("/office/policies/new/", _form(benefit="第一行\r\n第二行"))
    policy = Policy.objects.get(ref="NEW-1")
    assert policy.benefit == "第一行\n第二行"
    audits = AuditEntry.objects.count()
    agent_client.post(f"/office/policies/{policy.pk}/", _form(benefit="第一行\r\n第二行"))
    assert AuditEntry.objects.count() == audits


def test_saving_park_rules_unchanged_changes_nothing(agent_client, bio_park):
    url = f"/office/policies/parks/{bio_park.pk}/rules/"
    data = {
        "industries": "生物医药",
        "banned_industries": "化工",
        "min_investment_wan_per_mu": "500",
        "min_tax_wan_per_mu": "50",
        "min_output_wan_per_mu": "",
        "min_tax_yuan_per_m2": "",
        "veto_keywords": "电镀",
        "rules_sources": "",
    }
    resp = agent_client.post(url, data, follow=True)
    assert "没有修改" in resp.content.decode()
    assert not AuditEntry.objects.filter(action="park.rules").exists()


def _form_values(html: str, form_id: str | None = None) -> dict[str, str]:
    """What a browser would post back from the page's first form with inputs, unchanged."""
    from lxml import html as lxml_html

    root = lxml_html.fromstring(html)
    forms = [f for f in root.xpath("//form") if f.xpath(".//input[@type!='hidden']|.//textarea")]
    form = forms[0]
    out: dict[str, str] = {}
    for el in form.xpath(".//input|.//textarea|.//select"):
        name = el.get("name")
        if not name or el.get("type") in ("submit", "button", "checkbox"):
            continue
        if el.tag == "textarea":
            out[name] = el.text or ""
        elif el.tag == "select":
            chosen = el.xpath("./option[@selected]")
            out[name] = chosen[0].get("value", "") if chosen else ""
        else:
            out[name] = el.get("value", "")
    return out


@pytest.mark.parametrize(
    "stored",
    [
        {"min_tax_wan_per_mu": 1},  # imported with one key only
        {
            "industries": ["生物医药", "医疗器械"],
            "banned_industries": ["化工"],
            "min_investment_wan_per_mu": 612.5,
            "min_tax_wan_per_mu": 0.25,
            "min_output_wan_per_mu": 100000,
            "min_tax_yuan_per_m2": 1500,
            "veto_keywords": ["电镀", "危化品"],
        },
        {},
    ],
)
def test_rules_form_round_trip_changes_nothing(agent_client, bio_park, stored):
    bio_park.rules = stored
    bio_park.rules_sources = ["《测试园区准入办法》(2025年版)", "https://example.test/rules"]
    bio_park.save()
    url = f"/office/policies/parks/{bio_park.pk}/rules/"
    data = _form_values(agent_client.get(url).content.decode())
    assert "min_tax_wan_per_mu" in data
    resp = agent_client.post(url, data, follow=True)
    assert "没有修改" in resp.content.decode()
    bio_park.refresh_from_db()
    assert bio_park.rules == stored
    assert bio_park.rules_sources == [
        "《测试园区准入办法》(2025年版)",
        "https://example.test/rules",
    ]
    assert not AuditEntry.objects.filter(action="park.rules").exists()


def test_report_font_embeds_a_truetype_cjk_font_else_falls_back(settings):
    from pathlib import Path

    from parklink.policies import report

    assert report.register_cjk_font([("/nonexistent/font.ttf", 0)]) == report.FONT
    noto = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
    if Path(noto).is_file():  # PostScript outlines: reportlab cannot embed it
        assert report.register_cjk_font([(noto, 0)]) == report.FONT
    dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    if Path(dejavu).is_file():  # any TrueType font file is embeddable: the path works
        settings.PARKLINK = {**settings.PARKLINK, "PDF_CJK_FONT": dejavu}
        assert report.font_candidates()[0] == (dejavu, 0)
        assert report.register_cjk_font().startswith(report.EMBEDDED)
