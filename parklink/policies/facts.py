"""A project's facts (项目信息) for the evaluation and the policy matcher: from a lead's fields
(exchange format) and, where a field is blank, from what its free-text need states.

Pure Python (no Django). Entry points::

    facts_from_data(data) -> ProjectFacts      # raises FactsError naming the field
    read_text(text) -> TextFacts               # "投资2亿元, 占地30亩, 年产值5亿, 员工120人"

Money is in 万元, land in 亩, areas in m². Only what is stated is taken: a blank field stays
None (unknown), never 0 or false. A figure read from the text is listed in ``from_text`` so
the evaluation can say where it came from.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from parklink.policies.industries import Taxonomy, default_taxonomy
from parklink.zh.places import normalise_district
from parklink.zh.quantities import Quantity, find_quantities, parse_number

MU_M2 = 666.67  # 1 亩 in m², as DESIGN.md and parklink.zh.units
MAX_WAN = 1e8  # 1 万亿元 in 万元
MAX_MU = 150_000.0  # 100 km²

NUMBER_FIELDS = (
    "total_investment_wan",
    "land_mu",
    "annual_tax_wan",
    "annual_output_wan",
)
INTEGER_FIELDS = ("founded_year", "staff")
BOOLEAN_FIELDS = ("is_high_tech", "is_specialized")
# Every field a policy condition may name (the project facts plus `district`).
CONDITION_FIELDS = (
    "total_investment_wan",
    "land_mu",
    "annual_tax_wan",
    "annual_output_wan",
    "industry",
    "is_high_tech",
    "is_specialized",
    "founded_year",
    "staff",
    "district",
)
LABELS: dict[str, tuple[str, str]] = {
    "total_investment_wan": ("投资总额", "total investment"),
    "land_mu": ("用地面积", "land"),
    "area_m2": ("面积", "area"),
    "annual_tax_wan": ("预计年纳税", "expected annual tax"),
    "annual_output_wan": ("预计年产值", "expected annual output"),
    "industry": ("行业", "industry"),
    "is_high_tech": ("高新技术企业", "high-tech enterprise"),
    "is_specialized": ("专精特新", "specialised SME"),
    "founded_year": ("成立年份", "founding year"),
    "staff": ("员工人数", "staff"),
    "district": ("区域", "district"),
}
UNITS = {
    "total_investment_wan": "万元",
    "land_mu": "亩",
    "area_m2": "平方米",
    "annual_tax_wan": "万元",
    "annual_output_wan": "万元",
    "staff": "人",
    "founded_year": "年",
}
HIGH_TECH_QUALIFICATIONS = ("高新技术企业",)
SPECIALIZED_QUALIFICATIONS = ("专精特新", "专精特新小巨人")


class FactsError(ValueError):
    """A fact refused: `field` names it, the message is bilingual."""

    def __init__(self, field_name: str, zh: str, en: str) -> None:
        super().__init__(f"{field_name}: {zh} / {en}")
        self.field = field_name
        self.zh = zh
        self.en = en

    @property
    def message(self) -> str:
        return f"{self.field}: {self.zh} / {self.en}"


@dataclass(frozen=True)
class ProjectFacts:
    """What is known about one project; None is unknown."""

    industry: str = ""
    description: str = ""
    total_investment_wan: float | None = None
    land_mu: float | None = None
    area_m2: float | None = None
    annual_tax_wan: float | None = None
    annual_output_wan: float | None = None
    is_high_tech: bool | None = None
    is_specialized: bool | None = None
    founded_year: int | None = None
    staff: int | None = None
    districts: tuple[str, ...] = ()
    from_text: tuple[str, ...] = ()  # fields read from the free-text need
    # The words each text-read field came from ("占地30亩"), for the reasons.
    stated: tuple[tuple[str, str], ...] = ()

    @property
    def texts(self) -> tuple[str, ...]:
        """What banned industries and veto keywords are matched in: industry, description."""
        return tuple(t for t in (self.industry, self.description) if t)

    def value(self, name: str) -> Any:
        """A condition field's value ("district" is the list of districts)."""
        if name == "district":
            return self.districts
        return getattr(self, name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "industry": self.industry or None,
            "total_investment_wan": self.total_investment_wan,
            "land_mu": self.land_mu,
            "area_m2": self.area_m2,
            "annual_tax_wan": self.annual_tax_wan,
            "annual_output_wan": self.annual_output_wan,
            "is_high_tech": self.is_high_tech,
            "is_specialized": self.is_specialized,
            "founded_year": self.founded_year,
            "staff": self.staff,
            "districts": list(self.districts),
            "from_text": list(self.from_text),
        }


