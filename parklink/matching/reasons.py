"""Plain-Chinese reasons for a match, one per stated criterion (hard filters first).

Every reason is written from the same decision that sets its ``ok``: a text never says "在需求
内" beside a ✗ (tests/matching/test_reasons.py checks this as a property over random spaces
and requirements). ``hard`` says which kind of criterion it was: True for a hard constraint
(it filtered), False for a soft preference or a scored criterion. Criteria said as a must or
a wish also say so in the text: "(必须)" / "(偏好)". Sales say 购买 where rentals say 租用;
building specs (层高, 承重, 洁净, GMP) are not checked for a plot of land.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from parklink.matching.columns import DEALS, LAND, RENT, ParkTable, SpaceIndex
from parklink.matching.grammar.specs import level_name
from parklink.matching.grammar.wishes import ACCESS_ZH
from parklink.matching.requirement import KINDS, Requirement
from parklink.matching.scores import (
    TECH_BUILDING,
    _Cols,
    area_bounds,
    effective_area,
    lead_tax_per_m2,
    move_in_day,
    park_distances,
)

# Words a reason uses for each verdict (checked by the property test).
NEGATIVE = ("超出", "小于", "大于", "低于", "不符", "无", "不在", "晚于", "不满足", "差于", "较远")
UNKNOWN = ("未标明", "面议", "需确认", "需人工核对", "不适用", "未知")


@dataclass(frozen=True)
class Reason:
    """One criterion of a match: ok True (fits), False (does not), None (not stated by the
    listing, e.g. 价格面议); hard True when the criterion is a hard constraint."""

    criterion: str
    ok: bool | None
    text: str
    hard: bool = False

    def to_dict(self) -> dict[str, object]:
        return {"criterion": self.criterion, "ok": self.ok, "text": self.text, "hard": self.hard}


def _n(value: float) -> str:
    """1650 → '1,650'; 2.8 → '2.8'; 0.75 → '0.75'."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _label(req: Requirement, criterion: str) -> str:
    if criterion in req.hard:
        return "(必须)"
    if criterion in req.soft:
        return "(偏好)"
    return ""


def _district_reason(parks: ParkTable, p: int, req: Requirement) -> Reason | None:
    name, district = parks.names[p], parks.districts[p] or "区域未知"
    if req.parks and name in req.parks:
        return Reason("location", True, f"位于指定园区 {name}", True)
    if req.districts and district in req.districts:
        return Reason("location", True, f"位于 {district},在意向区域内", True)
    if req.preferred_parks and name in req.preferred_parks:
        return Reason("location", True, f"位于 {name},是优先考虑的园区(偏好)", bool(req.parks))
    if req.preferred_districts and district in req.preferred_districts:
        hard = bool(req.districts)
        return Reason("location", True, f"位于 {district},是优先考虑的区域(偏好)", hard)
    if req.excluded_districts or req.has_park_exclusions:
        return Reason("location", True, f"位于 {district},不属于排除的区域或园区", True)
    return Reason("location", True, f"位于 {district}", bool(req.districts or req.parks))


def _preference_reason(
    parks: ParkTable, p: int, req: Requirement, dist: np.ndarray | None, near_full: float
) -> Reason | None:
    """The soft location preference: preferred districts/parks and places to be near."""
    if not req.has_location_preference:
        return None
    name, district = parks.names[p], parks.districts[p] or "区域未知"
    if name in req.preferred_parks or name in req.near:
        return Reason("location_pref", True, f"就在优先考虑的 {name}(偏好)")
    if district in req.preferred_districts:
        return Reason("location_pref", True, f"位于优先区域 {district}(偏好)")
    if dist is not None and req.near:
        d = float(dist[p])
        target = "、".join(req.near[:2])
        if math.isnan(d):
            return Reason("location_pref", None, f"园区位置未知,需确认离 {target} 多远(偏好)")
        if d <= near_full:
            return Reason("location_pref", True, f"距 {target} 约 {_n(d)} 公里,很近(偏好)")
        if d <= 15:
            return Reason("location_pref", True, f"距 {target} 约 {_n(d)} 公里(偏好)")
        return Reason("location_pref", False, f"距 {target} 约 {_n(d)} 公里,较远(偏好)")
    wanted = "、".join((*req.preferred_districts, *req.preferred_parks)[:3])
    return Reason("location_pref", False, f"位于 {district},不在优先区域 {wanted}(偏好)")


