"""Browser tests of the policies area: the evaluation and policy panels on a lead's page (and
its PDF report), and the portal's 政策自测."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from parklink.core.roles import ROLE_AGENT
from parklink.leads.models import Inquiry, Lead
from parklink.matching import index as match_index
from parklink.policies.models import Policy
from tests.factories.leads import LeadFactory
from tests.factories.parks import IndustryFactory, ParkFactory, SpaceFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RULES = {
    "industries": ["生物医药"],
    "banned_industries": ["化工"],
    "min_investment_wan_per_mu": 500,
    "min_tax_wan_per_mu": 50,
    "min_output_wan_per_mu": None,
    "min_tax_yuan_per_m2": None,
    "veto_keywords": ["电镀"],
}


@pytest.fixture
def catalogue(db, settings):
    settings.PARKLINK_LEAD_RATE_LIMIT = "off"
    match_index.invalidate()
    bio = ParkFactory(name="浏览器生命科学园", district="昌平区", rules=RULES)
    bio.industries.add(IndustryFactory(name="生物医药"))
    SpaceFactory(ref="E2E-1", park=bio, area_m2=Decimal("2000"))
    plated = ParkFactory(name="浏览器制造园", district="昌平区", rules={**RULES, "industries": []})
    today = timezone.localdate()
    Policy.objects.create(
        ref="E2E-TAX",
        title="浏览器测试落户奖励",
        region="昌平区",
        valid_from=today - timedelta(days=1),
        valid_to=today + timedelta(days=300),
        industries=["生物医药"],
        conditions=[{"field": "annual_tax_wan", "op": ">=", "value": 300}],
        amount_wan_max=Decimal("500"),
    )
    Policy.objects.create(
        ref="E2E-TECH",
        title="浏览器测试高企补助",
        region="北京市",
        conditions=[{"field": "is_high_tech", "op": "==", "value": True}],
        amount_wan_max=Decimal("100"),
    )
    yield bio, plated
    match_index.invalidate()


def _login(page, live_server, username, password):
    page.goto(live_server.url + "/office/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/office/")


def test_evaluation_and_policy_panels_on_the_lead_page(
    live_server, page, django_user_model, catalogue
):
    agent = django_user_model.objects.create_user("e2e-policy-agent", password="e2e-pass-5521")
    agent.groups.add(Group.objects.get_or_create(name=ROLE_AGENT)[0])
    lead = LeadFactory(
        owner=agent,
        company="北京浏览器创新药有限公司",
        need="昌平 2000平米厂房,投资2亿元, 占地30亩, 年纳税1800万元, 做创新药中试",
        industry="创新药",
        districts=["昌平区"],
        parks=["浏览器生命科学园", "浏览器制造园"],
    )
    errors: list[str] = []
    _login(page, live_server, "e2e-policy-agent", "e2e-pass-5521")
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/office/leads/{lead.pk}/")

    panel = page.locator("#evaluation-panel")
    row = panel.locator('tr.ev-row[data-park="浏览器生命科学园"]')
    assert row.locator(".l-grade").inner_text() == "A"
    assert row.locator(".ev-score").inner_text() == "100.0"
    assert "666.67" in row.inner_text()
    detail = panel.locator('tr.ev-detail[data-park="浏览器生命科学园"]')
    check = detail.get_by_text("亩均税收60万元/亩,达到不低于50万元/亩的要求", exact=False)
    assert not check.is_visible()  # folded until opened
    detail.locator("summary").click()
    assert check.is_visible()
    assert "浏览器测试落户奖励" in detail.inner_text()  # a policy of the park's district
    assert panel.locator("tr.ev-row").count() == 2  # both parks the lead names

    policies = page.locator("#policy-panel")
    eligible = policies.locator('li[data-ref="E2E-TAX"]')
    assert eligible.get_attribute("data-status") == "eligible"
    assert "最高 500 万元" in eligible.inner_text()
    possible = policies.locator('li[data-ref="E2E-TECH"]')
    assert possible.get_attribute("data-status") == "possible"
    assert "是高新技术企业" in possible.inner_text()

    href = page.locator("#evaluation-report-link").get_attribute("href")
    resp = page.context.request.get(live_server.url + href)
    assert resp.status == 200 and resp.headers["content-type"] == "application/pdf"
    assert resp.body().startswith(b"%PDF")
    assert errors == []


def test_portal_self_check(live_server, page, catalogue):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + "/policies/")
    page.get_by_role("link", name="政策自测").first.click()
    page.wait_for_url("**/policies/check/")
    form = page.locator("#selfcheck-form")
    form.locator("[name=industry]").fill("创新药")
    form.locator("[name=district]").select_option("昌平区")
    form.locator("[name=annual_tax_wan]").fill("400")
    form.locator("[name=is_high_tech]").select_option("是")
    form.locator("[name=company]").fill("北京自测浏览器有限公司")
    form.locator("[name=contact]").fill("孙先生")
    form.locator("[name=mobile]").fill("171 0000 0042")
    form.locator("input[name=consent]").check()
    form.get_by_role("button", name="查看可申请政策").click()
    result = page.locator("#selfcheck-result")
    result.wait_for()
    assert result.locator('li[data-ref="E2E-TAX"]').get_attribute("data-status") == "eligible"
    assert result.locator('li[data-ref="E2E-TECH"]').get_attribute("data-status") == "eligible"
    lead = Lead.objects.get(mobile="17100000042")
    assert lead.is_high_tech is True and lead.annual_tax_wan == 400
    assert Inquiry.objects.get(lead=lead).consent is True
    assert errors == []


def test_self_check_without_consent_stays_on_the_form(live_server, page, catalogue):
    page.goto(live_server.url + "/policies/check/")
    form = page.locator("#selfcheck-form")
    form.locator("[name=industry]").fill("创新药")
    form.locator("[name=contact]").fill("孙先生")
    form.locator("[name=mobile]").fill("17100000043")
    form.get_by_role("button", name="查看可申请政策").click()
    page.wait_for_load_state()
    assert "请阅读并同意个人信息处理说明" in page.content()
    assert not Lead.objects.filter(mobile="17100000043").exists()
