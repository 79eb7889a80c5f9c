"""The evaluation engine: indicators, every rule's check (met, failed, unknown), vetoes and
their precedence, score and grade."""

from __future__ import annotations

import pytest

from parklink.policies.evaluation import (
    DEFAULT_CONFIG,
    INDICATORS,
    ParkRules,
    evaluate,
    grade_for,
    indicators,
    rank,
)
from parklink.policies.facts import ProjectFacts, facts_from_data

GOOD = dict(
    industry="创新药",
    description="创新药研发和中试生产",
    total_investment_wan=20000,
    land_mu=30,
    annual_tax_wan=1800,
    annual_output_wan=60000,
)


def facts(**changes) -> ProjectFacts:
    return ProjectFacts(**{**GOOD, **changes})


def rules(**kw) -> ParkRules:
    return ParkRules(park="测试园", **kw)


# --- indicators -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {
                "total_investment_wan": 20000,
                "land_mu": 30,
                "annual_tax_wan": 900,
                "annual_output_wan": 45000,
            },
            {
                "investment_wan_per_mu": 666.67,
                "tax_wan_per_mu": 30.0,
                "output_wan_per_mu": 1500.0,
                "tax_yuan_per_m2": 450.0,
            },
        ),
        (  # no land: the area ÷ 666.67 gives the 亩
            {"total_investment_wan": 10000, "area_m2": 13333.4, "annual_tax_wan": 400},
            {
                "investment_wan_per_mu": 500.0,
                "tax_wan_per_mu": 20.0,
                "output_wan_per_mu": None,
                "tax_yuan_per_m2": 300.0,
            },
        ),
        (  # land for the per-亩 figures, the rented area for the per-m² tax
            {"annual_tax_wan": 100, "land_mu": 10, "area_m2": 2000},
            {
                "investment_wan_per_mu": None,
                "tax_wan_per_mu": 10.0,
                "output_wan_per_mu": None,
                "tax_yuan_per_m2": 500.0,
            },
        ),
        (  # nothing to divide by: unknown, never guessed
            {"total_investment_wan": 10000, "annual_tax_wan": 400},
            {
                "investment_wan_per_mu": None,
                "tax_wan_per_mu": None,
                "output_wan_per_mu": None,
                "tax_yuan_per_m2": None,
            },
        ),
    ],
)
def test_per_mu_arithmetic(data, expected):
    result = evaluate(ProjectFacts(**data), rules())
    assert result.indicators == expected
    raw = indicators(ProjectFacts(**data))
    for key, value in expected.items():
        assert (raw[key] is None) == (value is None)


def test_indicators_from_the_need_text():
    f = facts_from_data({"need": "投资2亿元, 占地30亩, 年产值5亿, 年纳税1000万元"})
    assert evaluate(f, rules()).indicators == {
        "investment_wan_per_mu": 666.67,
        "tax_wan_per_mu": 33.33,
        "output_wan_per_mu": 1666.67,
        "tax_yuan_per_m2": 500.0,
    }


# --- checks, one rule at a time ------------------------------------------------------------------

THRESHOLD_RULES = [
    ("min_investment_wan_per_mu", "total_investment_wan", 600, 666.67),
    ("min_tax_wan_per_mu", "annual_tax_wan", 50, 60.0),
    ("min_output_wan_per_mu", "annual_output_wan", 1800, 2000.0),
    ("min_tax_yuan_per_m2", "annual_tax_wan", 800, 900.0),
]


@pytest.mark.parametrize(("rule", "input_field", "threshold", "value"), THRESHOLD_RULES)
def test_threshold_met(rule, input_field, threshold, value):
    (check,) = evaluate(facts(), rules(**{rule: threshold})).checks
    assert (check.rule, check.ok, check.value, check.threshold) == (rule, True, value, threshold)


@pytest.mark.parametrize(("rule", "input_field", "threshold", "value"), THRESHOLD_RULES)
def test_threshold_failed(rule, input_field, threshold, value):
    (check,) = evaluate(facts(), rules(**{rule: threshold * 2})).checks
    assert (check.ok, check.value) == (False, value)
    assert "低于" in check.text


@pytest.mark.parametrize(("rule", "input_field", "threshold", "value"), THRESHOLD_RULES)
def test_threshold_unknown_input(rule, input_field, threshold, value):
    result = evaluate(facts(**{input_field: None}), rules(**{rule: threshold}))
    (check,) = result.checks
    assert (check.ok, check.value) == (None, None)
    assert "未知" in check.text
    assert result.score == 0.0  # nothing earned for what is not known


