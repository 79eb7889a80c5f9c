"""Property tests of the requirement parser (matching/parse.py): whatever the text, it never
raises, every number it returns is finite, non-negative and within physical bounds, and the
area range is ordered (min ≤ target ≤ max)."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parklink.matching.parse import parse_text

# Pieces people type, so generated texts reach the grammar rather than only noise.
WORDS = st.sampled_from(
    [
        "需要",
        "厂房",
        "研发楼",
        "土地",
        "仓库",
        "写字楼",
        "出租",
        "出售",
        "平",
        "平米",
        "㎡",
        "亩",
        "公顷",
        "万平方米",
        "左右",
        "以上",
        "以内",
        "不超过",
        "至少",
        "约",
        "到",
        "-",
        "~",
        "层高",
        "米",
        "承重",
        "吨",
        "公斤",
        "kVA",
        "千伏安",
        "元/平/天",
        "元/㎡/月",
        "万",
        "亿",
        "预算",
        "总价",
        "税收",
        "GMP",
        "昌平",
        "海淀",
        "大兴",
        "不要",
        "下个月",
        "年底",
        "入驻",
        "一千五",
        "两千",
        "三",
        "十",
        "百",
        "〇",
        "²",
        "½",
        "1e27",
        "NaN",
        "inf",
        "\x00",
        "\ud800",
        "9" * 25,
        "0",
        ".",
        ",",
        "，",
        " ",
        "sqm",
        "acres",
        "ceiling",
        "m",
        "within",
    ]
)
NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10**30).map(str),
    st.floats(min_value=0, max_value=1e30, allow_nan=False).map(lambda f: f"{f:g}"),
)
TEXTS = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(WORDS, NUMBERS), max_size=25).map("".join),
)

BOUNDS = {
    "area_target_m2": 1e9,  # 1,000 km²: no park is larger
    "area_min_m2": 1e9,
    "area_max_m2": 1e9,
    "rent_max_yuan_m2_day": 1e6,
    "price_max_yuan_m2": 1e9,
    "total_max_wan": 1e12,
    "annual_tax_wan": 1e12,
    "ceiling_height_m": 1e4,
    "floor_load_kg_m2": 1e9,
    "power_kva": 1e9,
    "lease_years": 1e3,
}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_parse_text_never_raises_and_numbers_are_bounded(text: str):
    req = parse_text(text)
    for name, bound in BOUNDS.items():
        value = getattr(req, name, None)
        if value is None:
            continue
        assert math.isfinite(value), (name, value, text)
        assert 0 <= value <= bound, (name, value, text)
    low, target, high = req.area_min_m2, req.area_target_m2, req.area_max_m2
    if low is not None and high is not None:
        assert low <= high, (low, high, text)
    if target is not None:
        assert low is None or low <= target, (low, target, text)
        assert high is None or target <= high, (target, high, text)
