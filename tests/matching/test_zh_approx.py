"""zh.approx: approximate Chinese numbers read as ranges, offsets kept."""

import pytest

from parklink.zh.approx import find_approx, rewrite

CASES = [
    ("三四千", 3000, 4000),
    ("七八百", 700, 800),
    ("两三万", 20000, 30000),
    ("一两千", 1000, 2000),
    ("三五千", 3000, 5000),
    ("三四十万", 300000, 400000),
    ("十五六万", 150000, 160000),
    ("二十五六万", 250000, 260000),
    ("一千二三百", 1200, 1300),
    ("三千五六", 3500, 3600),
    ("一百二三十", 120, 130),
    ("三到四千", 3000, 4000),
    ("3-4万", 30000, 40000),
    ("十来", 10, 13),
    ("二十来", 20, 26),
    ("千把", 900, 1200),
    ("两千多", 2000, 2500),
    ("十多", 10, 15),
    ("一千五百多", 1500, 1550),
    ("三千出头", 3000, 3450),
    ("小两千", 1700, 2000),
    ("两三块", 2, 3),
    ("一个亿", 1e8, 1e8),
]


@pytest.mark.parametrize(("text", "low", "high"), CASES, ids=[c[0] for c in CASES])
def test_approximations_are_ranges(text, low, high):
    (found,) = find_approx(text)
    assert (found.low, found.high) == (pytest.approx(low), pytest.approx(high))
    assert (found.start, found.end) == (0, len(text.rstrip("块")))


@pytest.mark.parametrize("text", ["三千平", "1500平", "三四月份", "五六层", "一二楼", "两千多万"])
def test_plain_numbers_and_other_pairs_are_left_alone(text):
    assert find_approx(text) == []


def test_rewrite_keeps_offsets_to_the_original():
    text = "要三四千平的厂房,预算七八百万"
    new, offsets, found = rewrite(text)
    assert new == "要3000-4000平的厂房,预算700-800万"
    assert len(offsets) == len(new) + 1
    start = new.index("3000")
    assert text[offsets[start]] == "三"
    assert text[offsets[new.index("平")]] == "平"
    assert [a.text for a in found] == ["三四千", "七八百万"]
