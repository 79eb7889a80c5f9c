"""A row gives only its own fields: a key left out of one JSON object leaves that field as it
is for that object, even when another object of the same file gives it; an explicit null or
"" still clears it. Every kind goes through the same path (``core.exchange.Table.parse``)."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal

import pytest

from parklink.core import exchange
from parklink.leases.models import Lease
from parklink.office.management.commands.export import KINDS
from parklink.orgs.models import Organization
from parklink.parks.exchange import SPACES
from parklink.parks.models import Park, Space
from parklink.policies.models import Policy
from tests.leases.conftest import FIXTURE

pytestmark = pytest.mark.django_db


def _import(*docs: dict):
    files = [
        exchange.InputFile(name=f"f{i}.json", data=json.dumps(d, ensure_ascii=False).encode())
        for i, d in enumerate(docs)
    ]
    return exchange.import_files(files, KINDS)


def _without(record: dict, *keys: str) -> dict:
    return {k: v for k, v in record.items() if k not in keys}


PARK = {"name": "缺键园", "district": "昌平区", "operator": "甲运营", "aliases": ["缺键"]}
PARK_2 = {"name": "全键园", "district": "海淀区"}
SPACE = {"ref": "AK-1", "park": "缺键园", "kind": "厂房", "deal": "出租", "area_m2": 500}
POLICY = {"ref": "AK-P1", "title": "缺键政策", "issuer": "测试区政府", "benefit": "奖励"}


def _catalogue():
    _import(
        {
            "parks": [PARK, PARK_2],
            "spaces": [
                {**SPACE, "status": "下架", "floor": "3", "gmp": True},
                {**SPACE, "ref": "AK-2"},
            ],
            "orgs": [
                {"name": "缺键公司", "industry": "生物医药", "park": "缺键园"},
                {"name": "全键公司"},
            ],
            "policies": [POLICY, {**POLICY, "ref": "AK-P2", "title": "全键政策"}],
        }
    )


def _leases():
    _import(FIXTURE)


# Each case: the setup, the second file (its first object leaves keys out, another object
# gives them), and what the first object's record must still hold.
CASES = {
    "parks": (
        _catalogue,
        {
            "parks": [
                {"name": "缺键园"},
                {**PARK_2, "operator": "乙运营", "aliases": ["全键"], "address": "某路1号"},
            ]
        },
        lambda: (lambda p: (p.operator, p.aliases, p.district))(Park.objects.get(name="缺键园")),
        ("甲运营", ["缺键"], "昌平区"),
    ),
    "spaces": (
        _catalogue,
        {
            "spaces": [
                SPACE,
                {**SPACE, "ref": "AK-2", "status": "可租", "floor": "5", "gmp": False},
            ]
        },
        lambda: (lambda s: (s.status, s.floor, s.gmp))(Space.objects.get(ref="AK-1")),
        ("下架", "3", True),
    ),
    "orgs": (
        _catalogue,
        {"orgs": [{"name": "缺键公司"}, {"name": "全键公司", "industry": "IT", "park": "全键园"}]},
        lambda: (lambda o: (o.industry, o.park.name))(Organization.objects.get(name="缺键公司")),
        ("生物医药", "缺键园"),
    ),
    "leases": (
        _leases,
        {
            "leases": [
                # L-2 leaves out terminated_on and escalation_pct; L-5 gives both.
                _without(FIXTURE["leases"][1], "terminated_on", "escalation_pct"),
                {**FIXTURE["leases"][4], "terminated_on": "2027-01-31", "escalation_pct": 4},
            ]
        },
        lambda: (lambda x: (x.terminated_on, x.area_m2))(Lease.objects.get(ref="L-2")),
        (date(2026, 8, 30), Decimal(300)),
    ),
    "policies": (
        _catalogue,
        {
            "policies": [
                _without(POLICY, "issuer", "benefit"),
                {**POLICY, "ref": "AK-P2", "title": "全键政策", "issuer": "乙", "benefit": "补贴"},
            ]
        },
        lambda: (lambda p: (p.issuer, p.benefit))(Policy.objects.get(ref="AK-P1")),
        ("测试区政府", "奖励"),
    ),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_key_left_out_of_one_object_leaves_that_field(kind):
    setup, doc, kept, expected = CASES[kind]
    setup()
    assert kept() == expected
    _import(doc)
    assert kept() == expected


def test_the_other_object_of_the_file_is_written():
    _leases()
    _import(CASES["leases"][1])
    lease = Lease.objects.get(ref="L-5")
    assert (lease.terminated_on, lease.escalation_pct) == (date(2027, 1, 31), Decimal(4))


def test_a_key_left_out_of_every_object_of_a_kind_leaves_it_too():
    _leases()
    doc = copy.deepcopy(CASES["leases"][1])
    del doc["leases"][1]["escalation_pct"]
    _import(doc)
    assert Lease.objects.get(ref="L-5").escalation_pct == Decimal(3)


def test_an_explicit_null_or_empty_string_still_clears():
    _catalogue()
    _leases()
    _import(
        {
            "parks": [{"name": "缺键园", "operator": None}, {**PARK_2, "operator": "乙"}],
            "spaces": [{**SPACE, "status": "", "floor": None}, {**SPACE, "ref": "AK-2"}],
            "orgs": [{"name": "缺键公司", "industry": ""}, {"name": "全键公司"}],
            "leases": [{**FIXTURE["leases"][1], "terminated_on": None}],
        }
    )
    assert Park.objects.get(name="缺键园").operator == ""
    space = Space.objects.get(ref="AK-1")
    assert (space.status, space.floor) == ("可租", "")  # an empty status: the deal's default
    assert Organization.objects.get(name="缺键公司").industry == ""
    assert Lease.objects.get(ref="L-2").terminated_on is None


def test_a_required_key_left_out_of_one_object_is_a_problem_of_that_object():
    _catalogue()
    with pytest.raises(exchange.ImportFailed) as failed:
        _import({"spaces": [SPACE, _without({**SPACE, "ref": "AK-2"}, "area_m2")]})
    lines = [str(p) for p in failed.value.problems]
    assert len(lines) == 1 and "第2行/row 2 area_m2: 必填 / required" in lines[0], lines


def test_rows_of_a_json_table_hold_only_their_own_keys():
    doc = {"spaces": [SPACE, {**SPACE, "ref": "AK-2", "status": "下架", "floor": None}]}
    source = exchange.InputFile(name="s.json", data=json.dumps(doc, ensure_ascii=False).encode())
    [table] = exchange.read_tables(source, [SPACES], problems=[])
    first, second = table.parse([])
    assert not first.has("status") and not first.has("floor")
    assert second.values["status"] == "下架" and second.has("floor")
    assert second.values["floor"] is None


def test_a_csv_row_gives_every_column_of_the_file():
    text = "编号,所属园区,类型,租售,面积,状态\nAK-1,缺键园,厂房,出租,500,\n"
    source = exchange.InputFile(name="s.csv", data=text.encode())
    [table] = exchange.read_tables(source, [SPACES], problems=[])
    [row] = table.parse([])
    assert row.has("status") and row.values["status"] is None  # present and empty: clears


def test_each_json_object_reads_its_own_header_unit():
    doc = {
        "spaces": [
            {**_without(SPACE, "area_m2"), "面积(亩)": 3},
            {**_without(SPACE, "area_m2"), "ref": "AK-2", "area_m2": 500},
        ]
    }
    source = exchange.InputFile(name="s.json", data=json.dumps(doc, ensure_ascii=False).encode())
    [table] = exchange.read_tables(source, [SPACES], problems=[])
    first, second = table.parse([])
    assert first.values["area_m2"] == Decimal("2000.01")  # 3 亩
    assert second.values["area_m2"] == Decimal(500)  # m², not 500 亩
