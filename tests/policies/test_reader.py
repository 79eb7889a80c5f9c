"""The policy text reader, on policy texts and sentences written for these tests (never copied
from real documents): thresholds in 万元/亿元, 以上/不低于/达到/超过/不超过/不足, 最高/不超过
amounts, validity lines, industries and region, each with the sentence it came from."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from parklink.policies.reader import html_to_text, read_policy

CASES = Path(__file__).parent / "cases"
TODAY = date(2026, 6, 1)


def _cases():
    for expected in sorted(CASES.glob("*.expected.json")):
        stem = expected.name.removesuffix(".expected.json")
        (source,) = [p for p in CASES.glob(f"{stem}.*") if not p.name.endswith(".json")]
        yield pytest.param(source, expected, id=stem)


@pytest.mark.parametrize(("source", "expected"), list(_cases()))
def test_policy_documents(source, expected):
    result = read_policy(
        source.read_text(encoding="utf-8"), is_html=source.suffix == ".html", today=TODAY
    )
    got = result.to_dict()
    evidence = got.pop("evidence")
    got.pop("measures")  # per-measure proposals: test_reader_measures.py
    assert got == json.loads(expected.read_text(encoding="utf-8"))
    # every proposal names the sentence it came from, and the evidence lists them once each
    assert all(p.sentence for p in result.proposals)
    assert evidence == list(dict.fromkeys(p.sentence for p in result.proposals))


def _conditions(text: str) -> list[tuple[str, str, object]]:
    return [(c.field, c.op, c.value) for c in read_policy(text, today=TODAY).conditions]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("对年纳税额达到500万元以上的企业给予奖励。", [("annual_tax_wan", ">=", 500)]),
        ("企业年纳税额不低于1亿元。", [("annual_tax_wan", ">=", 10000)]),
        ("上年度纳税额超过200万元的企业。", [("annual_tax_wan", ">", 200)]),
        ("年纳税额不超过100万元的小微企业。", [("annual_tax_wan", "<=", 100)]),
        ("年度纳税超过1000万元(含)的企业。", [("annual_tax_wan", ">=", 1000)]),
        ("年纳税总额在500万元以上的企业。", [("annual_tax_wan", ">=", 500)]),
        ("年纳税额低于50万元的不予支持。", [("annual_tax_wan", "<", 50)]),
        ("固定资产投资不低于3亿元的项目。", [("total_investment_wan", ">=", 30000)]),
        ("项目总投资达到5000万元。", [("total_investment_wan", ">=", 5000)]),
        ("达产后年产值10亿元以上。", [("annual_output_wan", ">=", 100000)]),
        ("员工人数不少于50人。", [("staff", ">=", 50)]),
        ("员工人数不足100人的初创企业。", [("staff", "<", 100)]),
        ("用地面积不超过30亩。", [("land_mu", "<=", 30)]),
        ("企业成立时间不超过5年。", [("founded_year", ">=", 2021)]),
        ("成立3年以上的企业。", [("founded_year", "<=", 2023)]),
        ("申请企业须为国家高新技术企业。", [("is_high_tech", "==", True)]),
        ("申请企业须被认定为专精特新企业。", [("is_specialized", "==", True)]),
        ("申请企业为专精特新企业或国家高新技术企业之一。", []),  # either: not a condition
        ("注册地在昌平区的企业。", [("district", "==", "昌平区")]),
        ("注册资本不低于1000万元。", []),  # not a project fact
        ("给予最高500万元奖励。", []),  # an amount, not a threshold
        ("亩均税收不低于30万元。", []),  # a rate per 亩 is no condition field
        ("投资强度不低于300万元/亩。", []),
    ],
)
def test_sentences(sentence, expected):
    assert _conditions(sentence) == expected


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("对符合条件的企业,给予最高500万元奖励。", 500),
        ("按投资额的10%给予补助,最高不超过2000万元。", 2000),
        ("单个项目最高1亿元。", 10000),
        ("给予一次性落户奖励100万元;对特别重大项目最高奖励1000万元。", 1000),
        ("对年纳税额达到500万元以上的企业给予租金补贴。", None),  # a threshold only
        ("按实际租金的50%给予补贴,每年不超过300万元。", 300),
    ],
)
def test_amounts(text, amount):
    assert read_policy(text, today=TODAY).amount_wan_max == amount


@pytest.mark.parametrize(
    ("text", "valid_from", "valid_to"),
    [
        ("本办法自2025年1月1日起施行,有效期3年。", date(2025, 1, 1), date(2027, 12, 31)),
        ("本办法自2026年3月1日起实施,有效期为两年。", date(2026, 3, 1), date(2028, 2, 29)),
        (
            "本措施自2025年7月1日起施行,有效期至2026年12月31日。",
            date(2025, 7, 1),
            date(2026, 12, 31),
        ),
        ("执行期限为2026年1月1日至2027年12月31日。", date(2026, 1, 1), date(2027, 12, 31)),
        ("本政策2024年10月1日起执行,试行期18个月。", date(2024, 10, 1), date(2026, 3, 31)),
        (
            "关于某某事项的通知\n本通知自印发之日起施行,有效期三年。\n某某区人民政府\n2025年5月20日",
            date(2025, 5, 20),
            date(2028, 5, 19),
        ),
        ("本办法解释权归区政府。", None, None),
    ],
)
def test_validity(text, valid_from, valid_to):
    result = read_policy(text, today=TODAY)
    assert (result.valid_from, result.valid_to) == (valid_from, valid_to)


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("昌平区促进医药健康产业发展办法\n第一条 ……", "昌平区"),
        ("关于促进产业发展的若干措施\n……\n顺义区人民政府\n2025年1月1日", "顺义区"),
        ("北京市促进人工智能发展办法", "北京市"),
        ("促进产业发展的若干措施", ""),
    ],
)
def test_region(text, region):
    assert read_policy(text, today=TODAY).region == region


def test_industries_are_read_from_scope_sentences_only():
    text = (
        "关于支持企业发展的若干措施\n"
        "一、重点支持生物医药、集成电路领域企业。\n"
        "二、企业可使用产业引导基金,设立物流中心的另行规定。\n"
    )
    assert read_policy(text, today=TODAY).industries == ("生物医药", "集成电路")


def test_html_keeps_every_paragraph_and_drops_navigation():
    html = (
        "<html><head><title>某区政策_某区人民政府</title><script>var x=1;</script></head><body>"
        "<div class='nav'>首页 政策文件 联系我们</div><h1>某区支持人工智能企业办法</h1>"
        "<p>第一条 面向人工智能企业。</p><p>第二条 年纳税额达到100万元以上。</p>"
        "<div id='footer'>版权所有</div></body></html>"
    )
    title, body = html_to_text(html)
    assert title == "某区支持人工智能企业办法"
    assert (
        "第二条" in body and "首页" not in body and "版权所有" not in body and "var x" not in body
    )
    result = read_policy(html, is_html=True, today=TODAY)
    assert [c.to_dict() for c in result.conditions] == [
        {"field": "annual_tax_wan", "op": ">=", "value": 100}
    ]


def test_every_proposal_keeps_its_sentence():
    result = read_policy((CASES / "changping_biomed.txt").read_text(encoding="utf-8"), today=TODAY)
    by_what = {}
    for p in result.proposals:
        by_what.setdefault(p.what, []).append(p)
    amount = next(p for p in by_what["amount"] if p.value == 2000)
    assert "最高不超过2000万元" in amount.sentence
    tax = next(p for p in by_what["condition"] if p.value["field"] == "annual_tax_wan")
    assert tax.sentence.startswith("第四条")
    assert "有效期3年" in by_what["valid_to"][0].sentence


def test_empty_text_reads_nothing():
    assert read_policy("", today=TODAY).to_dict() == {
        "title": "",
        "region": "",
        "valid_from": None,
        "valid_to": None,
        "industries": [],
        "conditions": [],
        "amount_wan_max": None,
        "evidence": [],
        "measures": [],
    }
