"""parklink match --lead FILE.json [--top N] [--json]."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.matching.conftest import SENTENCE

pytestmark = pytest.mark.django_db


def run(tmp_path, capsys, data, *args):
    path = tmp_path / "lead.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("match", "--lead", str(path), *args)
    return capsys.readouterr().out


def test_json_output_as_in_design(catalogue, tmp_path, capsys):
    out = run(tmp_path, capsys, {"need": SENTENCE}, "--json", "--top", "1")
    data = json.loads(out)
    # DESIGN.md's keys, plus keys added since (never removed)
    assert (
        {"requirement", "results"} <= set(data) <= {"requirement", "results", "fits", "relaxations"}
    )
    assert data["requirement"]["districts"] == ["大兴区"]
    (best,) = data["results"]
    assert set(best) == {"ref", "park", "score", "reasons"}
    assert best["ref"] == "DX-1650" and best["park"] == "北京生物医药产业基地"
    assert all({"criterion", "ok", "text"} <= set(r) for r in best["reasons"])


def test_structured_lead_in_exchange_file(catalogue, tmp_path, capsys):
    lead = {
        "ref": "L1",
        "kind": "厂房",
        "deal": "出租",
        "area_min_m2": 1500,
        "area_max_m2": 2000,
        "districts": ["大兴"],
    }
    out = run(tmp_path, capsys, {"leads": [lead]}, "--json")
    results = json.loads(out)["results"]
    assert results[0]["ref"] == "DX-1650"
    assert "面积 1,650㎡,在需求 1,500–2,000㎡ 内" in [r["text"] for r in results[0]["reasons"]]


def test_parks_option_ranks_parks(catalogue, tmp_path, capsys):
    out = run(tmp_path, capsys, {"need": "生物药生产,2000平"}, "--json", "--parks")
    assert json.loads(out)["results"][0]["park"] == "北京生物医药产业基地"


def test_human_output(catalogue, tmp_path, capsys):
    out = run(tmp_path, capsys, {"need": SENTENCE})
    assert "DX-1650" in out and "✓ 面积 1,650㎡" in out


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"need": "你好,请联系我"}, "需求信息不足"),
        ({"area_min_m2": 3000, "area_max_m2": 1000}, "area_min_m2"),
        ({"area_max_m2": 1e12}, "area_max_m2"),
        ({"leads": [{}, {}]}, "一条线索"),
    ],
)
def test_bad_input_is_one_clear_error(catalogue, tmp_path, capsys, data, message):
    with pytest.raises(CommandError) as err:
        run(tmp_path, capsys, data, "--json")
    assert message in str(err.value)
    assert "/" in str(err.value)


def test_missing_file(db):
    with pytest.raises(CommandError, match="file not found"):
        call_command("match", "--lead", "/nonexistent/lead.json")