def _industry_reason(parks: ParkTable, p: int, req: Requirement, fit: float) -> Reason:
    inds = parks.industries[p]
    label = req.industry or req.profile or "、".join(req.park_industries[:2])
    if not inds:
        return Reason("industry", None, "园区未标明主导产业")
    hit = [i for i in inds if any(t in i for t in req.park_industries)]
    if hit:
        return Reason("industry", True, f"园区主导产业含 {'、'.join(hit[:3])},与需求({label})相符")
    return Reason("industry", False, f"园区主导产业({'、'.join(inds[:3])})与需求({label})不符")


def _tax_reason(parks: ParkTable, p: int, tax_m2: float) -> Reason:
    m = parks.min_tax[p]
    if np.isnan(m):
        return Reason("tax", True, f"园区未设年纳税门槛,需求方约 {_n(tax_m2)} 元/㎡")
    if tax_m2 >= m:
        return Reason(
            "tax", True, f"需求方年纳税约 {_n(tax_m2)} 元/㎡,达到园区门槛 {_n(float(m))} 元/㎡"
        )
    return Reason(
        "tax", False, f"需求方年纳税约 {_n(tax_m2)} 元/㎡,低于园区门槛 {_n(float(m))} 元/㎡"
    )


def _area_reason(index: SpaceIndex, req: Requirement, r: int) -> Reason:
    target, lo, hi = area_bounds(req)
    area = float(index.area[r])
    eff = float(effective_area(_Cols(index, np.array([r])), target)[0])
    rng = f"{_n(lo)}–{_n(hi)}㎡" if hi != math.inf else f"≥ {_n(lo)}㎡"
    verb = "租用" if index.deal[r] == RENT else "购买"
    tag = _label(req, "area")
    hard = "area" in req.hard
    if eff != area:
        head = f"面积 {_n(area)}㎡ 可分割"
        if lo <= eff <= hi:
            return Reason(
                "area", True, f"{head},可按 {_n(eff)}㎡ {verb},在需求 {rng} 内{tag}", hard
            )
        if eff > hi:
            return Reason(
                "area", False, f"{head},最少{verb} {_n(eff)}㎡,仍大于需求上限 {_n(hi)}㎡{tag}", hard
            )
        return Reason(
            "area", False, f"{head},可{verb} {_n(eff)}㎡,小于需求下限 {_n(lo)}㎡{tag}", hard
        )
    if lo <= area <= hi:
        return Reason("area", True, f"面积 {_n(area)}㎡,在需求 {rng} 内{tag}", hard)
    if area < lo:
        return Reason("area", False, f"面积 {_n(area)}㎡,小于需求下限 {_n(lo)}㎡{tag}", hard)
    return Reason("area", False, f"面积 {_n(area)}㎡,大于需求上限 {_n(hi)}㎡{tag}", hard)


def _budget_reason(index: SpaceIndex, req: Requirement, r: int) -> Reason:
    price = float(index.price[r])
    rent = index.deal[r] == RENT
    tag = _label(req, "budget")
    hard = "budget" in req.hard
    if math.isnan(price):
        return Reason("budget", None, "价格面议" + tag, hard)
    if rent:
        cap = req.rent_max_yuan_m2_day
        if cap is None:
            return Reason(
                "budget", None, f"租金 {_n(price)} 元/㎡/天,需确认(需求只给了购买预算)", hard
            )
        if price <= cap:
            return Reason(
                "budget", True, f"租金 {_n(price)} 元/㎡/天,在预算 {_n(cap)} 元/㎡/天 内{tag}", hard
            )
        over = (price - cap) / cap * 100
        return Reason(
            "budget",
            False,
            f"租金 {_n(price)} 元/㎡/天,超出预算 {_n(cap)} 元/㎡/天 {over:.0f}%{tag}",
            hard,
        )
    if req.price_max_yuan_m2 is not None:
        cap = req.price_max_yuan_m2
        if price <= cap:
            return Reason(
                "budget", True, f"售价 {_n(price)} 元/㎡,在预算 {_n(cap)} 元/㎡ 内{tag}", hard
            )
        return Reason(
            "budget", False, f"售价 {_n(price)} 元/㎡,超出预算 {_n(cap)} 元/㎡{tag}", hard
        )
    if req.total_max_wan is not None:
        target, _, _ = area_bounds(req)
        eff = float(effective_area(_Cols(index, np.array([r])), target)[0])
        total = price * eff / 10000.0
        cap = req.total_max_wan
        if total <= cap:
            return Reason(
                "budget", True, f"总价约 {_n(total)} 万元,在预算 {_n(cap)} 万元 内{tag}", hard
            )
        return Reason(
            "budget", False, f"总价约 {_n(total)} 万元,超出预算 {_n(cap)} 万元{tag}", hard
        )
    return Reason("budget", None, f"售价 {_n(price)} 元/㎡,需确认(需求只给了租金预算)", hard)


