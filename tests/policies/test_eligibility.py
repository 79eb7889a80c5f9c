"""Policy matching: every operator, unknown facts, districts and industries, the status of a
policy, validity dates and the order of the answer."""

from __future__ import annotations

from datetime import date

import pytest

from parklink.policies.eligibility import (
    Condition,
    ConditionError,
    PolicyInfo,
    condition_state,
    match_policies,
    normalise_condition,
    normalise_conditions,
    policy_match,
)
from parklink.policies.facts import ProjectFacts

FACTS = ProjectFacts(
    industry="创新药",
    annual_tax_wan=500,
    total_investment_wan=8000,
    land_mu=20,
    annual_output_wan=30000,
    staff=80,
    founded_year=2020,
    is_high_tech=True,
    is_specialized=False,
    districts=("昌平区",),
)


@pytest.mark.parametrize(
    ("op", "value", "state"),
    [
        (">=", 500, True),
        (">=", 501, False),
        (">", 500, False),
        (">", 499.9, True),
        ("<=", 500, True),
        ("<=", 499, False),
        ("<", 500, False),
        ("<", 501, True),
        ("==", 500, True),
        ("==", 400, False),
        ("in", (300, 500), True),
        ("in", (300, 400), False),
    ],
)
def test_numeric_operators(op, value, state):
    assert condition_state(FACTS, Condition("annual_tax_wan", op, value))[0] is state


@pytest.mark.parametrize(
    "field",
    [
        "total_investment_wan",
        "land_mu",
        "annual_tax_wan",
        "annual_output_wan",
        "staff",
        "founded_year",
        "is_high_tech",
        "is_specialized",
        "industry",
        "district",
    ],
)
def test_unknown_fact_is_unknown_for_every_field(field):
    value = {
        "is_high_tech": True,
        "is_specialized": True,
        "industry": "生物医药",
        "district": "昌平区",
    }.get(field, 1)
    op = "==" if field in ("is_high_tech", "is_specialized", "industry", "district") else ">="
    assert condition_state(ProjectFacts(), Condition(field, op, value))[0] is None


@pytest.mark.parametrize(
    ("condition", "state"),
    [
        (Condition("is_high_tech", "==", True), True),
        (Condition("is_high_tech", "==", False), False),
        (Condition("is_specialized", "==", True), False),  # known false, not unknown
        (Condition("is_specialized", "in", (False,)), True),
        (Condition("founded_year", ">=", 2019), True),
        (Condition("founded_year", "<=", 2019), False),
        (Condition("staff", ">=", 50), True),
        (Condition("land_mu", "<=", 50), True),
        (Condition("industry", "in", ("生物医药",)), True),  # 生物医药 covers 创新药
        (Condition("industry", "==", "创新药"), True),
        (Condition("industry", "in", ("集成电路", "人工智能")), False),
        (Condition("district", "==", "昌平区"), True),
        (Condition("district", "in", ("海淀区", "大兴区")), False),
    ],
)
def test_conditions(condition, state):
    assert condition_state(FACTS, condition)[0] is state


@pytest.mark.parametrize(
    ("districts", "state"),
    [
        (("昌平区",), True),
        (("昌平区", "大兴区"), True),
        (("昌平区", "海淀区"), None),  # depends where it settles
        (("海淀区",), False),
        ((), None),
        (("昌平",), True),  # short forms are normalised
    ],
)
def test_district_states(districts, state):
    facts = ProjectFacts(districts=districts)
    assert condition_state(facts, Condition("district", "in", ("昌平区", "大兴区")))[0] is state


def test_broader_industry_is_unknown():
    facts = ProjectFacts(industry="生物医药")
    assert condition_state(facts, Condition("industry", "in", ("医疗器械",)))[0] is None


def _policy(ref="P1", conditions=(), industries=(), amount=None, valid_from=None, valid_to=None):
    return PolicyInfo(
        ref=ref,
        title=f"政策{ref}",
        industries=tuple(industries),
        conditions=tuple(conditions),
        amount_wan_max=amount,
        valid_from=valid_from,
        valid_to=valid_to,
    )


