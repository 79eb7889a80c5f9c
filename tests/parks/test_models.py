"""Invariants of parks and spaces."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from parklink.parks.models import Park, Space
from tests.factories.parks import BuildingFactory, ParkFactory, SpaceFactory


def _space(**kw) -> Space:
    park = kw.pop("park", None) or ParkFactory()
    data = {"ref": "T-1", "park": park, "kind": "厂房", "deal": "出租", "area_m2": Decimal(100)}
    data.update(kw)
    return Space(**data)


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"area_m2": Decimal(0)}, "area_m2"),
        ({"area_m2": Decimal("-5")}, "area_m2"),
        ({"area_m2": Decimal("1000000000")}, "area_m2"),
        ({"price": Decimal("-1"), "price_unit": "元/平方米/天"}, "price"),
        ({"price": Decimal(2)}, "price_unit"),
        ({"price": Decimal(2), "price_unit": "万元"}, "price_unit"),
        (
            {"deal": "出售", "price": Decimal(2), "price_unit": "元/平方米/天", "status": "可售"},
            "price_unit",
        ),
        ({"status": "可售"}, "status"),
        ({"deal": "出售", "status": "可租"}, "status"),
        ({"min_lettable_m2": Decimal(200)}, "min_lettable_m2"),
        ({"kind": "城堡"}, "kind"),
        ({"ceiling_height_m": Decimal(100)}, "ceiling_height_m"),
    ],
)
def test_space_refuses_inconsistent_values(db, kw, field):
    with pytest.raises(ValidationError) as exc:
        _space(**kw).full_clean()
    assert field in exc.value.message_dict


def test_space_building_must_belong_to_its_park(db):
    building = BuildingFactory()
    with pytest.raises(ValidationError) as exc:
        _space(building=building).full_clean()
    assert "building" in exc.value.message_dict


def test_unit_price_is_per_m2_for_totals(db):
    space = _space(
        deal="出售", status="可售", price=Decimal(300), price_unit="万元", area_m2=Decimal(1500)
    )
    space.full_clean()
    assert space.unit_price == Decimal("2000.0000")


def test_database_refuses_non_positive_area(db):
    park = ParkFactory()
    with pytest.raises(IntegrityError):
        Space.objects.create(ref="Z", park=park, kind="厂房", deal="出租", area_m2=Decimal(0))


def test_public_excludes_stale_and_unavailable(listings):
    public = set(Space.objects.public().values_list("ref", flat=True))
    assert public == {"A", "B", "C", "D"}  # E is leased, F not reconfirmed
    f = Space.objects.get(ref="F")
    assert f.is_stale and not Space.objects.get(ref="A").is_stale


def test_stale_days_setting_is_honoured(listings, settings):
    settings.PARKLINK = {**settings.PARKLINK, "LISTING_STALE_DAYS": 1000}
    assert Space.objects.public().filter(ref="F").exists()


def test_park_founded_format(db):
    park = Park(name="X", founded="2001年")
    with pytest.raises(ValidationError):
        park.full_clean()
    Park(name="Y", founded="2001-05").full_clean()


def test_recent_confirmation_is_fresh(db):
    space = SpaceFactory()
    Space.objects.filter(pk=space.pk).update(confirmed_at=timezone.now() - timedelta(days=1))
    assert Space.objects.fresh().filter(pk=space.pk).exists()
