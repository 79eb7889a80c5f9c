"""GET /api/v1/leads/{id}/matches, GET /api/v1/spaces/{id}/leads, POST /api/v1/match."""

from __future__ import annotations

import pytest

from parklink.parks.models import Space
from tests.factories.leads import LeadFactory
from tests.matching.conftest import SENTENCE

pytestmark = pytest.mark.django_db


def auth(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_lead_matches_need_a_token(client, ivd_lead):
    assert client.get(f"/api/v1/leads/{ivd_lead.pk}/matches").status_code == 401


def test_lead_matches(client, ivd_lead, operator_token, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        resp = client.get(f"/api/v1/leads/{ivd_lead.pk}/matches?top=5", **auth(operator_token))
    assert resp.status_code == 200
    data = resp.json()
    assert data["results"][0]["ref"] == "DX-1650"
    assert data["results"][0]["reasons"][0] == {
        "criterion": "kind",
        "ok": True,
        "text": "厂房·出租,类型相符",
        "hard": True,
    }
    assert data["requirement"]["profile"] == "体外诊断试剂"
    assert "mobile" not in str(data)


def test_agent_cannot_see_matches_of_another_agents_lead(client, catalogue, agent2, operator_token):
    lead = LeadFactory(need=SENTENCE, owner=agent2)
    resp = client.get(f"/api/v1/leads/{lead.pk}/matches", **auth(operator_token))
    assert resp.status_code == 404  # out of scope looks exactly like missing


def test_space_leads(client, ivd_lead, operator_token):
    space = Space.objects.get(ref="DX-1650")
    resp = client.get(f"/api/v1/spaces/{space.pk}/leads", **auth(operator_token))
    assert resp.status_code == 200
    (row,) = resp.json()
    assert row["lead_id"] == ivd_lead.pk and row["score"] > 70
    assert "mobile" not in row and ivd_lead.mobile not in str(row)


def test_public_match_by_free_text(client, catalogue):
    resp = client.post(
        "/api/v1/match", {"need": SENTENCE, "top": 3}, content_type="application/json"
    )
    assert resp.status_code == 200
    data = resp.json()
    assert [r["ref"] for r in data["results"]][:1] == ["DX-1650"]
    assert data["parks"][0]["park"] == "北京生物医药产业基地"


def test_public_match_structured(client, catalogue):
    resp = client.post(
        "/api/v1/match",
        {"kind": "仓库", "districts": ["通州"], "area_min_m2": 4000},
        content_type="application/json",
    )
    assert [r["ref"] for r in resp.json()["results"]] == ["TZ-W"]


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        ({"need": "你好"}, "需求信息不足"),
        ({"area_min_m2": 3000, "area_max_m2": 1000}, "area_min_m2"),
        ({"budget": 3, "budget_unit": "元/桶"}, "budget_unit"),
    ],
)
def test_public_match_refuses_bad_input(client, catalogue, payload, needle):
    resp = client.post("/api/v1/match", payload, content_type="application/json")
    assert resp.status_code == 422
    assert needle in resp.json()["error"]


def test_public_match_is_rate_limited_per_ip(client, catalogue, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setenv("PARKLINK_MATCH_RATE_LIMIT", "2/m")
    body = {"need": SENTENCE, "top": 1}
    codes = [
        client.post("/api/v1/match", body, content_type="application/json").status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    monkeypatch.setenv("PARKLINK_MATCH_RATE_LIMIT", "off")
    assert client.post("/api/v1/match", body, content_type="application/json").status_code == 200
