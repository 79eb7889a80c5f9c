"""Scoring rules one by one, on a small in-memory index (no database)."""

import math

import numpy as np
import pytest

from parklink.matching.columns import ParkTable, SpaceIndex, SpaceRow
from parklink.matching.config import DEFAULT_CONFIG, MatchConfig
from parklink.matching.parse import KINDS, Requirement
from parklink.matching.ranking import rank, rank_parks, rank_requirements, score_space
from parklink.parks.choices import SpaceKind


def parks() -> ParkTable:
    return ParkTable(
        ids=[1, 2, 3],
        names=["北京生物医药产业基地", "中关村生命科学园", "通州物流园"],
        districts=["大兴区", "昌平区", "通州区"],
        industries=[("生物医药", "医疗器械"), ("生物医药",), ("现代物流",)],
        min_tax=np.array([800.0, math.nan, math.nan]),
        aliases={"生命园": "中关村生命科学园"},
    )


def space(id: int, **kw) -> SpaceRow:
    base = dict(
        id=id,
        ref=f"S{id}",
        park_id=1,
        kind="厂房",
        deal="出租",
        area_m2=1500.0,
        unit_price=2.5,
    )
    base.update(kw)
    return SpaceRow(**base)


def index(*rows: SpaceRow) -> SpaceIndex:
    return SpaceIndex.from_rows(parks(), rows)


def ids(matches) -> list[int]:
    return [m.space_id for m in matches]


def reason(match, criterion):
    return next(r for r in match.reasons if r.criterion == criterion)


def test_kind_codes_follow_the_catalogue():
    assert tuple(SpaceKind.values) == KINDS


def test_kind_and_deal_mismatches_are_excluded():
    idx = index(space(1), space(2, kind="写字楼"), space(3, deal="出售", unit_price=20000))
    req = Requirement(kinds=("厂房",), deal="出租")
    assert ids(rank(idx, req)) == [1]


def test_district_and_named_park_exclude_others():
    idx = index(space(1, park_id=1), space(2, park_id=2), space(3, park_id=3))
    assert ids(rank(idx, Requirement(districts=("大兴区", "通州区")))) == [1, 3]
    assert ids(rank(idx, Requirement(parks=("中关村生命科学园",)))) == [2]
    assert ids(rank(idx, Requirement(excluded_districts=("通州区",)))) == [1, 2]


def test_gmp_required_excludes_non_gmp_and_basement_refused():
    idx = index(space(1, gmp=True), space(2), space(3, gmp=True, basement=True))
    assert ids(rank(idx, Requirement(gmp=True))) == [1, 3]
    assert ids(rank(idx, Requirement(gmp=True, no_basement=True))) == [1]


def test_area_fit_ranks_closest_first_and_explains():
    idx = index(space(1, area_m2=1650), space(2, area_m2=2600), space(3, area_m2=900))
    req = Requirement(area_target_m2=1750, area_min_m2=1500, area_max_m2=2000)
    found = rank(idx, req)
    assert ids(found) == [1, 2, 3]
    assert reason(found[0], "area").text == "面积 1,650㎡,在需求 1,500–2,000㎡ 内"
    assert reason(found[0], "area").ok is True
    assert reason(found[1], "area").ok is False
    assert "大于需求上限 2,000㎡" in reason(found[1], "area").text
    assert "小于需求下限" in reason(found[2], "area").text


def test_divisible_space_fits_a_smaller_need():
    idx = index(space(1, area_m2=10000, min_lettable_m2=500), space(2, area_m2=10000))
    req = Requirement(area_target_m2=1500, area_min_m2=1200, area_max_m2=1950)
    found = rank(idx, req)
    assert ids(found) == [1, 2]
    assert "可分割" in reason(found[0], "area").text and reason(found[0], "area").ok


def test_budget_over_cap_loses_and_unknown_price_is_neutral():
    idx = index(space(1, unit_price=2.8), space(2, unit_price=3.6), space(3, unit_price=None))
    found = rank(idx, Requirement(rent_max_yuan_m2_day=3.0))
    assert ids(found) == [1, 3, 2]
    assert reason(found[0], "budget").text == "租金 2.8 元/㎡/天,在预算 3 元/㎡/天 内"
    assert "超出预算 3 元/㎡/天 20%" in reason(found[2], "budget").text
    assert reason(found[1], "budget").ok is None


def test_sale_total_budget_uses_area():
    idx = index(
        space(1, deal="出售", unit_price=10000, area_m2=1000),
        space(2, deal="出售", unit_price=30000, area_m2=1000),
    )
    found = rank(idx, Requirement(deal="出售", total_max_wan=1500))
    assert ids(found) == [1, 2]
    assert reason(found[0], "budget").text == "总价约 1,000 万元,在预算 1,500 万元 内"


def test_technical_fit_each_need():
    idx = index(
        space(1, ceiling_height_m=8, floor_load_kg_m2=1000, power_kva=800, dual_power=True),
        space(2, ceiling_height_m=4, floor_load_kg_m2=500, power_kva=200),
        space(3),
    )
    req = Requirement(ceiling_height_m=6, floor_load_kg_m2=800, power_kva=500, dual_power=True)
    found = rank(idx, req)
    assert ids(found) == [1, 3, 2]
    assert reason(found[0], "ceiling_height_m").text == "层高 8 米,满足 ≥ 6 米"
    assert reason(found[2], "floor_load_kg_m2").ok is False
    assert reason(found[1], "power_kva").ok is None
    assert reason(found[2], "dual_power").text == "无双回路供电"


