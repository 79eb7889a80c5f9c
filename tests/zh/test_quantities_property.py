"""Property tests of zh/quantities.py: any text is scanned without raising; every quantity
found is finite and non-negative, lies inside the text (its span is the text it quotes)
and has a range that is ordered; and a plain number with a unit reads back as itself."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from parklink.zh.quantities import find_quantities, parse_number

UNITS = st.sampled_from(
    ["平", "平米", "㎡", "亩", "米", "kVA", "元/平/天", "万", "公斤", "吨", "%"]
)
PIECES = st.one_of(
    UNITS,
    st.sampled_from(["约", "以上", "以内", "左右", "-", "到", "一千五", "两", "²", "\x00", "1e27"]),
    st.integers(min_value=0, max_value=10**25).map(str),
    st.text(max_size=5),
)
TEXTS = st.one_of(st.text(max_size=300), st.lists(PIECES, max_size=30).map("".join))


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_find_quantities_never_raises_and_is_consistent(text: str):
    for q in find_quantities(text):
        assert math.isfinite(q.value) and q.value >= 0, q
        assert 0 <= q.start <= q.end <= len(text), q
        assert text[q.start : q.end] == q.text, q
        if q.high is not None:
            assert math.isfinite(q.high) and q.value <= q.high, q


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=10**7))
def test_plain_square_metres_read_back(n: int):
    found = [q for q in find_quantities(f"需要{n}平方米") if q.unit == "m2"]
    assert found and found[0].value == n


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_parse_number_never_raises(token: str):
    value = parse_number(token)
    assert value is None or math.isfinite(value)
