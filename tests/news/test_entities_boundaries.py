"""Entity boundaries on our annotated sentences (tests/news/ner_sentences.json): every park
and organisation with its exact span, nothing invented. The held-out set is measured by
bench/ner_eval.py, not asserted (docs/news.md)."""

import json
from pathlib import Path

import pytest

from parklink.news.entities import Gazetteer, catalogue_names, find_entities

DATA = json.loads((Path(__file__).parent / "ner_sentences.json").read_text(encoding="utf-8"))
CAT = DATA["catalogue"]
GAZ = Gazetteer(
    catalogue_names([(None, n, []) for n in CAT["parks"]], [(None, n, []) for n in CAT["orgs"]])
)


@pytest.mark.parametrize(("sentence", "gold"), DATA["sentences"])
def test_exact_boundaries(sentence, gold):
    got = {(e.name, e.kind) for e in find_entities(sentence, GAZ) if e.kind in ("park", "org")}
    assert got == {(n, k) for n, k in gold}


def test_a_new_park_is_not_folded_into_a_catalogue_name_inside_it():
    text = "中关村生命科学园北区国际创新园正式开园。"
    [e] = [e for e in find_entities(text, GAZ) if e.kind == "park"]
    assert (e.name, e.canonical, e.origin) == ("中关村生命科学园北区国际创新园", None, "shape")


@pytest.mark.parametrize(
    ("sentence", "gold"),
    [
        # brackets inside a company name survive segmentation
        ("瑞思生物科技(苏州)有限公司宣布在园区设厂。", [("瑞思生物科技(苏州)有限公司", "org")]),
        # words that end a name elsewhere sit inside a company's name
        ("园区由北京未来科学城开发建设有限公司运营。", [("北京未来科学城开发建设有限公司", "org")]),
        ("北京智谱华章科技研究有限公司发布新模型。", [("北京智谱华章科技研究有限公司", "org")]),
        # 集团 followed by its legal form is one name
        ("东方电气集团股份公司与园区签约。", [("东方电气集团股份公司", "org")]),
        # a leading ordinal, verb or anaphor is no part of a name
        ("第三届中关村生命科学园论坛开幕。", [("中关村生命科学园", "park")]),
        ("要加快建好用好中欧产业园。", [("中欧产业园", "park")]),
        ("该医疗器械产业园已开工。", []),
        # weak suffixes need a head of their own
        ("园区将共建智能网联测试中心和新材料中试基地。", []),
        ("北京创新中心揭牌。", []),
        ("北京新能源汽车产业投资基金领投。", [("北京新能源汽车产业投资基金", "org")]),
        ("成都天府软件园管委会发布通知。", [("成都天府软件园", "park")]),
        # a quantity phrase before a suffix is no name
        ("项目建设8英寸芯片制造基地。", []),
        # 大学城 is a place, 科学园区 a park suffix
        ("良乡大学城新增多所高校。", []),
        ("台南科学园区新增厂商。", [("台南科学园区", "park")]),
    ],
)
def test_exact_boundaries_of_name_classes(sentence, gold):
    got = {(e.name, e.kind) for e in find_entities(sentence, GAZ) if e.kind in ("park", "org")}
    assert got == set(gold)


def test_a_latin_alias_with_spaces_matches_only_as_a_word():
    gaz = Gazetteer(catalogue_names([(1, "中关村集成电路设计园", ["IC PARK"])], []))
    [e] = [e for e in find_entities("IC PARK累计入驻企业150家。", gaz) if e.kind == "park"]
    assert (e.name, e.canonical) == ("IC PARK", "中关村集成电路设计园")
    assert not [e for e in find_entities("MAGIC PARKING开业。", gaz) if e.kind == "park"]


def test_the_short_form_of_a_new_park_is_a_mention_too():
    text = "昌平沙河智能制造产业园开园。沙河智能制造产业园规划面积2平方公里。"
    parks = [e.name for e in find_entities(text, GAZ) if e.kind == "park"]
    assert parks == ["昌平沙河智能制造产业园", "沙河智能制造产业园"]
