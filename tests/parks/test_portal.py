"""Portal pages of the catalogue: park list/page, faceted space search, space page."""

from __future__ import annotations

import re

import pytest

from parklink.parks.filters import SpaceFilter
from parklink.parks.selectors import space_search
from tests.factories.orgs import OrganizationFactory


def _refs(resp) -> set[str]:
    return {s.ref for s in resp.context["page"].object_list}


def _facet(resp, name):
    facet = next(f for f in resp.context["result"].facets if f.label == name)
    return {v.label: v.count for v in facet.values}


def test_search_lists_only_public_spaces(client, listings, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        resp = client.get("/spaces/")
    assert resp.status_code == 200
    assert _refs(resp) == {"A", "B", "C", "D"}
    assert resp.context["result"].total == 4


@pytest.mark.parametrize(
    ("query", "refs"),
    [
        ("kind=厂房", {"B", "C"}),
        ("kind=厂房&kind=实验室", {"A", "B", "C"}),
        ("deal=出售", {"D"}),
        ("district=大兴区", {"C", "D"}),
        ("district=大兴", {"C", "D"}),
        ("area_min=1000&area_max=3000", {"B"}),
        ("price_min=2&price_max=5&deal=出租", {"A", "B"}),
        ("ceiling_min=8", {"B", "C"}),
        ("load_min=1000", {"B", "C"}),
        ("power_min=1000", {"B", "C"}),
        ("gmp=1", {"A", "B"}),
        ("q=生命", {"A", "B"}),
    ],
)
def test_search_filters(client, listings, query, refs):
    assert _refs(client.get(f"/spaces/?{query}")) == refs


def test_search_filter_by_park_id(client, listings, two_parks):
    assert _refs(client.get(f"/spaces/?park={two_parks[0].pk}")) == {"A", "B"}


def test_facet_counts_ignore_their_own_selection(client, listings, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        resp = client.get("/spaces/?kind=厂房&district=昌平区")
    assert _refs(resp) == {"B"}
    kinds = _facet(resp, "类型")
    # Within 昌平区 (kind selection ignored): A 实验室, B 厂房.
    assert (kinds["厂房"], kinds["实验室"], kinds["仓库"]) == (1, 1, 0)
    districts = _facet(resp, "区域")
    # Among 厂房 (district selection ignored): B in 昌平区, C in 大兴区.
    assert districts == {"昌平区": 1, "大兴区": 1}
    assert _facet(resp, "GMP") == {"GMP 厂房/车间": 1}


def test_facet_links_toggle_values(client, listings):
    resp = client.get("/spaces/?kind=厂房")
    html = resp.content.decode()
    assert 'href="?kind=%E5%8E%82%E6%88%BF&amp;kind=%E5%AE%9E%E9%AA%8C%E5%AE%A4"' in html
    assert re.search(r'aria-current="true">✓ 厂房', html)


@pytest.mark.parametrize(
    ("sort", "first"), [("area", "A"), ("-area", "C"), ("price", "C"), ("-price", "D")]
)
def test_sorting(listings, sort, first):
    result = space_search(SpaceFilter.from_params({"sort": sort}))
    assert result.page.object_list[0].ref == first


def test_pagination(listings):
    result = space_search(SpaceFilter.from_params({}), page=2, per_page=3)
    assert result.page.number == 2 and len(result.page.object_list) == 1
    assert result.page.paginator.num_pages == 2


def test_bad_parameters_are_reported_not_fatal(client, listings):
    resp = client.get("/spaces/?area_min=abc&sort=nope")
    assert resp.status_code == 200
    # a bad number is reported; an unknown sort falls back to the default without a word
    assert set(resp.context["filters"].errors) == {"area_min"}


def test_space_page_shows_badges_and_lead_block(client, listings):
    from parklink.parks.models import Space

    for ref, badges in (("F", ["待确认"]), ("A", [])):
        space = Space.objects.get(ref=ref)
        Space.objects.filter(pk=space.pk).update(is_demo=True)
        html = client.get(space.get_absolute_url()).content.decode()
        # Demo listings are marked once, discreetly, not with a 演示 badge.
        assert "更新于" in html and "示例房源" in html and "我要咨询" in html
        assert "badge-demo" not in html
        assert ("badge-stale" in html) == bool(badges)


def test_park_list_filters(client, listings, two_parks, django_assert_max_num_queries):
    from parklink.parks.services import industries_ensure

    two_parks[0].industries.set(industries_ensure(["生物医药"]))
    with django_assert_max_num_queries(6):
        resp = client.get("/parks/")
    assert [p.name for p in resp.context["page"]] == ["亦庄园", "生命园"]
    assert [p.name for p in client.get("/parks/?district=昌平区").context["page"]] == ["生命园"]
    assert [p.name for p in client.get("/parks/?industry=生物医药").context["page"]] == ["生命园"]
    counts = {p.name: p.available_spaces for p in resp.context["page"]}
    assert counts == {"生命园": 2, "亦庄园": 2}


def test_park_page_shows_facts_orgs_and_spaces(
    client, listings, two_parks, django_assert_max_num_queries
):
    from parklink.parks.models import ParkFact

    park = two_parks[0]
    ParkFact.objects.create(
        park=park,
        kind="occupancy",
        value=91,
        value_text="91%",
        as_of="2010",
        source_url="https://example.org/src",
        source_title="来源文章",
    )
    OrganizationFactory(name="北京生命科学研究所", park=park, kind="institute")
    with django_assert_max_num_queries(12):
        resp = client.get(park.get_absolute_url())
    html = resp.content.decode()
    assert "91%" in html and "https://example.org/src" in html
    assert "北京生命科学研究所" in html
    assert {s.ref for s in resp.context["spaces"]} == {"A", "B"}


def test_unknown_pages_are_404(client, db):
    assert client.get("/spaces/999999/").status_code == 404
    assert client.get("/parks/999999/").status_code == 404
