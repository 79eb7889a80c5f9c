"""Unit normalisation of import cells (parklink.zh.units)."""

from decimal import Decimal

import pytest

from parklink.zh.units import (
    normalise_price,
    parse_area,
    parse_length,
    parse_load,
    parse_power,
    parse_price,
    split_quantity,
)


@pytest.mark.parametrize(
    ("cell", "header_unit", "m2"),
    [
        ("1500", "", Decimal("1500.00")),
        (1500, "平方米", Decimal("1500.00")),
        ("50亩", "", Decimal("33333.50")),
        (50, "亩", Decimal("33333.50")),
        ("1.5万平方米", "平方米", Decimal("15000.00")),  # the cell's unit wins
        ("0.2平方公里", "", Decimal("200000.00")),
        ("2,000 ㎡", "", Decimal("2000.00")),
    ],
)
def test_area_cells_normalise_to_m2(cell, header_unit, m2):
    assert parse_area(cell, header_unit) == m2


@pytest.mark.parametrize(
    ("cell", "unit", "expected"),
    [
        ("2.5", "元/平方米/天", (Decimal("2.5000"), "元/平方米/天")),
        ("91.26元/平方米/月", "", (Decimal("3.0000"), "元/平方米/天")),
        (91.26, "元/㎡/月", (Decimal("3.0000"), "元/平方米/天")),
        ("15000元/平方米", "", (Decimal("15000.0000"), "元/平方米")),
        ("800万", "", (Decimal("800.0000"), "万元")),
        ("1.2亿元", "", (Decimal("12000.0000"), "万元")),
        ("3", "", (Decimal("3"), "")),
    ],
)
def test_prices_normalise_to_canonical_units(cell, unit, expected):
    assert parse_price(cell, unit) == expected


def test_loads_power_and_lengths():
    assert parse_load("1吨/平方米") == Decimal("1000")
    assert parse_load(2, "吨/平方米") == Decimal("2000")
    assert parse_power("1MVA") == Decimal("1000")
    assert parse_power("800", "kVA") == Decimal("800")
    assert parse_length("800cm") == Decimal("8.00")
    assert parse_length("6.5米") == Decimal("6.50")


@pytest.mark.parametrize("bad", ["abc", "", "亩50"])
def test_non_numbers_are_refused(bad):
    with pytest.raises(ValueError, match="not a number"):
        split_quantity(bad)


def test_unknown_price_unit_is_refused():
    with pytest.raises(ValueError, match="unknown price unit"):
        normalise_price(1, "美元/英尺")
