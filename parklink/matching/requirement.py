"""The requirement model: what an enterprise needs, normalised (pure, no Django).

`Requirement` holds the hard constraints (filters) and the wishes that only score;
`validate` refuses contradictory or absurd values naming the field; `missing` says what a
requirement still lacks to be matched at all.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Any

from parklink.matching.config import DEFAULT_CONFIG, MatchConfig

KINDS = ("厂房", "土地", "研发楼", "写字楼", "实验室", "仓库")
DEALS = ("出租", "出售")
DAYS_PER_MONTH = 30.42


class RequirementError(ValueError):
    """A requirement refused: `field` names the offending field, the message is bilingual."""

    def __init__(self, field: str, zh: str, en: str) -> None:
        super().__init__(f"{field}: {zh} / {en}")
        self.field = field
        self.zh = zh
        self.en = en

    @property
    def message(self) -> str:
        return f"{self.zh} / {self.en}"


@dataclass(frozen=True)
class Requirement:
    """What an enterprise needs, normalised: areas in m², rent in 元/㎡/天, sale in 元/㎡ or
    a total in 万元, tax in 万元 per year, loads in kg/m², power in kVA.

    Hard constraints filter (a space that breaks one is never ranked): `kinds`, `deal`,
    `districts` / `parks` (with the preferred ones also allowed when both are said), the
    `excluded_*` lists (an excluded area leaves out its parks, an excluded industry the
    parks leading in it), `gmp`, `no_basement`, `no_top_floor`, and any criterion named in
    `hard` (said with 必须 / 一定要 / must). Everything else scores: area, budget, technical
    needs (a stated one above an industry default), industry, tax, move-in date, and the
    soft preferences (`preferred_*`, `near`, `cheaper`, any criterion named in `soft`, said
    with 优先 / 最好 / 附近 / preferably / near); `access` and `biosafety_level` are shown
    as to be confirmed (listings do not state them). Each reason of a match
    says which kind its criterion was."""

    kinds: tuple[str, ...] = ()
    deal: str | None = None
    area_target_m2: float | None = None
    area_min_m2: float | None = None
    area_max_m2: float | None = None
    rent_max_yuan_m2_day: float | None = None
    price_max_yuan_m2: float | None = None
    total_max_wan: float | None = None
    districts: tuple[str, ...] = ()
    excluded_districts: tuple[str, ...] = ()
    parks: tuple[str, ...] = ()
    industry: str | None = None
    profile: str | None = None
    park_industries: tuple[str, ...] = ()
    use: str | None = None
    annual_tax_wan: float | None = None
    gmp: bool | None = None
    cleanroom: bool | None = None
    env_assessment: bool | None = None
    dual_power: bool | None = None
    ceiling_height_m: float | None = None
    floor_load_kg_m2: float | None = None
    power_kva: float | None = None
    no_basement: bool = False
    no_top_floor: bool = False  # "不要顶层": the top floor of its building refused
    # Soft preferences: scored, never filtered.
    preferred_districts: tuple[str, ...] = ()
    preferred_parks: tuple[str, ...] = ()
    preferred_kinds: tuple[str, ...] = ()
    near: tuple[str, ...] = ()  # gazetteer places or parks to be near (首都机场, 生命园)
    excluded_kinds: tuple[str, ...] = ()
    excluded_parks: tuple[str, ...] = ()
    # Areas of the gazetteer left out ("不考虑亦庄"): their parks, not their districts.
    excluded_areas: tuple[str, ...] = ()
    # Industries a park must not lead in ("不要化工", "no chemical industry").
    excluded_industries: tuple[str, ...] = ()
    # Biosafety level of a lab (P2 / BSL-2 → 2): no listing states one, so it is shown as
    # to be confirmed, never filtered.
    biosafety_level: int | None = None
    # "便宜点", "预算有限", "as cheap as possible": a soft wish, cheaper scores higher.
    cheaper: bool = False
    # Wished access ("近地铁", "靠近高速", "交通方便"): metro | highway | transport.
    access: tuple[str, ...] = ()
    # The dirtiest acceptable cleanroom class (ISO 14644-1: 万级 = 7, 十万级 = 8).
    cleanroom_iso: float | None = None
    move_in_by: str | None = None  # ISO date the space must be available by
    lease_years: float | None = None
    soft: tuple[str, ...] = ()  # criteria said as wishes (最好有双回路): scored only
    hard: tuple[str, ...] = ()  # criteria said as musts (层高必须8米以上): filtered
    # What was said, by field ("area": "一千五百平左右", "budget": "每天不超过3块" …).
    stated: tuple[tuple[str, str], ...] = ()
    # Fields filled from the industry profile (visible, overridable defaults).
    defaults: tuple[str, ...] = ()
    # Negated wishes that are not a known criterion ("不要西晒"): shown, not checked.
    excludes: tuple[str, ...] = ()
    # Clauses of the text that were not understood.
    unparsed: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["stated"] = dict(self.stated)
        for key, value in list(d.items()):
            if isinstance(value, tuple):
                d[key] = list(value)
            elif isinstance(value, float):
                d[key] = _round(value)
        return d

    @property
    def has_area(self) -> bool:
        return self.area_min_m2 is not None or self.area_max_m2 is not None

    @property
    def has_budget(self) -> bool:
        return any(
            v is not None
            for v in (self.rent_max_yuan_m2_day, self.price_max_yuan_m2, self.total_max_wan)
        )

    @property
    def has_park_exclusions(self) -> bool:
        """Exclusions decided park by park (a park, an area, an industry)."""
        return bool(self.excluded_parks or self.excluded_areas or self.excluded_industries)

    @property
    def has_location_preference(self) -> bool:
        return bool(self.preferred_districts or self.preferred_parks or self.near)

    def is_hard(self, criterion: str) -> bool:
        return criterion in self.hard

    def is_soft(self, criterion: str) -> bool:
        return criterion in self.soft

    @property
    def has_technical(self) -> bool:
        return any(
            v is not None
            for v in (
                self.cleanroom,
                self.env_assessment,
                self.dual_power,
                self.ceiling_height_m,
                self.floor_load_kg_m2,
                self.power_kva,
            )
        )

    def stated_text(self, key: str) -> str | None:
        return dict(self.stated).get(key)


def _round(value: float) -> float:
    return float(f"{value:.6g}") if value and math.isfinite(value) else value


def override(req: Requirement, **changes: Any) -> Requirement:
    """The agent's overrides: set fields and drop them from `defaults`."""
    defaults = tuple(d for d in req.defaults if d not in changes)
    return replace(req, defaults=defaults, **changes)


