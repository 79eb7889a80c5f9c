"""Project facts: from a lead's fields (exchange format) and from what its need text states."""

from __future__ import annotations

import pytest

from parklink.policies.facts import (
    FactsError,
    ProjectFacts,
    facts_from_data,
    floor_m2,
    land_mu,
    read_text,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "投资2亿元, 占地30亩, 年产值5亿",
            {"total_investment_wan": 20000, "land_mu": 30, "annual_output_wan": 50000},
        ),
        ("总投资约5000万元,用地2万平方米", {"total_investment_wan": 5000, "land_mu": 30}),
        ("预计年纳税300-500万元", {"annual_tax_wan": 300}),  # a range counts by its lower end
        ("年纳税不低于500万", {"annual_tax_wan": 500}),
        ("投资1-2亿元", {"total_investment_wan": 10000}),
        ("员工120人,2015年成立", {"staff": 120, "founded_year": 2015}),
        ("团队50余人", {"staff": 50}),
        ("成立于2019年,200名员工", {"founded_year": 2019, "staff": 200}),
        ("国家高新技术企业", {"is_high_tech": True}),
        ("尚未认定高新技术企业", {"is_high_tech": False}),
        ("正在申报高新技术企业", {}),  # pending: unknown, not false
        ("专精特新小巨人企业", {"is_specialized": True}),
        ("需要1500平米厂房", {"area_m2": 1500}),
        ("投资强度500万元/亩,年税收2000万", {"annual_tax_wan": 2000}),  # an intensity is no total
        ("注册资本1000万,年营收3亿", {}),  # neither is a project fact
        ("亩均税收50万,总投资1亿", {"total_investment_wan": 10000}),  # a rate is no total
        ("做创新药研发", {"industry": "创新药"}),
        ("不做化工,主要做医疗器械", {"industry": "医疗器械"}),
        ("", {}),
    ],
)
def test_read_text(text, expected):
    assert dict(read_text(text).values) == expected


def test_read_text_keeps_the_words_it_read():
    found = read_text("投资2亿元, 占地30亩")
    assert found.stated == {"total_investment_wan": "2亿元", "land_mu": "30亩"}


def test_fields_win_over_the_text_and_text_fills_the_blanks():
    facts = facts_from_data(
        {"need": "投资2亿元, 占地30亩, 年纳税800万", "annual_tax_wan": "600", "industry": "创新药"}
    )
    assert facts.annual_tax_wan == 600  # the field, not the text
    assert facts.total_investment_wan == 20000 and facts.land_mu == 30
    assert set(facts.from_text) == {"total_investment_wan", "land_mu"}
    assert facts.industry == "创新药"


@pytest.mark.parametrize(
    ("data", "field", "value"),
    [
        ({"total_investment_wan": "2亿"}, "total_investment_wan", 20000),
        ({"total_investment_wan": "5000万元"}, "total_investment_wan", 5000),
        ({"total_investment_wan": 1234.5}, "total_investment_wan", 1234.5),
        ({"land_mu": "2万平方米"}, "land_mu", pytest.approx(30.0, abs=0.001)),
        ({"land_mu": "30"}, "land_mu", 30),
        ({"area_min_m2": 1000, "area_max_m2": 2000}, "area_m2", 2000),  # the upper end
        ({"area_min_m2": 1000}, "area_m2", 1000),
        ({"area_m2": "1000-3000"}, "area_m2", 3000),
        ({"staff": "120"}, "staff", 120),
        ({"founded_year": 2018}, "founded_year", 2018),
        ({"is_high_tech": "是"}, "is_high_tech", True),
        ({"is_high_tech": "否"}, "is_high_tech", False),
        ({"is_high_tech": "不确定"}, "is_high_tech", None),
        ({"is_high_tech": None}, "is_high_tech", None),
        ({"qualifications": ["高新技术企业"]}, "is_high_tech", True),
        ({"qualifications": ["专精特新小巨人"]}, "is_specialized", True),
        ({"is_high_tech": False, "qualifications": ["高新技术企业"]}, "is_high_tech", False),
        ({}, "annual_tax_wan", None),  # unknown stays unknown, never 0
    ],
)
def test_facts_from_data(data, field, value):
    assert getattr(facts_from_data(data), field) == value


def test_districts_are_normalised():
    assert facts_from_data({"districts": ["昌平", "亦庄"]}).districts == ("昌平区", "大兴区")
    assert facts_from_data({"districts": "海淀、朝阳"}).districts == ("海淀区", "朝阳区")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"total_investment_wan": -1}, "total_investment_wan"),
        ({"land_mu": 0}, "land_mu"),
        ({"annual_tax_wan": "很多"}, "annual_tax_wan"),
        ({"staff": 1.5}, "staff"),
        ({"founded_year": 1800}, "founded_year"),
        ({"is_specialized": "也许"}, "is_specialized"),
        ({"annual_output_wan": True}, "annual_output_wan"),
        ({"industry": {"a": 1}}, "industry"),
        ({"area_min_m2": -5}, "area_m2"),
    ],
)
def test_bad_fields_are_named(data, field):
    with pytest.raises(FactsError) as exc:
        facts_from_data(data)
    assert exc.value.field == field
    assert " / " in exc.value.message  # 中文 / English


def test_a_lead_must_be_an_object():
    with pytest.raises(FactsError):
        facts_from_data(["not", "a", "lead"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "mu", "m2"),
    [
        (ProjectFacts(land_mu=30), 30, pytest.approx(20000.1)),
        (ProjectFacts(area_m2=20000), pytest.approx(20000 / 666.67), 20000),
        (ProjectFacts(land_mu=30, area_m2=5000), 30, 5000),  # land for 亩, area for m²
        (ProjectFacts(), None, None),
    ],
)
def test_denominators(facts, mu, m2):
    assert land_mu(facts) == mu
    assert floor_m2(facts) == m2
