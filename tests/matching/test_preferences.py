"""Hard constraints filter, soft preferences score; land, sale wording, cleanroom classes,
move-in dates and relaxations, on a small in-memory index (no database)."""

import math
from dataclasses import replace
from datetime import date

import numpy as np

from parklink.matching.columns import ParkTable, SpaceIndex, SpaceRow
from parklink.matching.parse import parse_text
from parklink.matching.ranking import rank, relaxations
from parklink.matching.requirement import Requirement

TODAY = date(2026, 12, 1)
DAY0 = (date(2026, 12, 1) - date(1970, 1, 1)).days


def parks() -> ParkTable:
    return ParkTable(
        ids=[1, 2, 3, 4],
        names=["顺义园", "通州园", "生命园", "大兴园"],
        districts=["顺义区", "通州区", "昌平区", "大兴区"],
        industries=[(), (), ("生物医药",), ()],
        min_tax=np.array([math.nan] * 4),
        aliases={"中关村生命科学园": "生命园"},
        lat=np.array([40.08, math.nan, 40.095, 39.73]),
        lng=np.array([116.60, math.nan, 116.29, 116.34]),
    )


def space(id: int, **kw) -> SpaceRow:
    base = dict(id=id, ref=f"S{id}", park_id=1, kind="厂房", deal="出租", area_m2=3000.0)
    base.update(kw)
    return SpaceRow(**base)


def ids(found) -> list[int]:
    return [m.space_id for m in found]


def reason(match, criterion):
    return next(r for r in match.reasons if r.criterion == criterion)


def read(text: str) -> Requirement:
    return parse_text(text, aliases={"生命园": "生命园"}, today=TODAY)


def test_a_preferred_district_ranks_first_without_excluding_others():
    idx = SpaceIndex.from_rows(parks(), [space(1, park_id=2), space(2, park_id=1)])
    found = rank(idx, read("顺义优先,三千平的厂房"))
    assert ids(found) == [2, 1]  # both shown, 顺义 first
    assert reason(found[0], "location_pref").ok is True
    assert reason(found[1], "location_pref").ok is False
    assert "(偏好)" in reason(found[1], "location_pref").text


def test_a_plain_district_is_a_hard_filter():
    idx = SpaceIndex.from_rows(parks(), [space(1, park_id=2), space(2, park_id=1)])
    assert ids(rank(idx, read("顺义的三千平厂房"))) == [2]


def test_near_a_park_scores_by_distance_and_keeps_the_rest():
    rows = [space(1, park_id=4), space(2, park_id=3), space(3, park_id=1)]
    idx = SpaceIndex.from_rows(parks(), rows)
    found = rank(idx, read("生命园附近,三千平厂房"))
    assert ids(found)[0] == 2 and set(ids(found)) == {1, 2, 3}


def test_near_the_airport_prefers_the_park_next_to_it():
    rows = [space(1, park_id=3), space(2, park_id=1)]
    idx = SpaceIndex.from_rows(parks(), rows)
    found = rank(idx, parse_text("3,000 sqm factory near Capital Airport", today=TODAY))
    assert ids(found) == [2, 1]
    assert "公里" in reason(found[0], "location_pref").text


def test_approximate_area_ranks_the_closer_space_first():
    idx = SpaceIndex.from_rows(parks(), [space(1, area_m2=5000.0), space(2, area_m2=3500.0)])
    assert ids(rank(idx, read("三四千平的厂房"))) == [2, 1]


def test_excluded_district_and_basement_never_show():
    rows = [space(1, park_id=2), space(2, park_id=1, basement=True), space(3, park_id=1)]
    idx = SpaceIndex.from_rows(parks(), rows)
    assert ids(rank(idx, read("不考虑通州,不要地下室,三千平厂房"))) == [3]


def test_must_have_spec_filters_but_unknown_values_stay():
    rows = [space(1, ceiling_height_m=6.0), space(2, ceiling_height_m=9.0), space(3)]
    idx = SpaceIndex.from_rows(parks(), rows)
    found = rank(idx, read("层高必须8米以上,三千平厂房"))
    assert ids(found) == [2, 3]
    assert reason(found[1], "ceiling_height_m").ok is None
    assert "(必须)" in reason(found[0], "ceiling_height_m").text
    assert reason(found[0], "ceiling_height_m").hard is True


def test_wished_for_gmp_scores_instead_of_filtering():
    idx = SpaceIndex.from_rows(parks(), [space(1), space(2, gmp=True)])
    assert ids(rank(idx, read("有GMP更好,三千平厂房"))) == [2, 1]
    assert ids(rank(idx, read("需要GMP,三千平厂房"))) == [2]