# --- Reading the free text -------------------------------------------------------------------

_CLAUSE_TAIL = re.compile(r"[^,，。;；!！?？\n]*$")
_INVEST_CTX = re.compile(r"总投资|投资总额|投资额|固定资产投资|计划投资|拟投资|投资")
_TAX_CTX = re.compile(r"纳税|税收|缴税|交税|税额|年税")
_OUTPUT_CTX = re.compile(r"产值|产出")
_IGNORE_CTX = re.compile(
    r"注册资本|注册资金|实缴|融资|估值|租金|预算|房租|总价|售价|营收|销售|收入"
)
_INTENSITY_CTX = re.compile(r"亩均|每亩|地均|强度")  # 亩均税收50万: a rate, not the total
_PER_UNIT = re.compile(r"\s*(?:/|每|一)\s*(?:亩|平|㎡|年·亩)")  # 500万元/亩: an intensity
_LAND_CTX = re.compile(r"占地|用地|土地|拿地|地块|宗地|供地")
_STAFF_RE = re.compile(
    r"(?:员工|职工|人员|团队|用工|雇员|从业人员|就业)(?:人数|规模|总数)?\s*"
    r"(?:约|共|有|达|达到|超过|近|预计|计划)?\s*"
    r"(?P<a>\d+|[一二两三四五六七八九十百千万]+)\s*(?:余|多)?\s*(?:人|名)"
    r"|(?P<b>\d+|[一二两三四五六七八九十百千万]+)\s*(?:余|多)?\s*(?:人|名)(?:的)?\s*"
    r"(?:员工|职工|团队|研发团队|技术团队|规模)"
)
_FOUNDED_RE = re.compile(
    r"(?:成立|注册|创立|设立|创办)(?:于|在)?\s*(?P<a>(?:19|20)\d\d)\s*年"
    r"|(?P<b>(?:19|20)\d\d)\s*年\s*(?:\d{1,2}\s*月\s*)?(?:成立|注册|创立|设立|创办)"
)
_HIGH_TECH_RE = re.compile(r"高新技术企业|国高新企业|国高新(?![区技])")
_SPECIALIZED_RE = re.compile(r"专精特新")
_NOT_YET = re.compile(r"(?:非|不是|尚未|未被?|没有|无)\s*(?:认定为?|获评|取得|通过|是)?\s*$")
_PENDING = re.compile(r"(?:申报|申请|正在|拟|计划|争取|准备|有望)")


@dataclass(frozen=True)
class TextFacts:
    """Facts a free text states, each with the words it came from."""

    values: Mapping[str, Any] = field(default_factory=dict)
    stated: Mapping[str, str] = field(default_factory=dict)


def _clause_before(text: str, start: int) -> str:
    m = _CLAUSE_TAIL.search(text, max(0, start - 20), start)
    return m.group() if m else ""


def _qualification(text: str, pattern: re.Pattern[str]) -> tuple[bool | None, str] | None:
    m = pattern.search(text)
    if m is None:
        return None
    before = _clause_before(text, m.start())
    if _NOT_YET.search(before):
        return False, before[-6:] + m.group()
    if _PENDING.search(before):
        return None, before[-6:] + m.group()
    return True, m.group()


_RANGE_HEAD = re.compile(r"\s*[\d.,]+\s*(?:-|~|～|—|–|到|至|－)")


def _range_low(q: Quantity) -> float:
    """The lower end of a quantity. In "300-500万元" the 万 belongs to both ends (the scanner
    scales only the upper one: parklink.zh.quantities)."""
    if q.dimension != "money" or q.qualifier != "range" or q.high is None:
        return q.value
    head = _RANGE_HEAD.match(q.text)
    if head is None:
        return q.value
    tail = q.text[head.end() :]
    factor = 1e8 if "亿" in tail else 1e4 if "万" in tail else 1.0
    scaled = q.value * factor
    return scaled if factor > 1 and scaled <= q.high else q.value


