"""Places in a requirement: parks by name or alias (Chinese or English), the 16 districts
(full, short, pinyin, English), area names and landmarks of the gazetteer (`zh.places`).

A place said plainly is a hard constraint ("大兴的厂房", "in Shunyi"); said with a wish marker
it is a preferred district or park ("顺义优先", "preferably Shunyi"); with 附近 / near, or a
landmark one cannot be *in* (an airport, a station), it is a place to be near, scored by
distance ("生命园附近", "near the airport").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from parklink.matching.grammar.reading import HARD, NEAR, SOFT, Reading, add, mask
from parklink.zh.places import (
    BEIJING_DISTRICTS,
    DISTRICT_ALIASES,
    find_places,
    normalise_district,
)


@dataclass(frozen=True)
class AliasTable:
    """Park names and aliases → canonical park name (生命园 → 中关村生命科学园, "Zhongguancun
    Life Science Park" → 中关村生命科学园), compiled once by whoever owns the catalogue
    (matching.index builds it from the parks table). English names match as whole words,
    any case."""

    names: Mapping[str, str]
    pattern: re.Pattern[str] | None = None

    @classmethod
    def build(cls, mapping: Mapping[str, str]) -> AliasTable:
        names: dict[str, str] = {}
        for k, v in mapping.items():
            key = (k or "").strip()
            if len(key) < 2 or (key.isascii() and len(key) < 4):
                continue
            names[key.lower() if key.isascii() else key] = v
        zh = sorted((w for w in names if not w.isascii()), key=len, reverse=True)
        en = sorted((w for w in names if w.isascii()), key=len, reverse=True)
        parts = []
        if zh:
            parts.append("|".join(re.escape(w) for w in zh))
        if en:
            alt = "|".join(re.escape(w).replace(r"\ ", r"[\s\-]+") for w in en)
            parts.append(rf"(?<![A-Za-z0-9])(?:{alt})(?![A-Za-z0-9])")
        pattern = re.compile("|".join(parts), re.I) if parts else None
        return cls(names=names, pattern=pattern)

    def canonical(self, name: str) -> str | None:
        key = name.strip()
        if key.isascii():
            key = re.sub(r"[\s\-]+", " ", key.lower())
        return self.names.get(key)


EMPTY_ALIASES = AliasTable.build({})


def district_pattern() -> re.Pattern[str]:
    words = sorted({*BEIJING_DISTRICTS, *DISTRICT_ALIASES}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


DISTRICT_RE = district_pattern()


def aliases_table(aliases: AliasTable | Mapping[str, str] | None) -> AliasTable:
    if aliases is None:
        return EMPTY_ALIASES
    if isinstance(aliases, AliasTable):
        return aliases
    return AliasTable.build(aliases)


def _how(acc: Reading, start: int, end: int) -> str:
    found = acc.strength(start, end)
    if NEAR in found:
        return NEAR
    if SOFT in found and HARD not in found:
        return SOFT
    return HARD


def read_places(text: str, acc: Reading, aliases: AliasTable) -> str:
    """Parks by name or alias (masked out of the text), then gazetteer places."""
    if aliases.pattern is not None:
        for m in aliases.pattern.finditer(text):
            park = aliases.canonical(m.group(0))
            if park is None or park in acc.excluded_parks:
                continue
            how = _how(acc, m.start(), m.end())
            target = {HARD: acc.parks, SOFT: acc.preferred_parks, NEAR: acc.near}[how]
            add(target, park)
            acc.spans.append((m.start(), m.end()))
        text = aliases.pattern.sub(lambda m: "□" * len(m.group(0)), text)
    for hit in find_places(text):
        acc.spans.append((hit.start, hit.end))
        how = _how(acc, hit.start, hit.end)
        landmark = all(p.kind == "landmark" for p in hit.places)
        if how == NEAR or landmark:
            for p in hit.places:
                add(acc.near, p.name)
            continue
        for p in hit.places:
            if p.kind == "area":
                # An area is a place to be in or near: the parks in or nearest 亦庄 rank
                # first (the airport zone is in 大兴区 too, 40 km away). Said as a must
                # ("在亦庄") its district also filters; as a wish ("亦庄优先") it only scores.
                add(acc.near, p.name)
                if how != HARD:
                    continue
            for d in p.districts:
                if d in acc.excluded_districts:
                    continue
                add(acc.districts if how == HARD else acc.preferred_districts, d)
        text = mask(text, hit.start, hit.end)
    return text


__all__ = [
    "DISTRICT_RE",
    "EMPTY_ALIASES",
    "AliasTable",
    "aliases_table",
    "normalise_district",
    "read_places",
]
