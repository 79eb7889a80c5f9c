"""Facts an article states: quantities with their subject, kind, currency, as-of year,
sentence and a confidence. Right or absent: a quantity becomes a fact only when its kind is
one of a closed list, named by the words before it in its clause, and a subject can be
resolved from the clause structure.

- Quantities come from zh/quantities.py on the analysed copy (width-folded, simplified: a
  traditional page's 萬平方米 reads as 万平方米), offsets shared with the stored body.
- Kinds (closed list, FACT_KINDS): planned_area, building_area, land_area, investment,
  financing, output, tax, enterprises, institutions, occupancy, height, floor_load, power,
  founded, completed, moved_in. A quantity whose clause names none of them is no fact: bare
  areas, growth rates, shares (占比), percentage points, market values.
- Money carries its currency (CNY, USD, EUR, HKD, JPY, GBP…, from 美元/US$/港元/€ …); the value
  is in that currency, never converted (no dated rate here). `unit` stays "yuan", the
  contract's money unit; `currency` says which money it is.
- Traps that never become facts: model names and product codes (骁龙855平台, 含光800,
  7.8万IPS, Mate20X), counts of other things (7.8万张照片, 600家门店), volumes (万立方米, 吨),
  percentage points (个百分点), shares of revenue (占营收的30%).
- Subject by clause structure: the nearest park or organisation named before the quantity in
  its clause, else in its sentence; area, occupancy and count kinds prefer a park of the
  sentence; "园区/该园/全园" refers to the article's main park; a sentence that opens with
  其/该/其中/目前/同时/此外 continues the previous sentence's subject. No subject: no fact.
- As-of: a year said earlier in the sentence (至2010年), else the publication year.

Weights and thresholds: FactConfig (versioned). Pure: no Django import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from parklink.news.entities import ORG, PARK, Entity
from parklink.zh.dates import find_dates
from parklink.zh.normalise import for_matching
from parklink.zh.quantities import find_quantities, parse_number

UNITS = ("m2", "m", "kg/m2", "kva", "yuan", "%", "count", "date")
FACT_KINDS = (
    "planned_area",
    "building_area",
    "land_area",
    "investment",
    "financing",
    "output",
    "tax",
    "enterprises",
    "institutions",
    "occupancy",
    "height",
    "floor_load",
    "power",
    "founded",
    "completed",
    "moved_in",
)
CURRENCIES = ("CNY", "USD", "EUR", "HKD", "JPY", "GBP", "TWD", "KRW", "SGD", "AUD", "CAD", "CHF")
# Kinds about a place (a park): a park in the sentence is preferred over an organisation.
PARK_KINDS = frozenset(
    {"planned_area", "building_area", "land_area", "occupancy", "enterprises", "institutions"}
)


@dataclass(frozen=True)
class FactConfig:
    version: int = 2
    min_confidence: float = 0.5  # below this a candidate is dropped (right or absent)
    base: float = 0.55
    same_clause: float = 0.15  # the subject is named in the quantity's own clause
    specific_keyword: float = 0.1  # 入住率, 规划面积, 建筑面积, 占地 … rather than 面积
    linked_subject: float = 0.1  # the subject is a catalogue record
    approximate: float = -0.05  # 约, 左右, ranges
    inferred_subject: float = -0.1  # 园区 → main park, or carried from the sentence before


CONFIG = FactConfig()


@dataclass(frozen=True)
class FactFound:
    subject: str  # canonical name where linked, else as written
    kind: str
    value: Decimal | None
    value_text: str  # the quantity as written ("7.19平方公里"), or the ISO date
    unit: str  # one of UNITS
    as_of: str  # YYYY or ""
    text: str  # the sentence, as published
    start: int  # offsets of the quantity in the body
    end: int
    subject_kind: str = ""  # park | org | ""
    subject_ref_id: int | None = None
    currency: str = ""  # money only: CNY, USD, EUR, HKD …
    confidence: float = 0.0

    def json_value(self) -> object:
        if self.unit == "date":
            return self.value_text
        if self.value is None:
            return None
        v = self.value.normalize()
        return int(v) if v == v.to_integral_value() else float(v)

    def as_json(self) -> dict[str, object]:
        return {
            "subject": self.subject,
            "kind": self.kind,
            "value": self.json_value(),
            "unit": self.unit,
            "as_of": self.as_of or None,
            "text": self.text,
            "currency": self.currency or None,
            "confidence": round(self.confidence, 2),
        }


_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_CLAUSE_BREAK = re.compile(r"[,，;；:：]")
# A time phrase: 2024年, 2024年5月(底), 2024年1-11月 (a period: its end), 2024年6月30日,
# 去年/今年/上年/前年 (relative to the article's year).
_TIME = re.compile(
    r"(?:(?<![\d-])(?P<y>(?:19|20)\d\d)\s*年|(?P<rel>去年|上年|前年|今年|本年))"
    r"(?:\s*(?:(?P<m0>\d{1,2})\s*[-—~至到]\s*)?(?P<m>\d{1,2})\s*月(?:份)?"
    r"(?:\s*(?P<d>\d{1,2})\s*日)?)?"
)
# An earlier clause that opens with a time phrase sets the time of the whole sentence
# (至2010年,……入住率91%); one inside it (于2019年建成) is about its own clause only.
_TIME_OPENER = re.compile(
    r"^\s*(?:截至|截止到?|到|至|在|于)?\s*(?=(?:19|20)\d\d\s*年|去年|上年|今年)"
)
# The present, said after any time phrase: the article's date (一期于2019年建成,目前已入驻…).
_NOW = re.compile(r"目前|现有|现已|当前|如今|至今|截至目前|眼下")
_REL_YEARS = {"去年": -1, "上年": -1, "前年": -2, "今年": 0, "本年": 0}
_BOOK_TITLE = re.compile(r"《[^》]*》|\([^)]*\d{4}[^)]*\)")

# (dimension of zh.quantities) → [(keyword regex on the clause before the number, kind,
# specific?)], first match wins. No match: no fact.
_KINDS: dict[str, list[tuple[re.Pattern[str], str, bool]]] = {
    "area": [
        (re.compile(r"建筑面积|建筑规模|建面|总建筑|建成|新建|在建|建设"), "building_area", True),
        (re.compile(r"规划面积|规划用地|规划"), "planned_area", True),
        (re.compile(r"占地|用地|土地|地块|面积约?为?$|总面积"), "land_area", True),
    ],
    "percent": [
        (re.compile(r"入住率|入驻率|出租率|使用率|去化率|满租率"), "occupancy", True),
    ],
    "money": [
        (re.compile(r"总投资|投资额|投资|投入"), "investment", True),
        (re.compile(r"融资|募资|募集|获投|注资"), "financing", True),
        (
            re.compile(r"产值|营收|营业收入|营业额|主营业务收入|销售收入|销售额|收入"),
            "output",
            True,
        ),
        (re.compile(r"税收|纳税|缴税|税额|亩均税"), "tax", True),
    ],
    "length": [(re.compile(r"层高|净高|檐高|建筑高度|楼高"), "height", True)],
    "load": [(re.compile(r""), "floor_load", True)],
    "power": [(re.compile(r""), "power", True)],
}
_UNIT_OF = {
    "area": "m2",
    "length": "m",
    "load": "kg/m2",
    "power": "kva",
    "money": "yuan",
    "percent": "%",
}
# Words between the keyword and the number that change what the number is.
_NOT_A_LEVEL = re.compile(
    r"百分点|占比|比重|占.{0,8}(?:收入|营收|比例)|增长|增速|同比|环比|下降|提高"
)

# A number followed by these is a condition or threshold (突破10亿元的企业), not a level.
_CONDITION_AFTER = re.compile(
    r"^\s*(?:元|人民币)?(?:以上|以下|及以上)?的(?:企业|项目|公司|机构|单位|园区)"
)
# A clause opening with 其中 counts a part (其中上市公司超过60家), not the whole.
_SUBSET_CLAUSE = re.compile(r"^\s*其中(?![,，]?(?:由|在))")
_GRANT = re.compile(r"补贴|补助|奖励|资助|扶持|奖补|给予|贴息")
_GRANT_AFTER = re.compile(
    r"^\s*(?:元|人民币)?(?:的)?(?:[\u4e00-\u9fff]{0,4}?)(?:补贴|补助|奖励|资助|奖补)"
)
_FUND_AFTER = re.compile(r"^\s*(?:元|人民币)?(?:的)?[\u4e00-\u9fff]{0,6}?基金")
_FINANCING_AFTER = re.compile(
    r"^\s*(?:元|人民币|美元|欧元|港元|港币)?\s*(?:的)?\s*"
    r"(?:[A-Da-d][+]?|Pre-[A-Da-d]|天使|种子|战略|新一)?\s*(?:轮|系列)?\s*(?:融资|投资)"
)
_PROJECTION = re.compile(
    r"预计|预期|力争|争取|目标|有望|达产后|将达|计划|规划到|到20\d\d年|还将|即将|拟|将新建|将建设"
)
# The output of one industry of the subject (机器人产业营收), or of several named companies
# together (两家企业合计营收), is not the subject's own output.
_PART_OUTPUT = re.compile(
    r"(?:产业|行业|板块|领域)(?:去年|今年|全年|\d{4}年)?(?:实现|完成)?总?(?:产值|营收|收入|营业收入|营业额)"
    r"|两家|三家|双方|二者|两者|合计|共计"
)
# What may follow a count of enterprises for it to be the park's stock of them (已有600余家
# 企业入驻, 聚集企业600家): nothing else in the clause.
_STOCK_AFTER = re.compile(
    r"^\s*(?:入驻|落户|进驻|入园|以上|左右|集聚|聚集|企业)?\s*[。！？!?]?\s*$"
)
_FLOW_AREA = re.compile(r"新增|增加|扩区|扩容|扩大")
_TENANT_AREA = re.compile(r"租用|租赁|承租|租下|购置|购买|办公面积|使用面积")
# 面积 alone names the site's land only after the site itself (blanked name, 园区, 总…).
_BARE_AREA = re.compile(r"面积约?为?$")
_OWN_AREA = re.compile(r"(?:＿|园区|园|区|总|占地|用地|土地|的|^\s*)面积约?为?$")

_CURRENCY_AFTER = (
    ("美元", "USD"),
    ("美金", "USD"),
    ("欧元", "EUR"),
    ("港元", "HKD"),
    ("港币", "HKD"),
    ("日元", "JPY"),
    ("英镑", "GBP"),
    ("新台币", "TWD"),
    ("台币", "TWD"),
    ("韩元", "KRW"),
    ("新加坡元", "SGD"),
    ("澳元", "AUD"),
    ("加元", "CAD"),
    ("瑞士法郎", "CHF"),
    ("人民币", "CNY"),
)
_CURRENCY_BEFORE = re.compile(
    r"(?P<c>US\$|USD|HK\$|HKD|NT\$|TWD|EUR|€|\$|£|GBP|JPY|¥|RMB|CNY|人民币|美元|欧元|港元|港币|"
    r"新台币|台币|日元|英镑)\s*$"
)
_CURRENCY_CODE = {
    "US$": "USD",
    "USD": "USD",
    "$": "USD",
    "美元": "USD",
    "HK$": "HKD",
    "HKD": "HKD",
    "港元": "HKD",
    "港币": "HKD",
    "EUR": "EUR",
    "€": "EUR",
    "欧元": "EUR",
    "£": "GBP",
    "GBP": "GBP",
    "JPY": "JPY",
    "¥": "CNY",
    "RMB": "CNY",
    "CNY": "CNY",
    "人民币": "CNY",
    "NT$": "TWD",
    "TWD": "TWD",
    "新台币": "TWD",
    "台币": "TWD",
    "日元": "JPY",
    "英镑": "GBP",
}

_COUNT = re.compile(
    r"(?:(?P<pre>企业|公司|机构|单位|厂商)(?:数量?|总数)?(?:已经|已)?(?:超过|达到|达|共|有|逾|近|约|突破)?)?"
    r"\s*(?P<n>\d+(?:\.\d+)?万|\d+(?:,\d{3})*|[一二两三四五六七八九十百千万]+)\s*"
    r"(?P<q>余|多)?\s*家\s*(?P<post>(?:[\u4e00-\u9fff]{0,6}?)(?:企业|公司|机构|单位|厂商))?"
)
# A count of other things: 家 followed by shops, banks, hospitals … is not of enterprises.
# Enterprises that did something together (20余家企业参会, 等10家企业代表发言, 已有7家企业完成
# 融资) are participants, not the park's stock of enterprises.
_ACTING_AFTER = re.compile(
    r"^\s*(?:代表|参会|参加|参展|出席|完成|获得|签约|签署|亮相|发言|现场|集中|同日|相继|先后|分别|"
    r"共同|联合|参与)"
)
_OTHER_COUNTED = re.compile(r"^(?:门店|店|银行|医院|学校|媒体|网点|酒店|餐厅|工厂|分行|支行)")
_EVENTS = [
    (re.compile(r"启动建设|开工|奠基|开园|开始建设"), "founded"),
    (re.compile(r"成立|揭牌|挂牌"), "founded"),
    (re.compile(r"建成|投入使用|投产|竣工|落成"), "completed"),
    (re.compile(r"入驻|落户"), "moved_in"),
]
EVENT_KINDS = frozenset({"founded", "completed", "moved_in"})
_PARK_WORDS = re.compile(r"园区|该园|全园|本园|园内|(?<![产研造工])基地|开发区|高新区|科学城")
# A count after these is a flow (two companies signed today), not the park's stock of them.
_FLOW_BEFORE = re.compile(
    r"(?:迎来|新增|新引进|引进|签约|又有|新落户|新入驻|首批|本次|此次|今年新|今年以来|年内|当日|当天|同日)"
    r"\S{0,8}$"
)
_CONTINUES = re.compile(r"^\s*(?:其|该|其中|目前|同时|此外|另外|截至|截止|至今|现已|已)")
# Every number zh.quantities, _COUNT and zh.dates read starts with one of these.
_NUMERAL = re.compile(r"[0-9〇○零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]")
# A number glued to Latin letters or to a product name is a model or code (S20, Mate20X,
# 骁龙855, 麒麟990), not a quantity.
_CODE_BEFORE = re.compile(r"[A-Za-z][A-Za-z\-]*$")
_MODEL_NAME_BEFORE = re.compile(r"(?:骁龙|麒麟|天玑|含光|昇腾|鲲鹏|玄铁|龙芯|型号|版本|第)\s*$")


def sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m[0].strip()]


def _clause_before(text: str, pos: int) -> str:
    # rfind per break character (C speed) rather than splitting the whole head each time
    r = text.rfind
    start = max(r(",", 0, pos), r("，", 0, pos), r(";", 0, pos), r("；", 0, pos), r(":", 0, pos))
    start = max(start, r("：", 0, pos)) + 1
    return text[start:pos]


def _kind(dimension: str, clause: str) -> tuple[str, bool] | None:
    for pattern, kind, specific in _KINDS.get(dimension, []):
        if pattern.search(clause):
            return kind, specific
    return None


def _time_value(m: re.Match[str], published: date | None) -> str:
    if m["y"]:
        year = int(m["y"])
    elif published is not None:
        year = published.year + _REL_YEARS[m["rel"]]
    else:
        return ""
    if not m["m"] or not 1 <= int(m["m"]) <= 12:
        return str(year)
    month = int(m["m"])
    if m["d"]:
        try:
            return date(year, month, int(m["d"])).isoformat()
        except ValueError:
            pass
    return f"{year}-{month:02d}"


def _as_of(sentence: str, pos_in_sentence: int, published: date | None) -> str:
    """The time a quantity is stated for: a time phrase in its own clause (截至2024年5月底 →
    2024-05, 2023年实现 → 2023, 去年 → the year before the article's), else one opening an
    earlier clause of the sentence (至2010年,…), else the article's date. "目前/现有" after
    the time phrase bring it back to the article's date."""
    fallback = published.isoformat() if published else ""
    head = sentence[:pos_in_sentence]
    if "年" not in head:  # every time phrase _TIME reads holds 年 (2024年, 去年, 今年)
        return fallback
    if "《" in head or "(" in head:
        head = _BOOK_TITLE.sub(lambda m: " " * len(m[0]), head)
    parts = _CLAUSE_BREAK.split(head)
    own = parts[-1]
    found = ""
    for part in parts[:-1]:
        if _TIME_OPENER.match(part):
            m = _TIME.search(part)
            if m:
                found = _time_value(m, published)
    last = None
    for last in _TIME.finditer(own):  # noqa: B007 - the last one is wanted
        pass
    if last is not None:
        if _NOW.search(own[last.end() :]):
            return fallback
        return _time_value(last, published) or fallback
    if _NOW.search(own):
        return fallback
    return found or fallback


def main_subjects(entities: list[Entity]) -> tuple[Entity | None, Entity | None]:
    """The most mentioned park and organisation (by canonical name where linked)."""
    best: dict[str, tuple[int, Entity]] = {}
    for e in entities:
        if e.kind not in (PARK, ORG):
            continue
        key = f"{e.kind}:{e.canonical or e.name}"
        n, first = best.get(key, (0, e))
        best[key] = (n + 1, first)
    park = max((v for k, v in best.items() if k.startswith(PARK)), key=lambda v: v[0], default=None)
    org = max((v for k, v in best.items() if k.startswith(ORG)), key=lambda v: v[0], default=None)
    return (park[1] if park else None, org[1] if org else None)


def _decimal(value: float) -> Decimal:
    return Decimal(str(round(value, 4)))


def _currency(sentence_m: str, q_start: int, q_end: int) -> tuple[str, int]:
    """(currency code, new end) of a money quantity: 3000亿美元, US$5亿, 5亿元人民币."""
    after = sentence_m[q_end : q_end + 6]
    probe = after.lstrip()
    for word, code in _CURRENCY_AFTER:
        if probe.startswith(word):
            return code, q_end + (len(after) - len(probe)) + len(word)
    before = _CURRENCY_BEFORE.search(sentence_m[max(0, q_start - 6) : q_start])
    if before:
        return _CURRENCY_CODE.get(before["c"], "CNY"), q_end
    return "CNY", q_end


def _is_code(sentence_m: str, q_start: int, q_end: int) -> bool:
    head = sentence_m[max(0, q_start - 8) : q_start]
    if _CODE_BEFORE.search(head) or _MODEL_NAME_BEFORE.search(head):
        return True
    nxt = sentence_m[q_end : q_end + 1]
    if sentence_m[q_end + 1 : q_end + 2] == "轮":
        return False  # 3亿元B轮融资: a funding round, not a model code
    return bool(nxt) and nxt.isascii() and nxt.isalpha()


def _clause_after(text: str, pos: int) -> str:
    return _CLAUSE_BREAK.split(text[pos : pos + 24], maxsplit=1)[0]


def _candidates(
    sentence_m: str, sentence: str, sentence_k: str | None = None
) -> list[tuple[int, int, str, str, object, str]]:
    """(start, end, kind, unit, value, value_text, specific, currency, qualifier) per number.
    `sentence_k` is sentence_m with the names of entities blanked, so that a keyword inside
    a name (北京集成电路产业投资基金) names no kind."""
    if sentence_k is None:
        sentence_k = sentence_m
    found = []
    for q in find_quantities(sentence_m):
        unit = _UNIT_OF.get(q.dimension)
        if unit is None or q.value <= 0 or _is_code(sentence_m, q.start, q.end):
            continue
        if q.qualifier == "range":
            continue  # 3000-5000平方米: a span on offer, not one value of anything
        clause = _clause_before(sentence_k, q.start)
        after = _clause_after(sentence_m, q.end)
        if _NOT_A_LEVEL.search(after[:6]) or (
            q.dimension == "percent" and _NOT_A_LEVEL.search(clause[-8:])
        ):
            continue
        hit = _kind(q.dimension, clause)
        if hit is None and q.dimension != "money":
            continue
        if _CONDITION_AFTER.match(after) or _SUBSET_CLAUSE.match(clause):
            continue  # 年营收突破10亿元的企业 (a threshold); 其中… (a part of the whole)
        if q.dimension == "money":
            if _GRANT.search(clause) or _GRANT_AFTER.match(after):
                continue  # 给予最高3000万元补贴: a subsidy on offer, not anyone's money
            if _FUND_AFTER.match(after):
                continue  # 设立10亿元产业子基金: a fund's size
            if hit is None and _FINANCING_AFTER.match(after):
                hit = ("financing", True)  # 完成5亿元B轮融资: the keyword follows
        if hit is None:
            continue
        kind, specific = hit
        if kind == "output" and _PART_OUTPUT.search(clause):
            continue
        if kind not in ("investment", "financing") and _PROJECTION.search(clause):
            continue  # 预计达产后年产值超过500亿元: a forecast, not a fact
        if q.dimension == "area" and (_FLOW_AREA.search(clause) or _TENANT_AREA.search(clause)):
            continue  # 新增产业用地80公顷 (a change), 租用办公面积1.5万平方米 (a tenant's lease)
        if kind == "land_area" and _BARE_AREA.search(clause) and not _OWN_AREA.search(clause):
            continue  # 研发楼宇面积: an area of some building, not the site's land
        end, currency = q.end, ""
        if q.dimension == "money":
            currency, end = _currency(sentence_m, q.start, q.end)
        if (
            q.dimension == "power"
            and not re.search(r"(?i)kva|千伏安", q.text)
            and not re.search(r"供电|配电|变压器|用电|电力|容量", clause)
        ):
            continue  # kW alone is a machine's power, not the site's supply
        found.append(
            (
                q.start,
                end,
                kind,
                unit,
                _decimal(q.value),
                sentence[q.start : end],
                specific,
                currency,
                q.qualifier,
            )
        )
    for m in _COUNT.finditer(sentence_m):
        noun = (m["pre"] or "") + (m["post"] or "")
        if not noun or _OTHER_COUNTED.match(sentence_m[m.end("n") :].lstrip("余多家 ")):
            continue
        n = parse_number(m["n"])
        if not n or _FLOW_BEFORE.search(sentence_m[max(0, m.start("n") - 10) : m.start("n")]):
            continue
        clause = _clause_before(sentence_k, m.start("n"))
        if (
            _ACTING_AFTER.match(sentence_m[m.end() :])
            or not _STOCK_AFTER.match(_clause_after(sentence_m, m.end()))
            or _SUBSET_CLAUSE.match(clause)
            or _PROJECTION.search(clause)
            or _FLOW_BEFORE.search(clause)
        ):
            continue
        kind = "institutions" if "机构" in noun or "单位" in noun else "enterprises"
        found.append(
            (m.start("n"), m.end(), kind, "count", _decimal(n), m[0].strip(), True, "", None)
        )
    for dm in find_dates(sentence_m):
        # The event is named in the clause after the date ("2000年11月25日,…启动建设").
        window = "".join(_CLAUSE_BREAK.split(sentence_m[dm.end : dm.end + 40], maxsplit=2)[:2])
        for pattern, kind in _EVENTS:
            if pattern.search(window):
                iso = dm.value.isoformat()
                found.append((dm.start, dm.end, kind, "date", None, iso, True, "", None))
                break
    return sorted(found, key=lambda f: f[0])


def find_facts(
    body: str,
    entities: list[Entity],
    *,
    published: date | None = None,
    text_m: str | None = None,
    config: FactConfig = CONFIG,
) -> list[FactFound]:
    """Facts stated in `body`, in order, one per (subject, kind, value, unit). `text_m` is
    the analysed copy (for_matching(body), same length); numbers are read there, sentences
    quoted from `body`."""
    if text_m is None or len(text_m) != len(body):
        text_m = for_matching(body)
    main_park, main_org = main_subjects(entities)
    subjects = sorted((e for e in entities if e.kind in (PARK, ORG)), key=lambda e: e.start)
    out: list[FactFound] = []
    seen: set[tuple[str, str, str, str]] = set()
    carried: Entity | None = None

    k = 0  # subjects are in text order: a moving pointer finds each sentence's own
    for s_start, s_end in sentences(text_m):
        while k < len(subjects) and subjects[k].start < s_start:
            k += 1
        first = k
        while k < len(subjects) and subjects[k].start < s_end:
            k += 1
        in_sentence = subjects[first:k]
        sentence_m = text_m[s_start:s_end]
        if not _NUMERAL.search(sentence_m):
            if in_sentence:
                carried = in_sentence[0]
            continue
        sentence = body[s_start:s_end]
        continues = bool(_CONTINUES.match(sentence_m))

        if in_sentence:
            pieces, at = [], s_start
            for e in in_sentence:
                pieces.append(text_m[at : e.start])
                pieces.append("＿" * (e.end - e.start))
                at = e.end
            pieces.append(text_m[at:s_end])
            sentence_k = "".join(pieces)
        else:
            sentence_k = sentence_m
        parks_before = [e for e in subjects[:first] if e.kind == PARK]
        for q_start, q_end, kind, unit, value, value_text, specific, currency, qual in _candidates(
            sentence_m, sentence, sentence_k
        ):
            subject, how = _subject(
                kind=kind,
                pos=s_start + q_start,
                sentence_m=sentence_m,
                s_start=s_start,
                in_sentence=in_sentence,
                main_park=main_park,
                main_org=main_org,
                parks_before=parks_before,
                carried=carried if continues else None,
            )
            if subject is None:
                continue
            confidence = config.base
            confidence += config.same_clause if how == "clause" else 0.0
            confidence += config.inferred_subject if how == "inferred" else 0.0
            confidence += config.specific_keyword if specific else 0.0
            confidence += config.linked_subject if subject.ref_id is not None else 0.0
            confidence += config.approximate if qual in ("approx", "range") else 0.0
            confidence = max(0.0, min(1.0, confidence))
            if confidence < config.min_confidence:
                continue
            name = subject.canonical or subject.name
            as_of = (
                str(date.fromisoformat(value_text).year)
                if unit == "date"
                else _as_of(sentence_m, q_start, published)
            )
            key = (name, kind, str(value) if value is not None else value_text, unit)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                FactFound(
                    subject=name,
                    kind=kind,
                    value=value,
                    value_text=value_text,
                    unit=unit,
                    as_of=as_of,
                    text=sentence.strip(),
                    start=s_start + q_start,
                    end=s_start + q_end,
                    subject_kind=subject.kind,
                    subject_ref_id=subject.ref_id,
                    currency=currency,
                    confidence=round(confidence, 3),
                )
            )
        if in_sentence:
            carried = in_sentence[0]
    return out


