"""Hostile input against every public page and API operation, as an anonymous visitor.

Each hostile value of issue 9 (`park=²`, NUL bytes, lone surrogates, 15,000 nested
brackets, 20-digit ids and offsets, `1e27`, NaN, infinities) is sent to every public GET page
and every API operation; none may answer 5xx. Runs on SQLite and on PostgreSQL (NUL bytes
are what PostgreSQL refuses in text)."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from django.test import Client

from parklink.api.urls import api
from parklink.leads.models import Inquiry, Lead
from tests.factories.news import ArticleFactory
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import ParkFactory, SpaceFactory

pytestmark = pytest.mark.django_db

# Query-string values, already percent-encoded as a client would send them.
HOSTILE_QUERY = {
    "superscript": quote("²"),
    "fraction": quote("½"),
    "fullwidth": quote("１２"),
    "nul": "a%00b",
    "nul_only": "%00",
    "surrogate_utf8": "%ED%A0%80",  # the UTF-8 bytes of a lone surrogate
    "twenty_digits": "9" * 20,
    "int64_plus_one": str(2**63),
    "negative": "-1",
    "exp": "1e27",
    "nan": "NaN",
    "inf": "-Infinity",
    "brackets": "%5B" * 15000,
    "long": "x" * 4000,
}
PARAMS = (
    "q",
    "park",
    "page",
    "per_page",
    "offset",
    "limit",
    "kind",
    "deal",
    "district",
    "industry",
    "area_min",
    "area_max",
    "price_min",
    "price_max",
    "ceiling_min",
    "load_min",
    "power_min",
    "gmp",
    "sort",
    "facets",
    "category",
    "lead",
    "space",
    "top",
    "type",
    "year",
    "from",
    "to",
)
BIG_IDS = ("9" * 20, str(2**63), str(2**63 - 1), "0")


@pytest.fixture
def catalogue(db):
    space = SpaceFactory()
    org = OrganizationFactory(park=space.park)
    article = ArticleFactory()
    return {"park": space.park.pk, "space": space.pk, "org": org.pk, "article": article.pk}


def _pages(ids: dict[str, int]) -> list[str]:
    return [
        "/",
        "/search/",
        "/parks/",
        f"/parks/{ids['park']}/",
        f"/parks/{ids['park']}/chain/",
        f"/parks/{ids['park']}/policies/",
        "/spaces/",
        f"/spaces/{ids['space']}/",
        f"/orgs/{ids['org']}/",
        "/inquiry/",
        "/inquiry/thanks/",
        "/news/",
        "/news/feed/",
        "/news/category/政策/",
        f"/news/{ids['article']}/",
        f"/news/{ids['article']}/takedown/",
        "/sitemap.xml",
        "/policies/",
        "/policies/check/",
        "/policies/NOPE/",
        "/healthz",
        "/office/login/",
    ]


def _api_operations(ids: dict[str, int]) -> list[tuple[str, str]]:
    """(method, path) of every operation in the OpenAPI schema, path ids filled in."""
    schema = api.get_openapi_schema()
    ops = []
    for path, item in schema["paths"].items():
        concrete = path
        for name in ("park_id", "space_id", "lead_id", "org_id", "article_id"):
            concrete = concrete.replace("{" + name + "}", str(ids.get(name[:-3], 1)))
        if "{" in concrete:  # any other path parameter: a plain text value
            concrete = concrete.split("{")[0] + "x" + concrete.split("}", 1)[1]
        ops.extend((method.upper(), concrete) for method in item)
    return ops


def _assert_no_5xx(response, what: str) -> None:
    assert response.status_code < 500, f"{what} → {response.status_code}"


@pytest.mark.parametrize("value", HOSTILE_QUERY.values(), ids=HOSTILE_QUERY.keys())
def test_hostile_query_values_get_no_5xx_on_any_page(client: Client, catalogue, value: str):
    query = "&".join(f"{name}={value}" for name in PARAMS)
    for path in _pages(catalogue):
        _assert_no_5xx(client.get(path, QUERY_STRING=query), f"GET {path}?…={value[:20]}")


@pytest.mark.parametrize("value", HOSTILE_QUERY.values(), ids=HOSTILE_QUERY.keys())
def test_hostile_query_values_get_no_5xx_on_any_api_operation(
    client: Client, catalogue, value: str
):
    for method, path in _api_operations(catalogue):
        if method != "GET":
            continue
        schema_params = _query_params(path)
        for name in schema_params or PARAMS[:3]:
            response = client.get("/api/v1" + path, QUERY_STRING=f"{name}={value}")
            _assert_no_5xx(response, f"GET {path}?{name}={value[:20]}")


def _query_params(concrete_path: str) -> list[str]:
    schema = api.get_openapi_schema()
    for path, item in schema["paths"].items():
        pattern = path.split("{")[0]
        if concrete_path.startswith(pattern) and path.count("/") == concrete_path.count("/"):
            get = item.get("get") or {}
            return [p["name"] for p in get.get("parameters", []) if p.get("in") == "query"]
    return []


@pytest.mark.parametrize("big", BIG_IDS)
def test_out_of_range_ids_in_paths_answer_404(client: Client, catalogue, big: str):
    templates = [
        "/parks/{}/",
        "/parks/{}/chain/",
        "/parks/{}/policies/",
        "/spaces/{}/",
        "/orgs/{}/",
        "/news/{}/",
        "/news/{}/takedown/",
        "/api/v1/parks/{}",
        "/api/v1/spaces/{}",
    ]
    for template in templates:
        response = client.get(template.format(big))
        _assert_no_5xx(response, template.format(big))
        assert response.status_code == 404, template.format(big)


def test_out_of_range_api_ids_of_every_operation_get_no_5xx(client: Client, catalogue):
    for method, path in _api_operations({k: 2**64 for k in catalogue}):
        response = client.generic(method, "/api/v1" + path, "{}", content_type="application/json")
        _assert_no_5xx(response, f"{method} {path}")


HOSTILE_TEXT = {
    "nul": "北京\x00园区",
    "surrogate": "北京\ud800园区",
    "low_surrogate": "\udfff",
    "superscript": "²",
}


def _json(value) -> bytes:
    # ensure_ascii keeps lone surrogates as \\udXXX escapes, as a hostile client sends them.
    return json.dumps(value, ensure_ascii=True).encode()


def _deep(n: int) -> bytes:
    return b"[" * n + b"]" * n


HOSTILE_BODIES = {
    "deep_array": _deep(15000),
    "deep_object": b'{"a":' * 15000 + b"1" + b"}" * 15000,
    "deep_unbalanced": b"[" * 15000,
    "nan": '{"need": "3000平", "area_min_m2": NaN, "budget": Infinity}'.encode(),
    "huge_numbers": _json({"area_min_m2": 1e27, "budget": 10**30, "top": 10**20, "limit": -1}),
    "nul_raw": b'{"need": "a\x00b"}',
    # a surrogate written as raw (CESU-8) bytes, not as a \\ud800 escape: invalid UTF-8,
    # which json.loads(bytes) decodes into a lone surrogate
    "surrogate_raw": '{"need": "3000平", "company": "北京\ud800公司", "contact": "张三", '
    '"mobile": "13800138000", "consent": true}'.encode("utf-8", "surrogatepass"),
    "not_json": b"\xff\xfe{",
    "scalar": b"1e999",
    **{
        f"text_{k}": _json(
            {
                "contact": v,
                "company": v,
                "mobile": v,
                "need": v,
                "text": v,
                "q": v,
                "park": v,
                "districts": [v],
                "requires": {"gmp": v},
            }
        )
        for k, v in HOSTILE_TEXT.items()
    },
}


@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_hostile_json_bodies_get_no_5xx_on_any_api_operation(
    client: Client, catalogue, settings, body: bytes
):
    settings.PARKLINK_LEAD_RATE_LIMIT = "off"
    settings.PARKLINK_MATCH_RATE_LIMIT = "off"
    for method, path in _api_operations(catalogue):
        if method == "GET":
            continue
        response = client.generic(method, "/api/v1" + path, body, content_type="application/json")
        _assert_no_5xx(response, f"{method} {path} ← {body[:30]!r}")


def test_deep_json_is_refused_with_a_bilingual_message(client: Client, catalogue):
    response = client.post("/api/v1/leads", _deep(15000), content_type="application/json")
    assert response.status_code == 400
    message = response.json()["error"]
    assert "嵌套" in message and "nested" in message
    assert not Inquiry.objects.exists()


def test_bodies_over_the_upload_limit_get_the_apis_json_413_on_every_operation(
    client: Client, catalogue, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    big = _json({"need": "厂房" * 4000})
    for method, path in _api_operations(catalogue):
        if method == "GET":
            continue
        response = client.generic(method, "/api/v1" + path, big, content_type="application/json")
        assert response.status_code == 413, f"{method} {path}: {response.status_code}"
        assert response["Content-Type"].startswith("application/json")
        message = response.json()["error"]
        assert "过大" in message and "too large" in message
    assert not Inquiry.objects.exists()


def test_a_lead_with_nul_and_surrogates_is_stored_clean(client: Client, settings):
    settings.PARKLINK_LEAD_RATE_LIMIT = "off"
    body = _json(
        {
            "contact": "张\x00三",
            "company": "北京\ud800某某生物科技有限公司",
            "mobile": "13800138000",
            "need": "需要\udfff厂房 2000平方米\x00",
            "consent": True,
        }
    )
    response = client.post("/api/v1/leads", body, content_type="application/json")
    assert response.status_code in (201, 202), response.content
    lead = Lead.objects.get()
    assert lead.contact == "张三"
    assert lead.company == "北京某某生物科技有限公司"
    raw = json.dumps(Inquiry.objects.get().data, ensure_ascii=True)
    assert "\\u0000" not in raw and "\\ud800" not in raw and "\\udfff" not in raw


def test_a_lead_with_a_raw_surrogate_byte_sequence_is_stored_clean(client: Client, settings):
    """The surrogate as raw bytes (not a \\ud800 escape): invalid UTF-8 that json.loads
    decodes into a lone surrogate. The lead is stored, its text without it."""
    settings.PARKLINK_LEAD_RATE_LIMIT = "off"
    body = HOSTILE_BODIES["surrogate_raw"]
    response = client.post("/api/v1/leads", body, content_type="application/json")
    assert response.status_code in (201, 202), response.content
    lead = Lead.objects.get()
    assert lead.company == "北京公司" and lead.contact == "张三"
    assert "\\ud800" not in json.dumps(Inquiry.objects.get().data, ensure_ascii=True)


def test_the_portal_form_stores_nul_free_text(client: Client, settings):
    settings.PARKLINK_LEAD_RATE_LIMIT = "off"
    response = client.post(
        "/inquiry/",
        {
            "contact": "李\x00四",
            "mobile": "13900139000",
            "company": "某某\x00公司",
            "need": "研发楼 800平",
            "consent": "on",
        },
    )
    assert response.status_code in (200, 302)
    lead = Lead.objects.filter(mobile__endswith="139000").first() or Lead.objects.first()
    if lead is not None:  # stored: its text holds no NUL
        assert "\x00" not in lead.contact + lead.company
    for inquiry in Inquiry.objects.all():
        assert "\\u0000" not in json.dumps(inquiry.data)


@pytest.mark.parametrize("value", ["1e27", "NaN", "inf", "-1", "abc"])
def test_out_of_bounds_numbers_in_space_search_get_a_clear_422(client: Client, value: str):
    response = client.get("/api/v1/spaces", {"area_min": value})
    assert response.status_code == 422
    assert "/" in response.json()["error"]  # zh / en


def test_superscript_park_is_refused_not_crashed(client: Client, catalogue):
    response = client.get("/api/v1/spaces", {"park": "²"})
    assert response.status_code == 422
    assert client.get("/spaces/", {"park": "²"}).status_code == 200
    assert client.get("/api/v1/orgs", {"park": "²"}).status_code in (200, 422)


def test_patch_lead_with_unknown_fields_is_refused_naming_them(client: Client, manager):
    from parklink.core.services import api_token_create
    from tests.factories.leads import LeadFactory

    lead = LeadFactory(owner=manager, company="原公司")
    _token, key = api_token_create(user=manager, name="t")
    response = client.patch(
        f"/api/v1/leads/{lead.pk}",
        json.dumps({"owner": "agent2", "company": "新公司"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert [f["field"] for f in fields] == ["owner"]
    assert "read-only" in fields[0]["message"]
    lead.refresh_from_db()
    assert lead.company == "原公司" and lead.owner == manager  # nothing half-written


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:x",
        "data:text/html,<b>",
        "vbscript:x",
    ],
)
def test_script_and_data_urls_are_refused_in_photo_and_source_fields(url: str):
    from django.core.exceptions import ValidationError

    park = ParkFactory()
    park.sources = ["https://example.com/a", url]
    with pytest.raises(ValidationError) as caught:
        park.full_clean()
    assert "sources" in caught.value.message_dict
    space = SpaceFactory(park=park)
    space.photos = [url]
    with pytest.raises(ValidationError):
        space.full_clean()


@pytest.mark.parametrize(
    "url", ["https://example.com/x.jpg", "/media/spaces/1/a.jpg", "北京日报:2023"]
)
def test_http_links_and_site_paths_are_accepted(url: str):
    from parklink.core.hygiene import safe_url

    assert safe_url(url)


def test_a_wrong_method_on_the_api_gets_the_json_error_body(client: Client, catalogue):
    response = client.post("/api/v1/parks")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert "GET" in response["Allow"] and "GET" in response.json()["error"]
    assert "method not allowed" in response.json()["error"]
