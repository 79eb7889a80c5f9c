"""Industry profiles (data/industry_profiles.yaml): industry + use → typical technical needs.

Pure Python (no Django). The parser uses them to complete a requirement that states only
"生物药生产, 2000平" with defaults the agent can see (Requirement.defaults) and override.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PROFILES_FILE = Path(__file__).resolve().parent / "data" / "industry_profiles.yaml"

NEED_FIELDS = (
    "gmp",
    "cleanroom",
    "env_assessment",
    "dual_power",
    "ceiling_height_m",
    "floor_load_kg_m2",
    "power_kva",
)


@dataclass(frozen=True)
class Profile:
    name: str
    keywords: tuple[str, ...]
    use: str | None
    park_industries: tuple[str, ...]
    kinds: tuple[str, ...]
    needs: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class ProfileTable:
    version: int
    profiles: tuple[Profile, ...]
    pattern: re.Pattern[str] | None
    pattern_en: re.Pattern[str] | None = None

    def matches(self, text: str) -> list[re.Match[str]]:
        """Keyword matches in order: Chinese ones anywhere, Latin ones (whole words) only
        inside runs of Latin letters, so Chinese text pays nothing for them."""
        found = list(self.pattern.finditer(text)) if self.pattern is not None else []
        if self.pattern_en is not None:
            for run in _LATIN_RUN.finditer(text):
                found.extend(self.pattern_en.finditer(text, run.start(), run.end()))
        found.sort(key=lambda m: m.start())
        return found

    def by_name(self, name: str) -> Profile | None:
        return next((p for p in self.profiles if p.name == name), None)

    def find(self, text: str, use: str | None = None) -> tuple[Profile | None, str | None]:
        """The profile whose keywords appear in text (the one matching `use` preferred) and
        the keyword found."""
        if not text:
            return None, None
        for m in self.matches(text):
            word = m.group(0)
            hits = [p for p in self.profiles if _has_keyword(p, word)]
            if not hits:
                continue
            if use:
                for p in hits:
                    if p.use == use:
                        return p, word
            return hits[0], word
        return None, None


_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9&+'’.\s\-]*")


def _has_keyword(profile: Profile, word: str) -> bool:
    low = re.sub(r"[\s\-]+", " ", word.lower())
    return any(re.sub(r"[\s\-]+", " ", k.lower()) == low for k in profile.keywords)


def _keyword_re(word: str) -> str:
    """Chinese keywords match anywhere; Latin ones ("AI", "IVD", "cell therapy") only as
    whole words, so "AI" is not found in "airport" nor "EV" in "level"."""
    body = re.escape(word).replace(r"\ ", r"[\s\-]+")
    if word[:1].isascii() and word[:1].isalnum():
        body = r"(?<![A-Za-z0-9])" + body
    if word[-1:].isascii() and word[-1:].isalnum():
        body += r"(?![A-Za-z0-9])"
    return body


def build_profiles(data: dict[str, Any]) -> ProfileTable:
    """A ProfileTable from the parsed YAML document (validated: unknown needs raise)."""
    profiles = []
    for raw in data.get("profiles") or []:
        needs = raw.get("needs") or {}
        unknown = set(needs) - set(NEED_FIELDS)
        if unknown:
            raise ValueError(f"未知的行业画像字段 / unknown profile needs: {sorted(unknown)}")
        profiles.append(
            Profile(
                name=str(raw["name"]),
                keywords=tuple(str(k) for k in raw.get("keywords") or ()),
                use=raw.get("use"),
                park_industries=tuple(str(k) for k in raw.get("park_industries") or ()),
                kinds=tuple(str(k) for k in raw.get("kinds") or ()),
                needs=tuple((k, needs[k]) for k in NEED_FIELDS if k in needs),
            )
        )
    words = sorted({k for p in profiles for k in p.keywords}, key=len, reverse=True)
    # Latin keywords are tried only where Latin letters are (see ProfileTable.find)
    zh = [w for w in words if not w.isascii()]
    pattern = re.compile("|".join(_keyword_re(w) for w in zh), re.I) if zh else None
    latin = [w for w in words if w.isascii()]
    if latin:
        alt = "|".join(re.escape(w).replace(r"\ ", r"[\s\-]+") for w in latin)
        pattern_en = re.compile(rf"(?<![A-Za-z0-9])(?:{alt})(?![A-Za-z0-9])", re.I)
    else:
        pattern_en = None
    return ProfileTable(
        version=int(data.get("version", 1)),
        profiles=tuple(profiles),
        pattern=pattern,
        pattern_en=pattern_en,
    )


@cache
def default_profiles() -> ProfileTable:
    """The profiles shipped in data/industry_profiles.yaml (read once per process)."""
    return build_profiles(yaml.safe_load(PROFILES_FILE.read_text(encoding="utf-8")))
