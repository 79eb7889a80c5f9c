"""A visitor submits the portal lead form; an agent logs in and finds the lead on the board."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from parklink.core.roles import ROLE_AGENT
from parklink.leads.models import Inquiry, Lead

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_portal_lead_to_agent_board(live_server, page, django_user_model, settings):
    settings.PARKLINK_LEAD_RATE_LIMIT = "off"
    agent = django_user_model.objects.create_user("e2e-agent", password="e2e-pass-9137")
    agent.groups.add(Group.objects.get_or_create(name=ROLE_AGENT)[0])
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(live_server.url + "/inquiry/")
    form = page.locator("#lead-form")
    form.locator("[name=need]").fill("昌平 1500 平米 GMP 厂房,做疫苗分装")
    form.locator("[name=company]").fill("北京浏览器测试生物有限公司")
    form.locator("[name=contact]").fill("测试先生")
    form.locator("[name=mobile]").fill("171 0000 0001")
    form.locator("[name=annual_tax_wan]").fill("200")
    form.locator("input[name=consent]").check()
    form.get_by_role("button", name="提交需求").click()
    page.wait_for_url("**/inquiry/thanks/")
    assert "需求已提交" in page.locator("h1").inner_text()
    assert errors == []
    assert Lead.objects.filter(mobile="17100000001").count() == 1
    assert Inquiry.objects.count() == 1

    page.goto(live_server.url + "/office/login/")
    page.fill("#id_username", "e2e-agent")
    page.fill("#id_password", "e2e-pass-9137")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/office/")
    # office/login.html carries an inline style the CSP blocks (not this area's page).
    errors.clear()
    page.get_by_role("link", name="线索看板").click()
    column = page.locator('section.lead-column[data-stage="新线索"]')
    card = column.locator("article.lead-card", has_text="北京浏览器测试生物有限公司")
    assert card.is_visible()
    card.get_by_role("link").click()
    # A pool lead: the agent sees the mobile masked until deliberately revealed.
    assert page.locator("#lead-mobile").inner_text() == "171****0001"
    page.get_by_role("button", name="查看完整号码(将记录审计日志)").click()
    assert page.locator("#lead-mobile").inner_text() == "17100000001"
    assert errors == []
