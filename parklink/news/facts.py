"""Facts an article states: quantities with their subject, as-of year and sentence.

Quantities come from zh/quantities.py (areas → m², heights → m, loads → kg/m², power → kVA,
money → 元, percentages); counts (企业600家) and event dates (2000年11月25日…启动建设) are found
here. The kind comes from the words before the number in its clause (规划/占地/建筑面积,
入住率, 投资 …); the subject is the park or organisation named nearest before it in the
sentence, else the article's main park when the sentence speaks of "园区", else the subject
of the sentence before. The as-of year is a year said earlier in the sentence (至2010年),
else the publication year.

Pure: no Django import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from parklink.news.entities import ORG, PARK, Entity
from parklink.zh.dates import find_dates
from parklink.zh.quantities import find_quantities, parse_number

UNITS = ("m2", "m", "kg/m2", "kva", "yuan", "%", "count", "date")


@dataclass(frozen=True)
class FactFound:
    subject: str  # canonical name where linked, else as written
    kind: str
    value: Decimal | None
    value_text: str  # the quantity as written ("7.19平方公里"), or the ISO date
    unit: str  # one of UNITS
    as_of: str  # YYYY or ""
    text: str  # the sentence
    start: int  # offsets of the quantity in the body
    end: int
    subject_kind: str = ""  # park | org | ""
    subject_ref_id: int | None = None

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
        }


_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_CLAUSE_BREAK = re.compile(r"[,，;；:：]")
_YEAR = re.compile(r"(?<![\d-])((?:19|20)\d\d)\s*年(?!\d)")
_BOOK_TITLE = re.compile(r"《[^》]*》|\([^)]*\d{4}[^)]*\)")

# (dimension of zh.quantities, keyword regex → kind), first match in the clause wins.
_KINDS: dict[str, list[tuple[re.Pattern[str], str]]] = {
    "area": [
        (re.compile(r"建筑面积|建筑规模|建面"), "building_area"),
        (re.compile(r"规划"), "planned_area"),
        (re.compile(r"占地|用地|土地|面积约?为?$"), "land_area"),
    ],
    "percent": [
        (re.compile(r"入住率|入驻率|出租率|使用率|去化率"), "occupancy"),
        (re.compile(r"增长|增速|同比|环比|提高|提升"), "growth"),
        (re.compile(r"占比|比重|占"), "share"),
    ],
    "money": [
        (re.compile(r"投资|投入"), "investment"),
        (re.compile(r"产值|营收|营业收入|收入|销售额|规模"), "output"),
        (re.compile(r"税"), "tax"),
        (re.compile(r"融资|募资|基金"), "financing"),
    ],
    "length": [(re.compile(r"层高|净高|高度|檐高|高"), "height")],
    "load": [(re.compile(r""), "floor_load")],
    "power": [(re.compile(r""), "power")],
}
_DEFAULT_KIND = {"area": "area", "percent": "percentage", "money": "money"}
_UNIT_OF = {
    "area": "m2",
    "length": "m",
    "load": "kg/m2",
    "power": "kva",
    "money": "yuan",
    "percent": "%",
}

_COUNT = re.compile(
    r"(?P<pre>企业|公司|机构|单位)?\s*(?P<n>\d+(?:,\d{3})*|[一二两三四五六七八九十百千万]+)\s*"
    r"(?P<q>余|多)?\s*家\s*(?P<post>(?:[\u4e00-\u9fff]{0,6}?)(?:企业|公司|机构|单位))?"
)
_EVENTS = [
    (re.compile(r"启动建设|开工|奠基|开园|开始建设"), "founded"),
    (re.compile(r"成立|揭牌|挂牌"), "founded"),
    (re.compile(r"建成|投入使用|投产|竣工|落成"), "completed"),
    (re.compile(r"入驻|落户"), "moved_in"),
]
_PARK_WORDS = re.compile(r"园区|该园|全园|本园|园内")
# Every number zh.quantities, _COUNT and zh.dates read starts with one of these.
_NUMERAL = re.compile(r"[0-9０-９〇○零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]")


def sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m[0].strip()]


def _clause_before(text: str, s_start: int, pos: int) -> str:
    window = text[s_start:pos]
    parts = _CLAUSE_BREAK.split(window)
    return parts[-1] if parts else window


def _kind(dimension: str, clause: str) -> str | None:
    for pattern, kind in _KINDS.get(dimension, []):
        if pattern.search(clause):
            return kind
    return _DEFAULT_KIND.get(dimension)


def _as_of(sentence: str, pos_in_sentence: int, fallback: str) -> str:
    head = sentence[:pos_in_sentence]
    if "年" not in head:  # every year _YEAR reads ends in 年
        return fallback
    if "《" in head or "(" in head:
        head = _BOOK_TITLE.sub(lambda m: " " * len(m[0]), head)
    years = _YEAR.findall(head)
    return years[-1] if years else fallback


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


def find_facts(
    body: str, entities: list[Entity], *, published: date | None = None
) -> list[FactFound]:
    """Facts stated in `body`, in order, one per (subject, kind, value, unit)."""
    fallback_year = str(published.year) if published else ""
    main_park, main_org = main_subjects(entities)
    subjects = sorted((e for e in entities if e.kind in (PARK, ORG)), key=lambda e: e.start)
    out: list[FactFound] = []
    seen: set[tuple[str, str, str, str]] = set()
    carried: Entity | None = None

    k = 0  # subjects are in text order: a moving pointer finds each sentence's own
    for s_start, s_end in sentences(body):
        while k < len(subjects) and subjects[k].start < s_start:
            k += 1
        first = k
        while k < len(subjects) and subjects[k].start < s_end:
            k += 1
        in_sentence = subjects[first:k]
        sentence = body[s_start:s_end]
        if not _NUMERAL.search(sentence):
            # Quantities, counts and dates all need a digit or a Chinese numeral.
            if in_sentence:
                carried = in_sentence[-1]
            continue

        def subject_for(
            pos: int,
            _in: list[Entity] = in_sentence,
            _s: str = sentence,
            _carried: Entity | None = carried,
        ) -> Entity | None:
            before = [e for e in _in if e.end <= pos]
            if before:
                return before[-1]
            if _in:
                return _in[0]
            if _PARK_WORDS.search(_s) and main_park is not None:
                return main_park
            return _carried or main_park or main_org

        found: list[tuple[int, int, str, str, Decimal | None, str, str]] = []
        for q in find_quantities(sentence):
            unit = _UNIT_OF.get(q.dimension)
            if unit is None or q.value <= 0:
                continue
            kind = _kind(q.dimension, _clause_before(sentence, 0, q.start))
            if kind is None:
                continue
            found.append((q.start, q.end, kind, unit, _decimal(q.value), q.text, ""))
        for m in _COUNT.finditer(sentence):
            noun = (m["pre"] or "") + (m["post"] or "")
            if not noun:
                continue
            n = parse_number(m["n"])
            if not n:
                continue
            kind = "institutions" if "机构" in noun or "单位" in noun else "enterprises"
            found.append((m.start("n"), m.end(), kind, "count", _decimal(n), m[0].strip(), ""))
        for dm in find_dates(sentence):
            # The event is named in the clause after the date ("2000年11月25日,…启动建设").
            window = "".join(_CLAUSE_BREAK.split(sentence[dm.end : dm.end + 40], maxsplit=2)[:2])
            for pattern, kind in _EVENTS:
                if pattern.search(window):
                    iso = dm.value.isoformat()
                    found.append((dm.start, dm.end, kind, "date", None, iso, str(dm.value.year)))
                    break

        for q_start, q_end, kind, unit, value, value_text, year in sorted(found):
            subject = subject_for(q_start)
            name = (subject.canonical or subject.name) if subject else ""
            as_of = year or _as_of(sentence, q_start, fallback_year)
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
                    subject_kind=subject.kind if subject else "",
                    subject_ref_id=subject.ref_id if subject else None,
                )
            )
        if in_sentence:
            carried = in_sentence[-1]
    return out