@pytest.mark.parametrize(
    ("conditions", "status"),
    [
        ([], "eligible"),
        ([Condition("annual_tax_wan", ">=", 300)], "eligible"),
        ([Condition("annual_tax_wan", ">=", 300), Condition("staff", ">=", 500)], "ineligible"),
        ([Condition("annual_tax_wan", ">=", 300), Condition("staff", ">=", 50)], "eligible"),
        # an unmet condition beats an unknown one
        ([Condition("staff", ">=", 500), Condition("is_specialized", "==", True)], "ineligible"),
    ],
)
def test_status(conditions, status):
    assert policy_match(FACTS, _policy(conditions=conditions)).status == status


def test_possible_when_nothing_unmet_but_something_unknown():
    facts = ProjectFacts(annual_tax_wan=500)
    m = policy_match(
        facts,
        _policy(conditions=[Condition("annual_tax_wan", ">=", 300), Condition("staff", ">=", 50)]),
    )
    assert m.status == "possible"
    assert [c.field for c in m.met] == ["annual_tax_wan"]
    assert [c.field for c in m.unknown] == ["staff"] and m.unmet == ()


def test_industries_are_one_more_condition_first():
    m = policy_match(
        FACTS, _policy(industries=["集成电路"], conditions=[Condition("staff", ">=", 1)])
    )
    assert m.status == "ineligible"
    assert m.to_dict()["unmet"] == [{"field": "industry", "op": "in", "value": ["集成电路"]}]
    assert m.to_dict()["met"] == [{"field": "staff", "op": ">=", "value": 1}]


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "on", "listed"),
    [
        (None, None, date(2026, 6, 1), True),
        (date(2026, 1, 1), date(2026, 12, 31), date(2026, 1, 1), True),  # bounds are inclusive
        (date(2026, 1, 1), date(2026, 12, 31), date(2026, 12, 31), True),
        (date(2026, 1, 1), date(2026, 12, 31), date(2025, 12, 31), False),
        (date(2026, 1, 1), date(2026, 12, 31), date(2027, 1, 1), False),
        (date(2026, 1, 1), None, date(2030, 1, 1), True),
        (None, date(2026, 3, 31), date(2026, 4, 1), False),
    ],
)
def test_validity(valid_from, valid_to, on, listed):
    found = match_policies(FACTS, [_policy(valid_from=valid_from, valid_to=valid_to)], on=on)
    assert bool(found) is listed


def test_best_first():
    unknown = ProjectFacts(annual_tax_wan=500, industry="创新药")
    policies = [
        _policy("A", [Condition("staff", ">=", 1)], amount=900),  # possible
        _policy("B", [Condition("annual_tax_wan", ">=", 100)], amount=50),  # eligible
        _policy("C", [Condition("annual_tax_wan", ">=", 9999)], amount=5000),  # ineligible
        _policy("D", [Condition("annual_tax_wan", ">=", 100)], amount=300),  # eligible
        _policy("E", [Condition("annual_tax_wan", ">=", 100)]),  # eligible, no amount
        _policy("F", [Condition("staff", ">=", 1)], amount=900),  # possible, same amount as A
    ]
    found = match_policies(unknown, policies, on=date(2026, 1, 1))
    assert [(m.policy.ref, m.status) for m in found] == [
        ("D", "eligible"),
        ("B", "eligible"),
        ("E", "eligible"),
        ("A", "possible"),
        ("F", "possible"),
        ("C", "ineligible"),
    ]