def test_building_specs_never_apply_to_land():
    rows = [space(1, kind="土地", deal="出售", area_m2=20000.0, unit_price=800.0)]
    idx = SpaceIndex.from_rows(parks(), rows)
    req = replace(
        read("买30亩工业用地,总价2000万以内"), ceiling_height_m=8.0, floor_load_kg_m2=1000.0
    )
    (m,) = rank(idx, req)
    criteria = {r.criterion for r in m.reasons}
    assert "ceiling_height_m" not in criteria and "floor_load_kg_m2" not in criteria
    assert m.score == 100.0  # area and budget fit; specs left out, not counted against it
    assert reason(m, "budget").text == "总价约 1,600 万元,在预算 2,000 万元 内"


def test_profile_defaults_give_land_no_building_specs():
    req = read("做生物药的,买50亩地")
    assert req.kinds == ("土地",)
    assert req.ceiling_height_m is None and req.floor_load_kg_m2 is None and req.gmp is None


def test_sale_listing_says_buy_not_rent():
    rows = [space(1, deal="出售", area_m2=10000.0, min_lettable_m2=1500.0, unit_price=9000.0)]
    idx = SpaceIndex.from_rows(parks(), rows)
    (m,) = rank(idx, read("买一千五百平左右的厂房"))
    text = reason(m, "area").text
    assert "购买" in text and "租用" not in text and reason(m, "area").ok is True


def test_divisible_space_too_big_even_when_split_is_a_consistent_cross():
    rows = [space(1, area_m2=10000.0, min_lettable_m2=3729.0)]
    idx = SpaceIndex.from_rows(parks(), rows)
    (m,) = rank(idx, read("1000-2000平的厂房"))
    r = reason(m, "area")
    assert r.ok is False and "在需求" not in r.text and "大于需求上限" in r.text


def test_cleanroom_classes_compare_as_levels():
    rows = [
        space(1, cleanroom=True, cleanroom_iso=8.0),  # 十万级
        space(2, cleanroom=True, cleanroom_iso=7.0),  # 万级
        space(3),
    ]
    idx = SpaceIndex.from_rows(parks(), rows)
    found = rank(idx, read("三千平厂房,需要万级洁净"))
    assert ids(found) == [2, 1, 3]
    assert reason(found[0], "cleanroom").ok is True
    assert (
        reason(found[1], "cleanroom").ok is False and "差于" in reason(found[1], "cleanroom").text
    )
    # a 十万级 need is met by a 万级 room
    assert reason(rank(idx, read("三千平厂房,十万级洁净"))[0], "cleanroom").ok is True


def test_move_in_date_ranks_a_space_free_in_time_first():
    rows = [space(1, available_day=DAY0 + 300), space(2, available_day=DAY0 + 30)]
    idx = SpaceIndex.from_rows(parks(), rows)
    found = rank(idx, read("三千平厂房,明年3月入驻"))
    assert ids(found) == [2, 1]
    assert reason(found[1], "move_in").ok is False and "晚于" in reason(found[1], "move_in").text


def test_relaxations_say_what_to_relax_and_what_it_gives():
    rows = [space(1, park_id=2, area_m2=3000.0), space(2, park_id=4, area_m2=3200.0)]
    idx = SpaceIndex.from_rows(parks(), rows)
    req = read("顺义的三千平厂房")
    assert rank(idx, req) == []
    (first, *_) = relaxations(idx, req)
    assert first.criterion == "location" and first.count == 2
    assert "区域扩大到" in first.text and first.best is not None
    assert first.best.ref in {"S1", "S2"}
    # the English text names the districts in English, the most spaces first
    assert first.text_en.startswith("widen the area to ")
    assert "Tongzhou District (1)" in first.text_en and "Daxing District (1)" in first.text_en
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in first.text_en)


def test_a_kind_relaxation_names_the_kinds_in_english_too():
    rows = [space(1, kind="研发楼"), space(2, kind="研发楼"), space(3, kind="仓库")]
    idx = SpaceIndex.from_rows(parks(), rows)
    req = read("顺义的三千平厂房")
    kind = next(r for r in relaxations(idx, req) if r.criterion == "kind")
    assert kind.count == 3 and kind.change == {"kinds": []}
    assert "研发楼(2 套)" in kind.text
    assert kind.text_en == "any kind of space: 3 more (R&D building (2), Warehouse (1))"


def test_relaxations_move_a_scored_limit_to_the_nearest_listing():
    idx = SpaceIndex.from_rows(parks(), [space(1, unit_price=3.6), space(2, unit_price=4.0)])
    req = read("三千平厂房,每天不超过3块")
    found = rank(idx, req)
    assert found and not found[0].fits
    budget = next(r for r in relaxations(idx, req) if r.criterion == "budget")
    assert budget.change == {"rent_max_yuan_m2_day": 3.6} and budget.count == 1
