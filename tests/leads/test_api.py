"""POST /api/v1/leads (public) and the operators' endpoints with and without a token."""

from __future__ import annotations

import json

import pytest

from parklink.core.models import AuditEntry
from parklink.core.services import api_token_create
from parklink.leads.models import FollowUp, Inquiry, Lead
from tests.factories.leads import LeadFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/leads"


def post(client, payload, **kw):
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return client.post(URL, body, content_type="application/json", **kw)


def bearer(user):
    _token, key = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_public_post_creates_lead(client, valid_data):
    resp = post(client, valid_data)
    assert resp.status_code == 201
    body = resp.json()
    lead = Lead.objects.get(pk=body["id"])
    assert lead.channel == "接口" and lead.consent_basis == "接口同意"
    assert set(body) == {"id", "status"}  # nothing personal echoed back
    assert Inquiry.objects.get().data["mobile"] == valid_data["mobile"]


def test_exchange_format_with_requires(client, valid_data):
    payload = {
        **valid_data,
        "requires": {"gmp": True, "ceiling_height_m": 6, "power_kva": 800},
        "budget": 2.5,
        "budget_unit": "元/平方米/天",
        "parks": ["中关村生命科学园"],
    }
    assert post(client, payload).status_code == 201
    lead = Lead.objects.get()
    assert lead.requires == {"gmp": True, "ceiling_height_m": 6.0, "power_kva": 800.0}
    assert lead.parks == ["中关村生命科学园"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"mobile": "10086"}, "mobile"),
        ({"consent": False}, "consent"),
        ({"uscc": "91110000600037341X"}, "uscc"),
        ({"area_min_m2": -1}, "area_min_m2"),
        ({"annual_tax_wan": "很多"}, "annual_tax_wan"),
        ({"contact": "x" * 60}, "contact"),
    ],
)
def test_public_post_422_field_by_field_bilingual(client, valid_data, change, field):
    resp = post(client, {**valid_data, **change})
    assert resp.status_code == 422
    body = resp.json()
    assert body["error"] == "输入不合法 / invalid input"
    errors = {e["field"]: e for e in body["fields"]}
    assert field in errors
    assert errors[field]["message_zh"] and errors[field]["message_en"]
    assert " / " in errors[field]["message"]
    assert not Lead.objects.exists() and not Inquiry.objects.exists()


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", ""])
def test_public_post_400_on_malformed_body(client, body):
    resp = post(client, body)
    assert resp.status_code == 400
    assert "/" in resp.json()["error"]


def test_public_post_rate_limited(client, settings, valid_data):
    settings.PARKLINK_LEAD_RATE_LIMIT = "1/m"
    assert post(client, valid_data).status_code == 201
    resp = post(client, valid_data)
    assert resp.status_code == 429 and "too many" in resp.json()["error"]
    assert Inquiry.objects.count() == 1


def test_public_post_size_limited(client, settings, valid_data):
    settings.PARKLINK_LEAD_MAX_BYTES = 500
    assert post(client, {**valid_data, "need": "x" * 600}).status_code == 413
    assert not Lead.objects.exists()


@pytest.mark.parametrize("path", ["", "/1"])
def test_operator_endpoints_need_token(client, path):
    LeadFactory(pk=1)
    assert client.get(URL + path).status_code == 401
    assert client.get(URL + path, HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_token_of_non_operator_refused(client, django_user_model):
    user = django_user_model.objects.create_user("visitor", password="x")
    assert client.get(URL, **bearer(user)).status_code == 401


def test_list_scoped_and_masked_for_agent(client, agent, agent2, django_assert_max_num_queries):
    LeadFactory(owner=agent, mobile="13800001111")
    LeadFactory(mobile="13800002222")
    LeadFactory(owner=agent2, mobile="13800003333")
    headers = bearer(agent)
    with django_assert_max_num_queries(12):
        resp = client.get(URL, **headers)
    body = resp.json()
    assert body["count"] == 2
    mobiles = sorted(r["mobile"] for r in body["results"])
    assert mobiles == ["138****2222", "13800001111"]
    assert AuditEntry.objects.filter(action="lead.view_pii", actor=agent).exists()


def test_list_for_manager_unmasked(client, manager):
    for i in range(3):
        LeadFactory(mobile=f"1380000000{i}")
    body = client.get(URL, **bearer(manager)).json()
    assert body["count"] == 3 and all("*" not in r["mobile"] for r in body["results"])


def test_retrieve_out_of_scope_is_404(client, agent, agent2):
    lead = LeadFactory(owner=agent2)
    assert client.get(f"{URL}/{lead.pk}", **bearer(agent)).status_code == 404


def test_patch_and_follow_up(client, agent):
    lead = LeadFactory(owner=agent)
    headers = bearer(agent)
    resp = client.patch(
        f"{URL}/{lead.pk}",
        json.dumps(
            {"project_type": "研发", "score_intent": 5, "stage": "需求确认", "tags": ["重点"]}
        ),
        content_type="application/json",
        **headers,
    )
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["stage"] == "需求确认" and body["project_type"] == "研发"
    assert body["tags"] == ["重点"] and body["grade"] == "A"
    resp = client.post(
        f"{URL}/{lead.pk}/follow-ups",
        json.dumps({"kind": "微信", "note": "发了园区资料"}),
        content_type="application/json",
        **headers,
    )
    assert resp.status_code == 201
    assert FollowUp.objects.get().author == agent
    bad = client.patch(
        f"{URL}/{lead.pk}", json.dumps({"uscc": "123"}), content_type="application/json", **headers
    )
    assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == "uscc"


def test_patch_pool_lead_by_agent_forbidden(client, agent):
    lead = LeadFactory()
    resp = client.patch(
        f"{URL}/{lead.pk}",
        json.dumps({"use": "研发"}),
        content_type="application/json",
        **bearer(agent),
    )
    assert resp.status_code == 403
    lead.refresh_from_db()
    assert lead.use == ""


def test_openapi_documents_lead_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/leads" in schema["paths"]
    post_op = schema["paths"]["/api/v1/leads"]["post"]
    assert "consent" in json.dumps(post_op["requestBody"], ensure_ascii=False)


@pytest.mark.parametrize("lead_id", ["99999999999999999999", "9223372036854775808"])
def test_huge_lead_ids_are_missing_not_errors(client, agent, lead_id):
    resp = client.get(f"{URL}/{lead_id}", **bearer(agent))
    assert resp.status_code == 404 and " / " in resp.json()["error"]


def test_huge_offset_is_an_empty_page(client, agent):
    LeadFactory(owner=agent)
    resp = client.get(f"{URL}?offset=99999999999999999999", **bearer(agent))
    assert resp.status_code == 200 and resp.json()["results"] == []
