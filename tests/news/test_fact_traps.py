"""Facts right or absent: trap quantities never become facts; money keeps its currency;
subjects follow the clause; traditional script is read through the simplified copy."""

from datetime import date

import pytest

from parklink.news.entities import Gazetteer, catalogue_names, find_entities
from parklink.news.facts import FACT_KINDS, UNITS, find_facts
from parklink.zh.normalise import for_matching

PARKS = ["示范园", "未来科学城", "光谷生物城"]
ORGS = ["华为技术有限公司", "清华大学", "百济神州"]


def _facts(text):
    gaz = Gazetteer(
        catalogue_names(
            [(i, n, []) for i, n in enumerate(PARKS, 1)],
            [(i, n, []) for i, n in enumerate(ORGS, 10)],
        )
    )
    m = for_matching(text)
    return find_facts(
        text, find_entities(text, gaz, text_m=m), published=date(2024, 6, 1), text_m=m
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "华为技术有限公司发布的新机搭载高通骁龙865平台,峰值算力达到12.5万TOPS。",
        "示范园展厅一次可展示3.6万张照片,年接待访客12万人次。",
        "示范园去年吞吐各类物资约450万吨,蓄水池容量达80万立方米。",
        "示范园入驻率较上年提高了6个百分点。",
        "研发投入占营业收入的比重达到18%,示范园企业营收同比增长25%。",
        "示范园周边已开设连锁门店120家,还有银行网点9家。",
        "清华大学团队研制的Mate40样机和S20芯片都在示范园展出。",
        "示范园的麒麟990与天玑1200测试平台已经上线。",
        "示范园今年计划招聘工程师300人。",
    ],
)
def test_trap_quantities_make_no_fact(sentence):
    assert _facts(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "kind", "value", "currency"),
    [
        ("百济神州宣布在示范园投资2.5亿美元建设生产基地。", "investment", 250000000, "USD"),
        ("百济神州获得融资3000万欧元,用于新药研发。", "financing", 30000000, "EUR"),
        ("光谷生物城总投资120亿元人民币。", "investment", 12000000000, "CNY"),
        ("百济神州在港完成融资15亿港元。", "financing", 1500000000, "HKD"),
        ("示范园去年实现产值860亿元。", "output", 86000000000, "CNY"),
    ],
)
def test_money_keeps_its_currency_unconverted(sentence, kind, value, currency):
    facts = [f for f in _facts(sentence) if f.kind == kind]
    assert len(facts) == 1
    assert (facts[0].json_value(), facts[0].unit, facts[0].currency) == (value, "yuan", currency)


def test_subject_is_the_park_of_the_clause_not_the_first_name_of_the_article():
    text = (
        "清华大学与示范园签署合作协议。"
        "未来科学城规划面积170平方公里,入驻企业超过500家。"
        "光谷生物城占地30平方公里,入住率达到92%。"
    )
    got = {(f.subject, f.kind) for f in _facts(text)}
    assert got == {
        ("未来科学城", "planned_area"),
        ("未来科学城", "enterprises"),
        ("光谷生物城", "land_area"),
        ("光谷生物城", "occupancy"),
    }


def test_traditional_script_is_read_through_the_simplified_copy():
    text = "示範園規劃面積3.5平方公里,總建築面積約120萬平方米,入駐企業300餘家。"
    facts = {(f.kind, f.json_value(), f.unit) for f in _facts(text.replace("示範園", "示范园"))}
    assert ("building_area", 1200000, "m2") in facts
    assert ("planned_area", 3500000, "m2") in facts
    assert ("enterprises", 300, "count") in facts


def test_every_fact_has_a_closed_kind_unit_and_a_confidence():
    text = "示范园规划面积2平方公里,层高8米,承重1.5吨/平方米,配电容量2000kVA,入住率85%。"
    facts = _facts(text)
    assert len(facts) == 5
    for f in facts:
        assert f.kind in FACT_KINDS and f.unit in UNITS
        assert 0.5 <= f.confidence <= 1 and f.as_of == "2024-06-01"


def test_an_organisation_elsewhere_in_the_sentence_is_not_the_parks_occupancy():
    text = "示范园规划面积2平方公里。园区引入清华大学、百济神州等机构,孵化器入住率高达91%。"
    facts = {(f.subject, f.kind) for f in _facts(text)}
    assert ("示范园", "occupancy") in facts
    assert not any(s in ("清华大学", "百济神州") for s, _ in facts)
