"""The innovation network on the park's chain page, in a real browser: the vendored ECharts
graph draws (a canvas), its data holds the park's partners, and the list below names them."""

from __future__ import annotations

import pytest

from parklink.news.choices import EntityKind, ReviewStatus
from tests.factories.news import ArticleFactory, mention_for
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import ParkFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def park(transactional_db):
    park = ParkFactory(name="示范生命园", district="昌平区")
    beigene = OrganizationFactory(name="示范新药有限公司", park=park)
    institute = OrganizationFactory(name="示范生命科学研究所", kind="institute")
    body = "示范新药有限公司与示范生命科学研究所签署合作协议。双方的联合实验室落户示范生命园。"
    article = ArticleFactory(title="示范新药与研究所合作", body=body)
    linked = {"status": ReviewStatus.LINKED}
    mention_for(article, "示范新药有限公司", kind=EntityKind.ORG, org=beigene, **linked)
    mention_for(article, "示范生命科学研究所", kind=EntityKind.ORG, org=institute, **linked)
    mention_for(article, "示范生命园", kind=EntityKind.PARK, park=park, **linked)
    return park


def test_chain_page_draws_the_innovation_network(live_server, page, park):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/parks/{park.pk}/chain/")
    graph = page.locator("#network-graph")
    graph.wait_for()
    page.wait_for_selector("#network-graph[data-ready='1'] canvas")
    box = graph.bounding_box()
    assert box is not None and box["height"] > 300
    names = page.evaluate(
        "JSON.parse(document.getElementById('network-data').textContent).nodes.map(n => n.name)"
    )
    assert set(names) == {"示范生命园", "示范新药有限公司", "示范生命科学研究所"}
    listing = page.locator("#network-list").inner_text()
    assert "合作" in listing and "示范生命科学研究所" in listing
    assert errors == []
