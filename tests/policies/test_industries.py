"""The industry taxonomy and the three questions built on it: fit, banned, veto keyword."""

from __future__ import annotations

import pytest

from parklink.policies.industries import (
    banned_hits,
    build_taxonomy,
    default_taxonomy,
    industry_fit,
    keyword_hits,
)


@pytest.fixture(scope="module")
def tax():
    return default_taxonomy()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("创新药及高端医疗器械", ("创新药", "医疗器械")),
        ("生物新医药与医疗器械", ("生物医药", "医疗器械")),
        ("医药健康", ("生物医药",)),
        ("新能源智能汽车", ("新能源汽车",)),
        ("做AI大模型", ("人工智能",)),
        ("芯片设计", ("集成电路设计",)),
        ("体外诊断试剂生产", ("体外诊断",)),
        ("CHAIN STORE", ()),  # ASCII words count on their own only
        ("ICU 病房设备", ()),
        ("餐饮连锁", ("餐饮住宿",)),
        ("宠物美容连锁", ()),
    ],
)
def test_find_names_the_canonical_industries(tax, text, expected):
    assert tax.industries_in(text) == expected


@pytest.mark.parametrize(
    ("broad", "narrow", "covers"),
    [
        ("生物医药", "创新药", True),
        ("生物医药", "体外诊断", True),  # through 医疗器械
        ("医疗器械", "体外诊断", True),
        ("医疗器械", "生物医药", False),
        ("人工智能", "智能网联汽车", True),  # two parents
        ("新能源汽车", "智能网联汽车", True),
        ("集成电路", "人工智能", False),
        ("化工", "危险化学品", True),
    ],
)
def test_covers_follows_the_tree(tax, broad, narrow, covers):
    assert tax.covers(broad, narrow) is covers


@pytest.mark.parametrize(
    ("industry", "allowed", "description", "ok", "reason"),
    [
        ("创新药", ["生物医药"], "", True, "covered"),
        ("医药健康", ["生物医药"], "", True, "covered"),  # an alias of the same industry
        ("生物医药", ["医疗器械"], "", None, "broader"),  # its line decides
        ("餐饮", ["生物医药"], "", False, "outside"),
        ("集成电路设计", ["生物医药", "新一代信息技术"], "", True, "covered"),
        ("", ["生物医药"], "我们做体外诊断试剂", True, "covered"),  # blank industry: the text
        ("", ["生物医药"], "", None, "unknown"),
        ("", ["生物医药"], "租一千平厂房", None, "unknown"),
        ("文化与科技融合", ["文化与科技融合"], "", True, "text"),  # outside the taxonomy
        ("人工智能", [], "", True, "any"),
    ],
)
def test_industry_fit(tax, industry, allowed, description, ok, reason):
    fit = industry_fit(industry, allowed, description=description, taxonomy=tax)
    assert (fit.ok, fit.reason) == (ok, reason)


@pytest.mark.parametrize(
    ("texts", "banned", "found"),
    [
        (["精细化工"], ["化工"], ["化工"]),
        (["医疗器械", "生产中使用危化品"], ["危险化学品"], ["危险化学品"]),
        (["医疗器械", "项目不涉及危化品"], ["危险化学品"], []),  # negated
        (["医疗器械", "无危化品、无电镀"], ["危险化学品", "电镀"], []),
        (["电镀加工"], ["一般制造业"], ["一般制造业"]),
        (["创新药"], ["化工"], []),
        (["造纸"], ["造纸业"], ["造纸业"]),  # the entry resolves through the taxonomy
        (["软件开发"], ["餐饮"], []),  # neither in the taxonomy nor in the text
    ],
)
def test_banned_hits(tax, texts, banned, found):
    assert [h.entry for h in banned_hits(texts, banned, taxonomy=tax)] == found


@pytest.mark.parametrize(
    ("text", "keywords", "found"),
    [
        ("生产过程含电镀工序", ["电镀", "喷涂"], ["电镀"]),
        ("无电镀、喷涂工序", ["电镀", "喷涂"], []),
        ("不涉及电镀,但有喷涂", ["电镀", "喷涂"], ["喷涂"]),
        ("产生VOCs废气", ["vocs"], ["vocs"]),  # case folded
        ("無塵車間,含電鍍", ["电镀"], ["电镀"]),  # traditional script folded
        ("无人机电池组装", ["电池"], ["电池"]),  # 无人 is not a negation
        ("生产中使用危化品", ["危险化学品"], ["危险化学品"]),  # an industry keyword: its aliases
        ("不使用危化品", ["危险化学品"], []),
    ],
)
def test_keyword_hits(text, keywords, found):
    assert [h.entry for h in keyword_hits([text], keywords)] == found


def test_hits_carry_an_excerpt(tax):
    (hit,) = keyword_hits(["本项目为精密部件生产,生产过程含电镀工序,年用水量较大"], ["电镀"])
    assert "电镀" in hit.excerpt and hit.word == "电镀"


def test_build_refuses_an_alias_of_two_industries():
    with pytest.raises(ValueError, match="names both"):
        build_taxonomy({"industries": [{"name": "甲", "aliases": ["乙"]}, {"name": "乙"}]})


def test_build_refuses_an_unknown_parent():
    with pytest.raises(ValueError, match="unknown parent"):
        build_taxonomy({"industries": [{"name": "甲", "parents": ["不存在"]}]})


def test_shipped_taxonomy_parents_are_industries(tax):
    assert all(set(ps) <= set(tax.names) for ps in tax.parents.values())
    assert {"生物医药", "医疗器械", "集成电路", "人工智能", "化工"} <= set(tax.names)
