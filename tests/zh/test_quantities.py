import pytest

from parklink.zh.quantities import find_quantities, parse_number


@pytest.mark.parametrize(
    ("text", "dimension", "value", "unit", "qualifier"),
    [
        ("三千平", "area", 3000, "m2", None),
        ("1500㎡", "area", 1500, "m2", None),
        ("约50亩", "area", 33333.5, "m2", "approx"),
        ("2块8", "money", 2.8, "yuan", None),
        ("每平米每天不超过4元", "rent", 4, "yuan/m2/day", "max"),
        ("总价1.5亿以内", "money", 150_000_000, "yuan", "max"),
        ("承重800公斤以上", "load", 800, "kg/m2", "min"),
        ("1吨/平方米", "load", 1000, "kg/m2", None),
        ("一千五百平左右", "area", 1500, "m2", "approx"),
        ("层高8米", "length", 8, "m", None),
        ("500kVA", "power", 500, "kva", None),
        ("3万平方米", "area", 30000, "m2", None),
        ("２０００平米", "area", 2000, "m2", None),
        ("2公顷", "area", 20000, "m2", None),
        ("两千多平", "area", 2000, "m2", "approx"),
        ("至少需要1000平", "area", 1000, "m2", "min"),
        ("90元/㎡/月", "rent", 90 / 30.42, "yuan/m2/day", None),
        ("2.5元/平/天", "rent", 2.5, "yuan/m2/day", None),
        ("3块钱一平一天", "rent", 3, "yuan/m2/day", None),
        ("1.2万/平", "unit_price", 12000, "yuan/m2", None),
        ("630千瓦", "power", 630, "kva", None),
        ("800kg/㎡", "load", 800, "kg/m2", None),
        ("年纳税500万", "money", 5_000_000, "yuan", None),
        ("不低于6米", "length", 6, "m", "min"),
    ],
)
def test_quantity_said_the_chinese_way(text, dimension, value, unit, qualifier):
    found = find_quantities(text)
    assert len(found) == 1, found
    q = found[0]
    assert (q.dimension, q.unit, q.qualifier) == (dimension, unit, qualifier)
    assert q.value == pytest.approx(value, rel=1e-4)
    assert text[q.start : q.end] == q.text


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("1500-2000平", 1500, 2000),
        ("一千五到两千平米", 1500, 2000),
        ("1500平到2000平方米之间", 1500, 2000),
        ("1500~2000㎡", 1500, 2000),
    ],
)
def test_area_ranges_keep_both_bounds(text, low, high):
    (q,) = find_quantities(text)
    assert (q.qualifier, q.value, q.high) == ("range", low, high)


@pytest.mark.parametrize(
    "text", ["十万级洁净车间", "2019-2020年", "电话13800138000", "二楼一层", "一个人"]
)
def test_numbers_without_a_unit_are_not_quantities(text):
    assert find_quantities(text) == []


def test_positions_point_into_the_original_text():
    text = "我们要1500平的厂房,租金2块8,层高8米以上"
    found = find_quantities(text)
    assert [text[q.start : q.end] for q in found] == [q.text for q in found]
    assert [q.dimension for q in found] == ["area", "money", "length"]
    assert found[2].qualifier == "min"


def test_bare_tons_are_weight_unless_said_of_a_floor():
    (weight,) = find_quantities("年产500吨")
    (load,) = find_quantities("承重3吨")
    assert (weight.dimension, weight.value) == ("weight", 500_000)
    assert (load.dimension, load.value) == ("load", 3000)


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("1,500", 1500),
        ("一千五", 1500),
        ("1.5亿", 1.5e8),
        ("两", 2),
        ("7.19万", 71900),
        ("x", None),
    ],
)
def test_parse_number(token, value):
    assert parse_number(token) == value
