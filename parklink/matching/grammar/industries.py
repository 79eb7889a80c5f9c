"""Industry words, uses and the industry-profile defaults of a requirement."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from parklink.matching.grammar.reading import Reading
from parklink.matching.profiles import ProfileTable, default_profiles
from parklink.matching.requirement import Requirement

USE_WORDS: dict[str, str] = {
    "生产": "生产",
    "加工": "生产",
    "制造": "生产",
    "量产": "生产",
    "研发": "研发",
    "实验": "研发",
    "中试": "研发",
    "办公": "办公",
    "总部": "办公",
    "仓储": "仓储",
    "存储": "仓储",
    "物流": "仓储",
}
USE_RE = re.compile("|".join(re.escape(w) for w in sorted(USE_WORDS, key=len, reverse=True)))
USE_WORDS_EN: dict[str, str] = {
    "production": "生产",
    "manufacturing": "生产",
    "manufacture": "生产",
    "assembly": "生产",
    "r&d": "研发",
    "research": "研发",
    "development": "研发",
    "pilot production": "研发",
    "office": "办公",
    "offices": "办公",
    "headquarters": "办公",
    "hq": "办公",
    "warehousing": "仓储",
    "storage": "仓储",
}
USE_EN_RE = re.compile(
    r"(?<![A-Za-z])(?:"
    + "|".join(re.escape(w) for w in sorted(USE_WORDS_EN, key=len, reverse=True))
    + r")(?![A-Za-z])",
    re.I,
)
# Specs that only make sense inside a building: never defaulted (nor checked) for 土地.
BUILDING_ONLY = frozenset({"gmp", "cleanroom", "ceiling_height_m", "floor_load_kg_m2"})


def read_industry(text: str, acc: Reading, profiles: ProfileTable) -> None:
    """The use (生产/研发/办公/仓储) and the industry profile named in the text."""
    for m in USE_RE.finditer(text):
        if acc.use is None:
            acc.use = USE_WORDS[m.group(0)]
        acc.spans.append((m.start(), m.end()))
    for m in USE_EN_RE.finditer(text):
        if acc.use is None:
            acc.use = USE_WORDS_EN[m.group(0).lower()]
        acc.spans.append((m.start(), m.end()))
    profile, word = profiles.find(text, acc.use)
    if profile is not None and word is not None:
        acc.profile = profile
        acc.industry = word
        for m in profiles.matches(text):
            acc.spans.append((m.start(), m.end()))


_NEED_ATTR = {
    "gmp": "gmp",
    "cleanroom": "cleanroom",
    "env_assessment": "env_assessment",
    "dual_power": "dual_power",
    "ceiling_height_m": "ceiling_height_m",
    "floor_load_kg_m2": "floor_load_kg_m2",
    "power_kva": "power_kva",
}


def with_profile_defaults(req: Requirement, profiles: ProfileTable | None = None) -> Requirement:
    """Fill what the requirement leaves open from its industry profile; every filled field is
    named in `defaults` (shown as 行业默认 and overridable)."""
    if not req.profile:
        return req
    profile = (profiles or default_profiles()).by_name(req.profile)
    if profile is None:
        return req
    changes: dict[str, Any] = {}
    filled: list[str] = list(req.defaults)
    kinds = req.kinds or profile.kinds
    land_only = bool(kinds) and all(k == "土地" for k in kinds)
    for key, value in profile.needs:
        attr = _NEED_ATTR[key]
        if land_only and attr in BUILDING_ONLY:
            continue  # a plot has no ceiling, floor load or cleanroom yet
        if getattr(req, attr) is None:
            changes[attr] = (
                float(value)
                if isinstance(value, int | float) and not isinstance(value, bool)
                else bool(value)
            )
            filled.append(attr)
    default_kinds = tuple(k for k in profile.kinds if k not in req.excluded_kinds)
    if not req.kinds and not req.preferred_kinds and default_kinds:
        changes["kinds"] = default_kinds
        filled.append("kinds")
    if req.use is None and profile.use:
        changes["use"] = profile.use
        filled.append("use")
    if not changes:
        return req
    return replace(req, defaults=tuple(dict.fromkeys(filled)), **changes)