def read_text(text: str, *, taxonomy: Taxonomy | None = None) -> TextFacts:
    """The project facts a free text states (money in 万元, land in 亩, area in m²)."""
    values: dict[str, Any] = {}
    stated: dict[str, str] = {}
    if not text:
        return TextFacts(values, stated)

    def put(name: str, value: Any, words: str) -> None:
        if name not in values and value is not None:
            values[name] = value
            stated[name] = words

    for q in find_quantities(text):
        before = _clause_before(text, q.start)
        low = _range_low(q)  # a range counts by its lower end: never more than was said
        if q.dimension == "money":
            if (
                _IGNORE_CTX.search(before)
                or _INTENSITY_CTX.search(before)
                or _PER_UNIT.match(text, q.end)
            ):
                continue
            wan = round(low / 1e4, 2)
            if _TAX_CTX.search(before):
                put("annual_tax_wan", wan, q.text)
            elif _OUTPUT_CTX.search(before):
                put("annual_output_wan", wan, q.text)
            elif _INVEST_CTX.search(before):
                put("total_investment_wan", wan, q.text)
        elif q.dimension == "area":
            if "亩" in q.text or _LAND_CTX.search(before):
                put("land_mu", round(low / MU_M2, 2), q.text)
            else:
                put("area_m2", round(q.high or low, 2), q.text)
    m = _STAFF_RE.search(text)
    if m:
        number = parse_number(m.group("a") or m.group("b"))
        if number is not None and 0 <= number <= 2_000_000:
            put("staff", int(number), m.group())
    m = _FOUNDED_RE.search(text)
    if m:
        put("founded_year", int(m.group("a") or m.group("b")), m.group())
    for name, pattern in (("is_high_tech", _HIGH_TECH_RE), ("is_specialized", _SPECIALIZED_RE)):
        found = _qualification(text, pattern)
        if found is not None and found[0] is not None:
            put(name, found[0], found[1])
    tax = taxonomy or default_taxonomy()
    for hit in tax.find(text):
        if not hit.negated:
            put("industry", hit.industry, hit.word)
            break
    return TextFacts(values, stated)


# --- From a lead's fields --------------------------------------------------------------------


def _number(name: str, value: Any, low: float, high: float, *, positive: bool = False) -> float:
    zh, en = LABELS.get(name, (name, name))
    if isinstance(value, bool):
        raise FactsError(name, f"{zh}应为数字", f"{en} must be a number")
    number: float | None
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace(",", "").replace(",", "")
        try:
            number = float(text)
        except ValueError:
            number = _number_with_unit(name, text)
            if number is None:
                raise FactsError(name, f"{zh}应为数字", f"{en} must be a number") from None
    if not math.isfinite(number):
        raise FactsError(name, f"{zh}应为数字", f"{en} must be a number")
    if number < low or (positive and number == low):
        raise FactsError(
            name,
            f"{zh}必须大于0" if positive else f"{zh}不能为负数",
            f"{en} must be positive" if positive else f"{en} must not be negative",
        )
    if number > high:
        raise FactsError(name, f"{zh}大得不合理", f"{en} is implausibly large")
    return round(number, 4)


def _number_with_unit(name: str, text: str) -> float | None:
    """ "2亿", "5000万元" for money fields (→ 万元); "30亩", "2万平方米" for land (→ 亩)."""
    found = find_quantities(text)
    if len(found) != 1:
        return None
    q = found[0]
    if q.dimension == "money" and name.endswith("_wan"):
        return q.value / 1e4
    if q.dimension == "area" and name == "land_mu":
        return q.value / MU_M2
    if q.dimension == "area" and name == "area_m2":
        return q.value
    return None


def _integer(name: str, value: Any, low: int, high: int) -> int:
    number = _number(name, value, float(low), float(high))
    zh, en = LABELS.get(name, (name, name))
    if number != int(number):
        raise FactsError(name, f"{zh}应为整数", f"{en} must be a whole number")
    if number < low:
        raise FactsError(name, f"{zh}不能小于{low}", f"{en} must be at least {low}")
    return int(number)


def _yes_no(name: str, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"", "unknown", "不确定", "未知", "none", "null"}:
        return None
    if text in {"1", "true", "yes", "y", "on", "是", "有", "对"}:
        return True
    if text in {"0", "false", "no", "n", "off", "否", "无", "不是"}:
        return False
    zh, en = LABELS.get(name, (name, name))
    raise FactsError(name, f"{zh}应为 是/否", f"{en} must be yes or no")


