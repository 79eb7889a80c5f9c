"""The mutable accumulator a requirement text is read into (frozen at the end)."""

from __future__ import annotations

from dataclasses import dataclass, field

from parklink.matching.profiles import Profile
from parklink.zh.quantities import Quantity

_MASK = "□"


@dataclass
class Reading:
    """Mutable accumulator while reading a text; frozen into a Requirement at the end."""

    kinds: list[str] = field(default_factory=list)
    excluded_kinds: list[str] = field(default_factory=list)
    deal: str | None = None
    deals_seen: set[str] = field(default_factory=set)
    area: Quantity | None = None
    rent: float | None = None
    price: float | None = None
    total_wan: float | None = None
    year_rent_wan: float | None = None
    districts: list[str] = field(default_factory=list)
    excluded_districts: list[str] = field(default_factory=list)
    parks: list[str] = field(default_factory=list)
    industry: str | None = None
    profile: Profile | None = None
    use: str | None = None
    tax_wan: float | None = None
    gmp: bool | None = None
    cleanroom: bool | None = None
    env: bool | None = None
    dual: bool | None = None
    height: float | None = None
    load: float | None = None
    power: float | None = None
    no_basement: bool = False
    excludes: list[str] = field(default_factory=list)
    stated: dict[str, str] = field(default_factory=dict)
    spans: list[tuple[int, int]] = field(default_factory=list)


def add(seq: list[str], value: str) -> None:
    if value not in seq:
        seq.append(value)


def mask(text: str, start: int, end: int) -> str:
    return text[:start] + _MASK * (end - start) + text[end:]
