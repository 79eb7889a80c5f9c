"""Validation of a submitted lead: shape-tolerant input in, clean values or field-by-field
bilingual messages out.

Every interface (portal form, API, import, back office) hands its raw mapping to
`clean_submission`; the messages are "中文 / English" pairs so the API can show both and
the UI the half of the active language (`Message.text`, `localised`, `pick`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language

from parklink.leads.choices import BudgetUnit, ProjectType, Qualification
from parklink.leads.models import MAX_AREA_M2, MAX_WAN
from parklink.parks.choices import Deal, SpaceKind
from parklink.zh.places import normalise_district
from parklink.zh.units import to_decimal
from parklink.zh.validators import normalise_mobile, normalise_uscc

# Text fields and their length limits (characters).
TEXT_LIMITS: dict[str, int] = {
    "ref": 64,
    "company": 200,
    "contact": 50,
    "need": 2000,
    "use": 200,
    "industry": 50,
    "space": 64,
}
LIST_LIMIT = 10  # districts, parks, qualifications

# Number fields: (minimum, maximum, minimum is exclusive).
NUMBER_RANGES: dict[str, tuple[Decimal, Decimal, bool]] = {
    "area_min_m2": (Decimal("1"), MAX_AREA_M2, False),
    "area_max_m2": (Decimal("1"), MAX_AREA_M2, False),
    "budget": (Decimal("0"), MAX_WAN, True),
    "annual_tax_wan": (Decimal("0"), MAX_WAN, False),
    "registered_capital_wan": (Decimal("0"), MAX_WAN, False),
    "total_investment_wan": (Decimal("0"), MAX_WAN, False),
    "last_year_tax_wan": (Decimal("0"), MAX_WAN, False),
    "last_year_sales_wan": (Decimal("0"), MAX_WAN, False),
    "expected_sales_wan": (Decimal("0"), MAX_WAN, False),
    "land_mu": (Decimal("0"), Decimal("150000"), True),
    "annual_output_wan": (Decimal("0"), MAX_WAN, False),
}
# Yes/no facts where blank means unknown (None), never "no".
BOOLEAN_FIELDS: tuple[str, ...] = ("is_high_tech", "is_specialized")
INTEGER_RANGES: dict[str, tuple[int, int]] = {
    "founded_year": (1900, 2100),
    "staff": (0, 2_000_000),
}
REQUIRES_RANGES: dict[str, tuple[Decimal, Decimal]] = {
    "ceiling_height_m": (Decimal("1.5"), Decimal("60")),
    "floor_load_kg_m2": (Decimal("1"), Decimal("20000")),
    "power_kva": (Decimal("1"), Decimal("1000000")),
}

LABELS: dict[str, tuple[str, str]] = {
    "ref": ("编号", "ref"),
    "company": ("公司", "company"),
    "contact": ("联系人", "contact"),
    "mobile": ("手机号", "mobile"),
    "need": ("需求", "need"),
    "use": ("用途", "use"),
    "industry": ("行业", "industry"),
    "space": ("房源编号", "space"),
    "area_min_m2": ("最小面积", "minimum area"),
    "area_max_m2": ("最大面积", "maximum area"),
    "budget": ("预算", "budget"),
    "annual_tax_wan": ("预计年纳税", "expected annual tax"),
    "registered_capital_wan": ("注册资本", "registered capital"),
    "total_investment_wan": ("投资总额", "total investment"),
    "last_year_tax_wan": ("上年度纳税额", "last year's tax"),
    "last_year_sales_wan": ("上年度开票销售额", "last year's invoiced sales"),
    "expected_sales_wan": ("预计年开票", "expected invoiced sales"),
    "founded_year": ("成立年份", "founding year"),
    "staff": ("员工人数", "staff"),
    "districts": ("意向区域", "districts"),
    "parks": ("意向园区", "parks"),
    "qualifications": ("资质", "qualifications"),
    "ceiling_height_m": ("层高", "ceiling height"),
    "floor_load_kg_m2": ("承重", "floor load"),
    "power_kva": ("配电", "power"),
    "land_mu": ("用地面积(亩)", "land (mu)"),
    "annual_output_wan": ("预计年产值", "expected annual output"),
    "is_high_tech": ("高新技术企业", "high-tech enterprise"),
    "is_specialized": ("专精特新", "specialised SME"),
}


def localised(zh: str, en: str) -> str:
    """The half of a bilingual message for the active UI language (Chinese by default)."""
    return en if (get_language() or "").lower().split("-")[0] == "en" else zh


def pick(message: str) -> str:
    """The active language's half of a "中文 / English" string (the whole text if it is
    not bilingual)."""
    zh, sep, en = str(message).partition(" / ")
    return localised(zh.strip(), en.strip()) if sep else str(message)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_AREA_RANGE = re.compile(r"^\s*([\d.,]+)\s*[-~～至到]\s*([\d.,]+)\s*$")


@dataclass(frozen=True)
class Message:
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"

    @property
    def text(self) -> str:
        """The half shown in the UI: the active language's."""
        return localised(self.zh, self.en)


