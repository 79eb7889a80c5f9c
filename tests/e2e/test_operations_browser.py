"""Park operations in a real browser with the demo data: a manager's dashboard (every chart
drawn with data), the 租控表, the map (placing a park by clicking), the public location; one
screenshot each into PARKLINK_SCREENSHOTS (default var/screenshots/), kept by CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from parklink.parks.models import Park

SHOTS = Path(os.environ.get("PARKLINK_SCREENSHOTS", "var/screenshots"))


@pytest.fixture
def demo(live_server, transactional_db, demo_data):
    manager = get_user_model().objects.get(username="manager")
    manager.set_password("e2e-manager-pw")
    manager.save()
    SHOTS.mkdir(parents=True, exist_ok=True)
    return live_server


def _login(page, url: str) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url + "/office/login/")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", "e2e-manager-pw")
    page.click("button[type=submit]")
    page.wait_for_url(url + "/office/")
    return errors


def test_dashboard_plan_and_map_with_the_demo_data(demo, page):
    errors = _login(page, demo.url)
    # --- dashboard: every chart drawn by ECharts, with data
    page.wait_for_function(
        "() => document.querySelectorAll('[data-echart]').length > 0 && "
        "Array.from(document.querySelectorAll('[data-echart]')).every(e => e.dataset.ready === '1')"
    )
    points = page.evaluate(
        "Object.fromEntries(Array.from(document.querySelectorAll('[data-echart]'))"
        ".map(e => [e.dataset.option, Number(e.dataset.points)]))"
    )
    assert len(points) == 10
    # The demo has no inquiry sent from an article page yet: that chart alone may be empty.
    empty = [k for k, n in points.items() if n == 0 and k != "opt-articles"]
    assert empty == [], points
    assert page.locator("canvas").count() >= 9
    assert page.locator("#expiring-next tbody tr").count() >= 5
    page.screenshot(path=str(SHOTS / "operations-dashboard.png"), full_page=True)

    # --- the 租控表: units coloured by state, hover text with term and rent
    page.goto(demo.url + "/office/leases/plan/")
    units = page.locator("a.unit")
    assert units.count() > 20
    states = set(page.eval_on_selector_all("a.unit", "els => els.map(e => e.dataset.state)"))
    assert {"leased", "vacant"} <= states and any(s.startswith("expiring") for s in states)
    leased = page.locator("a.unit[data-state=leased]").first
    assert "元/平方米/天" in leased.get_attribute("title")
    page.screenshot(path=str(SHOTS / "operations-stacking-plan.png"), full_page=True)
    leased.click()
    assert page.locator("h1").inner_text().startswith("租赁合同")

    # --- the map: parks drawn offline; a manager places a park by clicking
    page.goto(demo.url + "/office/map/")
    page.wait_for_selector("#ops-map[data-ready='1']")
    assert (
        int(page.get_attribute("#ops-map", "data-points"))
        == Park.objects.exclude(latitude=None).count()
    )
    page.screenshot(path=str(SHOTS / "operations-map.png"), full_page=True)
    page.select_option("#map-mode", "industry")
    page.wait_for_selector("#ops-map[data-mode='industry']")
    park = Park.objects.get(name="中关村软件园")
    before = (park.latitude, park.longitude)
    page.select_option("#map-park", str(park.pk))
    page.locator("#ops-map canvas").first.click(position={"x": 420, "y": 300})
    page.wait_for_function("() => document.getElementById('map-status').textContent.length > 0")
    park.refresh_from_db()
    assert (park.latitude, park.longitude) != before
    assert 39 < float(park.latitude) < 42 and 115 < float(park.longitude) < 118
    assert errors == []


def test_stacking_plan_on_a_phone_and_the_public_location(demo, browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        _login(page, demo.url)
        page.goto(demo.url + "/office/leases/plan/")
        assert page.locator("a.unit").first.is_visible()
        page.screenshot(path=str(SHOTS / "operations-stacking-plan-phone.png"), full_page=True)
        park = Park.objects.get(name="中关村生命科学园")
        page.goto(demo.url + park.get_absolute_url())
        page.wait_for_selector("[data-location][data-ready='1']")
        page.locator("#location").screenshot(path=str(SHOTS / "operations-public-location.png"))
    finally:
        context.close()
