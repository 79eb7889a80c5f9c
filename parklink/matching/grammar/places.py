"""Places in a requirement: the 16 districts (full or short), area names, parks by alias."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from parklink.matching.grammar.reading import Reading, add, mask
from parklink.zh.places import BEIJING_DISTRICTS, DISTRICT_ALIASES, normalise_district


@dataclass(frozen=True)
class AliasTable:
    """Park names and aliases → canonical park name (生命园 → 中关村生命科学园), compiled once
    by whoever owns the catalogue (matching.index builds it from the parks table)."""

    names: Mapping[str, str]
    pattern: re.Pattern[str] | None = None

    @classmethod
    def build(cls, mapping: Mapping[str, str]) -> AliasTable:
        names = {k.strip(): v for k, v in mapping.items() if k and len(k.strip()) >= 2}
        words = sorted(names, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(w) for w in words)) if words else None
        return cls(names=names, pattern=pattern)

    def canonical(self, name: str) -> str | None:
        return self.names.get(name.strip())


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


def read_places(text: str, acc: Reading, aliases: AliasTable) -> str:
    """Parks by name or alias (masked out of the text), then districts and area names."""
    if aliases.pattern is not None:
        for m in aliases.pattern.finditer(text):
            add(acc.parks, aliases.names[m.group(0)])
            acc.spans.append((m.start(), m.end()))
            text = mask(text, m.start(), m.end())
    for m in DISTRICT_RE.finditer(text):
        full = normalise_district(m.group(0))
        if full and full not in acc.excluded_districts:
            add(acc.districts, full)
            acc.spans.append((m.start(), m.end()))
    return text
