"""The role walk: every office URL (resolved from parklink/office/urls*.py, so new ones are
walked too) and every API operation (from the OpenAPI schema) as anonymous, agent A, agent B
and a manager, against an outcome table: status codes, and whose full mobile numbers may
appear. A lead outside the viewer's scope answers exactly like a missing one (no 403-vs-404
oracle). Exports and imports are walked with the outcome that is correct."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver
from openpyxl import load_workbook

from parklink.api.urls import api
from parklink.core.services import api_token_create
from parklink.leads.choices import Stage
from parklink.leads.models import Inquiry, Lead
from parklink.office import urls as office_urls
from tests.factories.leads import InquiryFactory, LeadFactory
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import ParkFactory, SpaceFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "agent_a", "agent_b", "manager")
MOBILE_A, MOBILE_B, MOBILE_POOL = "13800001111", "13900002222", "13700003333"
MISSING = 987654321


# --- the world --------------------------------------------------------------------------


@pytest.fixture
def world(agent, agent2, manager):
    park = ParkFactory(name="角色遍历园区")
    space = SpaceFactory(park=park, ref="WALK-1")
    org = OrganizationFactory(name="角色遍历机构")
    lead_a = LeadFactory(owner=agent, mobile=MOBILE_A, company="甲专员的客户有限公司")
    lead_b = LeadFactory(owner=agent2, mobile=MOBILE_B, company="乙专员的客户有限公司")
    pool = LeadFactory(mobile=MOBILE_POOL, company="公海客户有限公司", stage=Stage.NEW)
    for lead in (lead_a, lead_b, pool):
        InquiryFactory(lead=lead, data={"mobile": lead.mobile, "need": lead.need})
    users = {"anonymous": None, "agent_a": agent, "agent_b": agent2, "manager": manager}
    tokens = {
        role: api_token_create(user=user, name="walk")[1]
        for role, user in users.items()
        if user is not None
    }
    return {
        "users": users,
        "tokens": tokens,
        "lead_a": lead_a,
        "lead_b": lead_b,
        "pool": pool,
        "space": space,
        "park": park,
        "org": org,
    }


def _client(world, role: str) -> Client:
    client = Client(REMOTE_ADDR="192.0.2.10")
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    return client


def _text(resp) -> str:
    """A response's text, spreadsheets included (every cell)."""
    body = b"".join(resp.streaming_content) if resp.streaming else resp.content
    if body[:2] == b"PK":  # xlsx
        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            " ".join("" if v is None else str(v) for v in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return body.decode("utf-8", "replace")


# Whose full numbers each role must never see anywhere.
FORBIDDEN = {
    "anonymous": (MOBILE_A, MOBILE_B, MOBILE_POOL),
    "agent_a": (MOBILE_B, MOBILE_POOL),  # the pool is masked for agents until revealed
    "agent_b": (MOBILE_A, MOBILE_POOL),
    "manager": (),
}


def _assert_no_leak(role: str, text: str, where: str) -> None:
    leaked = [m for m in FORBIDDEN[role] if m in text]
    assert not leaked, f"{role} sees full mobile(s) {leaked} at {where}"


# --- office URLs ------------------------------------------------------------------------


def _office_patterns() -> list[URLPattern]:
    found: list[URLPattern] = []

    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns)
            elif isinstance(p, URLPattern):
                found.append(p)

    walk(office_urls.urlpatterns)
    return found


def _kwargs(name: str, converters: list[str], world) -> dict[str, int]:
    """Path arguments: agent A's lead for lead URLs, real catalogue rows for catalogue
    ones, a missing id otherwise."""
    out = {}
    for arg in converters:
        if arg in ("lead_pk",) or (arg == "pk" and name.startswith("lead-")):
            out[arg] = world["lead_a"].pk
        elif arg == "space_pk" or (arg == "pk" and name.startswith("catalogue-space")):
            out[arg] = world["space"].pk
        elif arg == "pk" and name.startswith("catalogue-park"):
            out[arg] = world["park"].pk
        elif arg == "pk" and name.startswith("catalogue-org"):
            out[arg] = world["org"].pk
        else:
            out[arg] = MISSING
    return out