# A locative: the entity after these is where something happens (位于X的Y, 在X投资, 落户X),
# not what the clause is about.
_LOCATIVE_BEFORE = re.compile(r"(?:位于|坐落于|在|于|落户|落户于|入驻|进驻|落地|设在|选址)$")
# "公司/该公司/企业 …" opening a sentence: the article's main organisation.
_ORG_ANAPHOR = re.compile(r"^\s*(?:该|本|这家)?(?:公司|企业|集团)")
# "该医疗器械产业园 / 产业园 / 二期项目 …" opening a clause: a park named before.
_PARK_ANAPHOR = re.compile(
    r"^\s*(?:据介绍|据悉|据了解|另外|此外)?[,，]?\s*(?:该|这个|此|本)?"
    r"(?P<p>[\u4e00-\u9fff]{0,8}?(?:产业园|科技园|科学园|创新园|软件园|基地|科学城|园区))"
)
_PHASE = re.compile(r"^\s*(?:[一二三四首]期|[一二三四首]期项目)")


def _is_locative(e: Entity, sentence_m: str, s_start: int) -> bool:
    rel = e.start - s_start
    return bool(_LOCATIVE_BEFORE.search(sentence_m[max(0, rel - 3) : rel]))


def _subject(
    *,
    kind: str,
    pos: int,
    sentence_m: str,
    s_start: int,
    in_sentence: list[Entity],
    main_park: Entity | None,
    main_org: Entity | None = None,
    parks_before: list[Entity] | None = None,
    carried: Entity | None,
) -> tuple[Entity | None, str]:
    """(subject, how: clause | sentence | inferred) of the quantity at `pos`."""
    rel = pos - s_start
    clause = _clause_before(sentence_m, rel)
    clause_start = s_start + (rel - len(clause))
    before = [e for e in in_sentence if e.end <= pos]
    in_clause = [e for e in before if e.start >= clause_start]
    wants_park = kind in PARK_KINDS
    if kind in EVENT_KINDS:
        # "2000年11月25日,中关村生命科学园启动建设": the date opens the clause of its subject.
        after = [e for e in in_sentence if e.start >= pos]
        if after and after[0].start - pos <= 30:
            return after[0], "clause"
    if wants_park:
        parks = [e for e in in_clause if e.kind == PARK]
        if parks:
            return parks[-1], "clause"
        parks = [e for e in before if e.kind == PARK]
        m = _PARK_ANAPHOR.match(clause)
        if (
            m
            and m["p"] != "园区"
            and parks
            and all(_is_locative(e, sentence_m, s_start) for e in parks)
            and not any(for_matching(e.name).endswith(m["p"]) for e in parks)
        ):
            # 公司产业化基地位于X,基地规划建筑面积…: the clause is about the base, which is
            # not the park it stands in.
            return None, ""
        if parks:
            return parks[-1], "sentence"
        after = [e for e in in_sentence if e.start >= pos and e.kind == PARK]
        if after and "的" in sentence_m[rel : after[0].start - s_start]:
            return after[0], "sentence"  # 占地50亩的示范园
    # Where the clause or sentence opens with a park phrase (该医疗器械产业园, 产业园, 园区),
    # the park it refers to: the latest one named before whose name ends with it.
    for opening in (clause, sentence_m):
        if not parks_before or (in_clause and (opening is clause or before)):
            continue
        m = _PARK_ANAPHOR.match(opening)
        if m:
            phrase = m["p"]
            if phrase != "园区":
                for e in reversed(parks_before):
                    if for_matching(e.name).endswith(phrase):
                        return e, "inferred"
    subjects = [e for e in in_clause if not _is_locative(e, sentence_m, s_start)] or in_clause
    if subjects:
        # The clause's own subject: the first entity it names (an org before its project),
        # passing over a place it names (位于X的Y: Y).
        return subjects[0], "clause"
    if before and not wants_park:
        # The nearest organisation or park named before in the sentence that is not a place
        # where something happens. An area, occupancy or count is a park's: an organisation
        # named elsewhere in the sentence (园区引入某研究所…,孵化器入住率91%) is not its subject.
        near = [e for e in before if not _is_locative(e, sentence_m, s_start)] or before
        return near[-1], "sentence"
    if (
        not in_sentence
        and not wants_park
        and main_org is not None
        and _ORG_ANAPHOR.match(sentence_m)
    ):
        return main_org, "inferred"  # 公司此前曾于2022年获得3000万美元A轮融资
    if (_PARK_WORDS.search(sentence_m) or _PHASE.match(sentence_m)) and main_park is not None:
        return main_park, "inferred"
    if carried is not None and (not wants_park or carried.kind == PARK):
        return carried, "inferred"
    return None, ""
