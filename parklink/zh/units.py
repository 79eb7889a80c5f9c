"""Unit conversion for areas, rents, prices, loads and power (DESIGN.md, exchange format).

Pure functions over Decimal. Areas go to m², rents to 元/平方米/天, floor loads to kg/m².
Unit spellings are matched after removing spaces and normalising ㎡/m2/平米 variants.
"""

from __future__ import annotations

import re
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


# --- Cells with their unit written in ("50亩", "3元/平方米/天", "1吨/平方米") ----------------

_QUANTITY = re.compile(r"^\s*([-+]?(?:\d[\d,，]*(?:\.\d+)?|\.\d+))\s*(.*?)\s*$")

POWER_FACTORS: dict[str, Decimal] = {
    "kva": Decimal(1),
    "千伏安": Decimal(1),
    "kw": Decimal(1),  # listings say kW where they mean the transformer's kVA
    "千瓦": Decimal(1),
    "mva": Decimal(1000),
    "兆伏安": Decimal(1000),
    "mw": Decimal(1000),
    "兆瓦": Decimal(1000),
}

LENGTH_FACTORS: dict[str, Decimal] = {
    "m": Decimal(1),
    "米": Decimal(1),
    "cm": Decimal("0.01"),
    "厘米": Decimal("0.01"),
    "mm": Decimal("0.001"),
    "毫米": Decimal("0.001"),
}

PRICE_RENT = "元/平方米/天"
PRICE_SALE_M2 = "元/平方米"
PRICE_SALE_TOTAL = "万元"

SALE_M2_UNITS = {"元/平方米", "元/㎡", "元/m2", "元/平米", "元/平"}
TOTAL_FACTORS: dict[str, Decimal] = {
    "万元": Decimal(1),
    "万": Decimal(1),
    "元": Decimal("0.0001"),
    "亿元": Decimal(10000),
    "亿": Decimal(10000),
}


def split_quantity(value: object) -> tuple[Decimal, str]:
    """(number, unit written after it): "1.5万平方米" → (1.5, "万平方米"), 800 → (800, "")."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return to_decimal(value), ""
    m = _QUANTITY.match(str(value).replace("\u3000", " "))
    if not m:
        raise ValueError(f"不是数字 / not a number: {value!r}")
    return to_decimal(m.group(1)), m.group(2)


def parse_area(value: object, unit: str = "") -> Decimal:
    """An area cell to m²: the unit written in the cell wins over the header's unit."""
    number, written = split_quantity(value)
    return area_to_m2(number, written or unit or "m2")


def parse_load(value: object, unit: str = "") -> Decimal:
    number, written = split_quantity(value)
    return load_to_kg_m2(number, written or unit or "kg/m2")


def power_to_kva(value: object, unit: str = "kva") -> Decimal:
    factor = POWER_FACTORS.get(_key(unit).lower())
    if factor is None:
        raise ValueError(f"未知电力单位 / unknown power unit: {unit}")
    return (to_decimal(value) * factor).quantize(Decimal("1"))


def parse_power(value: object, unit: str = "") -> Decimal:
    number, written = split_quantity(value)
    return power_to_kva(number, written or unit or "kva")


def length_to_m(value: object, unit: str = "m") -> Decimal:
    factor = LENGTH_FACTORS.get(_key(unit).lower())
    if factor is None:
        raise ValueError(f"未知长度单位 / unknown length unit: {unit}")
    return (to_decimal(value) * factor).quantize(Decimal("0.01"))


def parse_length(value: object, unit: str = "") -> Decimal:
    number, written = split_quantity(value)
    return length_to_m(number, written or unit or "m")


def price_unit_normalise(unit: str) -> str:
    """The canonical price unit a written one converts to (元/平方米/天, 元/平方米, 万元)."""
    key = _key(unit)
    if key in RENT_FACTORS:
        return PRICE_RENT
    if key in SALE_M2_UNITS:
        return PRICE_SALE_M2
    if key in TOTAL_FACTORS:
        return PRICE_SALE_TOTAL
    raise ValueError(f"未知价格单位 / unknown price unit: {unit}")


def normalise_price(value: object, unit: str) -> tuple[Decimal, str]:
    """A price and its unit in a canonical unit: rents per m² per day (monthly and yearly
    rents converted), sale prices per m², totals in 万元 (元 and 亿元 converted)."""
    key = _key(unit)
    number = to_decimal(value)
    if key in RENT_FACTORS:
        return (number * RENT_FACTORS[key]).quantize(Decimal("0.0001")), PRICE_RENT
    if key in SALE_M2_UNITS:
        return number.quantize(Decimal("0.0001")), PRICE_SALE_M2
    if key in TOTAL_FACTORS:
        return (number * TOTAL_FACTORS[key]).quantize(Decimal("0.0001")), PRICE_SALE_TOTAL
    raise ValueError(f"未知价格单位 / unknown price unit: {unit}")


def parse_price(value: object, unit: str = "") -> tuple[Decimal, str]:
    """A price cell ("2.5元/平方米/天", "90元/平方米/月", "800万") → (number, canonical unit);
    the unit is "" when neither the cell nor ``unit`` names one."""
    number, written = split_quantity(value)
    chosen = written or unit
    if not chosen:
        return number, ""
    return normalise_price(number, chosen)