def _office_url(pattern: URLPattern, kwargs: dict[str, int]) -> str:
    route = str(pattern.pattern)
    for arg, value in kwargs.items():
        route = re.sub(rf"<(?:\w+:)?{arg}>", str(value), route)
    return "/office/" + route


# GET outcome per URL name: (anonymous, agent A, agent B, manager), with agent A's lead as
# the lead. 302 for anonymous is the login redirect. Names missing here get the default
# rule: anonymous to the login page, nobody a 5xx, nobody a number they may not see.
LOGIN = 302
OFFICE_GET = {
    "login": (200, 200, 200, 200),
    "logout": (405, 405, 405, 405),
    "dashboard": (LOGIN, 200, 200, 200),
    "catalogue-spaces": (LOGIN, 200, 200, 200),
    "catalogue-space-create": (LOGIN, 200, 200, 200),
    "catalogue-space-edit": (LOGIN, 200, 200, 200),
    "catalogue-space-reconfirm": (LOGIN, 405, 405, 405),
    "catalogue-space-status": (LOGIN, 405, 405, 405),
    "catalogue-parks": (LOGIN, 200, 200, 200),
    "catalogue-park-create": (LOGIN, 200, 200, 200),
    "catalogue-park-edit": (LOGIN, 200, 200, 200),
    "catalogue-orgs": (LOGIN, 200, 200, 200),
    "catalogue-org-create": (LOGIN, 200, 200, 200),
    "catalogue-org-edit": (LOGIN, 200, 200, 200),
    "catalogue-exchange": (LOGIN, 200, 200, 200),
    "catalogue-export": (LOGIN, 200, 200, 200),  # the content is walked below
    "lead-list": (LOGIN, 200, 200, 200),
    "lead-board": (LOGIN, 200, 200, 200),
    "lead-pool": (LOGIN, 200, 200, 200),
    "lead-create": (LOGIN, 200, 200, 200),
    "lead-export": (LOGIN, 200, 200, 200),
    "lead-detail": (LOGIN, 200, 404, 200),
    "lead-edit": (LOGIN, 200, 404, 200),
    "lead-reveal": (LOGIN, 405, 405, 405),
    "lead-follow-up": (LOGIN, 405, 405, 405),
    "lead-stage": (LOGIN, 405, 405, 405),
    "lead-assign": (LOGIN, 403, 403, 405),
    "lead-claim": (LOGIN, 405, 405, 405),
    "lead-release": (LOGIN, 405, 405, 405),
    "lead-tags": (LOGIN, 405, 405, 405),
    "lead-erase": (LOGIN, 403, 403, 200),
    "lead-merge": (LOGIN, 200, 404, 200),
    "lead-split": (LOGIN, 200, 404, 200),
    "match-page": (LOGIN, 200, 200, 200),
    "match-alerts": (LOGIN, 200, 200, 200),
    "match-space-leads": (LOGIN, 200, 200, 200),
    "match-recommend": (LOGIN, 405, 405, 405),
    "match-not-interested": (LOGIN, 405, 405, 405),
    "news-queue": (LOGIN, 200, 200, 200),
    "news-entity": (LOGIN, 404, 404, 404),
    "news-fact": (LOGIN, 404, 404, 404),
    "news-takedowns": (LOGIN, 200, 200, 200),
    "news-takedown-handle": (405, 405, 405, 405),
    "news-runs": (LOGIN, 200, 200, 200),
    "account-tokens": (LOGIN, 200, 200, 200),
    "account-token-revoke": (LOGIN, 405, 405, 405),
}

OFFICE = _office_patterns()


def test_the_table_has_no_stale_rows():
    """Every row names a live URL (URLs not in the table are walked by the default rule)."""
    stale = set(OFFICE_GET) - {p.name for p in OFFICE}
    assert not stale, "stale rows: " + ", ".join(sorted(stale))


@pytest.mark.parametrize("pattern", OFFICE, ids=[p.name or str(p.pattern) for p in OFFICE])
def test_office_url_get(pattern, world):
    converters = list(pattern.pattern.converters)
    url = _office_url(pattern, _kwargs(pattern.name or "", converters, world))
    expected = OFFICE_GET.get(pattern.name or "")
    for index, role in enumerate(ROLES):
        resp = _client(world, role).get(url)
        where = f"GET {url} as {role}"
        assert resp.status_code < 500, where
        if expected is not None:
            assert resp.status_code == expected[index], f"{where}: {resp.status_code}"
        elif role == "anonymous":
            assert resp.status_code in (302, 404, 405), where
        if resp.status_code == 302 and role == "anonymous":
            assert "/office/login/" in resp["Location"], where
        if resp.status_code == 200:
            _assert_no_leak(role, _text(resp), where)


