"""The exchange format: parks[].rules, the policies kind and the leads' project facts, in
JSON, CSV and XLSX; all-or-nothing, idempotent, problems naming file, row and field."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parklink.leads.models import Lead
from parklink.parks.models import Park
from parklink.policies.models import Policy

pytestmark = pytest.mark.django_db

RULES = {
    "industries": ["生物医药"],
    "banned_industries": ["化工"],
    "min_investment_wan_per_mu": 500,
    "min_tax_wan_per_mu": 50,
    "min_output_wan_per_mu": 1500,
    "min_tax_yuan_per_m2": None,
    "veto_keywords": ["电镀", "危化品"],
}
POLICY = {
    "ref": "X-001",
    "title": "测试区生物医药落户奖励",
    "issuer": "测试区政府",
    "region": "昌平区",
    "valid_from": "2026-01-01",
    "valid_to": "2027-12-31",
    "industries": ["生物医药"],
    "conditions": [
        {"field": "annual_tax_wan", "op": ">=", "value": 300},
        {"field": "district", "op": "in", "value": ["昌平区", "大兴区"]},
    ],
    "benefit": "给予落户奖励",
    "amount_wan_max": 500,
    "source": "https://example.test/policy/1",
}


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return 1, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def _json(tmp_path, doc, name="data.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_park_rules_import_export_round_trip(tmp_path):
    path = _json(
        tmp_path,
        {
            "parks": [
                {
                    "name": "规则园",
                    "district": "昌平区",
                    "rules": RULES,
                    "rules_sources": ["https://example.test/rules"],
                }
            ]
        },
    )
    assert run("import", str(path))[0] == 0
    park = Park.objects.get(name="规则园")
    assert park.rules == RULES and park.rules_sources == ["https://example.test/rules"]
    code, out, _ = run("import", str(path))
    assert code == 0 and "未变 1" in out  # the same file twice changes nothing
    for fmt in ("json", "csv", "xlsx"):
        exported = tmp_path / f"parks.{fmt}"
        assert run("export", "parks", "-o", str(exported))[0] == 0
        if fmt == "json":
            row = json.loads(exported.read_text(encoding="utf-8"))["parks"][0]
            assert row["rules"] == RULES  # an object, exactly the contract's keys
            assert row["rules_sources"] == ["https://example.test/rules"]
        Park.objects.filter(name="规则园").update(rules={}, rules_sources=[])
        assert run("import", str(exported))[0] == 0, fmt
        park.refresh_from_db()
        assert park.rules == RULES and park.rules_sources == ["https://example.test/rules"], fmt


def test_park_rules_in_a_csv_cell_with_chinese_keys(tmp_path):
    path = tmp_path / "parks.csv"
    path.write_text(
        '园区名称,区县,准入条件\n中文键园,大兴区,"{""亩均税收"": 80, ""准入产业"": ""集成电路、软件""}"\n',
        encoding="utf-8",
    )
    assert run("import", str(path))[0] == 0
    rules = Park.objects.get(name="中文键园").rules
    assert rules["min_tax_wan_per_mu"] == 80 and rules["industries"] == ["集成电路", "软件"]


@pytest.mark.parametrize(
    ("rules", "fragment"),
    [
        ({"min_tax_wan_per_mu": -1}, "不能为负数"),
        ({"colour": "red"}, "unknown rule colour"),
        ({"industries": 5}, "must be a list"),
        ("not json", "JSON"),
    ],
)
def test_bad_park_rules_are_reported_and_nothing_written(tmp_path, rules, fragment):
    path = _json(tmp_path, {"parks": [{"name": "好园"}, {"name": "坏园", "rules": rules}]})
    code, _out, err = run("import", str(path))
    assert code == 1
    assert "第2行/row 2 rules" in err and fragment in err
    assert not Park.objects.exists()


def test_policies_import_export_round_trip(tmp_path):
    path = _json(tmp_path, {"policies": [POLICY]})
    code, _out, err = run("import", str(path))
    assert code == 0, err
    policy = Policy.objects.get(ref="X-001")
    assert policy.valid_to == date(2027, 12, 31) and policy.amount_wan_max == Decimal("500.00")
    assert policy.conditions == POLICY["conditions"]
    assert "未变 1" in run("import", str(path))[1]
    for fmt in ("json", "csv", "xlsx"):
        exported = tmp_path / f"policies.{fmt}"
        assert run("export", "policies", "-o", str(exported))[0] == 0
        if fmt == "json":
            row = json.loads(exported.read_text(encoding="utf-8"))["policies"][0]
            assert set(row) == set(POLICY)  # exactly the fields
            assert row == POLICY
        Policy.objects.all().delete()
        code, _out, err = run("import", str(exported))
        assert code == 0, (fmt, err)
        got = Policy.objects.get(ref="X-001")
        assert got.conditions == POLICY["conditions"] and got.industries == ["生物医药"], fmt
        assert got.region == "昌平区" and got.amount_wan_max == Decimal("500.00"), fmt


def test_policies_csv_with_chinese_headers(tmp_path):
    path = tmp_path / "policies.csv"
    path.write_text(
        "编号,政策名称,适用地区,生效日期,截止日期,适用产业,申报条件,最高金额(亿元)\n"
        "C-1,某政策,海淀,2026-01-01,2026-12-31,集成电路、软件,"
        '"[{""field"": ""staff"", ""op"": "">="", ""value"": 20}]",1.5\n',
        encoding="utf-8",
    )
    code, _out, err = run("import", str(path))
    assert code == 0, err
    p = Policy.objects.get(ref="C-1")
    assert (p.region, p.industries, p.amount_wan_max) == ("海淀区", ["集成电路", "软件"], 15000)
    assert p.conditions == [{"field": "staff", "op": ">=", "value": 20}]


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        (
            {"conditions": [{"field": "revenue", "op": ">=", "value": 1}]},
            "conditions",
            "unknown condition field",
        ),
        (
            {"conditions": [{"field": "staff", "op": "=>>", "value": 1}]},
            "conditions",
            "unknown operator",
        ),
        ({"region": "火星"}, "region", "unknown region"),
        ({"valid_to": "2025-01-01"}, "valid_to", "before valid_from"),
        ({"valid_from": "明年"}, "valid_from", "YYYY-MM-DD"),
        ({"amount_wan_max": -1}, "amount_wan_max", "不能小于0"),
        ({"title": None}, "title", "必填"),
        ({"source": "javascript:alert(document.domain)"}, "source", "http(s)"),
        ({"source": " DATA:text/html,<script>alert(1)</script>"}, "source", "http(s)"),
    ],
)
def test_bad_policies_are_reported_and_nothing_written(tmp_path, change, field, fragment):
    good = {**POLICY, "ref": "GOOD"}
    path = _json(tmp_path, {"policies": [good, {**POLICY, **change}]})
    code, _out, err = run("import", str(path))
    assert code == 1
    assert f"第2行/row 2 {field}" in err and fragment in err
    assert not Policy.objects.exists()  # all or nothing


def test_duplicate_policy_refs_are_reported(tmp_path):
    path = _json(tmp_path, {"policies": [POLICY, POLICY]})
    code, _out, err = run("import", str(path))
    assert code == 1 and "duplicate of row 1" in err


def test_a_partial_file_keeps_the_other_fields(tmp_path):
    assert run("import", str(_json(tmp_path, {"policies": [POLICY]})))[0] == 0
    path = tmp_path / "p.csv"
    path.write_text("ref,title,amount_wan_max\nX-001,改名了,800\n", encoding="utf-8")
    assert run("import", str(path), "--kind", "policies")[0] == 0
    p = Policy.objects.get(ref="X-001")
    assert (p.title, p.amount_wan_max, p.conditions) == ("改名了", 800, POLICY["conditions"])


def test_leads_carry_the_project_facts(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text(
        "联系人,手机号,需求,投资总额(万元),用地面积(亩),预计年产值(万元),高新技术企业,专精特新,员工人数,成立年份\n"
        "王先生,17000000001,厂房,20000,30,50000,是,不确定,120,2015\n"
        "李女士,17000000002,厂房,,,,否,,,\n",
        encoding="utf-8",
    )
    code, _out, err = run("import", str(path))
    assert code == 0, err
    a = Lead.objects.get(mobile="17000000001")
    assert (a.total_investment_wan, a.land_mu, a.annual_output_wan) == (20000, 30, 50000)
    assert (a.is_high_tech, a.is_specialized, a.staff, a.founded_year) == (True, None, 120, 2015)
    b = Lead.objects.get(mobile="17000000002")
    assert (b.is_high_tech, b.is_specialized, b.land_mu) == (False, None, None)
    exported = tmp_path / "leads.json"
    assert run("export", "leads", "--unmasked", "-o", str(exported))[0] == 0
    rows = {r["mobile"]: r for r in json.loads(exported.read_text(encoding="utf-8"))["leads"]}
    assert rows["17000000001"]["land_mu"] == 30 and rows["17000000001"]["is_high_tech"] is True
    assert rows["17000000002"]["is_specialized"] is None


def test_land_in_square_metres_is_converted(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text(
        "联系人,手机号,需求,用地面积(平方米)\n王,17000000003,厂房,20000\n", encoding="utf-8"
    )
    assert run("import", str(path))[0] == 0
    assert Lead.objects.get().land_mu == Decimal("30.00")
