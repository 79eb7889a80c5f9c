"""The chain page /parks/<id>/chain/ and GET /api/v1/parks/{id}/chain."""

from __future__ import annotations

import pytest

from parklink.news.choices import ReviewStatus
from tests.factories.news import ArticleFactory, mention_for
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import ParkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    from parklink.parks.models import Industry

    home = ParkFactory(name="生命园甲", aliases=["甲园"])
    home.industries.add(Industry.objects.get_or_create(name="生物医药")[0])
    other = ParkFactory(name="东城园乙", district="东城区")
    orgs = {
        "所": OrganizationFactory(name="甲生命科学研究所", kind="institute", park=home),
        "瑞": OrganizationFactory(name="迈瑞", park=home, industry=""),
        "院": OrganizationFactory(name="北京协和医院", kind="hospital", park=other, industry=""),
        "乐": OrganizationFactory(name="乐普医疗器械公司", park=None, industry=""),
    }
    article = ArticleFactory(body="迈瑞与北京协和医院合作开展临床研究。", title="合作")
    for key in ("瑞", "院"):
        mention_for(article, orgs[key].name, org=orgs[key], status=ReviewStatus.LINKED)
    return home, other, orgs


def test_chain_page_shows_segments_gaps_and_targets(client, world, django_assert_max_num_queries):
    home, _, orgs = world
    # 9 for the chain map, 5 for the innovation network (chains.selectors.park_network_get).
    with django_assert_max_num_queries(14):
        resp = client.get(f"/parks/{home.pk}/chain/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "生物医药" in body and "基础研究/科研" in body and "临床/医疗服务" in body
    assert orgs["所"].get_absolute_url() in body and orgs["瑞"].get_absolute_url() in body
    # The hospital elsewhere is a 补链 target, linked, with its park; co-mentioned with 迈瑞.
    targets = body.split('id="targets"')[1]
    assert orgs["院"].get_absolute_url() in targets and "东城园乙" in targets
    assert "乐普医疗器械公司" in targets
    assert "甲生命科学研究所" not in targets
    assert 'id="network"' in body
    assert 'id="network-graph"' in body and 'id="network-data"' in body


def test_chain_page_query_count_does_not_grow_with_the_register(
    client, world, django_assert_max_num_queries
):
    home = world[0]
    for i in range(30):
        OrganizationFactory(name=f"测试制药{i}", park=home if i % 2 else None)
    with django_assert_max_num_queries(14):
        assert client.get(f"/parks/{home.pk}/chain/").status_code == 200


def test_chain_page_template_switch_and_bad_input(client, world):
    home = world[0]
    body = client.get(f"/parks/{home.pk}/chain/?template=集成电路").content.decode()
    assert "芯片设计" in body
    assert client.get(f"/parks/{home.pk}/chain/?template=养猪").status_code == 404
    assert client.get("/parks/999999/chain/").status_code == 404


def test_park_page_links_to_its_chain(client, world):
    home = world[0]
    assert f"/parks/{home.pk}/chain/" in client.get(home.get_absolute_url()).content.decode()


def test_api_chain_has_the_design_keys_and_ids(client, world, django_assert_max_num_queries):
    home, _, orgs = world
    with django_assert_max_num_queries(9):
        resp = client.get(f"/api/v1/parks/{home.pk}/chain")
    assert resp.status_code == 200
    data = resp.json()
    assert {"park", "template", "segments", "targets"} <= set(data)
    assert data["park"] == "生命园甲" and data["park_id"] == home.pk
    assert data["template"] == "生物医药" and "集成电路" in data["templates"]
    research = next(s for s in data["segments"] if s["name"] == "基础研究/科研")
    assert research["orgs"] == ["甲生命科学研究所"] and research["status"] == "weak"
    assert research["members"][0]["id"] == orgs["所"].pk
    hospital = next(t for t in data["targets"] if t["org"] == "北京协和医院")
    assert hospital["org_id"] == orgs["院"].pk and hospital["park"] == "东城园乙"
    assert hospital["action"] == "补链" and "同见于1篇资讯" in hospital["reason"]
    assert all(t["org_id"] not in (orgs["所"].pk, orgs["瑞"].pk) for t in data["targets"])


def test_api_chain_bad_input(client, world):
    home = world[0]
    resp = client.get("/api/v1/parks/999999/chain")
    assert resp.status_code == 404 and " / " in resp.json()["error"]
    resp = client.get(f"/api/v1/parks/{home.pk}/chain", {"template": "养猪"})
    assert resp.status_code == 422 and "unknown chain template" in resp.json()["error"]
    ok = client.get(f"/api/v1/parks/{home.pk}/chain", {"template": "ic"})
    assert ok.status_code == 200 and ok.json()["template"] == "集成电路"


def test_api_chain_is_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/parks/{park_id}/chain" in paths