@dataclass
class Errors:
    fields: dict[str, list[Message]] = field(default_factory=dict)

    def add(self, name: str, zh: str, en: str) -> None:
        self.fields.setdefault(name, []).append(Message(zh, en))

    def __bool__(self) -> bool:
        return bool(self.fields)


class LeadDataError(ValidationError):
    """A refused submission: `messages_by_field` holds the bilingual messages per field."""

    def __init__(self, errors: Errors) -> None:
        self.messages_by_field = errors.fields
        super().__init__({name: [str(m) for m in msgs] for name, msgs in errors.fields.items()})

    def as_list(self) -> list[dict[str, str]]:
        return [
            {"field": name, "message": str(m), "message_zh": m.zh, "message_en": m.en}
            for name, msgs in self.messages_by_field.items()
            for m in msgs
        ]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float | Decimal):
        raise TypeError
    return _CONTROL.sub("", str(value)).strip()


def _label(name: str) -> tuple[str, str]:
    return LABELS.get(name, (name, name))


# Choice values, computed once (a TextChoices' ``values`` builds a new list on every access).
_KINDS = tuple(SpaceKind.values)
_DEALS = tuple(Deal.values)
_BUDGET_UNITS = tuple(BudgetUnit.values)
_PROJECT_TYPES = tuple(ProjectType.values)
_QUALIFICATIONS = frozenset(Qualification.values)


def clean_submission(
    data: Mapping[str, Any], *, require_consent: bool, require_need: bool = True
) -> dict[str, Any]:
    """Validate and normalise one submission. Returns the lead's field values; raises
    LeadDataError naming every bad field. Unknown keys are ignored (the Inquiry keeps them)."""
    errors = Errors()
    out: dict[str, Any] = {}
    if not isinstance(data, Mapping):
        errors.add("", "提交内容应为对象", "the submission must be an object")
        raise LeadDataError(errors)

    for name, limit in TEXT_LIMITS.items():
        try:
            value = _text(data.get(name))
        except TypeError:
            zh, en = _label(name)
            errors.add(name, f"{zh}应为文本", f"{en} must be text")
            continue
        if len(value) > limit:
            zh, en = _label(name)
            errors.add(
                name,
                f"{zh}最多{limit}个字,实际{len(value)}个",
                f"{en} is limited to {limit} characters, got {len(value)}",
            )
        out[name] = value

    if not out.get("contact") and "contact" not in errors.fields:
        errors.add("contact", "请填写联系人", "contact is required")

    raw_mobile = data.get("mobile")
    if raw_mobile in (None, ""):
        errors.add("mobile", "请填写手机号", "mobile is required")
    else:
        try:
            out["mobile"] = normalise_mobile(str(raw_mobile))
        except ValueError as exc:
            errors.add("mobile", *_split(str(exc)))

    raw_uscc = _safe_text(data.get("uscc"))
    out["uscc"] = ""
    if raw_uscc:
        try:
            out["uscc"] = normalise_uscc(raw_uscc)
        except ValueError as exc:
            errors.add("uscc", *_split(str(exc)))

    _choice(data, "kind", _KINDS, "载体类型", "kind", out, errors)
    _choice(data, "deal", _DEALS, "租售方式", "deal", out, errors)
    _choice(data, "budget_unit", _BUDGET_UNITS, "预算单位", "budget unit", out, errors)
    _choice(data, "project_type", _PROJECT_TYPES, "项目类型", "project type", out, errors)

    # A single "area" (or "1000-2000") fills both ends of the range.
    area = data.get("area_m2")
    if area not in (None, "") and data.get("area_min_m2") in (None, ""):
        match = _AREA_RANGE.match(str(area))
        if match:
            data = {**data, "area_min_m2": match.group(1), "area_max_m2": match.group(2)}
        else:
            data = {**data, "area_min_m2": area, "area_max_m2": area}

    for name, (low, high, exclusive) in NUMBER_RANGES.items():
        out[name] = _number(data.get(name), name, low, high, exclusive, errors)
    for name, (ilow, ihigh) in INTEGER_RANGES.items():
        value = _number(data.get(name), name, Decimal(ilow), Decimal(ihigh), False, errors)
        if value is not None and value != value.to_integral_value():
            zh, en = _label(name)
            errors.add(name, f"{zh}应为整数", f"{en} must be a whole number")
            value = None
        out[name] = int(value) if value is not None else None

    for name in BOOLEAN_FIELDS:
        out[name] = _yes_no(data.get(name), name, errors)

    lo, hi = out.get("area_min_m2"), out.get("area_max_m2")
    if lo is not None and hi is not None and lo > hi:
        errors.add(
            "area_max_m2",
            "最大面积不能小于最小面积",
            "maximum area must not be less than the minimum area",
        )
    if out.get("budget") is not None and not out.get("budget_unit"):
        errors.add("budget_unit", "填写了预算时请选择预算单位", "a budget needs a budget unit")

    out["districts"] = _list(data.get("districts"), "districts", 20, errors)
    out["districts"] = [normalise_district(d) or d for d in out["districts"]]
    out["parks"] = _list(data.get("parks"), "parks", 100, errors)
    quals = _list(data.get("qualifications"), "qualifications", 20, errors)
    unknown = [q for q in quals if q not in _QUALIFICATIONS]
    if unknown:
        errors.add(
            "qualifications",
            f"未知资质:{'、'.join(unknown)}",
            f"unknown qualifications: {', '.join(unknown)}",
        )
    out["qualifications"] = quals
    out["requires"] = _requires(data.get("requires"), errors)

    if require_need and not (
        out.get("need") or out.get("use") or out.get("kind") or lo is not None or out.get("space")
    ):
        errors.add(
            "need",
            "请说明您的需求(如面积、用途、区域)",
            "describe the need (e.g. area, use, district)",
        )
    if require_consent and not _truthy(data.get("consent")):
        errors.add(
            "consent",
            "请阅读并同意个人信息处理说明",
            "consent to the processing of personal information is required",
        )
    if errors:
        raise LeadDataError(errors)
    return out


