"""Catalogue API: same filters as the portal, paginated, bounded query counts."""

from __future__ import annotations

import pytest

from tests.factories.orgs import OrganizationFactory


def _refs(resp) -> set[str]:
    return {item["ref"] for item in resp.json()["items"]}


def test_spaces_lists_public_spaces_with_facets(client, listings, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        resp = client.get("/api/v1/spaces")
    body = resp.json()
    assert resp.status_code == 200 and body["count"] == 4
    assert _refs(resp) == {"A", "B", "C", "D"}
    kinds = next(f for f in body["facets"] if f["name"] == "kind")
    assert {v["value"]: v["count"] for v in kinds["values"]}["厂房"] == 2


@pytest.mark.parametrize(
    ("query", "refs"),
    [
        ("kind=厂房", {"B", "C"}),
        ("kind=厂房&kind=实验室", {"A", "B", "C"}),
        ("deal=出售", {"D"}),
        ("district=昌平区", {"A", "B"}),
        ("area_min=1000", {"B", "C"}),
        ("price_max=2&deal=出租", {"C"}),
        ("ceiling_min=8&gmp=true", {"B"}),
        ("load_min=2000", {"C"}),
        ("power_min=500", {"B", "C"}),
    ],
)
def test_spaces_filters_match_the_portal(client, listings, query, refs):
    api = _refs(client.get(f"/api/v1/spaces?{query}"))
    portal = {s.ref for s in client.get(f"/spaces/?{query}").context["page"].object_list}
    assert api == refs == portal


def test_spaces_pagination_and_errors(client, listings):
    body = client.get("/api/v1/spaces?per_page=3&page=2&sort=area").json()
    assert (body["page"], body["pages"], len(body["items"])) == (2, 2, 1)
    assert client.get("/api/v1/spaces?deal=出借").status_code == 422
    assert client.get("/api/v1/spaces?per_page=1000").status_code == 422


def test_space_and_park_detail(client, listings, two_parks, django_assert_max_num_queries):
    from parklink.parks.models import Space

    space = Space.objects.get(ref="A")
    body = client.get(f"/api/v1/spaces/{space.pk}").json()
    assert body["ref"] == "A" and body["gmp"] is True and body["district"] == "昌平区"
    with django_assert_max_num_queries(6):
        park = client.get(f"/api/v1/parks/{two_parks[0].pk}").json()
    assert {s["ref"] for s in park["spaces"]} == {"A", "B"}
    assert client.get("/api/v1/spaces/999999").status_code == 404
    assert client.get("/api/v1/parks/999999").status_code == 404


def test_parks_list_filters(client, listings, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        body = client.get("/api/v1/parks?district=大兴").json()
    assert [p["name"] for p in body["items"]] == ["亦庄园"]
    assert body["items"][0]["available_spaces"] == 2


def test_orgs_list_filters(client, two_parks, django_assert_max_num_queries):
    OrganizationFactory(name="甲研究所", kind="institute", park=two_parks[0])
    OrganizationFactory(name="乙公司", kind="enterprise", park=two_parks[1])
    with django_assert_max_num_queries(3):
        body = client.get("/api/v1/orgs?kind=institute").json()
    assert [o["name"] for o in body["items"]] == ["甲研究所"]
    body = client.get(f"/api/v1/orgs?park={two_parks[1].pk}").json()
    assert [o["name"] for o in body["items"]] == ["乙公司"]
