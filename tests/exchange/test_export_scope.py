"""Exports of the exchange format follow the lead list's scope and masking (issue 9): the
office catalogue export (every kind, `all` included) and `parklink export`. Every export is
audit-logged with its actor, rows and full numbers written."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from parklink.core.models import AuditEntry, Team
from parklink.leads.choices import Stage
from parklink.leads.models import Lead
from tests.factories.leads import LeadFactory
from tests.factories.parks import ParkFactory, SpaceFactory

pytestmark = pytest.mark.django_db

MOBILE_A, MOBILE_B, MOBILE_POOL = "13800001111", "13900002222", "13700003333"
MASKED = {MOBILE_A: "138****1111", MOBILE_B: "139****2222", MOBILE_POOL: "137****3333"}


@pytest.fixture
def world(agent, agent2, manager):
    SpaceFactory(park=ParkFactory(name="导出园区"), ref="EXP-1")
    leads = {
        "a": LeadFactory(owner=agent, mobile=MOBILE_A, company="甲的客户", contact="张三"),
        "b": LeadFactory(owner=agent2, mobile=MOBILE_B, company="乙的客户", contact="李四"),
        "pool": LeadFactory(mobile=MOBILE_POOL, company="公海客户", stage=Stage.NEW),
    }
    # A closed unowned lead: outside an agent's scope (the 公海 is open leads only).
    leads["closed"] = LeadFactory(
        mobile="13600004444", company="已关闭客户", stage=Stage.LOST, lost_reason="预算不足"
    )
    return leads


def _rows(body: bytes, fmt: str) -> list[dict[str, object]]:
    """The lead rows of an export, keyed by English field or Chinese header."""
    if fmt == "json":
        return json.loads(body)["leads"]
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    book = load_workbook(io.BytesIO(body))
    ws = book["线索"]
    grid = [[c.value for c in row] for row in ws.iter_rows()]
    return [dict(zip(grid[0], r, strict=True)) for r in grid[1:]]


def _mobiles(rows) -> dict[str, str]:
    return {
        str(r.get("company") or r.get("公司")): str(r.get("mobile") or r.get("手机号"))
        for r in rows
    }


def _get(client, user, query: str) -> bytes:
    client.force_login(user)
    resp = client.get("/office/catalogue/export/?" + query)
    assert resp.status_code == 200, resp.status_code
    return resp.content


@pytest.mark.parametrize(
    ("query", "fmt"),
    [
        ("kind=leads&format=csv", "csv"),
        ("kind=leads&format=xlsx", "xlsx"),
        ("kind=leads&format=json", "json"),
        ("kind=all&format=xlsx", "xlsx"),
        ("kind=all&format=json", "json"),
    ],
)
def test_agent_exports_own_and_pool_leads_masked_as_on_screen(client, world, agent, query, fmt):
    body = _get(client, agent, query)
    raw = body if fmt != "xlsx" else b""
    mobiles = _mobiles(_rows(body, fmt))
    # own lead in full; the 公海 lead masked; another agent's lead and a closed unowned lead
    # are not there at all
    assert mobiles == {"甲的客户": MOBILE_A, "公海客户": MASKED[MOBILE_POOL]}
    for full in (MOBILE_B, MOBILE_POOL, "13600004444"):
        assert full.encode() not in raw
    entry = AuditEntry.objects.get(action="lead.export")
    assert entry.actor == agent
    assert entry.detail["unmasked"] == 1
    assert entry.detail["rows"]["leads"] == 2
    assert entry.detail["kind"] == ("all" if "kind=all" in query else "leads")
    assert entry.detail["format"] == fmt and entry.detail["via"] == "office"


def test_two_agents_never_see_each_others_numbers(client, world, agent, agent2):
    for user, own, other in ((agent, MOBILE_A, MOBILE_B), (agent2, MOBILE_B, MOBILE_A)):
        body = _get(client, user, "kind=all&format=json")
        assert own.encode() in body
        assert other.encode() not in body and MASKED[other].encode() not in body


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_manager_exports_the_team_in_full(client, world, manager, fmt):
    mobiles = _mobiles(_rows(_get(client, manager, f"kind=leads&format={fmt}"), fmt))
    assert mobiles == {
        "甲的客户": MOBILE_A,
        "乙的客户": MOBILE_B,
        "公海客户": MOBILE_POOL,
        "已关闭客户": "13600004444",
    }
    assert AuditEntry.objects.get(action="lead.export").detail["unmasked"] == 4


def test_manager_in_a_team_exports_only_the_team(client, world, manager, agent):
    Team.objects.create(name="招商一组").members.add(manager, agent)
    mobiles = _mobiles(_rows(_get(client, manager, "kind=leads&format=json"), "json"))
    assert set(mobiles) == {"甲的客户", "公海客户", "已关闭客户"}
    assert MOBILE_B not in mobiles.values()


def test_merged_tombstones_are_not_exported(client, world, manager):
    survivor = world["a"]
    LeadFactory(owner=survivor.owner, mobile="13500005555", company="已合并", merged_into=survivor)
    mobiles = _mobiles(_rows(_get(client, manager, "kind=leads&format=json"), "json"))
    assert "已合并" not in mobiles


def test_catalogue_only_export_is_audited_without_personal_rows(client, world, agent):
    body = _get(client, agent, "kind=spaces&format=json")
    assert json.loads(body)["spaces"][0]["ref"] == "EXP-1"
    entry = AuditEntry.objects.get(action="exchange.export")
    assert entry.actor == agent
    assert entry.detail["rows"] == {"spaces": 1} and entry.detail["unmasked"] == 0
    assert not AuditEntry.objects.filter(action="lead.export").exists()


def test_anonymous_and_non_operators_get_no_export(client, world, django_user_model):
    resp = client.get("/office/catalogue/export/?kind=leads&format=json")
    assert resp.status_code in (302, 403)
    client.force_login(django_user_model.objects.create_user("visitor", password="x"))
    resp = client.get("/office/catalogue/export/?kind=leads&format=json")
    assert resp.status_code in (302, 403, 404)
    assert MOBILE_A.encode() not in resp.content
    assert not AuditEntry.objects.filter(action="lead.export").exists()


# --- parklink export --------------------------------------------------------------------


def _cli(tmp_path, *args: str, fmt: str = "json") -> tuple[list[dict], str]:
    out = tmp_path / f"leads.{fmt}"
    stdout = io.StringIO()
    call_command("export", "leads", "-o", str(out), *args, stdout=stdout)
    return _rows(out.read_bytes(), fmt), stdout.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_cli_as_an_agent_is_the_agents_export(tmp_path, world, agent, fmt):
    rows, _ = _cli(tmp_path, "--as", agent.username, fmt=fmt)
    assert _mobiles(rows) == {"甲的客户": MOBILE_A, "公海客户": MASKED[MOBILE_POOL]}
    entry = AuditEntry.objects.get(action="lead.export")
    assert entry.actor == agent and entry.detail["via"] == "cli"
    assert entry.detail["unmasked"] == 1 and entry.detail["count"] == 2


def test_cli_default_masks_every_number(tmp_path, world):
    rows, stdout = _cli(tmp_path)
    mobiles = _mobiles(rows)
    assert len(mobiles) == 4
    assert set(mobiles.values()) == {*MASKED.values(), "136****4444"}
    assert "--unmasked" in stdout
    entry = AuditEntry.objects.get(action="lead.export")
    assert entry.actor is None
    assert entry.detail["mode"] == "operator" and entry.detail["unmasked"] == 0
    assert "os_user" in entry.detail


def test_cli_unmasked_writes_full_numbers_and_says_so(tmp_path, world):
    rows, stdout = _cli(tmp_path, "--unmasked")
    assert MOBILE_B in _mobiles(rows).values()
    assert "4 full mobile numbers" in stdout
    entry = AuditEntry.objects.get(action="lead.export")
    assert entry.detail["mode"] == "operator-unmasked" and entry.detail["unmasked"] == 4


def test_cli_unknown_user_is_one_clear_error_and_writes_nothing(tmp_path, world):
    out = tmp_path / "x.json"
    with pytest.raises(CommandError, match="no active user"):
        call_command("export", "leads", "-o", str(out), "--as", "nobody-here")
    assert not out.exists()
    assert not AuditEntry.objects.filter(action="lead.export").exists()


def test_cli_as_and_unmasked_are_exclusive(tmp_path, world, agent):
    with pytest.raises(CommandError):
        call_command(
            "export",
            "leads",
            "-o",
            str(tmp_path / "x.json"),
            "--as",
            agent.username,
            "--unmasked",
        )


def test_export_file_without_a_scope_holds_no_personal_rows(world):
    from parklink.core.exchange import export_file
    from parklink.office.management.commands.export import KINDS

    buf = io.BytesIO()
    counts = export_file(list(KINDS.values()), "json", buf)
    assert counts["leads"] == 0 and json.loads(buf.getvalue())["leads"] == []
    assert Lead.objects.count() == 4
