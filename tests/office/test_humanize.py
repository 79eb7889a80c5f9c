"""Lead fields and values as people read them (parklink.leads.humanize): table-driven, in
Chinese and in English."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from parklink.leads import services
from parklink.leads.humanize import EMPTY, field_label, value_text
from parklink.leads.models import Lead

VALUES = [
    # (field, value, Chinese, English)
    ("area_min_m2", Decimal("1500.00"), "1,500 ㎡", "1,500 m²"),
    ("area_max_m2", "2000.5", "2,000.5 ㎡", "2,000.5 m²"),
    ("annual_tax_wan", Decimal("1200"), "1,200 万元", "12 million yuan"),
    ("total_investment_wan", "35000", "3.5 亿元", "350 million yuan"),
    ("registered_capital_wan", "500000", "50 亿元", "5 billion yuan"),
    ("last_year_tax_wan", "50", "50 万元", "500,000 yuan"),
    ("budget", "2.5000", "2.5", "2.5"),
    ("next_follow_up", "2026-12-09", "2026年12月9日", "Dec. 9, 2026"),
    ("next_follow_up", date(2027, 1, 3), "2027年1月3日", "Jan. 3, 2027"),
    ("stage", "已联系", "已联系", "Contacted"),
    ("kind", "厂房", "厂房", "Factory"),
    ("deal", "出租", "出租", "For rent"),
    ("grade", "A", "A 重点", "A Priority"),
    ("lost_reason", "价格", "价格不合适", "Price not right"),
    ("budget_unit", "元/平方米/天", "元/平方米/天", "yuan/m²/day"),
    ("qualifications", ["高新技术企业", "专精特新"], "高新技术企业、专精特新", None),
    ("districts", ["昌平区", "大兴区"], "昌平区、大兴区", "昌平区, 大兴区"),
    (
        "requires",
        {"gmp": True, "ceiling_height_m": 8.0},
        "GMP 车间:是;层高 ≥ 8 米",
        "GMP workshop: Yes; Ceiling height ≥ 8 m",
    ),
    ("requires", {"floor_load_kg_m2": 1000, "power_kva": 500}, None, "≥ 1,000 kg/m²"),
    ("staff", 120, "120 人", "120 people"),
    ("score_intent", 4, "4 分", "4 of 5"),
    ("need", "", EMPTY, EMPTY),
    ("next_follow_up", None, EMPTY, EMPTY),
    ("districts", [], EMPTY, EMPTY),
    ("requires", {}, EMPTY, EMPTY),
]


@pytest.mark.parametrize(("name", "value", "zh", "en"), VALUES)
def test_values_read_as_people_write_them(name, value, zh, en):
    with translation.override("zh-hans"):
        got_zh = value_text(name, value)
    with translation.override("en"):
        got_en = value_text(name, value)
    if zh is not None:
        assert got_zh == zh if zh == EMPTY or name != "requires" else zh in got_zh
    if en is not None:
        assert en in got_en
    # Never a dict, a list or a Python literal.
    for text in (got_zh, got_en):
        assert not any(mark in text for mark in ("{", "}", "[", "]", "'", "None", "True"))


@pytest.mark.parametrize("name", [*services.EDITABLE_FIELDS, "stage", "lost_reason", "grade"])
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_every_editable_field_has_a_label_not_its_name(name, lang):
    with translation.override(lang):
        label = field_label(name)
    assert label and label != name
    assert "_" not in label


def test_an_unknown_field_is_not_shown_by_its_name():
    with translation.override("en"):
        assert "made_up_field" not in field_label("made_up_field")


def test_english_labels_of_the_model_are_used_for_fields_without_an_own_label():
    with translation.override("en"):
        assert field_label("consent_at") == str(Lead._meta.get_field("consent_at").verbose_name)