@pytest.mark.parametrize(("rule", "input_field", "threshold", "value"), THRESHOLD_RULES)
def test_threshold_unknown_land(rule, input_field, threshold, value):
    (check,) = evaluate(facts(land_mu=None), rules(**{rule: threshold})).checks
    assert check.ok is None


def test_threshold_exactly_met_counts():
    (check,) = evaluate(facts(annual_tax_wan=1500), rules(min_tax_wan_per_mu=50)).checks
    assert check.ok is True and check.value == 50.0


@pytest.mark.parametrize(
    ("industry", "description", "allowed", "ok"),
    [
        ("创新药", "", ("生物医药",), True),
        ("体外诊断", "", ("医疗器械",), True),
        ("餐饮", "", ("生物医药",), False),
        ("生物医药", "", ("医疗器械",), None),
        ("", "", ("生物医药",), None),
        ("", "做体外诊断试剂", ("生物医药",), True),
    ],
)
def test_industry_check(industry, description, allowed, ok):
    result = evaluate(facts(industry=industry, description=description), rules(industries=allowed))
    (check,) = result.checks
    assert (check.rule, check.ok) == ("industries", ok)
    assert result.vetoed is False  # outside the list is a failed check, never a veto


def test_industry_outside_the_list_fails_and_lowers_the_grade():
    result = evaluate(
        facts(industry="餐饮"), rules(industries=("生物医药",), min_tax_wan_per_mu=50)
    )
    assert [c.ok for c in result.checks] == [False, True]
    assert result.grade != "A" and not result.vetoed


@pytest.mark.parametrize(
    ("industry", "description", "banned", "vetoed", "ok"),
    [
        ("精细化工", "", ("化工",), True, False),
        ("医疗器械", "生产中使用危化品", ("危险化学品",), True, False),
        ("医疗器械", "不涉及危化品", ("危险化学品",), False, True),
        ("创新药", "", ("化工",), False, True),
        ("", "", ("化工",), False, None),
    ],
)
def test_banned_industries(industry, description, banned, vetoed, ok):
    result = evaluate(
        facts(industry=industry, description=description), rules(banned_industries=banned)
    )
    (check,) = result.checks
    assert (result.vetoed, check.rule, check.ok) == (vetoed, "banned_industries", ok)
    assert [v.rule for v in result.veto] == (["banned_industries"] if vetoed else [])


@pytest.mark.parametrize(
    ("description", "keywords", "vetoed", "ok"),
    [
        ("生产过程含电镀工序", ("电镀",), True, False),
        ("无电镀工序", ("电镀",), False, True),
        ("普通装配", ("电镀", "印染"), False, True),
        ("", ("电镀",), None, None),
    ],
)
def test_veto_keywords(description, keywords, vetoed, ok):
    result = evaluate(
        facts(description=description, industry="" if not description else "精密制造"),
        rules(veto_keywords=keywords),
    )
    (check,) = result.checks
    assert (check.rule, check.ok) == ("veto_keywords", ok)
    assert result.vetoed is bool(vetoed)


def test_veto_keyword_in_the_industry_counts():
    result = evaluate(facts(industry="电镀加工", description=""), rules(veto_keywords=("电镀",)))
    assert result.vetoed and result.veto[0].rule == "veto_keywords"


def test_veto_wins_whatever_the_score():
    clean = evaluate(facts(), rules(min_tax_wan_per_mu=50, veto_keywords=("电镀",)))
    dirty = evaluate(
        facts(description="含电镀工序"), rules(min_tax_wan_per_mu=50, veto_keywords=("电镀",))
    )
    assert (clean.vetoed, clean.grade, clean.score) == (False, "A", 100.0)
    assert dirty.vetoed is True
    assert dirty.score == 100.0  # the score is what the figures earn …
    assert dirty.grade == "D"  # … the veto decides
    assert "电镀" in dirty.veto[0].text


def test_checks_follow_the_rule_order_and_only_set_rules():
    result = evaluate(
        facts(),
        rules(
            veto_keywords=("电镀",),
            min_tax_yuan_per_m2=100,
            industries=("生物医药",),
            min_investment_wan_per_mu=100,
        ),
    )
    assert [c.rule for c in result.checks] == [
        "industries",
        "min_investment_wan_per_mu",
        "min_tax_yuan_per_m2",
        "veto_keywords",
    ]


