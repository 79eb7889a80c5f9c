"""API: the policies in force, public policy matching, evaluation and a lead's evaluations
(operators, within the viewer's lead scope)."""

from __future__ import annotations

import pytest

from parklink.core.models import AuditEntry
from parklink.core.services import api_token_create
from tests.factories.leads import LeadFactory

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, key = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_policy_list(client, policies):
    body = client.get("/api/v1/policies").json()
    assert {p["ref"] for p in body} == {"T-TAX", "T-TECH", "T-IC"}
    tax = next(p for p in body if p["ref"] == "T-TAX")
    assert tax["conditions"] == [{"field": "annual_tax_wan", "op": ">=", "value": 300}]
    assert {p["ref"] for p in client.get("/api/v1/policies?on=2020-06-01").json()} == {"T-OLD"}


def test_policy_match(client, policies):
    resp = client.post(
        "/api/v1/policies/match",
        {"need": "做创新药,年纳税400万元", "districts": ["昌平区"]},
        content_type="application/json",
    )
    assert resp.status_code == 200
    got = [(p["ref"], p["status"]) for p in resp.json()["policies"]]
    assert got == [("T-TAX", "eligible"), ("T-TECH", "possible"), ("T-IC", "ineligible")]


def test_policy_match_refuses_bad_facts(client, policies):
    resp = client.post("/api/v1/policies/match", {"land_mu": "-1"}, content_type="application/json")
    assert resp.status_code == 422 and "land_mu" in resp.json()["error"]


def test_evaluate_needs_a_token(client, bio_park, agent):
    body = {
        "lead": {"need": "投资2亿元, 占地30亩, 年纳税1800万元", "industry": "创新药"},
        "park": "测试生命科学园",
    }
    assert client.post("/api/v1/evaluate", body, content_type="application/json").status_code == 401
    resp = client.post("/api/v1/evaluate", body, content_type="application/json", **bearer(agent))
    assert resp.status_code == 200
    assert resp.json()["grade"] == "A" and resp.json()["indicators"]["tax_wan_per_mu"] == 60.0
    missing = client.post(
        "/api/v1/evaluate",
        {**body, "park": "无此园"},
        content_type="application/json",
        **bearer(agent),
    )
    assert missing.status_code == 404


def test_lead_evaluations_follow_the_lead_scope(client, bio_park, policies, agent, agent2):
    lead = LeadFactory(
        owner=agent,
        industry="创新药",
        parks=["测试生命科学园"],
        need="投资2亿元, 占地30亩, 年纳税1800万元",
    )
    resp = client.get(f"/api/v1/leads/{lead.pk}/evaluations", **bearer(agent))
    assert resp.status_code == 200
    body = resp.json()
    assert body["evaluations"][0]["park"] == "测试生命科学园"
    assert body["evaluations"][0]["grade"] == "A"
    assert any(p["ref"] == "T-TAX" for p in body["policies"])
    assert AuditEntry.objects.filter(action="lead.evaluation_report").count() == 1
    # another agent's lead looks missing
    assert client.get(f"/api/v1/leads/{lead.pk}/evaluations", **bearer(agent2)).status_code == 404


def test_openapi_lists_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/policies",
        "/api/v1/policies/match",
        "/api/v1/evaluate",
        "/api/v1/leads/{lead_id}/evaluations",
    } <= set(paths)


def test_lead_api_carries_the_project_facts(client, agent):
    lead = LeadFactory(owner=agent, land_mu=12, is_high_tech=False)
    body = client.get(f"/api/v1/leads/{lead.pk}", **bearer(agent)).json()
    assert (
        body["land_mu"] == 12 and body["is_high_tech"] is False and body["is_specialized"] is None
    )
    resp = client.patch(
        f"/api/v1/leads/{lead.pk}",
        {"is_specialized": True, "annual_output_wan": "900"},
        content_type="application/json",
        **bearer(agent),
    )
    assert resp.status_code == 200
    assert resp.json()["is_specialized"] is True and resp.json()["annual_output_wan"] == 900


def test_evaluate_a_park_without_rules_is_unrated(client, plain_park, agent):
    body = {"lead": {"industry": "创新药", "annual_tax_wan": 100}, "park": "测试物流园"}
    resp = client.post("/api/v1/evaluate", body, content_type="application/json", **bearer(agent))
    assert resp.status_code == 200
    got = resp.json()
    assert (got["score"], got["grade"], got["vetoed"]) == (None, None, False)
    assert [c["rule"] for c in got["checks"]] == ["rules"]
