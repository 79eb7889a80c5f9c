"""A park's facts as a public fact sheet: labels in the reader's language, figures with
their units humanised, one figure per measure (the newest sourced one; the others kept in
a history fold), milestones in order and every source as a numbered citation.

``build(park, facts, lang)`` is pure over the rows it is given (ParkFact instances or
anything with the same attributes); the view passes the active language ("zh" or "en").
Internal notes of the dataset (quality remarks, file paths) never reach the sheet: a source
is cited by its outlet, date and link only (``citation``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.utils import translation

from parklink.parks import humanize, labels
from parklink.parks.choices import FactKind

AREA_KINDS = ("planned_area", "land_area", "building_area")
LAND_KINDS = ("planned_area", "land_area")
# The measures shown at the top of the page, with the labels that stand for the whole park.
HEADLINE_LABELS: dict[str, tuple[str, ...]] = {
    "planned_area": ("规划面积", "总规划面积"),
    "land_area": ("总占地面积", "占地面积"),
    "building_area": ("总建筑面积", "建筑面积"),
}


@dataclass(frozen=True)
class Citation:
    number: int
    text: str
    url: str


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    as_of: str
    citation: Citation | None
    uncertain: bool = False
    history: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Milestone:
    date: str
    label: str
    citation: Citation | None


@dataclass
class FactSheet:
    headline: dict[str, Figure] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    designations: list[Figure] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)

    @property
    def has_history(self) -> bool:
        return any(f.history for f in [*self.headline.values(), *self.figures])


# --- Citations ------------------------------------------------------------------------------

# Outlets the dataset names in English, as a Chinese reader knows them.
OUTLETS: tuple[tuple[str, str], ...] = (
    ("chinadaily.com.cn", "中国日报网"),
    ("China Daily", "中国日报"),
    ("Xinhua", "新华网"),
    ("People's Daily", "人民网"),
    ("Beijing Foreign Affairs Office", "北京市人民政府外事办公室"),
    ("Beijing municipal government", "北京市人民政府"),
    ("Beijing Daily", "北京日报"),
    ("ZGC administrative committee", "中关村管委会"),
    ("park's own English site", "园区官网"),
    ("CBRE", "世邦魏理仕"),
    ("JLL", "仲量联行"),
    ("Colliers", "高力国际"),
    ("SIPO", "国家知识产权局"),
    ("经开区管委会", "北京经济技术开发区管委会"),
)
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|\d{4}年第\d+期|(?<!\d)(?:19|20)\d{2}(?!\d))")
_LEADING_ZH = re.compile(r"^[《]?[\u4e00-\u9fff][\u4e00-\u9fff·《》]*")
_CITING_ZH = re.compile(r"(?:citing|via)\s+([\u4e00-\u9fff][\u4e00-\u9fff·]*)")


def citation_text(note: str, url: str) -> str:
    """'北京商报 2013-02-27' from the dataset's note on a source ('北京商报 2013-02-27
    (repost)', 'low-quality aggregator; …'): the outlet (a named one, else the web site's
    host) and the date; remarks about the source's quality are never shown."""
    note = (note or "").strip()
    if note.startswith("http"):
        note = ""
    outlet = ""
    for en, zh in OUTLETS:
        if en.lower() in note.lower():
            outlet = zh
            break
    if not outlet:
        m = _LEADING_ZH.match(note)
        if m and len(m.group(0)) >= 2:
            outlet = m.group(0)
    if not outlet:
        m = _CITING_ZH.search(note)
        if m:
            outlet = m.group(1)
    if not outlet and url.startswith("http"):
        host = urlsplit(url).hostname or ""
        outlet = re.sub(r"^(www|m|wap)\.", "", host)
    m = _DATE.search(note)
    date = m.group(1) if m else ""
    if not outlet:
        return date
    return f"{outlet} {date}".strip()


class _Citations:
    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], Citation] = {}

    def get(self, fact: Any) -> Citation | None:
        url = (fact.source_url or "").strip()
        text = citation_text(fact.source_title or "", url) if url else _plain(fact.source_title)
        if not text and not url:
            return None
        key = (url, text)
        if key not in self.by_key:
            self.by_key[key] = Citation(len(self.by_key) + 1, text or url, url)
        return self.by_key[key]

    def all(self) -> list[Citation]:
        return sorted(self.by_key.values(), key=lambda c: c.number)


def _plain(title: str) -> str:
    """A source without an address (a manual entry, an article): its title, unless it is a
    note about a file rather than a name."""
    title = (title or "").strip()
    if not title or ("/" in title and not re.search(r"[\u4e00-\u9fff]", title)):
        return ""
    return title


