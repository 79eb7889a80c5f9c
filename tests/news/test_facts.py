from datetime import date
from decimal import Decimal

import pytest

from parklink.news.entities import Gazetteer, catalogue_names, find_entities
from parklink.news.extract import extract_text
from parklink.news.facts import UNITS, find_facts


def _facts(text, published=date(2024, 11, 3), parks=()):
    gaz = Gazetteer(catalogue_names([(i, n, []) for i, n in enumerate(parks, 1)], []))
    return find_facts(text, find_entities(text, gaz), published=published)


def test_seed_facts(seed_text):
    body = extract_text(seed_text, fetched_at=date(2025, 5, 3)).body
    gaz = Gazetteer(catalogue_names([(1, "中关村生命科学园", ["生命园"])], []))
    facts = {
        (f.subject, f.kind, f.json_value(), f.unit, f.as_of)
        for f in find_facts(body, find_entities(body, gaz), published=date(2024, 11, 3))
    }
    assert ("中关村生命科学园", "planned_area", 7190000, "m2", "2024-11-03") in facts
    assert ("中关村生命科学园", "building_area", 5220000, "m2", "2024-11-03") in facts
    assert ("中关村生命科学园", "occupancy", 91, "%", "2010") in facts
    assert ("中关村生命科学园", "founded", "2000-11-25", "date", "2000") in facts


def test_fact_keeps_its_sentence_and_offsets():
    text = "前一句话。至2010年,生命园孵化器入住率已高达91%。后一句话。"
    [fact] = _facts(text, parks=["生命园"])
    assert fact.text == "至2010年,生命园孵化器入住率已高达91%。"
    assert text[fact.start : fact.end] == "91%"


@pytest.mark.parametrize(
    ("sentence", "kind", "value", "unit"),
    [
        ("示范园规划面积3.5平方公里。", "planned_area", Decimal("3500000"), "m2"),
        ("示范园占地200亩。", "land_area", Decimal("133334"), "m2"),
        ("示范园总建筑面积约22万平方米。", "building_area", Decimal("220000"), "m2"),
        ("示范园厂房层高8米。", "height", Decimal("8"), "m"),
        ("示范园厂房承重1吨/平方米。", "floor_load", Decimal("1000"), "kg/m2"),
        ("示范园配电容量1000kVA。", "power", Decimal("1000"), "kva"),
        ("示范园总投资5亿元。", "investment", Decimal("500000000"), "yuan"),
        ("示范园入驻率达91%。", "occupancy", Decimal("91"), "%"),
        ("示范园聚集企业600家。", "enterprises", Decimal("600"), "count"),
        ("示范园已有600余家企业入驻。", "enterprises", Decimal("600"), "count"),
    ],
)
def test_quantities_become_facts_with_normalised_units(sentence, kind, value, unit):
    facts = _facts(sentence, parks=["示范园"])
    assert [(f.subject, f.kind, f.unit) for f in facts] == [("示范园", kind, unit)]
    assert facts[0].value == pytest.approx(value, rel=Decimal("0.001"))
    assert facts[0].unit in UNITS


def test_subject_from_park_words_and_previous_sentence():
    text = "示范园于2001年开园。园区规划面积2平方公里。该项目总投资3亿元。"
    facts = _facts(text, parks=["示范园"])
    assert {f.subject for f in facts} == {"示范园"}
    assert ("founded", "2001-01-01") not in {(f.kind, f.value_text) for f in facts}


def test_years_inside_titles_are_not_as_of():
    text = "《发展规划纲要(2006-2020年)》发布后,示范园规划面积2平方公里。"
    [fact] = _facts(text, parks=["示范园"], published=date(2021, 1, 1))
    assert fact.as_of == "2021-01-01"


def test_numbers_without_units_or_context_are_no_facts():
    assert _facts("20年风雨兼程,园区分为三期,2006年颁布规划。", parks=["园区甲"]) == []