# --- Validation ---------------------------------------------------------------------------------


def validate(req: Requirement, config: MatchConfig = DEFAULT_CONFIG) -> None:
    """Refuse contradictory or absurd requirements; the error names the field."""
    if (
        req.area_min_m2 is not None
        and req.area_max_m2 is not None
        and req.area_min_m2 > req.area_max_m2
    ):
        raise RequirementError(
            "area_min_m2", "最小面积大于最大面积", "area_min_m2 is greater than area_max_m2"
        )
    checks = (
        ("area_min_m2", req.area_min_m2, config.max_area_m2, "面积", "area"),
        ("area_max_m2", req.area_max_m2, config.max_area_m2, "面积", "area"),
        ("budget", req.rent_max_yuan_m2_day, config.max_rent_yuan_m2_day, "租金预算", "rent"),
        ("budget", req.price_max_yuan_m2, config.max_price_yuan_m2, "单价预算", "unit price"),
        ("budget", req.total_max_wan, config.max_total_wan, "总价预算", "total budget"),
        ("ceiling_height_m", req.ceiling_height_m, config.max_height_m, "层高", "ceiling height"),
        ("floor_load_kg_m2", req.floor_load_kg_m2, config.max_load_kg_m2, "承重", "floor load"),
        ("power_kva", req.power_kva, config.max_power_kva, "配电", "power"),
        ("annual_tax_wan", req.annual_tax_wan, config.max_annual_tax_wan, "年纳税", "annual tax"),
    )
    for key, value, limit, zh, en in checks:
        if value is None:
            continue
        if key == "annual_tax_wan":
            if value < 0:
                raise RequirementError(key, f"{zh}不能为负", f"{en} cannot be negative")
        elif value <= 0:
            raise RequirementError(key, f"{zh}必须大于0", f"{en} must be positive")
        if value > limit:
            raise RequirementError(
                key, f"{zh} {value:g} 超出合理范围(≤ {limit:g})", f"{en} {value:g} is absurd"
            )


def missing(req: Requirement) -> list[str]:
    """What a requirement lacks to be matched at all (empty when usable)."""
    usable = (
        req.kinds
        or req.has_area
        or req.has_budget
        or req.districts
        or req.parks
        or req.park_industries
        or req.has_technical
        or req.gmp
        or req.preferred_districts
        or req.preferred_parks
        or req.preferred_kinds
        or req.near
        or req.move_in_by
        or req.biosafety_level
    )
    if usable:
        return []
    return [
        "类型 kind (厂房/研发楼/写字楼/实验室/仓库/土地; factory, office, lab, land …)",
        "面积 area (如 1500平 / 1,500 sqm)",
        "区域或园区 district/park (如 大兴、亦庄、生命园 / Daxing, E-Town)",
        "预算 budget (如 每天3元/平 / RMB 3 per sqm per day)",
        "行业 industry (如 生物药生产 / biologics)",
    ]
