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


@pytest.mark.parametrize(
    "sentence",
    [
        "示范园为企业提供3000-5000平方米的定制厂房。",  # a range on offer: no single value
        "示范园对新落户企业给予最高500万元的房租补贴。",  # a subsidy
        "示范园对企业购置设备按投资额的20%给予最高800万元补助。",
        "示范园联合社会资本设立20亿元产业基金。",  # a fund's size
        "示范园对年产值首次突破5亿元的企业给予奖励。",  # a threshold
        "示范园项目预计达产后年产值80亿元。",  # a forecast
        "示范园今年还将新建标准厂房8万平方米。",
        "示范园现有企业500家,其中外资企业30家。",  # the subset after 其中 (500 stays)
        "示范园举办招商推介会,30余家企业参加。",  # participants
        "百济神州将租用示范园厂房2万平方米。",  # a tenant's lease
        "示范园新增产业用地50公顷。",  # a change, not the stock
        "示范园生物医药产业产值去年达到300亿元。",  # one industry's output
        "华为技术有限公司与百济神州两家企业合计营收约900亿元。",  # a sum of two
        "示范园内企业年产5000台设备,形成10万吨产能。",  # counts of other things, volumes
        "示范园去年全年出口额同比增长12个百分点,占营收的30%。",
    ],
)
def test_more_traps_make_no_fact(sentence):
    got = {(f.kind, f.json_value()) for f in _facts(sentence)}
    assert got <= {("enterprises", 500)}


@pytest.mark.parametrize(
    ("sentence", "subject", "kind", "value", "currency"),
    [
        # 位于X的Y: X is where Y is, Y is what the clause is about; the keyword follows
        (
            "近日,位于示范园的北京星河智能科技有限公司完成3亿元B轮融资。",
            "北京星河智能科技有限公司",
            "financing",
            300000000,
            "CNY",
        ),
        # 在X投资: X is the place of the investment
        ("百济神州在光谷生物城追加投资5000万美元。", "百济神州", "investment", 50000000, "USD"),
        ("示范园去年营业额达新台币1.2兆元。", "示范园", "output", 1200000000000, "TWD"),
    ],
)
def test_subject_passes_over_places_and_keeps_currency(sentence, subject, kind, value, currency):
    facts = [(f.subject, f.kind, f.json_value(), f.currency) for f in _facts(sentence)]
    assert facts == [(subject, kind, value, currency)]


def test_company_and_park_anaphors_take_the_article_s_names():
    text = (
        "北京星河智能科技有限公司宣布完成新一轮融资。公司此前曾获得2000万美元A轮投资。"
        "示范园与百济神州共同打造示范园细胞治疗产业园。据介绍,该细胞治疗产业园占地面积约8万平方米。"
    )
    got = {(f.subject, f.kind, f.json_value(), f.currency) for f in _facts(text)}
    assert ("北京星河智能科技有限公司", "financing", 20000000, "USD") in got
    assert ("示范园细胞治疗产业园", "land_area", 80000, "") in got
    assert not any(s == "示范园" and k == "land_area" for s, k, _, _ in got)


@pytest.mark.parametrize(
    ("sentence", "as_of"),
    [
        ("示范园规划面积2平方公里。", "2024-06-01"),  # the article's date
        ("截至2024年5月底,示范园入驻企业300家。", "2024-05"),
        ("截至2024年3月31日,示范园入驻企业300家。", "2024-03-31"),
        ("2023年,示范园实现产值120亿元。", "2023"),
        ("示范园去年实现产值120亿元。", "2023"),
        ("示范园一期于2019年建成,目前已入驻企业120家。", "2024-06-01"),
        ("示范园2024年1-5月实现产值60亿元。", "2024-05"),
    ],
)
def test_as_of_is_the_time_the_clause_states_else_the_article_date(sentence, as_of):
    [fact] = [f for f in _facts(sentence) if f.unit != "date"]
    assert fact.as_of == as_of
