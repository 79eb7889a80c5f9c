"""Imports under the lead scope and the roles: an agent imports new leads and merges into
own and 公海 leads only; rows that name or match another agent's lead are refused row by
row (the whole file then writes nothing); catalogue kinds need the manager role; every
import of personal data is audit-logged with its actor and count."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parklink.core import exchange
from parklink.core.models import AuditEntry
from parklink.leads.choices import Stage
from parklink.leads.models import Inquiry, Lead
from parklink.office.management.commands.export import KINDS
from parklink.parks.models import Park, Space
from tests.factories.leads import LeadFactory

pytestmark = pytest.mark.django_db


def _file(doc: dict) -> exchange.InputFile:
    return exchange.InputFile(name="in.json", data=json.dumps(doc, ensure_ascii=False).encode())


def _import(doc: dict, actor):
    return exchange.import_files([_file(doc)], KINDS, actor=actor)


def _row(**kw):
    return {"contact": "赵先生", "mobile": "13912345678", "need": "研发楼 500 平", **kw}


def test_agent_cannot_change_another_agents_lead_by_ref(agent, agent2):
    theirs = LeadFactory(owner=agent2, company="他人公司", stage=Stage.WON)
    before = {f.name: getattr(theirs, f.name) for f in Lead._meta.concrete_fields}
    new = _row(company="全新公司", mobile="13911112222")
    with pytest.raises(exchange.ImportFailed) as failed:
        _import({"leads": [new, _row(ref=theirs.ref, company="改掉它", use="篡改")]}, agent)
    text = "\n".join(str(p) for p in failed.value.problems)
    assert f"第2行/row 2 ref={json.dumps(theirs.ref)}" in text
    assert "不是您可以导入或修改的线索" in text and "not a lead you may import" in text
    theirs.refresh_from_db()
    assert {f.name: getattr(theirs, f.name) for f in Lead._meta.concrete_fields} == before
    assert not Lead.objects.filter(company="全新公司").exists()  # the file is all-or-nothing


def test_an_agents_ref_out_of_scope_and_a_ref_of_no_lead_get_the_same_refusal(agent, agent2):
    """An import answers as a URL does: whether a ref exists outside the agent's scope is
    not told (a closed lead of nobody, another agent's, none at all)."""
    closed = LeadFactory(owner=None, stage=Stage.LOST, lost_reason="other")
    theirs = LeadFactory(owner=agent2)
    count = Lead.objects.count()
    answers = []
    for ref in (closed.ref, theirs.ref, "L209901019999"):
        with pytest.raises(exchange.ImportFailed) as failed:
            _import({"leads": [_row(ref=ref, mobile="13911113333", company="试探公司")]}, agent)
        answers.append(str(failed.value.problems[0]).replace(ref, "REF"))
    assert len(set(answers)) == 1 and "不是您可以导入或修改的线索" in answers[0]
    assert Lead.objects.count() == count
    # A manager may still import a lead under its own ref (a workbook from another system).
    _import({"leads": [_row(ref="L209901019999", mobile="13911113333", company="试探公司")]}, None)
    assert Lead.objects.filter(ref="L209901019999").exists()


def test_agent_cannot_merge_into_another_agents_lead_by_mobile_or_uscc(agent, agent2):
    theirs = LeadFactory(owner=agent2, mobile="13700001111", uscc="91110108MA01ABCD2X")
    inquiries = Inquiry.objects.count()
    with pytest.raises(exchange.ImportFailed) as failed:
        _import({"leads": [_row(mobile="137 0000 1111", company="随便写")]}, agent)
    assert "第1行/row 1" in str(failed.value.problems[0])
    assert "matches a lead another agent owns" in str(failed.value.problems[0])
    assert Inquiry.objects.count() == inquiries
    assert Lead.objects.count() == 1
    theirs.refresh_from_db()
    assert theirs.owner == agent2


def test_agent_imports_new_leads_and_merges_into_own_and_pool(agent):
    own = LeadFactory(owner=agent, mobile="13600001111", use="")
    pool = LeadFactory(owner=None, mobile="13600002222", use="")
    result = _import(
        {
            "leads": [
                _row(ref=own.ref, use="自己的"),
                _row(mobile="13600002222", use="公海的"),
                _row(mobile="13600003333", company="新公司"),
            ]
        },
        agent,
    )
    own.refresh_from_db()
    pool.refresh_from_db()
    assert own.use == "自己的" and pool.use == "公海的"
    assert Lead.objects.filter(mobile="13600003333").exists()
    assert result.counts["leads"].created == 1 and result.counts["leads"].updated == 2
    entry = AuditEntry.objects.get(action="lead.import")
    assert entry.actor == agent and entry.detail["count"] == 3


def test_manager_may_merge_into_agents_lead(manager, agent):
    theirs = LeadFactory(owner=agent, mobile="13500001111", use="")
    _import({"leads": [_row(ref=theirs.ref, use="经理补充")]}, manager)
    theirs.refresh_from_db()
    assert theirs.use == "经理补充"


@pytest.mark.parametrize("kind", ["parks", "spaces", "orgs", "leases", "policies"])
def test_catalogue_imports_need_the_manager_role(agent, kind):
    docs = {
        "parks": {"parks": [{"name": "越权园区"}]},
        "spaces": {
            "spaces": [{"ref": "X", "park": "无", "kind": "厂房", "deal": "出租", "area_m2": 100}]
        },
        "orgs": {"orgs": [{"name": "越权机构"}]},
        "leases": {"leases": [{"space": "X"}]},
        "policies": {"policies": [{"title": "越权政策"}]},
    }
    with pytest.raises(exchange.ImportFailed) as failed:
        _import(docs[kind], agent)
    assert any(
        "需要招商经理权限" in str(p) and "manager role" in str(p) for p in failed.value.problems
    )
    assert not Park.objects.exists() and not Space.objects.exists()


def test_manager_imports_the_catalogue(manager):
    _import({"parks": [{"name": "经理园区"}]}, manager)
    assert Park.objects.filter(name="经理园区").exists()


def test_office_upload_applies_the_roles(agent_client, agent2):
    theirs = LeadFactory(owner=agent2)
    data = json.dumps({"leads": [_row(ref=theirs.ref, use="篡改")]}, ensure_ascii=False)
    upload = io.BytesIO(data.encode())
    upload.name = "leads.json"
    resp = agent_client.post("/office/catalogue/exchange/", {"file": upload})
    assert resp.status_code == 200
    assert "不是您可以导入或修改的线索" in resp.content.decode()
    theirs.refresh_from_db()
    assert theirs.use != "篡改"
    parks = io.BytesIO(json.dumps({"parks": [{"name": "上传园区"}]}).encode())
    parks.name = "parks.json"
    resp = agent_client.post("/office/catalogue/exchange/", {"file": parks})
    assert "需要招商经理权限" in resp.content.decode()
    assert not Park.objects.exists()


def test_cli_user_option_applies_the_scope(tmp_path, agent, agent2):
    theirs = LeadFactory(owner=agent2)
    path = tmp_path / "leads.json"
    path.write_text(json.dumps({"leads": [_row(ref=theirs.ref)]}, ensure_ascii=False))
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import", str(path), user=agent.username, stderr=err)
    assert "nothing written" in str(exc.value)
    assert "not a lead you may import" in err.getvalue()
    with pytest.raises(CommandError, match="no such active user"):
        call_command("import", str(path), user="nobody-here", stderr=io.StringIO())
