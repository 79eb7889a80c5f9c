"""Read the sourced park dataset (beijing_parks.yaml) into plain records.

The file keeps every figure with its source id; this module resolves the ids to URLs and
turns areas, dates and metrics into facts. Pure: no Django import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from parklink.zh.places import BEIJING_DISTRICTS


@dataclass(frozen=True)
class FactRecord:
    kind: str
    label: str
    value: Decimal | None
    value_text: str
    unit: str
    as_of: str
    source_url: str
    source_title: str
    uncertain: bool


@dataclass(frozen=True)
class OrgRecord:
    name: str
    kind: str  # orgs.choices.OrgKind value
    sources: list[str]


@dataclass(frozen=True)
class ParkRecord:
    name: str
    aliases: list[str]
    english_name: str
    district: str
    address: str
    founded: str
    operator: str
    industries: list[str]
    planned_area_m2: Decimal | None
    building_area_m2: Decimal | None
    description: str
    sources: list[str]
    facts: list[FactRecord] = field(default_factory=list)
    orgs: list[OrgRecord] = field(default_factory=list)


# The dataset's one source without an address is the seed page (DESIGN.md): cite it by its
# outlet, title and date, never by the dataset's note about where the file lies.
SEED_SOURCE_TITLE = "北京厂房网《从“生命细胞”到创新网络中关村生命科学园二十载裂变》2024-11-03"


def _english_name(text: str) -> str:
    """The park's English name without the dataset's remarks: 'China Pharmaceutical Valley
    (nickname used for Daxing Park)' → 'China Pharmaceutical Valley'; 'A / B' → 'A';
    'Chaoyang Park (Zhongguancun); also …' → 'Chaoyang Park (Zhongguancun)'."""
    text = re.split(r"\s*;\s*|\s+/\s+", text.strip(), maxsplit=1)[0]
    # A bracket that starts in lower case is a remark, one in Title Case part of the name.
    text = re.sub(r"\s*\((?=[a-z])[^)]*\)", "", text)
    return text.strip()


def _location(text: str) -> str:
    """The location note in Chinese only: remarks in English and brackets holding them are
    dropped ('马池口镇, former 首钢红冶钢厂 site, near 昌平火车站' → '马池口镇')."""
    text = re.sub(r"\s*[（(][^）)]*[A-Za-z]{2,}[^）)]*[）)]", "", text or "")
    parts = [p.strip() for p in re.split(r"[;；,，]", text)]
    kept = [p for p in parts if p and not re.search(r"[A-Za-z]{2,}", p)]
    return "，".join(kept)


def _srcs(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _district(text: str) -> str:
    """The district named first ('大兴区 / 通州区 (…)' → 大兴区)."""
    found = sorted((text.find(d), d) for d in BEIJING_DISTRICTS if d in text)
    if found:
        return found[0][1]
    if "经济技术开发区" in text or "亦庄" in text:
        return "大兴区"
    return ""


# A bracket after a space, or one holding Latin letters, is an editorial note, not a name.
_NOTE = re.compile(r"\s+[（(][^）)]*[）)]|\s*[（(][^）)]*[A-Za-z][^）)]*[）)]")


def _alias(value: Any) -> str:
    """An alias without the dataset's editorial notes ('未来科技城 (former name)' → 未来科技城)."""
    return _NOTE.sub("", str(value)).strip()


_PAREN = re.compile(r"[（(][^）)]*[）)]")
_SPLIT = re.compile(r"[、,，;；/:：+]|和")


def _industries(items: list[dict[str, Any]] | None) -> list[str]:
    """'生物医药 (支柱)' → 生物医药; '集成电路、新材料' → two industries. Keeps Chinese names."""
    out: list[str] = []
    for item in items or []:
        text = _PAREN.sub("", str(item.get("text", "")))
        # "东侧: 国际会展、…" / "1+2+2: 金融科技 …": what precedes a colon labels the list.
        text = re.sub(r"^[^:：]{1,12}[:：]", "", text.strip())
        for part in _SPLIT.split(text):
            part = part.strip(" ·.")
            if (
                2 <= len(part) <= 12
                and re.search(r"[\u4e00-\u9fff]", part)
                and not re.search(r"[A-Za-z]", part)
                and part not in out
            ):
                out.append(part)
    return out[:8]


_AREA_KIND = (
    ("building_area", "building_area"),
    ("planned", "planned_area"),
    ("land", "land_area"),
    ("core_area", "land_area"),
    ("area", "land_area"),
)


def _area_kind(kind: str) -> str:
    for needle, fact_kind in _AREA_KIND:
        if needle in kind:
            return fact_kind
    return "other"


