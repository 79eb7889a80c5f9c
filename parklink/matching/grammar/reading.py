"""The mutable accumulator a requirement text is read into (frozen at the end)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from parklink.matching.grammar.markers import HARD, NEAR, SOFT, Scope, kinds_at
from parklink.matching.profiles import Profile
from parklink.zh.quantities import Quantity

_MASK = "□"


@dataclass
class Reading:
    """Mutable accumulator while reading a text; frozen into a Requirement at the end."""

    kinds: list[str] = field(default_factory=list)
    excluded_kinds: list[str] = field(default_factory=list)
    preferred_kinds: list[str] = field(default_factory=list)
    deal: str | None = None
    deals_seen: set[str] = field(default_factory=set)
    area: Quantity | None = None
    rent: float | None = None
    price: float | None = None
    total_wan: float | None = None
    year_rent_wan: float | None = None
    districts: list[str] = field(default_factory=list)
    excluded_districts: list[str] = field(default_factory=list)
    preferred_districts: list[str] = field(default_factory=list)
    parks: list[str] = field(default_factory=list)
    excluded_parks: list[str] = field(default_factory=list)
    excluded_areas: list[str] = field(default_factory=list)
    excluded_industries: list[str] = field(default_factory=list)
    biosafety: int | None = None
    cheaper: bool = False
    access: list[str] = field(default_factory=list)
    preferred_parks: list[str] = field(default_factory=list)
    near: list[str] = field(default_factory=list)
    industry: str | None = None
    profile: Profile | None = None
    use: str | None = None
    tax_wan: float | None = None
    gmp: bool | None = None
    cleanroom: bool | None = None
    clean_iso: float | None = None
    env: bool | None = None
    dual: bool | None = None
    height: float | None = None
    load: float | None = None
    power: float | None = None
    no_basement: bool = False
    no_top_floor: bool = False
    move_in: date | None = None
    lease_years: float | None = None
    soft: set[str] = field(default_factory=set)
    hard: set[str] = field(default_factory=set)
    excludes: list[str] = field(default_factory=list)
    stated: dict[str, str] = field(default_factory=dict)
    spans: list[tuple[int, int]] = field(default_factory=list)
    scopes: list[Scope] = field(default_factory=list)
    # position in the original text of each character of the text being read
    offsets: list[int] = field(default_factory=list)
    original: str = ""

    def strength(self, start: int, end: int) -> set[str]:
        """The markers (soft / near / hard) whose reach covers text[start:end]."""
        return kinds_at(self.scopes, start, end)

    def mark(self, criterion: str, start: int, end: int) -> None:
        """Record a criterion said at text[start:end] as a wish or a must when a marker
        reaches it."""
        found = self.strength(start, end)
        if HARD in found:
            self.hard.add(criterion)
            self.soft.discard(criterion)
        elif SOFT in found:
            # a place marker ("附近", "near") reaches places, not the numbers beside them
            # ("600平 中关村附近": the area is no wish)
            self.soft.add(criterion)

    def said(self, start: int, end: int) -> str:
        """The original words at [start, end) of the text being read."""
        if not self.offsets:
            return self.original[start:end]
        s = self.offsets[min(start, len(self.offsets) - 1)]
        e = self.offsets[min(max(end - 1, start), len(self.offsets) - 1)] + 1
        return self.original[s:e]


__all__ = ["HARD", "NEAR", "SOFT", "Reading", "add", "mask"]


def add(seq: list[str], value: str) -> None:
    if value not in seq:
        seq.append(value)


def mask(text: str, start: int, end: int) -> str:
    return text[:start] + _MASK * (end - start) + text[end:]
