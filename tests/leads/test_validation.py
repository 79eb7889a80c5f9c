"""Each bad input is refused with a bilingual message on its field and stores nothing."""

from __future__ import annotations

import pytest

from parklink.leads.choices import Channel
from parklink.leads.models import Inquiry, Lead
from parklink.leads.services import lead_submit
from parklink.leads.validation import LeadDataError, clean_submission

BAD_INPUTS = [
    ("mobile", {"mobile": ""}, "请填写手机号"),
    ("mobile", {"mobile": "12345678901"}, "手机号格式不正确"),
    ("mobile", {"mobile": "010-62345678"}, "手机号"),
    ("mobile", {"mobile": "+1 415 555 267"}, "手机号格式不正确"),
    ("mobile", {"mobile": "+49 171"}, "手机号格式不正确"),
    ("contact", {"contact": ""}, "请填写联系人"),
    ("contact", {"contact": "王" * 51}, "最多50个字"),
    ("company", {"company": "公" * 201}, "最多200个字"),
    ("need", {"need": "需" * 2001}, "最多2000个字"),
    (
        "need",
        {"need": "", "use": "", "kind": "", "area_min_m2": None, "area_max_m2": None},
        "请说明您的需求",
    ),
    ("uscc", {"uscc": "91110000600037341X"}, "校验位"),
    ("uscc", {"uscc": "9111000060003734"}, "18位"),
    ("uscc", {"uscc": "91110000600037341I"}, "非法字符"),
    ("area_min_m2", {"area_min_m2": 0}, "不能小于1"),
    ("area_min_m2", {"area_min_m2": "abc"}, "应为数字"),
    ("area_max_m2", {"area_max_m2": 100000001}, "不能大于"),
    ("area_max_m2", {"area_min_m2": 3000, "area_max_m2": 1000}, "最大面积不能小于最小面积"),
    ("budget", {"budget": -5, "budget_unit": "元/平方米/天"}, "必须大于0"),
    ("budget_unit", {"budget": 3}, "预算单位"),
    ("annual_tax_wan", {"annual_tax_wan": -1}, "不能为负数"),
    ("annual_tax_wan", {"annual_tax_wan": "1e12"}, "不能大于"),
    ("kind", {"kind": "别墅"}, "载体类型应为"),
    ("deal", {"deal": "租借"}, "租售方式应为"),
    ("founded_year", {"founded_year": 1850}, "不能小于1900"),
    ("staff", {"staff": 12.5}, "整数"),
    ("districts", {"districts": ["昌平"] * 3 + [str(i) for i in range(10)]}, "最多10项"),
    ("qualifications", {"qualifications": ["世界五百强"]}, "未知资质"),
    ("requires.ceiling_height_m", {"requires": {"ceiling_height_m": 100}}, "不能大于"),
    ("consent", {"consent": False}, "同意个人信息处理"),
]


@pytest.mark.parametrize(("field", "change", "zh"), BAD_INPUTS)
def test_clean_submission_refuses_each_bad_input(valid_data, field, change, zh):
    with pytest.raises(LeadDataError) as info:
        clean_submission({**valid_data, **change}, require_consent=True)
    messages = info.value.messages_by_field
    assert field in messages, messages
    assert any(zh in m.zh for m in messages[field])
    assert all(m.en and m.en != m.zh for m in messages[field])


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "change", "zh"), BAD_INPUTS[:6])
def test_lead_submit_refused_stores_nothing(valid_data, field, change, zh):
    with pytest.raises(LeadDataError):
        lead_submit(
            data={**valid_data, **change},
            channel=Channel.WEB,
            actor=None,
            ip="1.2.3.4",
            user_agent="",
        )
    assert Lead.objects.count() == 0
    assert Inquiry.objects.count() == 0


def test_clean_submission_normalises(valid_data):
    out = clean_submission(
        {**valid_data, "mobile": "+86 １３８００１３８０００", "uscc": " 91350100m000100y43 "},
        require_consent=True,
    )
    assert out["mobile"] == "13800138000"
    assert out["uscc"] == "91350100M000100Y43"
    assert out["districts"] == ["昌平区"]
    assert str(out["area_min_m2"]) == "1000.00"


def test_single_area_and_range_text(valid_data):
    base = {k: v for k, v in valid_data.items() if not k.startswith("area")}
    out = clean_submission({**base, "area_m2": "800-1200"}, require_consent=True)
    assert (out["area_min_m2"], out["area_max_m2"]) == (800, 1200)
    out = clean_submission({**base, "area_m2": 500}, require_consent=True)
    assert out["area_min_m2"] == out["area_max_m2"] == 500


def test_control_characters_are_stripped(valid_data):
    out = clean_submission({**valid_data, "contact": "王\x00先生"}, require_consent=True)
    assert out["contact"] == "王先生"


@pytest.mark.parametrize(
    ("text", "count", "seconds"),
    [("20/h", 20, 3600), ("5/m", 5, 60), ("100/10m", 100, 600), ("3 / d", 3, 86400)],
)
def test_parse_rate(text, count, seconds):
    from parklink.leads.conf import parse_rate

    rate = parse_rate(text)
    assert (rate.count, rate.seconds) == (count, seconds)


@pytest.mark.parametrize("text", ["off", "OFF", "0"])
def test_parse_rate_off(text):
    from parklink.leads.conf import parse_rate

    assert parse_rate(text) is None


def test_parse_rate_invalid():
    from parklink.leads.conf import parse_rate

    with pytest.raises(ValueError, match="20/h"):
        parse_rate("lots")


@pytest.mark.parametrize(
    ("intent", "funds", "fit", "grade"),
    [
        (5, 5, 5, "A"),
        (4, 4, 4, "A"),
        (4, 3, 3, "B"),
        (3, 3, 3, "B"),
        (2, 2, 2, "C"),
        (1, 1, 1, "D"),
        (None, 5, 5, ""),
        (5, None, None, "A"),
    ],
)
def test_grade_for(intent, funds, fit, grade):
    from parklink.leads.grading import grade_for

    assert grade_for(intent, funds, fit) == grade
