"""Lead fields and values as people read them, in the active UI language.

A field is named by its label ("最小面积", "minimum area"), never its name; a value is
humanised: areas "1,500 ㎡", money "1,200 万元" / "3.5 亿元" ("12 million yuan" in English),
dates in the language's date format, choices by their label, requirements in words. Used by
the lead timeline and the lead page (parklink.leads.timeline).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from parklink.leads.choices import Qualification
from parklink.leads.models import Lead

EMPTY = "—"


FIELD_LABELS: dict[str, Any] = {
    "ref": gettext_lazy("编号"),
    "company": gettext_lazy("公司"),
    "contact": gettext_lazy("联系人"),
    "mobile": gettext_lazy("手机号"),
    "need": gettext_lazy("需求"),
    "use": gettext_lazy("用途"),
    "annual_tax_wan": gettext_lazy("预计年纳税"),
    "kind": gettext_lazy("载体类型"),
    "deal": gettext_lazy("租售"),
    "area_m2": gettext_lazy("面积"),
    "area_min_m2": gettext_lazy("最小面积"),
    "area_max_m2": gettext_lazy("最大面积"),
    "budget": gettext_lazy("预算"),
    "budget_unit": gettext_lazy("预算单位"),
    "districts": gettext_lazy("意向区域"),
    "parks": gettext_lazy("意向园区"),
    "park": gettext_lazy("意向园区"),
    "spaces": gettext_lazy("关注房源"),
    "space": gettext_lazy("关注房源"),
    "industry": gettext_lazy("行业"),
    "requires": gettext_lazy("硬性条件"),
    "uscc": gettext_lazy("统一社会信用代码"),
    "registered_capital_wan": gettext_lazy("注册资本"),
    "founded_year": gettext_lazy("成立年份"),
    "staff": gettext_lazy("员工人数"),
    "qualifications": gettext_lazy("资质"),
    "project_type": gettext_lazy("项目类型"),
    "total_investment_wan": gettext_lazy("投资总额"),
    "last_year_tax_wan": gettext_lazy("上年度纳税额"),
    "last_year_sales_wan": gettext_lazy("上年度开票销售额"),
    "expected_sales_wan": gettext_lazy("预计入驻后年开票"),
    "score_intent": gettext_lazy("意向度"),
    "score_funds": gettext_lazy("资金实力"),
    "score_fit": gettext_lazy("区域匹配度"),
    "grade": gettext_lazy("等级"),
    "channel": gettext_lazy("来源渠道"),
    "consent_basis": gettext_lazy("个人信息处理依据"),
    "stage": gettext_lazy("阶段"),
    "lost_reason": gettext_lazy("流失原因"),
    "lost_note": gettext_lazy("流失说明"),
    "owner": gettext_lazy("负责人"),
    "next_follow_up": gettext_lazy("下次跟进"),
    "tags": gettext_lazy("标签"),
    "is_demo": gettext_lazy("演示数据"),
}
REQUIRES_LABELS: dict[str, Any] = {
    "gmp": gettext_lazy("GMP 车间"),
    "ceiling_height_m": gettext_lazy("层高"),
    "floor_load_kg_m2": gettext_lazy("承重"),
    "power_kva": gettext_lazy("供电容量"),
}

AREA_FIELDS = frozenset({"area_m2", "area_min_m2", "area_max_m2"})
WAN_FIELDS = frozenset(
    {
        "annual_tax_wan",
        "registered_capital_wan",
        "total_investment_wan",
        "last_year_tax_wan",
        "last_year_sales_wan",
        "expected_sales_wan",
    }
)
LIST_FIELDS = frozenset({"districts", "parks", "spaces", "qualifications", "tags"})
SCORE_FIELDS = frozenset({"score_intent", "score_funds", "score_fit"})


def english() -> bool:
    return (get_language() or "").lower().startswith("en")


def field_label(name: str) -> str:
    """The label of a lead field in the UI language; never the field's name."""
    label = FIELD_LABELS.get(name)
    if label is None:
        try:
            label = Lead._meta.get_field(name).verbose_name
        except Exception:
            label = gettext_lazy("其他信息")
    return str(label)


def in_sentence(label: str) -> str:
    """English labels read lower-case inside a sentence ("changed stage"), acronyms stay."""
    if english() and len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def list_sep() -> str:
    return ", " if english() else "、"


# --- values ---------------------------------------------------------------------------------