def test_older_park_minimum_tax_per_m2_applies_when_rules_set_none():
    r = ParkRules.from_rules("园", {"min_tax_wan_per_mu": 10}, tax_yuan_per_m2=1200.0)
    assert r.min_tax_yuan_per_m2 == 1200.0
    r2 = ParkRules.from_rules("园", {"min_tax_yuan_per_m2": 500}, tax_yuan_per_m2=1200.0)
    assert r2.min_tax_yuan_per_m2 == 500


# --- score and grade --------------------------------------------------------------------------


def test_a_park_without_rules_is_unrated_not_grade_a():
    result = evaluate(facts(annual_tax_wan=500, land_mu=10, industry="创新药"), rules())
    assert (result.score, result.grade, result.vetoed, result.rated) == (None, None, False, False)
    (check,) = result.checks
    assert (check.rule, check.ok) == ("rules", None)
    body = result.to_dict()
    assert (body["score"], body["grade"]) == (None, None)
    assert body["indicators"]["tax_wan_per_mu"] == 50.0  # the figures are still shown


def test_only_veto_rules_leave_it_unrated_unless_vetoed():
    clean = evaluate(facts(industry="创新药"), rules(banned_industries=("化工",)))
    assert (clean.grade, clean.score, [c.rule for c in clean.checks]) == (
        None,
        None,
        ["banned_industries"],
    )
    dirty = evaluate(facts(industry="精细化工"), rules(banned_industries=("化工",)))
    assert (dirty.grade, dirty.vetoed) == ("D", True)


def test_unrated_ranks_after_rated_and_before_vetoed():
    rated = evaluate(facts(industry="创新药"), ParkRules(park="B", industries=("生物医药",)))
    unrated = evaluate(facts(industry="创新药"), ParkRules(park="A"))
    vetoed = evaluate(facts(industry="精细化工"), ParkRules(park="C", banned_industries=("化工",)))
    assert [e.park for e in rank([vetoed, unrated, rated])] == ["B", "A", "C"]


def test_a_miss_earns_less_the_further_it_falls():
    def score(tax):
        return evaluate(facts(annual_tax_wan=tax), rules(min_tax_wan_per_mu=50)).score

    assert score(1500) == 100.0
    assert 0 < score(1200) < 50  # 80% of the threshold: part of half the weight
    assert score(1200) > score(1000) > score(800)
    assert score(700) == 0.0  # below half the threshold: nothing
    assert score(None) == 0.0


def test_score_weights_the_rules():
    result = evaluate(
        facts(annual_output_wan=None),
        rules(min_investment_wan_per_mu=100, min_output_wan_per_mu=100),
    )
    w = DEFAULT_CONFIG
    expected = round(100 * w.weight_investment / (w.weight_investment + w.weight_output_per_mu), 1)
    assert result.score == expected


@pytest.mark.parametrize(
    ("score", "failed", "vetoed", "grade"),
    [
        (100, False, False, "A"),
        (90, False, False, "A"),
        (95, True, False, "B"),  # a failed check is never A
        (89.9, False, False, "B"),
        (70, False, False, "B"),
        (69.9, False, False, "C"),
        (50, True, False, "C"),
        (49.9, False, False, "D"),
        (100, False, True, "D"),
    ],
)
def test_grade_cut_offs(score, failed, vetoed, grade):
    assert grade_for(score, failed=failed, vetoed=vetoed) == grade


def test_rank_puts_vetoes_last_then_grade_then_score():
    strong = evaluate(facts(), ParkRules(park="甲", min_tax_wan_per_mu=50))
    weaker = evaluate(facts(annual_tax_wan=1300), ParkRules(park="乙", min_tax_wan_per_mu=50))
    vetoed = evaluate(facts(description="含电镀"), ParkRules(park="丙", veto_keywords=("电镀",)))
    unknown = evaluate(facts(land_mu=None), ParkRules(park="丁", min_tax_wan_per_mu=50))
    assert [e.park for e in rank([vetoed, unknown, weaker, strong])] == ["甲", "乙", "丁", "丙"]


def test_output_has_exactly_the_contract_keys():
    d = evaluate(
        facts(description="含电镀"), rules(min_tax_wan_per_mu=50, veto_keywords=("电镀",))
    ).to_dict()
    assert list(d) == ["park", "score", "grade", "vetoed", "veto", "indicators", "checks"]
    assert list(d["indicators"]) == list(INDICATORS)
    assert all(list(c) == ["rule", "ok", "value", "threshold", "text"] for c in d["checks"])
    assert all(list(v) == ["rule", "text"] for v in d["veto"])