def _tech_reasons(index: SpaceIndex, req: Requirement, r: int, default: set[str]) -> list[Reason]:
    out = []
    land = index.kind[r] == LAND

    def tag(attr: str, criterion: str) -> str:
        return "(行业默认)" if attr in default else _label(req, criterion)

    skipped = []
    for attr, col, label, unit, key in (
        ("ceiling_height_m", index.height, "层高", "米", "height"),
        ("floor_load_kg_m2", index.load, "承重", "公斤/㎡", "load"),
        ("power_kva", index.power, "配电", "kVA", "power"),
    ):
        need = getattr(req, attr)
        if need is None:
            continue
        if land and key in TECH_BUILDING:
            skipped.append(label)
            continue
        hard = attr in req.hard
        v = float(col[r])
        t = tag(attr, attr)
        if math.isnan(v):
            out.append(Reason(attr, None, f"{label}未标明,需求 ≥ {_n(need)} {unit}{t}", hard))
        elif v >= need:
            out.append(
                Reason(attr, True, f"{label} {_n(v)} {unit},满足 ≥ {_n(need)} {unit}{t}", hard)
            )
        else:
            out.append(
                Reason(attr, False, f"{label} {_n(v)} {unit},低于要求 {_n(need)} {unit}{t}", hard)
            )
    if req.dual_power:
        ok = bool(index.dual[r])
        t = tag("dual_power", "dual_power")
        out.append(
            Reason(
                "dual_power",
                ok,
                ("双回路供电" if ok else "无双回路供电") + t,
                "dual_power" in req.hard,
            )
        )
    if req.cleanroom:
        if land:
            skipped.append("洁净")
        else:
            out.append(_clean_reason(index, req, r, tag("cleanroom", "cleanroom")))
    if req.env_assessment:
        ok = bool(index.env[r])
        t = tag("env_assessment", "env_assessment")
        out.append(
            Reason(
                "env_assessment",
                ok,
                ("可办环评" if ok else "未注明可办环评,不满足要求") + t,
                "env_assessment" in req.hard,
            )
        )
    if req.gmp and "gmp" in req.soft and not land:
        ok = bool(index.gmp[r])
        out.append(Reason("gmp", ok, ("GMP 厂房" if ok else "无 GMP 认证") + "(偏好)"))
    if skipped:
        out.append(Reason("specs", None, f"土地:{'、'.join(skipped)}等建筑指标不适用"))
    return out


def _clean_reason(index: SpaceIndex, req: Requirement, r: int, tag: str) -> Reason:
    hard = "cleanroom" in req.hard
    if not index.clean[r]:
        return Reason("cleanroom", False, "无洁净车间" + tag, hard)
    need = req.cleanroom_iso
    have = float(index.clean_iso[r])
    if need is None:
        return Reason("cleanroom", True, "有洁净车间" + tag, hard)
    if math.isnan(have):
        return Reason(
            "cleanroom", None, f"有洁净车间,等级未标明,需求 {level_name(need)}{tag}", hard
        )
    if have <= need:
        return Reason(
            "cleanroom", True, f"洁净等级 {level_name(have)},满足 {level_name(need)}{tag}", hard
        )
    return Reason(
        "cleanroom", False, f"洁净等级 {level_name(have)},差于要求 {level_name(need)}{tag}", hard
    )


def _move_in_reason(index: SpaceIndex, req: Requirement, r: int) -> Reason:
    day = move_in_day(req)
    tag = _label(req, "move_in")
    hard = "move_in" in req.hard
    avail = float(index.avail[r])
    if math.isnan(avail) or day is None or avail <= day:
        when = "现可入驻" if math.isnan(avail) else f"{_date(avail)} 起可入驻"
        return Reason("move_in", True, f"{when},满足 {req.move_in_by} 前入驻{tag}", hard)
    return Reason("move_in", False, f"{_date(avail)} 起可入驻,晚于需求 {req.move_in_by}{tag}", hard)


