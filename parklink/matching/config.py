"""The matching engine's weights and thresholds, in one versioned object.

Pure Python. `MatchConfig()` holds the defaults documented in docs/matching.md; a deployment
overrides any of them through ``settings.PARKLINK["MATCHING"]`` (a dict of field names to
values, see `MatchConfig.with_overrides`). Bump `VERSION` whenever a default changes so
stored scores and alerts can say which rules produced them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

VERSION = "2026.3"


@dataclass(frozen=True)
class MatchConfig:
    version: str = VERSION

    # --- Ranking weights of a space (score = 100 × weighted mean of the stated criteria) ---
    w_area: float = 35.0
    w_budget: float = 25.0
    w_technical: float = 15.0
    w_industry: float = 15.0
    w_tax: float = 10.0
    # Soft preferences (优先, 最好, 附近, preferably, near): scored, never filtered.
    w_location: float = 15.0
    w_kind: float = 10.0
    w_move_in: float = 10.0
    # "便宜点", "预算有限": cheaper listings score higher (fit = ref / (ref + price)).
    w_cheaper: float = 10.0
    cheaper_rent_ref: float = 2.0  # 元/㎡/天 at which a rental's fit is one half
    cheaper_sale_ref: float = 10000.0  # 元/㎡ at which a sale's fit is one half

    # --- Technical needs said by the enterprise (层高8米, 承重1吨, 双回路) weigh this many
    # times a need filled from its industry's defaults in the technical mean ---
    tech_stated_weight: float = 3.0

    # --- Area ---
    # A stated target ("1500平左右") becomes the range [target×(1−below), target×(1+above)].
    area_below: float = 0.2
    area_above: float = 0.3
    # "1000平以上" → [1000, 1000×(1+min_only_above)]; "2000平以内" → [2000×(1−max_only_below), 2000].
    area_min_only_above: float = 0.5
    area_max_only_below: float = 0.4
    # Inside the range the fit loses at most this much for being far from the target.
    area_in_range_penalty: float = 0.2
    # Outside the range the fit falls linearly to 0 at bound × falloff beyond the bound.
    area_falloff: float = 0.5

    # --- Budget: over the cap the fit falls to 0 at cap × (1 + falloff) ---
    budget_falloff: float = 0.3

    # --- Technical needs: below the minimum the fit falls to 0 at minimum × (1 − falloff) ---
    tech_falloff: float = 0.5

    # --- Places to be near: full fit within `near_full_km`, none beyond `near_zero_km` ---
    near_full_km: float = 5.0
    near_zero_km: float = 30.0

    # --- Move-in: a space free later than wanted loses its fit over this many days ---
    move_in_falloff_days: float = 180.0

    # --- Cleanroom: each ISO class dirtier than needed costs this share of the fit ---
    cleanroom_class_step: float = 0.5

    # --- Foreign currencies in English requirements (CNY per unit) ---
    usd_cny: float = 7.1
    eur_cny: float = 7.8

    # Credit given when the space does not state a value (price 面议, 层高 unknown …).
    unknown_credit: float = 0.5
    # Industry fit when the park lists no leading industries.
    industry_unknown_credit: float = 0.5

    # --- Parks ranked for a requirement (park-level matching) ---
    wp_industry: float = 40.0
    wp_tax: float = 20.0
    wp_availability: float = 30.0
    wp_size: float = 10.0
    wp_location: float = 20.0

    # --- Alerts: notify the owner of an open lead when a space fits it at least this well ---
    alert_threshold: float = 70.0
    top_default: int = 10

    # --- Absurd values are refused (the catalogue's own bounds) ---
    max_area_m2: float = 100_000_000.0
    max_rent_yuan_m2_day: float = 1000.0
    max_price_yuan_m2: float = 1_000_000.0
    max_total_wan: float = 10_000_000.0
    max_height_m: float = 60.0
    max_load_kg_m2: float = 20000.0
    max_power_kva: float = 1_000_000.0
    max_annual_tax_wan: float = 10_000_000.0

    def with_overrides(self, overrides: Mapping[str, Any] | None) -> MatchConfig:
        """A copy with the given fields replaced; unknown names raise ValueError."""
        if not overrides:
            return self
        known = {f.name: f for f in fields(self)}
        changes: dict[str, Any] = {}
        for name, value in overrides.items():
            if name not in known:
                raise ValueError(f"未知的匹配参数 / unknown matching setting: {name}")
            default = getattr(self, name)
            changes[name] = type(default)(value)
        return replace(self, **changes)


DEFAULT_CONFIG = MatchConfig()