# --- Labels and values ------------------------------------------------------------------------


def _kind_label(kind: str, lang: str) -> str:
    try:
        label = FactKind(kind).label
    except ValueError:
        label = FactKind.OTHER.label
    with translation.override("en" if lang == "en" else "zh-hans"):
        return str(label)


def _base_zh(fact: Any) -> str:
    if fact.kind in AREA_KINDS or fact.unit == "m2":
        base = _kind_label(fact.kind, "zh") if fact.kind in AREA_KINDS else "面积"
    else:
        base = _kind_label(fact.kind, "zh")
    return base


def fact_label(fact: Any, lang: str) -> str | None:
    """The label of a fact in ``lang``; None when no readable one exists."""
    raw = (fact.label or "").strip()
    if not raw:
        return _kind_label(fact.kind, lang)
    if lang == "en":
        if re.search(r"[\u4e00-\u9fff]", raw) and not re.search(r"[A-Za-z]{3,}", raw):
            return raw  # a Chinese label from an article: data, not translated
        return labels.english_label(raw)
    return labels.label_zh(raw, _base_zh(fact))


def fact_value(fact: Any, lang: str) -> str | None:
    """The figure as people write it; None when there is nothing readable to show."""
    value = fact.value
    how = humanize.qualifier(fact.value_text or "")
    unit = fact.unit or ""
    if value is not None:
        value = Decimal(value)
        if unit == "m2" or fact.kind in AREA_KINDS:
            land = fact.kind in LAND_KINDS or "land" in (fact.label or "")
            text = humanize.area(value, lang, land=land)
        elif unit == "yuan":
            text = humanize.money(value, lang)
        elif unit == "%" or fact.kind == FactKind.OCCUPANCY or "%" in (fact.value_text or ""):
            text = f"{humanize.number(value)}%"
        else:
            text = humanize.count(value)
        return humanize.qualified(text, how, lang)
    written = (fact.value_text or "").strip()
    if not written:
        return None
    if lang == "en" or labels.readable_zh(written):
        return written
    return None


def _as_of(fact: Any) -> str:
    as_of = (fact.as_of or "").strip()
    return as_of if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", as_of) else ""


def _rank(fact: Any) -> tuple:
    """Newest sourced first: a source, then the latest date, then certain over uncertain."""
    return (
        bool(fact.source_url or fact.source_title),
        _as_of(fact),
        not fact.uncertain,
        fact.pk or 0,
    )


def build(facts: Iterable[Any], lang: str = "zh") -> FactSheet:
    """The fact sheet of one park's facts (see the module docstring)."""
    lang = "en" if lang == "en" else "zh"
    sheet = FactSheet()
    cites = _Citations()
    groups: dict[tuple[str, str], list[tuple[Any, str, str]]] = {}
    order: list[tuple[str, str]] = []
    for fact in facts:
        label = fact_label(fact, lang)
        if not label:
            continue
        if fact.kind == FactKind.FOUNDED:
            date = _as_of(fact)
            if date:
                sheet.milestones.append(Milestone(date, label, cites.get(fact)))
            continue
        value = fact_value(fact, lang)
        if fact.kind == FactKind.DESIGNATION:
            text = value or label
            sheet.designations.append(Figure(text, "", _as_of(fact), cites.get(fact)))
            continue
        if not value:
            continue
        key = (fact.kind, label)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append((fact, label, value))
    for key in order:
        rows = sorted(groups[key], key=lambda r: _rank(r[0]), reverse=True)
        seen_values: set[str] = set()
        figures: list[Figure] = []
        for fact, label, value in rows:
            if value in seen_values and figures:
                continue  # the same figure from another source adds nothing to read
            seen_values.add(value)
            figures.append(
                Figure(label, value, _as_of(fact), cites.get(fact), bool(fact.uncertain))
            )
        top = figures[0]
        figure = Figure(
            top.label, top.value, top.as_of, top.citation, top.uncertain, tuple(figures[1:])
        )
        kind = key[0]
        if kind in HEADLINE_LABELS and kind not in sheet.headline:
            zh = labels.label_zh(rows[0][0].label or "", _base_zh(rows[0][0])) or ""
            if (rows[0][0].label or "") == "" or zh in HEADLINE_LABELS[kind]:
                sheet.headline[kind] = figure
                continue
        sheet.figures.append(figure)
    sheet.milestones.sort(key=lambda m: m.date)
    sheet.citations = cites.all()
    return sheet
