"""Unit conversion for areas, rents, prices, loads and power (DESIGN.md, exchange format).

Pure functions over Decimal. Areas go to m², rents to 元/平方米/天, floor loads to kg/m².
Unit spellings are matched after removing spaces and normalising ㎡/m2/平米 variants.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

MU_M2 = Decimal("666.67")  # 1 亩 = 10000/15 m², rounded as in DESIGN.md
DAYS_PER_MONTH = Decimal("30.42")  # 365/12, as in beijing_parks.yaml

AREA_FACTORS: dict[str, Decimal] = {
    "m2": Decimal(1),
    "平方米": Decimal(1),
    "平米": Decimal(1),
    "平": Decimal(1),
    "㎡": Decimal(1),
    "万平方米": Decimal(10000),
    "万平米": Decimal(10000),
    "万㎡": Decimal(10000),
    "万m2": Decimal(10000),
    "亩": MU_M2,
    "公顷": Decimal(10000),
    "ha": Decimal(10000),
    "平方公里": Decimal(1000000),
    "平方千米": Decimal(1000000),
    "km2": Decimal(1000000),
}

# Rent units to 元/平方米/天.
RENT_FACTORS: dict[str, Decimal] = {
    "元/平方米/天": Decimal(1),
    "元/㎡/天": Decimal(1),
    "元/m2/天": Decimal(1),
    "元/平米/天": Decimal(1),
    "元/平方米·天": Decimal(1),
    "元/㎡·天": Decimal(1),
    "元/平方米/月": 1 / DAYS_PER_MONTH,
    "元/㎡/月": 1 / DAYS_PER_MONTH,
    "元/m2/月": 1 / DAYS_PER_MONTH,
    "元/平米/月": 1 / DAYS_PER_MONTH,
    "元/平方米/年": 1 / Decimal(365),
    "元/㎡/年": 1 / Decimal(365),
}

LOAD_FACTORS: dict[str, Decimal] = {
    "kg/m2": Decimal(1),
    "kg/㎡": Decimal(1),
    "公斤/平方米": Decimal(1),
    "公斤/㎡": Decimal(1),
    "公斤/平米": Decimal(1),
    "kg": Decimal(1),
    "公斤": Decimal(1),
    "吨/平方米": Decimal(1000),
    "吨/㎡": Decimal(1000),
    "吨/平米": Decimal(1000),
    "t/m2": Decimal(1000),
    "吨": Decimal(1000),
}


def _key(unit: str) -> str:
    return (
        unit.strip()
        .replace(" ", "")
        .replace("m²", "m2")
        .replace("M2", "m2")
        .replace("平方米", "平方米")
        .replace("／", "/")
    )


def to_decimal(value: object) -> Decimal:
    """Decimal from an int, float or numeric string (thousands separators allowed)."""
    if isinstance(value, Decimal):
        return value
    try:
        if isinstance(value, float):
            return Decimal(repr(value))
        return Decimal(str(value).strip().replace(",", "").replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"不是数字 / not a number: {value!r}") from exc


def area_to_m2(value: object, unit: str = "m2") -> Decimal:
    """Convert an area in 亩, 公顷, 平方公里, 万平方米 … to m² (2 decimals)."""
    factor = AREA_FACTORS.get(_key(unit))
    if factor is None:
        raise ValueError(f"未知面积单位 / unknown area unit: {unit}")
    return (to_decimal(value) * factor).quantize(Decimal("0.01"))


def rent_to_yuan_m2_day(value: object, unit: str = "元/平方米/天") -> Decimal:
    """Convert a rent to 元/平方米/天 (4 decimals)."""
    factor = RENT_FACTORS.get(_key(unit))
    if factor is None:
        raise ValueError(f"未知租金单位 / unknown rent unit: {unit}")
    return (to_decimal(value) * factor).quantize(Decimal("0.0001"))


def load_to_kg_m2(value: object, unit: str = "kg/m2") -> Decimal:
    """Convert a floor load to kg/m² ("1吨/平方米" = 1000)."""
    factor = LOAD_FACTORS.get(_key(unit))
    if factor is None:
        raise ValueError(f"未知承重单位 / unknown floor-load unit: {unit}")
    return (to_decimal(value) * factor).quantize(Decimal("1"))