def test_industry_fit_with_park_leading_industries():
    idx = index(space(1, park_id=3), space(2, park_id=2))
    req = Requirement(industry="抗体", park_industries=("生物医药",))
    found = rank(idx, req)
    assert ids(found) == [2, 1]
    assert reason(found[0], "industry").ok is True
    assert "与需求(抗体)不符" in reason(found[1], "industry").text


def test_tax_fit_against_park_minimum():
    idx = index(space(1, park_id=1), space(2, park_id=2))
    req = Requirement(area_target_m2=2000, area_min_m2=1600, area_max_m2=2600, annual_tax_wan=70)
    found = rank(idx, req)
    assert ids(found) == [2, 1]
    tax = reason(found[1], "tax")
    assert tax.text == "需求方年纳税约 350 元/㎡,低于园区门槛 800 元/㎡" and tax.ok is False


def test_defaults_from_profiles_are_marked_in_reasons():
    idx = index(space(1, ceiling_height_m=7))
    req = Requirement(ceiling_height_m=6, defaults=("ceiling_height_m",))
    (found,) = rank(idx, req)
    assert reason(found, "ceiling_height_m").text.endswith("(行业默认)")


def test_ties_are_broken_by_id_and_top_limits():
    idx = index(*(space(i) for i in range(1, 30)))
    found = rank(idx, Requirement(kinds=("厂房",)), top=5)
    assert ids(found) == [1, 2, 3, 4, 5]
    assert all(m.score == 100 for m in found)


def test_excluded_ids_and_removed_rows_never_appear():
    idx = index(space(1), space(2), space(3))
    idx.remove(2)
    assert ids(rank(idx, Requirement(kinds=("厂房",)), exclude_ids=[3])) == [1]


def test_upsert_updates_in_place():
    idx = index(space(1, unit_price=9.0), space(2, unit_price=3.0))
    req = Requirement(rent_max_yuan_m2_day=3.0)
    assert ids(rank(idx, req)) == [2, 1]
    idx.upsert(space(1, unit_price=2.0))
    assert ids(rank(idx, req))[0] == 1
    assert len(idx) == 2


def test_weights_are_tunable():
    idx = index(space(1, area_m2=1500, unit_price=5.0), space(2, area_m2=3000, unit_price=2.0))
    req = Requirement(
        area_target_m2=1500, area_min_m2=1200, area_max_m2=1950, rent_max_yuan_m2_day=2.5
    )
    assert ids(rank(idx, req)) == [1, 2]
    budget_first = DEFAULT_CONFIG.with_overrides({"w_area": 5, "w_budget": 60})
    assert ids(rank(idx, req, config=budget_first)) == [2, 1]
    with pytest.raises(ValueError):
        MatchConfig().with_overrides({"w_nonsense": 1})


def test_large_index_two_pass_ranking_equals_exact_ranking():
    rng = np.random.default_rng(1)
    n = 30000
    rows = [
        space(
            i + 1,
            park_id=int(rng.integers(1, 4)),
            area_m2=float(rng.uniform(200, 5000)),
            unit_price=float(rng.uniform(1, 6)),
            ceiling_height_m=float(rng.uniform(3, 12)),
        )
        for i in range(n)
    ]
    idx = index(*rows)
    req = Requirement(
        area_target_m2=1500,
        area_min_m2=1200,
        area_max_m2=1950,
        rent_max_yuan_m2_day=3.0,
        ceiling_height_m=6,
        park_industries=("生物医药",),
    )
    from parklink.matching.scores import score_rows

    all_rows = np.arange(n)
    exact, _ = score_rows(idx, req, all_rows, DEFAULT_CONFIG)
    order = np.lexsort((idx.id[:n], -exact))[:10]
    assert ids(rank(idx, req)) == [int(idx.id[r]) for r in order]


def test_reverse_matching_orders_requirements():
    idx = index(space(1, area_m2=1500, unit_price=2.5))
    reqs = [
        ("far", Requirement(area_target_m2=5000, area_min_m2=4000, area_max_m2=6500)),
        ("close", Requirement(area_target_m2=1500, area_min_m2=1200, area_max_m2=1950)),
        ("wrong kind", Requirement(kinds=("仓库",))),
    ]
    found = rank_requirements(idx, 1, reqs)
    assert [k for k, _ in found] == ["close", "far"]
    assert score_space(idx, 1, reqs[2][1]) is None


def test_parks_ranked_even_without_spaces():
    idx = index(space(1, park_id=3, kind="仓库"))
    req = Requirement(kinds=("厂房",), park_industries=("生物医药",))
    found = rank_parks(idx, req)
    assert [p.park for p in found][:2] == ["北京生物医药产业基地", "中关村生命科学园"]
    assert any(r.criterion == "availability" and r.ok is False for r in found[0].reasons)
    logistics = next(p for p in found if p.park == "通州物流园")
    assert "类型或条件不符" in next(
        r.text for r in logistics.reasons if r.criterion == "availability"
    )