def _metric_fact(m: dict[str, Any], resolve) -> FactRecord:
    label = str(m.get("metric", ""))
    raw = str(m.get("value", ""))
    value: Decimal | None = None
    unit = ""
    number = re.search(r"\d[\d,]*(\.\d+)?", raw)
    if number:
        value = Decimal(number.group(0).replace(",", ""))
        if "亿" in raw:
            value, unit = value * Decimal(100000000), "yuan"
        elif "万" in raw:
            value = value * 10000
            unit = "count"
        elif "%" in raw:
            unit = "%"
        else:
            unit = "count"
    kind = "occupancy" if "occupancy" in label and unit == "%" else "other"
    url, title = resolve(m.get("src"))
    return FactRecord(
        kind=kind,
        label=label,
        value=value,
        value_text=raw,
        unit=unit,
        as_of=str(m.get("year", "") or ""),
        source_url=url,
        source_title=title,
        uncertain=bool(m.get("uncertain")),
    )


def load(path: Path) -> list[ParkRecord]:
    """Parse the dataset file into ParkRecords (parks in file order)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    records: list[ParkRecord] = []
    for p in data.get("parks", []):
        sources = {s["id"]: s for s in p.get("sources", []) if isinstance(s, dict) and "id" in s}

        def resolve(src: Any, sources: dict[str, Any] = sources) -> tuple[str, str]:
            ids = _srcs(src)
            if not ids:
                return "", ""
            s = sources.get(ids[0], {})
            url = str(s.get("url", ""))
            title = str(s.get("note", "")) or url
            if not url.startswith("http"):
                # The seed article itself (no address): cite it, link nothing.
                return "", SEED_SOURCE_TITLE
            return url, title

        facts: list[FactRecord] = []
        planned = building = None
        for a in p.get("areas") or []:
            kind = _area_kind(str(a.get("kind", "")))
            m2 = a.get("m2")
            value = Decimal(str(m2)) if isinstance(m2, int | float) else None
            url, title = resolve(a.get("src"))
            facts.append(
                FactRecord(
                    kind=kind,
                    label=str(a.get("kind", "")),
                    value=value,
                    value_text=str(a.get("as_written", "")),
                    unit="m2" if value else "",
                    as_of=str(a.get("year", "") or ""),
                    source_url=url,
                    source_title=title,
                    uncertain=bool(a.get("uncertain")),
                )
            )
            if value is not None and kind == "planned_area" and planned is None:
                planned = value
            if (
                value is not None
                and kind == "land_area"
                and planned is None
                and "core" in str(a.get("kind", ""))
            ):
                planned = value
            if value is not None and kind == "building_area" and building is None:
                building = value
        founded = ""
        for d in p.get("dates") or []:
            url, title = resolve(d.get("src"))
            date = str(d.get("date", ""))
            facts.append(
                FactRecord(
                    kind="founded",
                    label=str(d.get("event", "")),
                    value=None,
                    value_text=date,
                    unit="date",
                    as_of=date[:10],
                    source_url=url,
                    source_title=title,
                    uncertain=bool(d.get("uncertain")),
                )
            )
            if not founded and "construction start" in str(d.get("event", "")):
                m = re.match(r"\d{4}(-\d{2}(-\d{2})?)?", date)
                founded = m.group(0) if m else ""
        for m in p.get("metrics") or []:
            facts.append(_metric_fact(m, resolve))
        for des in p.get("designations") or []:
            url, title = resolve(des.get("src"))
            facts.append(
                FactRecord(
                    kind="designation",
                    label=str(des.get("text", "")),
                    value=None,
                    value_text=str(des.get("text", "")),
                    unit="",
                    as_of=str(des.get("date", "") or ""),
                    source_url=url,
                    source_title=title,
                    uncertain=bool(des.get("uncertain")),
                )
            )
        orgs = [
            OrgRecord(name=str(c["name"]), kind="enterprise", sources=[resolve(c.get("src"))[0]])
            for c in p.get("companies") or []
            if c.get("name")
        ] + [
            OrgRecord(
                name=_PAREN.sub("", str(i["name"])).strip()
                if "(three" in str(i["name"])
                else str(i["name"]),
                kind="hospital" if "医院" in str(i["name"]) else "institute",
                sources=[resolve(i.get("src"))[0]],
            )
            for i in p.get("institutions") or []
            if i.get("name")
        ]
        operators = [o for o in p.get("operator") or [] if isinstance(o, dict)]
        operator = next(
            (str(o["name"]) for o in operators if not o.get("uncertain") and o.get("name")), ""
        )
        records.append(
            ParkRecord(
                name=str(p["name"]),
                aliases=[a for a in (_alias(x) for x in p.get("aliases") or []) if a],
                english_name=_english_name(str(p.get("english_name", "") or "")),
                district=_district(str(p.get("district", ""))),
                address=str(p.get("address", "") or ""),
                founded=founded,
                operator=operator[:100],
                industries=_industries(p.get("leading_industries")),
                planned_area_m2=planned,
                building_area_m2=building,
                description=_location(str(p.get("location_notes", "") or "")),
                sources=[
                    str(s.get("url"))
                    for s in sources.values()
                    if str(s.get("url", "")).startswith("http")
                ],
                facts=facts,
                orgs=orgs,
            )
        )
    return records
