"""Space search in a real browser: pick a facet, open a listing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories.parks import ParkFactory, SpaceFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def catalogue(transactional_db):
    life = ParkFactory(name="中关村生命科学园", district="昌平区")
    yz = ParkFactory(name="亦庄生物医药园", district="大兴区")
    SpaceFactory(
        ref="LAB-1", park=life, kind="实验室", title="生命园 300㎡实验室", area_m2=Decimal(300)
    )
    SpaceFactory(
        ref="FAC-1",
        park=yz,
        kind="厂房",
        title="亦庄 2500㎡GMP厂房",
        area_m2=Decimal(2500),
        gmp=True,
    )
    SpaceFactory(
        ref="FAC-2", park=life, kind="厂房", title="生命园 1200㎡厂房", area_m2=Decimal(1200)
    )


def test_search_with_a_facet_and_open_a_space(live_server, page, catalogue):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + "/spaces/")
    assert page.locator(".results .total").inner_text() == "3"

    page.locator('[data-facet="kind"] a', has_text="厂房").click()
    page.wait_for_url("**/spaces/?kind=*")
    assert page.locator(".results .total").inner_text() == "2"
    titles = page.locator(".space-results h3 a").all_inner_texts()
    assert sorted(titles) == ["亦庄 2500㎡GMP厂房", "生命园 1200㎡厂房"]

    page.locator('[data-facet="district"] a', has_text="大兴区").click()
    page.wait_for_url("**district=*")
    assert page.locator(".space-results h3 a").all_inner_texts() == ["亦庄 2500㎡GMP厂房"]

    page.locator(".space-results h3 a").first.click()
    page.wait_for_url("**/spaces/*/")
    assert page.locator("h1").inner_text().startswith("亦庄 2500㎡GMP厂房")
    assert page.get_by_text("更新于").first.is_visible()
    assert page.get_by_text("我要咨询").first.is_visible()
    assert errors == []