def _text(name: str, value: Any, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        zh, en = LABELS.get(name, (name, name))
        raise FactsError(name, f"{zh}应为文本", f"{en} must be text")
    return str(value).strip()[:limit]


def _districts(value: Any) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        items = [p for p in re.split(r"[,,、;;\s]+", value) if p]
    elif isinstance(value, list | tuple):
        items = [str(v).strip() for v in value if v not in (None, "")]
    else:
        raise FactsError("districts", "意向区域应为列表", "districts must be a list")
    return tuple(dict.fromkeys(normalise_district(d) or d for d in items))


def _area(data: Mapping[str, Any]) -> float | None:
    """The project's area in m²: the upper end of its range (the most land it may take:
    per-亩 intensities are never flattered), else the single figure."""
    for name in ("area_max_m2", "area_min_m2", "area_m2"):
        value = data.get(name)
        if value in (None, ""):
            continue
        if name == "area_m2" and isinstance(value, str) and re.search(r"\d\s*[-~～至到]", value):
            parts = re.split(r"\s*[-~～至到]\s*", value.strip())
            value = parts[-1]
        return _number("area_m2", value, 0.0, MAX_MU * MU_M2, positive=True)
    return None


def facts_from_data(
    data: Mapping[str, Any], *, taxonomy: Taxonomy | None = None, read_need: bool = True
) -> ProjectFacts:
    """The facts of one lead in the exchange format (numbers may be strings). Blank fields
    are filled from the need text when it states them; FactsError names a bad field."""
    if not isinstance(data, Mapping):
        raise FactsError("", "线索应为对象", "a lead must be an object")
    values: dict[str, Any] = {}
    for name in NUMBER_FIELDS:
        raw = data.get(name)
        if raw not in (None, ""):
            positive = name == "land_mu"
            high = MAX_MU if name == "land_mu" else MAX_WAN
            values[name] = _number(name, raw, 0.0, high, positive=positive)
    for name, (low, high) in {"founded_year": (1900, 2100), "staff": (0, 2_000_000)}.items():
        raw = data.get(name)
        if raw not in (None, ""):
            values[name] = _integer(name, raw, low, high)
    for name in BOOLEAN_FIELDS:
        values[name] = _yes_no(name, data.get(name))
    quals = data.get("qualifications") or []
    if isinstance(quals, str):
        quals = [q for q in re.split(r"[,,、;;\s]+", quals) if q]
    if values["is_high_tech"] is None and any(q in HIGH_TECH_QUALIFICATIONS for q in quals):
        values["is_high_tech"] = True
    if values["is_specialized"] is None and any(q in SPECIALIZED_QUALIFICATIONS for q in quals):
        values["is_specialized"] = True
    need = _text("need", data.get("need"), 4000)
    use = _text("use", data.get("use"), 200)
    # "description" is not an exchange field; a project brief given under it is read too.
    extra = _text("description", data.get("description"), 4000)
    facts = ProjectFacts(
        industry=_text("industry", data.get("industry"), 50),
        description="\n".join(t for t in (need, use, extra) if t),
        area_m2=_area(data),
        districts=_districts(data.get("districts") or data.get("district")),
        **values,
    )
    if read_need and (need or extra):
        facts = with_text_facts(facts, "\n".join(t for t in (need, extra) if t), taxonomy=taxonomy)
    return facts


def with_text_facts(
    facts: ProjectFacts, text: str, *, taxonomy: Taxonomy | None = None
) -> ProjectFacts:
    """`facts` with its blank fields filled from what `text` states."""
    found = read_text(text, taxonomy=taxonomy)
    changes: dict[str, Any] = {}
    for name, value in found.values.items():
        current = getattr(facts, name)
        if current in (None, ""):
            changes[name] = value
    if not changes:
        return facts
    return replace(
        facts,
        **changes,
        from_text=tuple(dict.fromkeys([*facts.from_text, *changes])),
        stated=(*facts.stated, *((k, found.stated[k]) for k in changes)),
    )


def land_mu(facts: ProjectFacts) -> float | None:
    """The denominator of every per-亩 figure: land_mu, else the area ÷ 666.67."""
    if facts.land_mu:
        return facts.land_mu
    if facts.area_m2:
        return facts.area_m2 / MU_M2
    return None


def floor_m2(facts: ProjectFacts) -> float | None:
    """The m² a per-m² tax is measured on: the area, else the land × 666.67."""
    if facts.area_m2:
        return facts.area_m2
    if facts.land_mu:
        return facts.land_mu * MU_M2
    return None
