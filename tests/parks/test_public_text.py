"""Pure helpers of the public pages: English names, humanised figures, dataset labels,
citations and the fact sheet (newest sourced figure first, the rest in history)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import pytest

from parklink.parks import factsheet, humanize, labels
from parklink.parks.dataset import _english_name, _location
from parklink.parks.english import district_en, english_name, industry_en


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("中关村丰台园", "Zhongguancun Fengtai Park"),
        ("中关村生命科学园", "Zhongguancun Life Science Park"),
        ("北京经济技术开发区", "Beijing Economic-Technological Development Area"),
        ("北京大兴国际机场临空经济区", "Beijing Daxing International Airport Economic Zone"),
        ("国家蛋白质科学中心(北京)", "National Protein Science Center (Beijing)"),
        ("北京诺和诺德医药科技有限公司", "Beijing Nuohenuode Pharmaceutical Technology Co., Ltd."),
        ("昌平区", "Changping District"),
        ("Already English", "Already English"),
        ("", ""),
    ],
)
def test_english_name_composes_glossary_words_and_pinyin(zh, en):
    assert english_name(zh) == en


@pytest.mark.parametrize(
    ("zh", "en"),
    [("昌平区", "Changping District"), ("昌平", "Changping District"), ("北京市", "Beijing")],
)
def test_district_en(zh, en):
    assert district_en(zh) == en


def test_industry_en_uses_the_glossary_then_composes():
    assert industry_en("生物医药") == "Biomedicine"
    assert industry_en("医疗器械") == "Medical Devices"
    assert not re.search(r"[\u4e00-\u9fff]", industry_en("合成生物制造"))


@pytest.mark.parametrize(
    ("value", "lang", "land", "text"),
    [
        (150_000_000, "zh", True, "150 平方公里"),
        (7_190_000, "zh", True, "7.19 平方公里"),
        (5_220_000, "zh", False, "522 万㎡"),
        (192_000, "zh", True, "19.2 万㎡"),
        (1500, "zh", False, "1,500 ㎡"),
        (150_000_000, "en", True, "150 km²"),
        (5_220_000, "en", False, "5.22 million m²"),
        (1500, "en", False, "1,500 m²"),
    ],
)
def test_area_reads_as_people_write_it(value, lang, land, text):
    assert humanize.area(Decimal(value), lang, land=land) == text


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [
        (350_000_000, "zh", "3.5 亿元"),
        (25_000, "zh", "2.5 万元"),
        (800, "zh", "800 元"),
        (3_500_000_000, "en", "3.5 billion yuan"),
        (2_500_000, "en", "2.5 million yuan"),
    ],
)
def test_money(value, lang, text):
    assert humanize.money(Decimal(value), lang) == text


@pytest.mark.parametrize(
    ("written", "how"),
    [("60+", "over"), ("近3000", "nearly"), ("约345万平方米", "about"), ("about 5.22 million", "about"),
     ("超过360万平方米", "over"), ("91%", ""), ("7.19 km²", "")],
)  # fmt: skip
def test_qualifier(written, how):
    assert humanize.qualifier(written) == how


@pytest.mark.parametrize(
    ("key", "base", "label"),
    [
        ("total_building_area", "建筑面积", "总建筑面积"),
        ("building_area_phase_I", "建筑面积", "建筑面积(一期)"),
        ("planned_land_phase_I_II", "规划面积", "规划面积(一、二期)"),
        ("north_district_land", "占地面积", "占地面积(北区)"),
        ("core_area", "占地面积", "占地面积(核心区)"),
        ("planned_area_2015", "规划面积", "规划面积"),
        ("unknown_gizmo_area", "面积", None),
    ],
)
def test_dataset_keys_become_chinese_labels(key, base, label):
    assert labels.label_zh(key, base) == label


@pytest.mark.parametrize(
    ("phrase", "label"),
    [
        ("incubator occupancy", "孵化器入驻率"),
        ("enterprises in zone", "区内企业"),
        ("employees", "从业人员"),
        ("construction start", "开工建设"),
        ("Phase II groundbreaking", "二期奠基开工"),
        ("《未来科学城规划(2017—2035)》 released", "《未来科学城规划(2017—2035)》发布"),
        ("resident enterprises (永丰片区)", "入驻企业(永丰片区)"),
        ("北京国家生物产业基地", "北京国家生物产业基地"),
    ],
)
def test_dataset_phrases_become_chinese_labels(phrase, label):
    assert labels.label_zh(phrase, "其他") == label


def test_every_produced_chinese_label_is_readable():
    for phrase in [*labels.METRIC_ZH, "north zone east road opened", "Chaoyang Park formed by"]:
        label = labels.label_zh(phrase, "其他")
        assert label is None or labels.readable_zh(label), (phrase, label)


@pytest.mark.parametrize(
    ("note", "url", "text"),
    [
        ("北京商报 2013-02-27 (repost)", "http://a.example/x", "北京商报 2013-02-27"),
        ("low-quality aggregator; its park list is internally inconsistent",
         "https://m.tianqiyubao2.com/news/1", "tianqiyubao2.com"),
        ("Beijing municipal government, 2024-05", "https://english.beijing.gov.cn/x",
         "北京市人民政府 2024-05"),
        ("2017-12-11, citing 中关村发展集团", "http://b.example/y", "中关村发展集团 2017-12-11"),
        ("spam-template mirror of a 2018 news item; facts plausible but unverified",
         "https://www.spam.example/z", "spam.example 2018"),
        ("投资北京 2018年第5期", "https://m.fx361.cc/n", "投资北京 2018年第5期"),
    ],
)  # fmt: skip
def test_citations_name_outlet_and_date_never_internal_notes(note, url, text):
    assert factsheet.citation_text(note, url) == text


def test_dataset_cleans_english_names_and_location_notes():
    assert _english_name("China Pharmaceutical Valley (nickname used for Daxing Park)") == (
        "China Pharmaceutical Valley"
    )
    assert _english_name("Chaoyang Park (Zhongguancun); also 'Chaoyang Garden'") == (
        "Chaoyang Park (Zhongguancun)"
    )
    assert _location("马池口镇, former 首钢红冶钢厂 site, near 昌平火车站") == "马池口镇"


@dataclass
class F:
    kind: str
    label: str
    value: Decimal | None
    value_text: str = ""
    unit: str = "m2"
    as_of: str = ""
    source_url: str = ""
    source_title: str = ""
    uncertain: bool = False
    pk: int = 0


def test_fact_sheet_keeps_the_newest_sourced_figure_and_folds_the_rest():
    facts = [
        F("building_area", "total_building_area", Decimal(5_220_000), "about 5.22 million m²",
          source_title="北京厂房网《…》2024-11-03", uncertain=True, pk=1),
        F("building_area", "total_building_area", Decimal(4_980_000), "规划总建筑面积498万平方米",
          as_of="2018", source_url="https://x.example/a", source_title="投资北京 2018年第5期", pk=2),
        F("building_area", "building_area_phase_I", Decimal(700_000), "70万平方米",
          source_url="https://x.example/a", source_title="投资北京 2018年第5期", pk=3),
        F("occupancy", "incubator occupancy", Decimal(91), "91%", unit="%", as_of="2010", pk=4),
        F("founded", "construction start", None, "2000-11-25", unit="date", as_of="2000-11-25",
          source_title="the seed page, corpora/seed", pk=5),
        F("other", "unknown_gizmo", Decimal(3), "3", unit="count", pk=6),
    ]  # fmt: skip
    sheet = factsheet.build(facts, "zh")
    head = sheet.headline["building_area"]
    assert (head.label, head.value, head.as_of) == ("总建筑面积", "498 万㎡", "2018")
    assert [h.value for h in head.history] == ["约522 万㎡"]
    labels_shown = [f.label for f in sheet.figures]
    assert labels_shown == ["建筑面积(一期)", "孵化器入驻率"]
    assert sheet.figures[1].value == "91%"
    assert [(m.date, m.label) for m in sheet.milestones] == [("2000-11-25", "开工建设")]
    texts = " ".join(c.text for c in sheet.citations)
    assert "corpora" not in texts and "seed page" not in texts
    assert sheet.milestones[0].citation is None
    en = factsheet.build(facts, "en")
    assert en.headline["building_area"].value == "4.98 million m²"
