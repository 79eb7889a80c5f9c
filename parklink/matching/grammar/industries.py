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


def read_industry(text: str, acc: Reading, profiles: ProfileTable) -> None:
    """The use (生产/研发/办公/仓储) and the industry profile named in the text."""
    for m in USE_RE.finditer(text):
        if acc.use is None:
            acc.use = USE_WORDS[m.group(0)]
        acc.spans.append((m.start(), m.end()))
    profile, word = profiles.find(text, acc.use)
    if profile is not None and word is not None:
        acc.profile = profile
        acc.industry = word
        for m in re.finditer(re.escape(word), text, re.I):
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
    for key, value in profile.needs:
        attr = _NEED_ATTR[key]
        if getattr(req, attr) is None:
            changes[attr] = (
                float(value)
                if isinstance(value, int | float) and not isinstance(value, bool)
                else bool(value)
            )
            filled.append(attr)
    if not req.kinds and profile.kinds:
        changes["kinds"] = profile.kinds
        filled.append("kinds")
    if req.use is None and profile.use:
        changes["use"] = profile.use
        filled.append("use")
    if not changes:
        return req
    return replace(req, defaults=tuple(dict.fromkeys(filled)), **changes)
