"""The policy text reader on ten policy documents written for these tests (none copied from a
real document), each with several measures (多项条款): one measure per award, each with its
own thresholds and the document-wide conditions (适用范围, 注册在本区), thresholds in 万元/亿元
with 以上/不低于/达到/超过/不超过, tiers that name no field ("3000万元以上的"), caps that are
not measures, rates that are not amounts (每平方米每天3元), and validity lines."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from parklink.policies.reader import read_policy

CASES = Path(__file__).parent / "measures"
TODAY = date(2026, 6, 1)


def _cases():
    for expected in sorted(CASES.glob("*.expected.json")):
        stem = expected.name.removesuffix(".expected.json")
        (source,) = [p for p in CASES.glob(f"{stem}.*") if not p.name.endswith(".json")]
        yield pytest.param(source, expected, id=stem)


def _shape(conditions):
    return sorted([c["field"], c["op"], c["value"]] for c in conditions)


@pytest.mark.parametrize(("source", "expected"), list(_cases()))
def test_measures(source, expected):
    want = json.loads(expected.read_text(encoding="utf-8"))
    got = read_policy(
        source.read_text(encoding="utf-8"), is_html=source.suffix == ".html", today=TODAY
    ).to_dict()
    for key in ("region", "valid_from", "valid_to", "industries"):
        assert got[key] == want[key], key
    assert [m["amount_wan_max"] for m in got["measures"]] == [
        m["amount_wan_max"] for m in want["measures"]
    ]
    for g, w in zip(got["measures"], want["measures"], strict=True):
        assert _shape(g["conditions"]) == sorted(w["conditions"]), g["sentence"]
        if w["title"]:
            assert g["title"] == w["title"]
        # each measure names the sentence of its award, and its evidence holds it
        assert g["sentence"] and g["sentence"] in g["evidence"]
    # the document's maximum is its largest measure
    assert got["amount_wan_max"] == max(m["amount_wan_max"] for m in want["measures"])


def test_single_measure_document_keeps_one_measure():
    text = "某区租金补贴办法\n对年纳税额达到100万元以上的企业,给予最高50万元补贴;累计最高不超过150万元。"
    got = read_policy(text, today=TODAY)
    assert len(got.measures) == 1
    assert got.measures[0].amount_wan_max == 150
    assert [c.to_dict() for c in got.measures[0].conditions] == [
        {"field": "annual_tax_wan", "op": ">=", "value": 100}
    ]