def _split(message: str) -> tuple[str, str]:
    """("中文", "English") from a validator's "中文 / English" message."""
    zh, _sep, en = message.partition("/")
    return zh.strip(), (en.strip() or zh.strip())


def _safe_text(value: Any) -> str:
    try:
        return _text(value)
    except TypeError:
        return ""


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on", "是", "同意"}


def _yes_no(value: Any, name: str, errors: Errors) -> bool | None:
    """True, False, or None for blank/unknown ("不确定"); anything else is an error."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"", "unknown", "不确定", "未知", "none", "null"}:
        return None
    if text in {"1", "true", "yes", "y", "on", "是", "有", "对"}:
        return True
    if text in {"0", "false", "no", "n", "off", "否", "无", "不是"}:
        return False
    zh, en = _label(name)
    errors.add(name, f"{zh}应为 是/否", f"{en} must be yes or no")
    return None


def _choice(
    data: Mapping[str, Any],
    name: str,
    allowed: tuple[str, ...],
    zh: str,
    en: str,
    out: dict[str, Any],
    errors: Errors,
) -> None:
    value = _safe_text(data.get(name))
    if value and value not in allowed:
        errors.add(
            name,
            f"{zh}应为 {'、'.join(allowed)} 之一",
            f"{en} must be one of {', '.join(allowed)}",
        )
        value = ""
    out[name] = value


def _number(
    value: Any,
    name: str,
    low: Decimal,
    high: Decimal,
    exclusive: bool,
    errors: Errors,
    prefix: str = "",
) -> Decimal | None:
    if value in (None, "") or isinstance(value, bool):
        return None
    zh, en = _label(name)
    name = prefix + name
    try:
        number = to_decimal(value)
    except (ValueError, TypeError):
        errors.add(name, f"{zh}应为数字", f"{en} must be a number")
        return None
    if not number.is_finite():
        errors.add(name, f"{zh}应为数字", f"{en} must be a number")
        return None
    if number < low or (exclusive and number == low):
        if low == 0:
            if exclusive:
                errors.add(name, f"{zh}必须大于0", f"{en} must be positive")
            else:
                errors.add(name, f"{zh}不能为负数", f"{en} must not be negative")
        else:
            errors.add(name, f"{zh}不能小于{low}", f"{en} must be at least {low}")
        return None
    if number > high:
        errors.add(name, f"{zh}不能大于{high}", f"{en} must be at most {high}")
        return None
    return number.quantize(Decimal("0.0001") if name == "budget" else Decimal("0.01"))


def _list(value: Any, name: str, item_limit: int, errors: Errors) -> list[str]:
    zh, en = _label(name)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        items = [p for p in re.split(r"[,,、;;\s]+", value) if p]
    elif isinstance(value, list | tuple):
        items = []
        for item in value:
            text = _safe_text(item)
            if text:
                items.append(text)
    else:
        errors.add(name, f"{zh}应为列表", f"{en} must be a list")
        return []
    if len(items) > LIST_LIMIT:
        errors.add(name, f"{zh}最多{LIST_LIMIT}项", f"{en} allows at most {LIST_LIMIT} items")
        return []
    too_long = [i for i in items if len(i) > item_limit]
    if too_long:
        errors.add(
            name,
            f"{zh}每项最多{item_limit}个字",
            f"each of {en} is limited to {item_limit} characters",
        )
        return []
    return list(dict.fromkeys(items))


def _requires(value: Any, errors: Errors) -> dict[str, Any]:
    if value in (None, "", {}):
        return {}
    if not isinstance(value, Mapping):
        errors.add("requires", "硬性条件应为对象", "requires must be an object")
        return {}
    out: dict[str, Any] = {}
    if value.get("gmp") not in (None, ""):
        out["gmp"] = _truthy(value.get("gmp"))
    for name, (low, high) in REQUIRES_RANGES.items():
        number = _number(value.get(name), name, low, high, False, errors, prefix="requires.")
        if number is not None:
            out[name] = float(number)
    return out
