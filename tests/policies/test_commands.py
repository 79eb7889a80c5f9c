"""`parklink evaluate`, `parklink policy match`, `parklink policy parse`."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parklink.policies.models import PolicyProposal

pytestmark = pytest.mark.django_db
CASES = Path(__file__).parent / "cases"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def lead_file(tmp_path, data, wrap=False):
    path = tmp_path / "lead.json"
    path.write_text(json.dumps({"leads": [data]} if wrap else data, ensure_ascii=False), "utf-8")
    return str(path)


GOOD = {
    "need": "投资2亿元, 占地30亩, 年产值5亿, 年纳税1800万元",
    "industry": "创新药",
    "districts": ["昌平区"],
}


def test_evaluate_json(bio_park, tmp_path):
    out, _ = run(
        "evaluate", "--lead", lead_file(tmp_path, GOOD), "--park", "测试生命科学园", "--json"
    )
    body = json.loads(out)
    assert list(body) == ["park", "score", "grade", "vetoed", "veto", "indicators", "checks"]
    assert body["park"] == "测试生命科学园"
    assert body["indicators"] == {
        "investment_wan_per_mu": 666.67,
        "tax_wan_per_mu": 60.0,
        "output_wan_per_mu": 1666.67,
        "tax_yuan_per_m2": 900.0,
    }
    assert [(c["rule"], c["ok"]) for c in body["checks"]] == [
        ("industries", True),
        ("banned_industries", True),
        ("min_investment_wan_per_mu", True),
        ("min_tax_wan_per_mu", True),
        ("veto_keywords", True),
    ]
    assert (body["score"], body["grade"], body["vetoed"], body["veto"]) == (100.0, "A", False, [])


def test_evaluate_by_alias_and_wrapped_lead_with_a_veto(bio_park, tmp_path):
    data = {**GOOD, "need": GOOD["need"] + ",含电镀工序"}
    out, _ = run(
        "evaluate", "--lead", lead_file(tmp_path, data, wrap=True), "--park", "测试生命园", "--json"
    )
    body = json.loads(out)
    assert body["vetoed"] is True and body["grade"] == "D"
    assert body["veto"][0]["rule"] == "veto_keywords"


def test_evaluate_unknown_inputs_are_null(bio_park, tmp_path):
    out, _ = run(
        "evaluate",
        "--lead",
        lead_file(tmp_path, {"need": "找厂房"}),
        "--park",
        bio_park.name,
        "--json",
    )
    body = json.loads(out)
    assert set(body["indicators"].values()) == {None}
    assert [c["ok"] for c in body["checks"]] == [None, True, None, None, True]


def test_evaluate_text_output(bio_park, tmp_path):
    out, _ = run("evaluate", "--lead", lead_file(tmp_path, GOOD), "--park", bio_park.name)
    assert "A 级" in out and "亩均税收60万元/亩" in out


@pytest.mark.parametrize(
    ("content", "park", "fragment"),
    [
        (None, "测试生命科学园", "file not found"),
        ("{not json", "测试生命科学园", "not valid JSON"),
        ('{"leads": [{}, {}]}', "测试生命科学园", "exactly one lead"),
        ("[1, 2]", "测试生命科学园", "one lead object"),
        ('{"land_mu": -3}', "测试生命科学园", "land_mu"),
        ('{"need": "厂房"}', "没有这个园", "park not found"),
    ],
)
def test_evaluate_errors_are_one_line(bio_park, tmp_path, content, park, fragment):
    path = tmp_path / "lead.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run("evaluate", "--lead", str(path), "--park", park)
    assert fragment in str(exc.value) and "\n" not in str(exc.value)


def test_policy_match_json(policies, tmp_path):
    data = {"industry": "创新药", "annual_tax_wan": 400, "districts": ["昌平区"]}
    out, _ = run("policy", "match", "--lead", lead_file(tmp_path, data), "--json")
    body = json.loads(out)
    assert list(body) == ["policies"]
    got = [(p["ref"], p["status"]) for p in body["policies"]]
    # T-OLD has expired: left out; eligible first, then possible, then ineligible
    assert got == [("T-TAX", "eligible"), ("T-TECH", "possible"), ("T-IC", "ineligible")]
    tax = body["policies"][0]
    assert list(tax) == ["ref", "title", "status", "met", "unmet", "unknown", "amount_wan_max"]
    assert tax["amount_wan_max"] == 500
    assert {"field": "annual_tax_wan", "op": ">=", "value": 300} in tax["met"]
    assert body["policies"][1]["unknown"] == [{"field": "is_high_tech", "op": "==", "value": True}]


def test_policy_match_on_a_day(policies, tmp_path):
    out, _ = run(
        "policy",
        "match",
        "--lead",
        lead_file(tmp_path, {"industry": "创新药"}),
        "--on",
        "2020-06-01",
        "--json",
    )
    assert [p["ref"] for p in json.loads(out)["policies"]] == ["T-OLD"]


def test_policy_match_text_and_bad_date(policies, tmp_path):
    path = lead_file(tmp_path, {"industry": "集成电路设计"})
    out, _ = run("policy", "match", "--lead", path)
    assert "T-IC" in out
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("policy", "match", "--lead", path, "--on", "2026-02-30")


def test_policy_parse_json_and_queue(tmp_path):
    out, _ = run("policy", "parse", str(CASES / "changping_biomed.txt"), "--json")
    body = json.loads(out)
    assert list(body) == [
        "title",
        "region",
        "valid_from",
        "valid_to",
        "industries",
        "conditions",
        "amount_wan_max",
        "evidence",
        "measures",
    ]
    assert body["amount_wan_max"] == 2000 and body["region"] == "昌平区"
    assert {"field": "annual_tax_wan", "op": ">=", "value": 500} in body["conditions"]
    queued = max(1, len(body["measures"]))
    assert PolicyProposal.objects.count() == queued  # queued for review, one per measure …
    run("policy", "parse", str(CASES / "changping_biomed.txt"), "--json")
    assert PolicyProposal.objects.count() == queued  # … once


def test_policy_parse_queues_one_proposal_per_measure(tmp_path):
    path = tmp_path / "measures.txt"
    path.write_text(
        "某区产业扶持办法\n一、本办法适用于注册在顺义区的企业。\n"
        "二、落户奖励:对年纳税额达到500万元以上的企业,给予最高500万元奖励。\n"
        "三、租金补贴:对租用厂房的企业,按租金的30%给予补贴,最高100万元。\n",
        encoding="utf-8",
    )
    body = json.loads(run("policy", "parse", str(path), "--json")[0])
    assert [m["amount_wan_max"] for m in body["measures"]] == [500, 100]
    rows = list(PolicyProposal.objects.order_by("id").values_list("parsed", flat=True))
    assert [r["amount_wan_max"] for r in rows] == [500, 100]
    assert [r["title"] for r in rows] == [
        "某区产业扶持办法(落户奖励)",
        "某区产业扶持办法(租金补贴)",
    ]
    district = {"field": "district", "op": "==", "value": "顺义区"}

    def shape(conditions):  # jsonb (PostgreSQL) does not keep the keys' order
        return sorted((c["field"], c["op"], c["value"]) for c in conditions)

    assert shape(rows[0]["conditions"]) == [
        ("annual_tax_wan", ">=", 500),
        ("district", "==", "顺义区"),
    ]
    assert rows[1]["conditions"] == [district]
    assert "最高100万元" in rows[1]["benefit"]
    run("policy", "parse", str(path), "--json")
    assert PolicyProposal.objects.count() == 2


def test_policy_parse_html_dry_run(tmp_path):
    out, _ = run("policy", "parse", str(CASES / "beijing_ic.html"), "--dry-run")
    assert "北京市关于促进集成电路产业发展的若干政策" in out and "[amount]" in out
    assert not PolicyProposal.objects.exists()


def test_policy_parse_reads_gbk(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(
        "某区测试办法\n对年纳税额达到800万元以上的企业给予最高80万元奖励。".encode("gbk")
    )
    body = json.loads(run("policy", "parse", str(path), "--json", "--dry-run")[0])
    assert body["amount_wan_max"] == 80
    assert body["conditions"] == [{"field": "annual_tax_wan", "op": ">=", "value": 800}]


@pytest.mark.parametrize(
    ("content", "fragment"), [(None, "file not found"), (b"   ", "empty file")]
)
def test_policy_parse_errors(tmp_path, content, fragment):
    path = tmp_path / "p.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match=fragment):
        run("policy", "parse", str(path))


def test_dates_in_the_past_and_future_do_not_depend_on_today(policies, tmp_path):
    out, _ = run(
        "policy",
        "match",
        "--lead",
        lead_file(tmp_path, {}),
        "--on",
        date.max.isoformat(),
        "--json",
    )
    assert json.loads(out) == {"policies": []}
