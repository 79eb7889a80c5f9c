"""Chain templates: the shipped files are valid; bad files are refused with the field named."""

from __future__ import annotations

import pytest

from parklink.chains.definitions import (
    STAGES,
    TemplateError,
    builtin_templates,
    template_find,
    template_parse,
    templates_load,
)


def test_builtin_templates_cover_the_four_chains():
    names = {t.name for t in builtin_templates()}
    assert {"生物医药", "集成电路", "新能源汽车", "人工智能"} <= names
    for t in builtin_templates():
        assert t.segments and all(s.stage in STAGES for s in t.segments)
        assert {s.stage for s in t.segments} >= {"上游", "中游", "下游"}
        assert t.domain and t.industries


def test_biomedicine_follows_the_seed_chain_order():
    bio = template_find("生物医药", builtin_templates())
    names = [s.name for s in bio.segments]
    for earlier, later in [("药物研发/CRO", "中试/CDMO"), ("中试/CDMO", "流通/销售")]:
        assert names.index(earlier) < names.index(later)
    assert names.index("流通/销售") < names.index("临床/医疗服务")


@pytest.mark.parametrize("name", ["生物医药", "biomedicine", "BIOMEDICINE", " 医药健康 "])
def test_template_find_by_name_slug_or_alias(name):
    assert template_find(name, builtin_templates()).name == "生物医药"


def test_template_find_unknown_is_none():
    assert template_find("养猪", builtin_templates()) is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "needs a name"),
        ({"name": "甲"}, "needs segments"),
        ({"name": "甲", "segments": [{"name": "乙", "stage": "左游"}]}, "stage must be"),
        (
            {"name": "甲", "segments": [{"name": "乙", "stage": "上游"}] * 2},
            "duplicate segment",
        ),
        (
            {"name": "甲", "segments": [{"name": "乙", "stage": "上游", "keywords": "x"}]},
            "keywords must be a list",
        ),
        (
            {"name": "甲", "segments": [{"name": "乙", "stage": "上游", "strong_min": 0}]},
            "strong_min",
        ),
    ],
)
def test_bad_templates_are_refused(raw, message):
    with pytest.raises(TemplateError, match=message):
        template_parse(raw, slug="bad")


def test_a_new_template_is_one_yaml_file(tmp_path):
    (tmp_path / "aquaculture.yaml").write_text(
        "name: 水产\nsegments:\n  - {name: 育苗, stage: 上游, name_patterns: [苗种]}\n",
        encoding="utf-8",
    )
    (t,) = templates_load(tmp_path)
    assert t.slug == "aquaculture" and t.segments[0].name_patterns == ("苗种",)
