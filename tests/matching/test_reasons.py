"""Property: every reason agrees with its ✓/✗ — over generated spaces and requirements, a ✓
reason never uses the words of a ✗ ("超出", "小于", "不符" …), a ✗ always does, and a "?"
says why it cannot tell ("未标明", "面议", "需确认" …)."""

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parklink.matching.columns import ParkTable, SpaceIndex, SpaceRow
from parklink.matching.ranking import rank
from parklink.matching.reasons import NEGATIVE, UNKNOWN
from parklink.matching.requirement import DEALS, KINDS, Requirement

PARKS = ParkTable(
    ids=[1, 2, 3],
    names=["甲园", "乙园", "丙园"],
    districts=["大兴区", "顺义区", "昌平区"],
    industries=[("生物医药",), (), ("现代物流",)],
    min_tax=np.array([800.0, math.nan, 300.0]),
)

maybe = st.one_of(st.none(), st.floats(min_value=1, max_value=5000, allow_nan=False))

spaces = st.builds(
    SpaceRow,
    id=st.integers(1, 10_000),
    ref=st.just("S"),
    park_id=st.sampled_from([1, 2, 3]),
    kind=st.sampled_from(KINDS),
    deal=st.sampled_from(DEALS),
    area_m2=st.floats(min_value=50, max_value=50_000),
    unit_price=st.one_of(st.none(), st.floats(min_value=0.5, max_value=30_000)),
    min_lettable_m2=st.one_of(st.none(), st.floats(min_value=20, max_value=20_000)),
    ceiling_height_m=st.one_of(st.none(), st.floats(min_value=2, max_value=20)),
    floor_load_kg_m2=st.one_of(st.none(), st.floats(min_value=100, max_value=5000)),
    power_kva=maybe,
    dual_power=st.booleans(),
    gmp=st.booleans(),
    env_assessment=st.booleans(),
    cleanroom=st.booleans(),
    cleanroom_iso=st.one_of(st.none(), st.sampled_from([5.0, 6.0, 7.0, 8.0, 8.5, 9.0])),
    basement=st.booleans(),
    available_day=st.one_of(st.none(), st.floats(min_value=20_000, max_value=21_500)),
)


@st.composite
def requirements(draw):
    lo = draw(st.floats(min_value=50, max_value=20_000))
    hi = lo * draw(st.floats(min_value=1.0, max_value=3.0))
    soft = draw(st.sets(st.sampled_from(["dual_power", "cleanroom", "gmp", "basement"])))
    hard = draw(st.sets(st.sampled_from(["ceiling_height_m", "env_assessment"]))) - soft
    return Requirement(
        area_min_m2=lo,
        area_max_m2=hi,
        area_target_m2=draw(st.floats(min_value=lo, max_value=hi)),
        rent_max_yuan_m2_day=draw(st.one_of(st.none(), st.floats(min_value=0.5, max_value=10))),
        total_max_wan=draw(st.one_of(st.none(), st.floats(min_value=10, max_value=50_000))),
        ceiling_height_m=draw(st.one_of(st.none(), st.floats(min_value=3, max_value=12))),
        floor_load_kg_m2=draw(st.one_of(st.none(), st.floats(min_value=200, max_value=3000))),
        power_kva=draw(maybe),
        dual_power=draw(st.sampled_from([None, True])),
        env_assessment=draw(st.sampled_from([None, True])),
        cleanroom=draw(st.sampled_from([None, True])),
        cleanroom_iso=draw(st.sampled_from([None, 7.0, 8.0])),
        gmp=draw(st.sampled_from([None, True])),
        no_basement=draw(st.booleans()),
        park_industries=draw(st.sampled_from([(), ("生物医药",)])),
        annual_tax_wan=draw(st.one_of(st.none(), st.floats(min_value=1, max_value=1000))),
        preferred_districts=draw(st.sampled_from([(), ("顺义区",)])),
        near=draw(st.sampled_from([(), ("首都机场",), ("甲园",)])),
        preferred_kinds=draw(st.sampled_from([(), ("厂房",)])),
        move_in_by=draw(st.sampled_from([None, "2027-03-31"])),
        lease_years=draw(st.sampled_from([None, 5.0])),
        soft=tuple(sorted(soft)),
        hard=tuple(sorted(hard)),
    )


def agrees(reason) -> bool:
    negative = any(w in reason.text for w in NEGATIVE)
    unknown = any(w in reason.text for w in UNKNOWN)
    if reason.ok is True:
        return not negative and not unknown
    if reason.ok is False:
        return negative and not unknown
    return unknown


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(spaces, min_size=1, max_size=8, unique_by=lambda r: r.id), req=requirements())
def test_every_reason_agrees_with_its_verdict(rows, req):
    index = SpaceIndex.from_rows(PARKS, rows)
    for match in rank(index, req, top=10):
        for reason in match.reasons:
            assert agrees(reason), (reason.ok, reason.text)
        assert 0.0 <= match.score <= 100.0


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(spaces, min_size=1, max_size=8, unique_by=lambda r: r.id), req=requirements())
def test_hard_constraints_never_let_a_breaking_space_through(rows, req):
    index = SpaceIndex.from_rows(PARKS, rows)
    for match in rank(index, req, top=10):
        for reason in match.reasons:
            if reason.hard and reason.criterion in ("ceiling_height_m", "env_assessment"):
                assert reason.ok is not False, reason.text
