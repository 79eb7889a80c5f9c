from decimal import Decimal

import pytest

from parklink.zh.places import normalise_district
from parklink.zh.units import area_to_m2, load_to_kg_m2, rent_to_yuan_m2_day


@pytest.mark.parametrize(
    ("value", "unit", "m2"),
    [
        (1, "亩", Decimal("666.67")),
        (50, "亩", Decimal("33333.50")),
        ("7.19", "平方公里", Decimal("7190000.00")),
        ("522", "万平方米", Decimal("5220000.00")),
        ("1,500", "㎡", Decimal("1500.00")),
        (2, "公顷", Decimal("20000.00")),
    ],
)
def test_area_units_normalise_to_m2(value, unit, m2):
    assert area_to_m2(value, unit) == m2


def test_monthly_rent_converted_to_daily():
    assert rent_to_yuan_m2_day(91.26, "元/平方米/月") == Decimal("3.0000")


def test_tonnes_per_m2_is_kg():
    assert load_to_kg_m2(1, "吨/平方米") == Decimal("1000")


@pytest.mark.parametrize("fn", [area_to_m2, rent_to_yuan_m2_day, load_to_kg_m2])
def test_unknown_unit_is_a_clear_error(fn):
    with pytest.raises(ValueError, match="unknown"):
        fn(1, "furlong")


@pytest.mark.parametrize(
    ("name", "full"), [("昌平", "昌平区"), ("昌平区", "昌平区"), ("亦庄", "大兴区"), ("火星", None)]
)
def test_districts_by_short_name(name, full):
    assert normalise_district(name) == full
