"""Fixtures of the leases tests: a small park with known spaces and leases."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from parklink.leases.services import lease_create, tenant_ensure
from tests.factories.parks import BuildingFactory, ParkFactory, SpaceFactory

# The known fixture: park 租控测试园 with five spaces for rent (one withdrawn) and one for sale.
FIXTURE = {
    "parks": [
        {"name": "租控测试园", "aliases": ["租控园"], "district": "昌平区"},
        {"name": "空园", "district": "海淀区"},
    ],
    "spaces": [
        {
            "ref": "T-101",
            "park": "租控测试园",
            "building": "A座",
            "floor": "1",
            "kind": "写字楼",
            "deal": "出租",
            "area_m2": 1000,
            "price": 5,
            "price_unit": "元/平方米/天",
        },
        {
            "ref": "T-102",
            "park": "租控测试园",
            "building": "A座",
            "floor": "1",
            "kind": "写字楼",
            "deal": "出租",
            "area_m2": 500,
            "price": 5,
            "price_unit": "元/平方米/天",
        },
        {
            "ref": "T-201",
            "park": "租控测试园",
            "building": "A座",
            "floor": "2",
            "kind": "写字楼",
            "deal": "出租",
            "area_m2": 800,
            "price": 4.5,
            "price_unit": "元/平方米/天",
        },
        {
            "ref": "T-F1",
            "park": "租控测试园",
            "building": "B厂房",
            "floor": "1",
            "kind": "厂房",
            "deal": "出租",
            "area_m2": 3000,
            "price": 1.5,
            "price_unit": "元/平方米/天",
        },
        {
            "ref": "T-X",
            "park": "租控测试园",
            "building": "B厂房",
            "floor": "1",
            "kind": "厂房",
            "deal": "出租",
            "area_m2": 2000,
            "status": "下架",
        },
        {
            "ref": "T-S",
            "park": "租控测试园",
            "kind": "土地",
            "deal": "出售",
            "area_m2": 10000,
            "price": 800,
            "price_unit": "万元",
        },
    ],
    "leases": [
        # active, ends in 30 days of 2026-06-01: 2026-07-01
        {
            "ref": "L-1",
            "space": "T-101",
            "tenant": "甲科技有限公司",
            "start": "2024-07-02",
            "end": "2026-07-01",
            "rent": 5,
            "rent_unit": "元/平方米/天",
        },
        # active, 300 of 500 m², monthly rent, ends 2026-08-30 (90 days)
        {
            "ref": "L-2",
            "space": "T-102",
            "tenant": "乙生物有限公司",
            "start": "2025-01-01",
            "end": "2027-12-31",
            "area_m2": 300,
            "rent": 150,
            "rent_unit": "元/平方米/月",
            "terminated_on": "2026-08-30",
        },
        # expired before the day
        {
            "ref": "L-3",
            "space": "T-201",
            "tenant": "丙公司",
            "start": "2023-01-01",
            "end": "2026-05-31",
            "rent": 4,
            "rent_unit": "元/平方米/天",
        },
        # future: reserved from 2026-09-01
        {
            "ref": "L-4",
            "space": "T-201",
            "tenant": "丁公司",
            "start": "2026-09-01",
            "end": "2029-08-31",
            "rent": 4.2,
            "rent_unit": "元/平方米/天",
        },
        # factory, 万元/年, ends 2027-03-31
        {
            "ref": "L-5",
            "space": "T-F1",
            "tenant": "戊制造有限公司",
            "start": "2022-04-01",
            "end": "2027-03-31",
            "rent": 160,
            "rent_unit": "万元/年",
            "escalation_pct": 3,
        },
    ],
}
ON = date(2026, 6, 1)


@pytest.fixture
def fixture_file(tmp_path) -> Path:
    path = tmp_path / "leases.json"
    path.write_text(json.dumps(FIXTURE, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def known(db, fixture_file):
    call_command("import", str(fixture_file))
    return fixture_file


@pytest.fixture
def space(db):
    park = ParkFactory(name="租约园")
    return SpaceFactory(
        ref="S-1",
        park=park,
        building=BuildingFactory(park=park, name="1号楼"),
        floor="3",
        area_m2=Decimal("1000"),
    )


@pytest.fixture
def make_lease(db):
    def make(
        space,
        *,
        ref="LX",
        start=date(2025, 1, 1),
        end=date(2026, 6, 30),
        tenant="测试租户有限公司",
        today=None,
        **extra,
    ):
        org = tenant_ensure(name=tenant, park=space.park, actor=None)
        return lease_create(
            data={
                "ref": ref,
                "space": space,
                "tenant": org,
                "start": start,
                "end": end,
                "rent": Decimal("3"),
                "rent_unit": "元/平方米/天",
                **extra,
            },
            actor=None,
            today=today,
        )

    return make
