from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from parklink.parks.models import Space
from tests.factories.parks import ParkFactory, SpaceFactory


@pytest.fixture
def two_parks(db):
    return (
        ParkFactory(name="生命园", district="昌平区"),
        ParkFactory(name="亦庄园", district="大兴区"),
    )


@pytest.fixture
def listings(two_parks):
    """A small catalogue: rents and sales, kinds, GMP, one stale and one leased listing."""
    life, yz = two_parks
    spaces = [
        SpaceFactory(
            ref="A",
            park=life,
            kind="实验室",
            area_m2=Decimal(300),
            price=Decimal("4.5"),
            gmp=True,
            ceiling_height_m=Decimal("4.5"),
            floor_load_kg_m2=800,
            power_kva=300,
        ),
        SpaceFactory(
            ref="B",
            park=life,
            kind="厂房",
            area_m2=Decimal(2500),
            price=Decimal("2.2"),
            gmp=True,
            ceiling_height_m=Decimal(8),
            floor_load_kg_m2=1500,
            power_kva=1200,
        ),
        SpaceFactory(
            ref="C",
            park=yz,
            kind="厂房",
            area_m2=Decimal(6000),
            price=Decimal("1.6"),
            ceiling_height_m=Decimal(10),
            floor_load_kg_m2=3000,
            power_kva=2500,
        ),
        SpaceFactory(
            ref="D",
            park=yz,
            kind="研发楼",
            deal="出售",
            status="可售",
            price_unit="元/平方米",
            area_m2=Decimal(800),
            price=Decimal(18000),
        ),
        SpaceFactory(
            ref="E",
            park=yz,
            kind="仓库",
            area_m2=Decimal(4000),
            price=Decimal("1.1"),
            status="已租",
        ),
        SpaceFactory(ref="F", park=life, kind="写字楼", area_m2=Decimal(150), price=Decimal(6)),
    ]
    stale = timezone.now() - timedelta(days=400)
    Space.objects.filter(ref="F").update(confirmed_at=stale)
    return spaces