def test_match_item_has_exactly_the_contract_keys():
    m = policy_match(FACTS, _policy(amount=100, conditions=[Condition("staff", ">=", 10)]))
    assert list(m.to_dict()) == [
        "ref",
        "title",
        "status",
        "met",
        "unmet",
        "unknown",
        "amount_wan_max",
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"field": "annual_tax_wan", "op": ">=", "value": "500"}, ("annual_tax_wan", ">=", 500)),
        ({"field": "annual_tax_wan", "op": "≥", "value": 500}, ("annual_tax_wan", ">=", 500)),
        ({"field": "staff", "op": "in", "value": "10、20"}, ("staff", "in", (10, 20))),
        ({"field": "is_high_tech", "op": "==", "value": "是"}, ("is_high_tech", "==", True)),
        (
            {"field": "district", "op": "in", "value": ["昌平", "亦庄"]},
            ("district", "in", ("昌平区", "大兴区")),
        ),
        ({"field": "industry", "op": "==", "value": " 生物医药 "}, ("industry", "==", "生物医药")),
    ],
)
def test_normalise_condition(raw, expected):
    c = normalise_condition(raw)
    assert (c.field, c.op, c.value) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"field": "revenue", "op": ">=", "value": 1}, "unknown condition field"),
        ({"field": "staff", "op": "!=", "value": 1}, "unknown operator"),
        ({"field": "staff", "op": ">=", "value": "many"}, "must be a number"),
        ({"field": "staff", "op": ">="}, "missing"),
        ({"field": "industry", "op": ">=", "value": "生物医药"}, "only == and in"),
        ({"field": "is_high_tech", "op": "==", "value": "maybe"}, "true or false"),
        ({"field": "staff", "op": ">=", "value": [1, 2]}, "needs the op in"),
        ("staff>=1", "is an object"),
    ],
)
def test_bad_conditions_say_why(raw, fragment):
    with pytest.raises(ConditionError, match=fragment):
        normalise_condition(raw)


def test_conditions_must_be_a_list():
    with pytest.raises(ConditionError):
        normalise_conditions({"field": "staff"})
    assert normalise_conditions(None) == ()


def test_condition_text_in_words():
    assert Condition("annual_tax_wan", ">=", 500).text == "预计年纳税不低于500万元"
    assert Condition("is_high_tech", "==", True).text == "是高新技术企业"
    assert Condition("district", "in", ("昌平区", "大兴区")).text == "区域属于昌平区、大兴区"


# --- region (where a policy applies) and the industry taxonomy ---------------------------------


@pytest.mark.parametrize(
    ("region", "districts", "status"),
    [
        ("顺义区", ("海淀区",), "ineligible"),  # a district's policy is not for another district
        ("顺义区", ("顺义区",), "eligible"),
        ("顺义", ("顺义区",), "eligible"),  # short form normalised
        ("顺义区", (), "possible"),  # where the project settles is not known
        ("顺义区", ("顺义区", "海淀区"), "possible"),  # it depends where it settles
        ("北京市", ("海淀区",), "eligible"),  # the city's policy applies to every district
        ("北京市", (), "eligible"),
        ("", ("延庆区",), "eligible"),
        ("上海市", ("海淀区",), "ineligible"),  # another city's policy
    ],
)
def test_region_is_honoured(region, districts, status):
    facts = ProjectFacts(industry="创新药", annual_tax_wan=500, districts=districts)
    policy = PolicyInfo(
        ref="R1",
        title="区域政策",
        region=region,
        conditions=(Condition("annual_tax_wan", ">=", 100),),
    )
    match = policy_match(facts, policy)
    assert match.status == status
    if region not in ("", "北京市"):
        listed = [c.to_dict() for c in (*match.met, *match.unmet, *match.unknown)]
        assert {"field": "district", "op": "in", "value": [policy.region_condition.value[0]]} in (
            listed
        )


def test_region_and_an_explicit_district_condition_are_not_doubled():
    policy = PolicyInfo(
        ref="R2",
        title="区域政策",
        region="顺义区",
        conditions=(Condition("district", "==", "顺义区"),),
    )
    assert [c.field for c in policy.all_conditions] == ["district"]


@pytest.mark.parametrize(
    ("industry", "allowed", "state"),
    [
        ("医疗器械", ("生物医药",), True),  # the taxonomy: 生物医药 covers 医疗器械
        ("创新药", ("生物医药",), True),
        ("CAR-T细胞治疗", ("生物医药",), True),  # an alias two levels down
        ("生物医药", ("医疗器械",), None),  # broader than the list: unknown
        ("集成电路设计", ("生物医药",), False),  # a known industry outside the list
        ("餐饮", ("生物医药",), False),
        ("量子传感", ("生物医药",), None),  # not in the taxonomy: unknown, not ineligible
        ("", ("生物医药",), None),
    ],
)
def test_policy_industry_through_the_taxonomy(industry, allowed, state):
    facts = ProjectFacts(industry=industry)
    assert condition_state(facts, Condition("industry", "in", allowed))[0] is state