def to_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def number_text(value: Any, places: int = 2) -> str:
    """1,500 / 1,500.5: grouped, no trailing zeros."""
    number = to_decimal(value)
    if number is None:
        return str(value)
    rounded = number.quantize(Decimal(1).scaleb(-places))
    if rounded == rounded.to_integral_value():
        return f"{int(rounded):,}"
    return f"{rounded.normalize():,f}"


def area_text(value: Any) -> str:
    return _("%(n)s ㎡") % {"n": number_text(value)}


def wan_text(value: Any) -> str:
    """An amount in 万元: "1,200 万元", "3.5 亿元"; in English in yuan ("12 million yuan")."""
    number = to_decimal(value)
    if number is None:
        return str(value)
    if english():
        yuan = number * 10000
        for scale, word in ((Decimal("1e9"), "billion"), (Decimal("1e6"), "million")):
            if abs(yuan) >= scale:
                return f"{number_text(yuan / scale)} {word} yuan"
        return f"{number_text(yuan, 0)} yuan"
    if abs(number) >= 10000:
        return _("%(n)s 亿元") % {"n": number_text(number / 10000)}
    return _("%(n)s 万元") % {"n": number_text(number)}


def date_text(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def yes_no(value: Any) -> str:
    return _("是") if value else _("否")


def requires_text(value: Any) -> str:
    """{"gmp": true, "ceiling_height_m": 8} → "GMP 车间:是;层高 ≥ 8 米"."""
    if not isinstance(value, Mapping) or not value:
        return EMPTY
    units = {
        "ceiling_height_m": _("米"),
        "floor_load_kg_m2": _("公斤/㎡"),
        "power_kva": "kVA",
    }
    parts = []
    for key, label in REQUIRES_LABELS.items():
        if key not in value or value[key] in (None, ""):
            continue
        if key == "gmp":
            parts.append(f"{label}{pgettext('label and value', ':')}{yes_no(value[key])}")
        else:
            parts.append(f"{label} ≥ {number_text(value[key])} {units[key]}")
    return pgettext("list of conditions", ";").join(parts) or EMPTY


def _qualification(value: Any) -> str:
    try:
        return str(Qualification(value).label)
    except ValueError:
        return str(value)


def choice_label(name: str, value: Any) -> str | None:
    try:
        field = Lead._meta.get_field(name)
    except Exception:
        return None
    choices = dict(getattr(field, "flatchoices", None) or [])
    if not choices:
        return None
    label = choices.get(value)
    return str(label) if label is not None else str(value)


def value_text(name: str, value: Any, *, users: Mapping[int, str] | None = None) -> str:
    """A value of lead field `name` as a person reads it, in the UI language."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if name in AREA_FIELDS:
        if isinstance(value, str) and not to_decimal(value):
            return value  # a range as typed ("1000-2000")
        return area_text(value)
    if name in WAN_FIELDS:
        return wan_text(value)
    if name == "budget":
        return number_text(value, 4)
    if name in LIST_FIELDS:
        if not isinstance(value, list | tuple):
            return str(value)
        if name == "qualifications":
            value = [_qualification(v) for v in value]
        return list_sep().join(str(v) for v in value) or EMPTY
    if name == "next_follow_up" or isinstance(value, date):
        return date_text(value)
    if name == "requires":
        return requires_text(value)
    if name == "owner":
        if isinstance(value, int) and users is not None:
            return users.get(value, _("已停用的用户"))
        return str(value)
    if name == "staff":
        return _("%(n)s 人") % {"n": number_text(value, 0)}
    if name in SCORE_FIELDS:
        return _("%(n)s 分") % {"n": value}
    if isinstance(value, bool):
        return yes_no(value)
    label = choice_label(name, value)
    if label is not None:
        return label
    if isinstance(value, Mapping | list | tuple):
        return _("(复杂内容)")
    return str(value)


def area_range(low: Any, high: Any) -> str:
    if low is None and high is None:
        return EMPTY
    if low is None or high is None or low == high:
        return area_text(low if low is not None else high)
    return _("%(low)s–%(high)s ㎡") % {"low": number_text(low), "high": number_text(high)}


def budget_text(value: Any, unit: Any) -> str:
    if value in (None, ""):
        return EMPTY
    unit_label = choice_label("budget_unit", unit) if unit else ""
    return f"{number_text(value, 4)} {unit_label}".strip()
