"""Portal: the policies in force, one policy, a park's policy page, and the 政策自测 whose
answers become a lead with consent."""

from __future__ import annotations

import pytest

from parklink.leads.models import Inquiry, Lead

pytestmark = pytest.mark.django_db


def test_policy_index_lists_policies_in_force(
    client, policies, bio_park, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        html = client.get("/policies/").content.decode()
    assert f'href="/parks/{bio_park.pk}/policies/"' in html  # parks that publish rules
    assert 'data-ref="T-TAX"' in html and 'data-ref="T-TECH"' in html
    assert "T-OLD" not in html  # expired
    haidian = client.get("/policies/?region=海淀区").content.decode()
    assert 'data-ref="T-IC"' in haidian and 'data-ref="T-TECH"' in haidian  # city-wide too
    assert 'data-ref="T-TAX"' not in haidian  # 昌平区's own


def test_policy_detail(client, policies):
    html = client.get("/policies/T-TAX/").content.decode()
    assert "预计年纳税不低于300万元" in html and "行业属于生物医药" in html
    assert client.get("/policies/NOPE/").status_code == 404


def test_park_policy_page(client, bio_park, policies, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        html = client.get(f"/parks/{bio_park.pk}/policies/").content.decode()
    assert "投资强度不低于 500" in html and "电镀" in html  # the admission rules
    assert 'data-ref="T-TAX"' in html and 'data-ref="T-TECH"' in html
    assert 'data-ref="T-IC"' not in html  # another district's
    assert client.get("/parks/999999/policies/").status_code == 404


def test_park_without_rules_says_so(client, plain_park):
    assert "暂未公布入园条件" in client.get(f"/parks/{plain_park.pk}/policies/").content.decode()


ANSWERS = {
    "industry": "创新药",
    "district": "昌平区",
    "total_investment_wan": "5000",
    "land_mu": "",
    "annual_tax_wan": "400",
    "annual_output_wan": "",
    "staff": "60",
    "founded_year": "2019",
    "is_high_tech": "",
    "is_specialized": "否",
    "company": "北京自测生物科技有限公司",
    "contact": "钱女士",
    "mobile": "171 0000 0099",
    "consent": "on",
}


def test_self_check_shows_policies_and_creates_a_lead_with_consent(client, policies):
    assert "政策自测" in client.get("/policies/check/").content.decode()
    resp = client.post("/policies/check/", ANSWERS)
    assert resp.status_code == 302 and resp["Location"] == "/policies/check/result/"  # PRG
    html = client.get(resp["Location"]).content.decode()
    assert 'data-ref="T-TAX" data-status="eligible"' in html
    assert 'data-ref="T-TECH" data-status="possible"' in html
    lead = Lead.objects.get(mobile="17100000099")
    assert lead.industry == "创新药" and lead.districts == ["昌平区"]
    assert lead.total_investment_wan == 5000 and lead.annual_tax_wan == 400
    assert lead.is_high_tech is None and lead.is_specialized is False  # 不确定 ≠ 否
    assert lead.need.startswith("政策自测:") and lead.consent_at is not None
    inquiry = Inquiry.objects.get(lead=lead)
    assert inquiry.consent is True and inquiry.channel == "网站表单"
    # reloading the result page shows it again and submits nothing
    again = client.get("/policies/check/result/").content.decode()
    assert 'data-ref="T-TAX"' in again and Inquiry.objects.count() == 1


def test_self_check_result_without_answers_goes_to_the_form(client, db):
    resp = client.get("/policies/check/result/")
    assert resp.status_code == 302 and resp["Location"] == "/policies/check/"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"consent": ""}, "请阅读并同意个人信息处理说明"),
        ({"mobile": "123"}, "手机号"),
        ({"total_investment_wan": "-5"}, "投资总额不能为负数"),
        ({"is_high_tech": "也许"}, "选择一个有效的选项"),
    ],
)
def test_self_check_refusals_create_nothing(client, policies, change, message):
    resp = client.post("/policies/check/", {**ANSWERS, **change})
    assert resp.status_code == 400
    assert message in resp.content.decode()
    assert not Lead.objects.exists() and not Inquiry.objects.exists()


def test_self_check_honeypot(client, policies):
    resp = client.post("/policies/check/", {**ANSWERS, "website": "http://spam.test"})
    assert resp.status_code == 302 and not Lead.objects.exists()


def test_self_check_rate_limit(client, policies, settings):
    settings.PARKLINK_LEAD_RATE_LIMIT = "1/h"
    from django.core.cache import cache

    cache.clear()
    assert client.post("/policies/check/", ANSWERS).status_code == 302
    resp = client.post("/policies/check/", {**ANSWERS, "mobile": "17100000098"})
    assert resp.status_code == 429 and Lead.objects.count() == 1


def test_portal_pages_in_english(client, bio_park, policies):
    html = client.get("/policies/check/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Policy self-check" in html and "High-tech enterprise?" in html
    assert "政策自测" not in html.split("<main")[1].split("</main>")[0]
    park = client.get(f"/parks/{bio_park.pk}/policies/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Admission rules" in park and "Investment per mu at least" in park
