"""The public portal in Chromium, as visitors use it: leads from the home page, a list
page, an empty search and a phone-sized park page; no page scrolls sideways on a phone;
the park page shows no internal key or path. Screenshots of the main pages (1280 and
390 px, Chinese and English) go to PARKLINK_SCREENSHOTS (default var/screenshots/)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from parklink.leads.models import Inquiry, Lead
from parklink.news.models import Article
from parklink.orgs.models import Organization
from parklink.parks.models import Park, Space

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(os.environ.get("PARKLINK_SCREENSHOTS", "var/screenshots"))


@pytest.fixture
def demo(settings, demo_data):
    settings.PARKLINK_LEAD_RATE_LIMIT = "off"
    return Park.objects.get(name="中关村生命科学园")


def _errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def _fill_and_submit(form, mobile: str, company: str) -> None:
    form.locator("[name=company]").fill(company)
    form.locator("[name=contact]").fill("浏览器测试")
    form.locator("[name=mobile]").fill(mobile)
    form.locator("input[name=consent]").check()
    form.get_by_role("button", name="提交需求").click()


def test_lead_from_the_home_page(live_server, page, demo):
    errors = _errors(page)
    page.goto(live_server.url + "/")
    form = page.locator(".hero #lead-capture-form")
    assert form.is_visible()
    form.locator("[name=need]").fill("大兴 3000平米 GMP 厂房,做生物制剂")
    _fill_and_submit(form, "171 0000 0011", "首页测试生物有限公司")
    page.wait_for_url("**/inquiry/thanks/")
    assert Lead.objects.filter(mobile="17100000011", company="首页测试生物有限公司").count() == 1
    assert errors == []


def test_lead_from_a_list_page_is_prefilled_with_its_filters(live_server, page, demo):
    page.goto(live_server.url + "/spaces/?kind=实验室&district=昌平区")
    form = page.locator("#lead-capture-form")
    assert form.locator("[name=kind]").input_value() == "实验室"
    assert "昌平区" in form.locator("[name=need]").input_value()
    _fill_and_submit(form, "171 0000 0012", "列表页测试公司")
    page.wait_for_url("**/inquiry/thanks/")
    inquiry = Inquiry.objects.get(lead__mobile="17100000012")
    assert inquiry.data.get("kind") == "实验室" and "昌平区" in str(inquiry.data)


def test_lead_from_an_empty_search(live_server, page, demo):
    page.goto(live_server.url + "/search/?q=zqxjkv火星")
    assert page.get_by_text("没有找到相关结果").first.is_visible()
    form = page.locator("#lead-capture-form")
    assert form.locator("[name=need]").input_value() == "zqxjkv火星"
    _fill_and_submit(form, "171 0000 0013", "空结果测试公司")
    page.wait_for_url("**/inquiry/thanks/")
    assert Lead.objects.filter(mobile="17100000013").exists()


def test_lead_from_a_phone_sized_park_page(live_server, browser, demo):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = _errors(page)
    page.goto(live_server.url + demo.get_absolute_url())
    bar = page.locator(".call-bar")
    assert bar.is_visible()
    assert bar.locator("a.cb-call").get_attribute("href").startswith("tel:")
    box = bar.locator("a.cb-call").bounding_box()
    assert box["height"] >= 44  # a thumb-sized target
    bar.locator("a.cb-form").click()
    form = page.locator("#lead-capture-form")
    assert form.is_visible()
    assert form.locator("[name=park]").input_value() == str(demo.pk)
    form.locator("[name=need]").fill("生命园附近 800平米 实验室")
    _fill_and_submit(form, "171 0000 0014", "手机测试公司")
    page.wait_for_url("**/inquiry/thanks/")
    lead = Lead.objects.get(mobile="17100000014")
    assert lead.inquiries.count() == 1
    assert errors == []
    context.close()


def _public_urls() -> list[tuple[str, str]]:
    park = Park.objects.get(name="中关村生命科学园")
    space = Space.objects.public().filter(park=park).first()
    article = Article.objects.filter(status="published").first()
    org = Organization.objects.filter(park=park).first()
    return [
        ("home", "/"),
        ("parks", "/parks/"),
        ("park", park.get_absolute_url()),
        ("spaces", "/spaces/"),
        ("space", space.get_absolute_url()),
        ("news", "/news/"),
        ("article", article.get_absolute_url()),
        ("org", org.get_absolute_url()),
        ("chain", f"/parks/{park.pk}/chain/"),
        ("search", "/search/?q=生命科学园"),
        ("empty-search", "/search/?q=zqxjkv火星"),
        ("inquiry", "/inquiry/"),
        ("404", "/no/such/page/"),
    ]


@pytest.mark.parametrize("width", [360, 390, 414])
def test_no_public_page_scrolls_sideways_on_a_phone(live_server, browser, demo, width):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 800})
    page = context.new_page()
    wide = []
    for name, url in _public_urls():
        page.goto(live_server.url + url)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide.append((name, scroll))
        # The lead capture (or the call bar to it) is on every page.
        assert page.locator("#lead-capture").count() == 1, name
        assert page.locator(".call-bar a.cb-call").is_visible(), name
    context.close()
    assert wide == []


def test_phone_navigation_and_facets_are_collapsed(live_server, browser, demo):
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/spaces/")
    assert not page.locator(".main-nav").is_visible()
    results = page.locator(".space-results").bounding_box()
    assert results["y"] < 600  # results near the top, facets folded away
    assert not page.locator("#facets").is_visible()
    page.get_by_role("button", name="菜单").click()
    assert page.locator(".main-nav").is_visible()
    page.locator("button.facets-toggle").click()
    assert page.locator("#facets").is_visible()
    context.close()


INTERNAL = re.compile(r"\b[a-z]+(?:_[a-zA-Z0-9]+)+\b|corpora|seed page|the seed|/seed|low-quality")


def test_park_page_shows_no_internal_key_or_path(live_server, page, demo):
    for park in Park.objects.order_by("pk"):
        page.goto(live_server.url + park.get_absolute_url())
        text = page.locator("main").inner_text()
        assert not INTERNAL.search(text), (park.name, INTERNAL.search(text).group(0))
        assert not re.search(r"\d{7,} ㎡", text), park.name  # areas are humanised
    page.goto(live_server.url + demo.get_absolute_url())
    text = page.locator("main").inner_text()
    assert "平方公里" in text and "万㎡" in text and "资料来源" in text
    assert page.locator("#sources a[href^='http']").count() >= 3


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_screenshots_of_the_main_pages(live_server, browser, demo, lang):
    out = SCREENSHOTS
    out.mkdir(parents=True, exist_ok=True)
    tag = "zh" if lang == "zh-CN" else "en"
    for label, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)):
        context = browser.new_context(
            locale=lang, viewport=viewport, extra_http_headers={"Accept-Language": lang}
        )
        page = context.new_page()
        for name, url in _public_urls():
            page.goto(live_server.url + url)
            page.screenshot(path=str(out / f"{name}-{label}-{tag}.png"), full_page=True)
        context.close()
    assert len(list(out.glob(f"*-{tag}.png"))) >= 2 * len(_public_urls())
