"""The portal lead form and block: CSRF, honeypot, consent, rate limit, size limit, prefill."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from parklink.leads.models import Inquiry, Lead
from tests.factories.parks import ParkFactory, SpaceFactory

pytestmark = pytest.mark.django_db

URL = "/inquiry/"


def form_data(**over):
    data = {
        "need": "昌平 1000-2000 平米 GMP 厂房",
        "area_m2": "1000-2000",
        "use": "生物制剂生产",
        "annual_tax_wan": "200",
        "company": "北京华康生物科技有限公司",
        "contact": "王先生",
        "mobile": "13800138000",
        "consent": "on",
    }
    data.update(over)
    return data


def test_url_name_and_path():
    assert reverse("portal:lead-create") == URL


def test_form_page_prefilled_from_space(client):
    space = SpaceFactory(ref="SP-77")
    resp = client.get(URL, {"space": "SP-77"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert 'name="space" value="SP-77"' in html
    assert space.park.name in html
    assert "处理目的" in html and 'name="consent"' in html


def test_form_page_prefilled_from_park(client):
    park = ParkFactory(name="测试生命科学园")
    html = client.get(URL, {"park": park.pk}).content.decode()
    assert f'name="park" value="{park.pk}"' in html and "测试生命科学园" in html


def test_submit_stores_lead_and_redirects(client):
    park = ParkFactory()
    resp = client.post(URL, form_data(park=str(park.pk)), HTTP_USER_AGENT="UA-test")
    assert resp.status_code == 302 and resp.url == reverse("portal:lead-thanks")
    lead = Lead.objects.get()
    assert lead.parks == [park.name]
    assert (lead.area_min_m2, lead.area_max_m2) == (1000, 2000)
    inquiry = Inquiry.objects.get()
    assert inquiry.user_agent == "UA-test" and inquiry.data["need"].startswith("昌平")
    assert "csrfmiddlewaretoken" not in inquiry.data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"mobile": "123"}, "手机号格式不正确"),
        ({"consent": ""}, "请阅读并同意个人信息处理说明"),
        ({"contact": ""}, "请填写联系人"),
        ({"annual_tax_wan": "-3"}, "不能为负数"),
        ({"area_m2": "0"}, "不能小于1"),
    ],
)
def test_bad_input_shows_chinese_message_and_stores_nothing(client, change, message):
    resp = client.post(URL, form_data(**change))
    assert resp.status_code == 400
    html = resp.content.decode()
    assert message in html and " / " not in html.split(message)[1][:5]
    assert not Lead.objects.exists() and not Inquiry.objects.exists()


def test_csrf_required():
    client = Client(enforce_csrf_checks=True)
    resp = client.post(URL, form_data())
    assert resp.status_code == 403
    assert not Lead.objects.exists()


def test_csrf_token_from_block_is_accepted():
    client = Client(enforce_csrf_checks=True)
    page = client.get(URL)
    token = page.cookies["csrftoken"].value
    resp = client.post(URL, form_data(csrfmiddlewaretoken=token))
    assert resp.status_code == 302 and Lead.objects.count() == 1


def test_honeypot_stores_nothing_but_looks_successful(client):
    resp = client.post(URL, form_data(website="http://spam.example"))
    assert resp.status_code == 302
    assert not Lead.objects.exists() and not Inquiry.objects.exists()


def test_rate_limit_per_ip(client, settings):
    settings.PARKLINK_LEAD_RATE_LIMIT = "2/h"
    codes = [
        client.post(
            URL, form_data(mobile=f"1380013800{i}", company=f"公司{i}号有限公司")
        ).status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]
    assert Lead.objects.count() == 2
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert (
        other.post(URL, form_data(mobile="13900139000", company="别家公司有限公司")).status_code
        == 302
    )


def test_rate_limit_off(client, settings):
    settings.PARKLINK_LEAD_RATE_LIMIT = "off"
    for i in range(5):
        assert client.post(URL, form_data(mobile=f"1380013800{i}")).status_code == 302


def test_request_size_limit(client, settings):
    settings.PARKLINK_LEAD_MAX_BYTES = 1000
    resp = client.post(URL, form_data(need="大" * 900))
    assert resp.status_code == 413
    assert not Lead.objects.exists()


def test_lead_block_renders_form_posting_to_lead_page(rf):
    space = SpaceFactory(ref="SP-9")
    request = rf.get("/")
    html = Template("{% load lead_tags %}{% lead_block space=space %}").render(
        Context({"space": space, "request": request, "csrf_token": "tok"})
    )
    assert f'action="{URL}"' in html
    assert 'name="space" value="SP-9"' in html
    assert 'name="website"' in html and 'name="consent"' in html
    assert 'name="csrfmiddlewaretoken" value="tok"' in html