def _cheaper_reason(
    index: SpaceIndex, req: Requirement, r: int, ref_rent: float, ref_sale: float
) -> Reason:
    """The wish for a cheap listing, against the reference price of its deal."""
    price = float(index.price[r])
    if math.isnan(price):
        return Reason("cheaper", None, "价格面议(偏好:便宜)")
    if index.deal[r] == RENT:
        what, unit, ref = "租金", "元/㎡/天", ref_rent
    else:
        what, unit, ref = "售价", "元/㎡", ref_sale
    if price <= ref:
        return Reason(
            "cheaper", True, f"{what} {_n(price)} {unit},在参考价 {_n(ref)} {unit} 以内(偏好:便宜)"
        )
    return Reason(
        "cheaper", False, f"{what} {_n(price)} {unit},超出参考价 {_n(ref)} {unit}(偏好:便宜)"
    )


def _date(day: float) -> str:
    return str(np.datetime64(int(day), "D"))


def explain(
    index: SpaceIndex,
    req: Requirement,
    r: int,
    fits: dict[str, float],
    near_full_km: float = 5.0,
    ref_rent: float = 2.0,
    ref_sale: float = 10000.0,
) -> list[Reason]:
    """Plain-Chinese reasons for one row, one per stated criterion (hard filters first)."""
    parks = index.parks
    p = int(index.park[r])
    reasons: list[Reason] = []
    kind, deal = KINDS[index.kind[r]], DEALS[index.deal[r]]
    if req.kinds or req.deal:
        reasons.append(Reason("kind", True, f"{kind}·{deal},类型相符", True))
    if req.districts or req.parks or req.excluded_districts or req.has_park_exclusions:
        loc = _district_reason(parks, p, req)
        if loc is not None:
            reasons.append(loc)
    land = index.kind[r] == LAND
    if req.gmp and "gmp" not in req.soft and not land:
        reasons.append(Reason("gmp", True, "GMP 厂房", True))
    if req.no_basement and not land:
        soft = "basement" in req.soft
        reasons.append(
            Reason(
                "basement",
                not bool(index.basement[r]),
                ("非地下室" if not index.basement[r] else "位于地下,不满足“不要地下室”")
                + ("(偏好)" if soft else ""),
                not soft,
            )
        )
    if req.no_top_floor and not land:
        soft = "top_floor" in req.soft
        top = bool(index.top[r])
        reasons.append(
            Reason(
                "top_floor",
                not top,
                ("非顶层" if not top else "位于顶层,不满足“不要顶层”") + ("(偏好)" if soft else ""),
                not soft,
            )
        )
    default = set(req.defaults)
    if "area" in fits:
        reasons.append(_area_reason(index, req, r))
    if "budget" in fits:
        reasons.append(_budget_reason(index, req, r))
    if "technical" in fits:
        reasons.extend(_tech_reasons(index, req, r, default))
    if "industry" in fits:
        reasons.append(_industry_reason(parks, p, req, fits["industry"]))
    if "tax" in fits:
        tax_m2 = lead_tax_per_m2(req)
        if tax_m2 is not None:
            reasons.append(_tax_reason(parks, p, tax_m2))
    if "location" in fits:
        pref = _preference_reason(parks, p, req, park_distances(parks, req), near_full_km)
        if pref is not None:
            reasons.append(pref)
    if "kind" in fits:
        ok = kind in req.preferred_kinds
        wanted = "、".join(req.preferred_kinds)
        reasons.append(
            Reason(
                "kind_pref",
                ok,
                f"{kind},{'是' if ok else '不是'}优先考虑的类型 {wanted}(偏好)".replace(
                    "不是优先", "不符优先"
                ),
            )
        )
    if "move_in" in fits:
        reasons.append(_move_in_reason(index, req, r))
    if "cheaper" in fits:
        reasons.append(_cheaper_reason(index, req, r, ref_rent, ref_sale))
    for access in req.access:
        what = ACCESS_ZH.get(access, access)
        reasons.append(Reason("access", None, f"{what}:房源未标明交通条件,需确认(偏好)"))
    if req.biosafety_level:
        reasons.append(
            Reason(
                "biosafety",
                None,
                f"生物安全等级 P{req.biosafety_level}(BSL-{req.biosafety_level}):"
                "房源未标明,需确认可否建设/备案",
            )
        )
    if req.lease_years:
        verb = "租期" if index.deal[r] == RENT else "(出售房源)租期"
        reasons.append(Reason("lease", None, f"{verb} {_n(req.lease_years)} 年,需确认房源可否签约"))
    for what in req.excludes:
        reasons.append(Reason("other", None, f"“不要{what}”需人工核对", True))
    return reasons