LEAD_BOUND = [p for p in OFFICE if {"pk", "lead_pk"} & set(p.pattern.converters)]
LEAD_BOUND = [p for p in LEAD_BOUND if (p.name or "").startswith(("lead-", "match-"))]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("pattern", LEAD_BOUND, ids=[p.name or str(p.pattern) for p in LEAD_BOUND])
def test_out_of_scope_lead_looks_missing(pattern, method, world):
    """Agent B on agent A's lead gets exactly what B gets for a lead that does not exist;
    and agent A's lead is left unchanged."""
    converters = list(pattern.pattern.converters)
    kwargs = _kwargs(pattern.name or "", converters, world)
    missing = {k: (MISSING if k in ("pk", "lead_pk") else v) for k, v in kwargs.items()}
    client = _client(world, "agent_b")
    data = {
        "kind": "电话",
        "note": "试探",
        "stage": "已流失",
        "lost_reason": "其他",
        "tags": "试探",
        "owner": world["users"]["agent_b"].pk,
        "reason": "试探",
        "source": world["lead_b"].pk,
        "inquiries": [1],
    }
    before = Lead.objects.filter(pk=world["lead_a"].pk).values().get()
    real = getattr(client, method)(_office_url(pattern, kwargs), data)
    fake = getattr(client, method)(_office_url(pattern, missing), data)
    assert real.status_code == fake.status_code, (
        f"{method.upper()} {pattern.name}: {real.status_code} for A's lead, "
        f"{fake.status_code} for a missing one"
    )
    assert real.status_code in (403, 404, 405)
    _assert_no_leak("agent_b", _text(real), pattern.name or "")
    assert Lead.objects.filter(pk=world["lead_a"].pk).values().get() == before


# --- exports and imports ----------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "kind=leads&format=csv",
        "kind=leads&format=json",
        "kind=leads&format=xlsx",
        "kind=all&format=xlsx",
        "kind=all&format=json",
        "kind=spaces&format=json",
    ],
)
@pytest.mark.parametrize("role", ["agent_a", "agent_b"])
def test_agent_catalogue_export_holds_no_foreign_full_mobile(world, role, query):
    resp = _client(world, role).get("/office/catalogue/export/?" + query)
    assert resp.status_code == 200
    _assert_no_leak(role, _text(resp), "catalogue export " + query)


@pytest.mark.parametrize("role", ["agent_a", "agent_b", "manager"])
def test_lead_list_export_follows_the_scope(world, role):
    resp = _client(world, role).get("/office/leads/export.xlsx")
    assert resp.status_code == 200
    text = _text(resp)
    _assert_no_leak(role, text, "lead export")
    if role == "agent_a":
        assert MOBILE_A in text  # own lead in full
    if role == "manager":
        assert MOBILE_A in text and MOBILE_B in text


def test_agent_import_cannot_change_another_agents_lead(world):
    lead_a = world["lead_a"]
    before = Lead.objects.filter(pk=lead_a.pk).values().get()
    inquiries = Inquiry.objects.filter(lead=lead_a).count()
    rows = {
        "leads": [
            {
                "ref": lead_a.ref,
                "company": "被篡改的公司",
                "contact": "冒名",
                "mobile": "13900009999",
                "need": "改成别的需求",
                "uscc": "",
            },
            # Merging by mobile into A's lead is no way around it either.
            {"company": "另一家", "contact": "冒名", "mobile": MOBILE_A, "need": "试探"},
        ]
    }
    upload = io.BytesIO(json.dumps(rows, ensure_ascii=False).encode())
    upload.name = "leads.json"
    resp = _client(world, "agent_b").post("/office/catalogue/exchange/", {"file": upload})
    assert resp.status_code in (200, 302, 400, 422)
    assert Lead.objects.filter(pk=lead_a.pk).values().get() == before
    assert Inquiry.objects.filter(lead=lead_a).count() == inquiries
    _assert_no_leak("agent_b", _text(resp), "import report")


