"""The back office in a real browser, desktop and phone, Chinese and English: a lead page whose
timeline and inquiries read as sentences (no field names, no dicts), click-to-call, a board
whose every column is reachable, no page that scrolls sideways on a phone; screenshots of the
main pages for review (PARKLINK_SCREENSHOTS, default var/screenshots/)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from parklink.core.roles import ROLE_AGENT, ROLE_MANAGER
from parklink.leads import services
from parklink.leads.choices import Channel, Stage
from parklink.leads.models import Lead
from parklink.parks.models import Space
from tests.e2e.office_support import no_sideways_scroll, office_page, screenshot
from tests.factories.leads import InquiryFactory, LeadFactory
from tests.factories.parks import ParkFactory, SpaceFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIELD_NAMES = {f.name for f in Lead._meta.get_fields()}
RAW = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\{'|'\}|': |\bNone\b|\b[a-z_]+=\S")


@pytest.fixture
def office(django_user_model):
    manager = django_user_model.objects.create_user("pages-manager", first_name="王经理")
    manager.groups.add(Group.objects.get_or_create(name=ROLE_MANAGER)[0])
    agent = django_user_model.objects.create_user("pages-agent", first_name="张专员")
    agent.groups.add(Group.objects.get_or_create(name=ROLE_AGENT)[0])
    park = ParkFactory(name="页面测试园区")
    space = SpaceFactory(park=park, ref="PAGES-1", title="页面测试 2000㎡ 厂房", gmp=True)
    base = {"contact": "李女士", "mobile": "13912341234", "consent": True}
    lead = services.lead_submit(
        data={
            **base,
            "company": "北京页面浏览器测试生物有限公司",
            "need": "昌平 1000-2000 平米 GMP 厂房,做生物制剂生产",
            "kind": "厂房",
            "deal": "出租",
            "area_m2": "1000-2000",
            "annual_tax_wan": "500",
            "space": space.ref,
        },
        channel=Channel.WEB,
    )
    lead = services.lead_assign(lead=lead, actor=manager, owner=agent)
    services.lead_submit(
        data={
            **base,
            "company": "北京页面浏览器测试生物有限公司",
            "need": "另需大兴 300 平米研发楼做中试",
            "kind": "研发楼",
            "districts": "大兴",
            "budget": "3.5",
            "budget_unit": "元/平方米/天",
            "requires": {"gmp": True, "ceiling_height_m": 6},
        },
        channel=Channel.WEB,
    )
    lead = Lead.objects.get(pk=lead.pk)
    services.lead_update(
        lead=lead,
        actor=agent,
        data={"area_max_m2": "2500", "score_intent": "4", "registered_capital_wan": "5000"},
    )
    services.follow_up_add(
        lead=Lead.objects.get(pk=lead.pk),
        actor=agent,
        kind="微信",
        note="发了园区资料和房源清单",
        next_follow_up=timezone.localdate() + timedelta(days=3),
    )
    services.lead_stage_set(lead=Lead.objects.get(pk=lead.pk), actor=agent, stage=Stage.VISITED)
    services.lead_tags_set(lead=Lead.objects.get(pk=lead.pk), actor=agent, names=["重点客户"])
    # A full pipeline: several leads in every stage, some days old.
    for i, stage in enumerate(Stage.values * 3):
        other = LeadFactory(
            owner=agent if i % 2 else None,
            stage=stage,
            lost_reason="价格" if stage == Stage.LOST else "",
            company=f"北京看板测试第{i}号科技有限公司",
            need="通州 500-1000 平米 仓库,城市配送",
            annual_tax_wan=Decimal("120"),
        )
        InquiryFactory(lead=other)
        Lead.objects.filter(pk=other.pk).update(created_at=timezone.now() - timedelta(days=i))
    return {"manager": manager, "agent": agent, "lead": Lead.objects.get(pk=lead.pk)}


def _assert_readable(text: str) -> None:
    assert not RAW.search(text), RAW.search(text).group(0)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_lead_page_reads_as_sentences(browser, live_server, office, lang, viewport):
    lead = office["lead"]
    with office_page(browser, live_server, office["agent"], lang=lang, viewport=viewport) as page:
        page.goto(live_server.url + lead.get_absolute_url())
        timeline = page.locator("#timeline").inner_text()
        inquiries = page.locator("#inquiries").inner_text()
        for text in (timeline, inquiries):
            _assert_readable(text)
            if lang == "zh":
                assert not set(re.findall(r"[A-Za-z_]+", text)) & FIELD_NAMES
        if lang == "zh":
            assert "张专员 将阶段从 已联系 改为 已带看" in timeline
            assert "王经理 将线索分配给 张专员" in timeline
            assert "最大面积:2,000 ㎡ → 2,500 ㎡" in timeline
            assert "另需大兴 300 平米研发楼做中试" in inquiries
            assert "载体类型:本次提交 研发楼,线索当前 厂房" in inquiries
        else:
            assert "张专员 changed stage from Contacted to Viewing done" in timeline
            assert "王经理 assigned the lead to 张专员" in timeline
            assert "Space type: this inquiry R&D building, the lead now Factory" in inquiries
        assert page.locator(".inquiry-merged").count() == 1
        # Click-to-call: the owner sees the number as a tel: link.
        tel = page.locator("a#lead-mobile")
        assert tel.get_attribute("href") == "tel:+8613912341234"
        if viewport == "phone":
            assert tel.bounding_box()["height"] >= 40
            assert no_sideways_scroll(page)
        assert page.console_errors == []
        screenshot(page, f"lead-{lang}-{viewport}")


def test_masked_mobile_is_not_a_link_until_revealed(
    browser, live_server, office, django_user_model
):
    other = django_user_model.objects.create_user("pages-agent2", first_name="李专员")
    other.groups.add(Group.objects.get_or_create(name=ROLE_AGENT)[0])
    pool_lead = LeadFactory(mobile="13600001234", company="公海里的客户有限公司")
    with office_page(browser, live_server, other) as page:
        page.goto(live_server.url + pool_lead.get_absolute_url())
        assert page.locator("#lead-mobile").inner_text() == "136****1234"
        assert page.locator("a[href^='tel:']").count() == 0
        page.get_by_role("button", name="查看完整号码(将记录审计日志)").click()
        assert page.locator("a#lead-mobile").get_attribute("href") == "tel:+8613600001234"


def _column_boxes(page) -> dict[str, dict]:
    return {
        col.get_attribute("data-stage"): col.bounding_box()
        for col in page.locator(".lead-board .lead-column").all()
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_board_desktop_shows_every_column(browser, live_server, office, lang):
    with office_page(browser, live_server, office["manager"], lang=lang) as page:
        page.goto(live_server.url + "/office/leads/board/")
        boxes = _column_boxes(page)
        assert list(boxes) == list(Stage.values)
        width = page.viewport_size["width"]
        for stage, box in boxes.items():
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, stage
        ages = page.locator(".lead-card .lead-age").all_inner_texts()
        assert ("5天" if lang == "zh" else "5 days") in ages
        assert no_sideways_scroll(page)
        assert page.console_errors == []
        screenshot(page, f"board-{lang}-desktop")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_navigation_entry_is_in_sight_on_a_desktop(browser, live_server, office, lang):
    """No entry of the main navigation hides past the right edge at 1280 or 1024 px."""
    with office_page(browser, live_server, office["manager"], lang=lang) as page:
        for width in (1280, 1024):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + "/office/")
            links = page.locator(".main-nav a").all()
            assert len(links) >= 10
            for link in links:
                box = link.bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (
                    width,
                    link.inner_text(),
                )
            assert no_sideways_scroll(page)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_board_on_a_phone_scrolls_by_column(browser, live_server, office, lang):
    with office_page(browser, live_server, office["agent"], lang=lang, viewport="phone") as page:
        page.goto(live_server.url + "/office/leads/board/")
        assert no_sideways_scroll(page)
        board = page.locator(".lead-board")
        assert board.evaluate("el => el.scrollWidth > el.clientWidth")
        assert board.evaluate("el => getComputedStyle(el).overflowX") == "auto"
        first = _column_boxes(page)[Stage.NEW]
        assert first["width"] < 390 * 0.9  # the next column peeks in: there is more
        # The closed stages are one tap away.
        chip = page.locator(".board-stages a[data-stage='已流失']")
        assert chip.bounding_box()["height"] >= 36
        screenshot(page, f"board-{lang}-phone")
        chip.click()
        page.wait_for_function(
            "() => { const c = document.querySelector(\".lead-column[data-stage='已流失']\");"
            " const r = c.getBoundingClientRect(); return r.left >= -1 && r.right <= 391; }"
        )
        assert board.evaluate("el => el.scrollLeft") > 0
        # Or swiped to: scrolling the board reaches the last column.
        board.evaluate("el => { el.scrollLeft = 0; }")
        board.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
        last = _column_boxes(page)[Stage.LOST]
        assert last["x"] >= 0 and last["x"] + last["width"] <= 391
        # Cards are touch-sized and show their age.
        card = page.locator(".lead-column[data-stage='新线索'] .lead-card").first
        assert card.bounding_box()["height"] >= 44
        assert card.locator(".lead-age").inner_text()
        assert no_sideways_scroll(page)
        assert page.console_errors == []


PAGES = [
    ("dashboard", "/office/"),
    ("lead-list", "/office/leads/"),
    ("pool", "/office/leads/pool/"),
    ("lead-new", "/office/leads/new/"),
    ("spaces", "/office/catalogue/spaces/"),
    ("parks", "/office/catalogue/parks/"),
    ("orgs", "/office/catalogue/orgs/"),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_main_pages_fit_and_are_captured(browser, live_server, office, lang, viewport):
    with office_page(browser, live_server, office["manager"], lang=lang, viewport=viewport) as page:
        space = Space.objects.get(ref="PAGES-1")
        for name, path in [
            *PAGES,
            ("lead-edit", f"/office/leads/{office['lead'].pk}/edit/"),
            ("space-edit", f"/office/catalogue/spaces/{space.pk}/"),
        ]:
            page.goto(live_server.url + path)
            assert page.locator("h1").count() >= 1, name
            if viewport == "phone":
                assert no_sideways_scroll(page), name
            assert page.console_errors == [], name
            screenshot(page, f"{name}-{lang}-{viewport}")