# --- API operations ---------------------------------------------------------------------


def _operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path)
        for path, ops in schema["paths"].items()
        for method in ops
        if method in ("get", "post", "patch", "put", "delete")
    ]


OPERATIONS = _operations()
VALID_LEAD = {
    "contact": "走查",
    "mobile": "13600004444",
    "need": "需要800平米研发楼",
    "consent": True,
}
BODIES = {
    ("POST", "/api/v1/leads"): VALID_LEAD,
    ("PATCH", "/api/v1/leads/{lead_id}"): {"need": "走查修改的需求"},
    ("POST", "/api/v1/leads/{lead_id}/follow-ups"): {"kind": "电话", "note": "走查"},
    ("POST", "/api/v1/match"): {"need": "昌平1000平米厂房"},
}
# (anonymous, agent A, agent B, manager) for agent A's lead where a lead is named.
API_OUTCOME = {
    ("GET", "/api/v1/leads"): (401, 200, 200, 200),
    ("GET", "/api/v1/leads/{lead_id}"): (401, 200, 404, 200),
    ("PATCH", "/api/v1/leads/{lead_id}"): (401, 200, 404, 200),
    ("POST", "/api/v1/leads/{lead_id}/follow-ups"): (401, 201, 404, 201),
    ("GET", "/api/v1/leads/{lead_id}/matches"): (401, 200, 404, 200),
    ("GET", "/api/v1/spaces/{space_id}/leads"): (401, 200, 200, 200),
    ("POST", "/api/v1/leads"): (201, 201, 201, 201),
}


def _api_path(path: str, world, lead_pk: int | None = None) -> str:
    values = {
        "lead_id": lead_pk or world["lead_a"].pk,
        "space_id": world["space"].pk,
        "park_id": world["park"].pk,
    }
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), MISSING)), path)


def _call(world, role: str, method: str, path: str, body=None):
    headers = {}
    if role != "anonymous":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world['tokens'][role]}"
    client = Client(REMOTE_ADDR=f"192.0.2.{ROLES.index(role) + 20}")
    caller = getattr(client, method.lower())
    if method == "GET":
        return caller(path, **headers)
    return caller(path, json.dumps(body or {}), content_type="application/json", **headers)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_operation(method, path, world, settings):
    settings.PARKLINK_LEAD_RATE_LIMIT = "off"
    expected = API_OUTCOME.get((method, path))
    for index, role in enumerate(ROLES):
        body = dict(BODIES.get((method, path), {}))
        if (method, path) == ("POST", "/api/v1/leads"):
            body["mobile"] = f"1360000{index:04d}"
        resp = _call(world, role, method, _api_path(path, world), body)
        where = f"{method} {path} as {role}"
        assert resp.status_code < 500, where
        if expected is not None:
            assert resp.status_code == expected[index], f"{where}: {resp.status_code}"
        text = _text(resp)
        _assert_no_leak(role, text, where)
        if resp.status_code == 401:
            assert " / " in resp.json()["error"], where  # bilingual


LEAD_OPS = [(m, p) for m, p in OPERATIONS if "{lead_id}" in p]


@pytest.mark.parametrize(("method", "path"), LEAD_OPS, ids=[f"{m} {p}" for m, p in LEAD_OPS])
def test_api_out_of_scope_lead_looks_missing(method, path, world):
    body = BODIES.get((method, path), {})
    before = Lead.objects.filter(pk=world["lead_a"].pk).values().get()
    real = _call(world, "agent_b", method, _api_path(path, world), body)
    fake = _call(world, "agent_b", method, _api_path(path, world, lead_pk=MISSING), body)
    assert (real.status_code, real.json()) == (fake.status_code, fake.json())
    assert Lead.objects.filter(pk=world["lead_a"].pk).values().get() == before


def test_api_list_masks_as_on_screen(world):
    resp = _call(world, "agent_a", "GET", "/api/v1/leads")
    rows = {row["ref"]: row for row in resp.json()["results"]}
    assert rows[world["lead_a"].ref]["mobile"] == MOBILE_A
    pool = rows[world["pool"].ref]
    assert pool["mobile"] == "137****3333" and pool["mobile_masked"] is True
    assert world["lead_b"].ref not in rows
