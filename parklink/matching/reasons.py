"""Plain-Chinese reasons for a match, one per stated criterion (hard filters first)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from parklink.matching.columns import DEALS, RENT, ParkTable, SpaceIndex
from parklink.matching.requirement import KINDS, Requirement
from parklink.matching.scores import _Cols, area_bounds, effective_area, lead_tax_per_m2


@dataclass(frozen=True)
class Reason:
    """One criterion of a match: ok True (fits), False (does not), None (not stated by the
    listing, e.g. 价格面议)."""

    criterion: str
    ok: bool | None
    text: str

    def to_dict(self) -> dict[str, object]:
        return {"criterion": self.criterion, "ok": self.ok, "text": self.text}


def _n(value: float) -> str:
    """1650 → '1,650'; 2.8 → '2.8'; 0.75 → '0.75'."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _district_reason(parks: ParkTable, p: int, req: Requirement) -> Reason | None:
    name, district = parks.names[p], parks.districts[p] or "区域未知"
    if req.parks and name in req.parks:
        return Reason("location", True, f"位于指定园区 {name}")
    if req.districts:
        return Reason("location", True, f"位于 {district},在意向区域内")
    if req.excluded_districts:
        return Reason("location", True, f"位于 {district},不在排除的区域")
    return Reason("location", True, f"位于 {district}")


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
    return Reason(
        "tax",
        bool(tax_m2 >= m),
        f"园区要求年纳税不低于 {_n(float(m))} 元/㎡,需求方约 {_n(tax_m2)} 元/㎡",
    )


def explain(index: SpaceIndex, req: Requirement, r: int, fits: dict[str, float]) -> list[Reason]:
    """Plain-Chinese reasons for one row, one per stated criterion (hard filters first)."""
    parks = index.parks
    p = int(index.park[r])
    reasons: list[Reason] = []
    kind, deal = KINDS[index.kind[r]], DEALS[index.deal[r]]
    if req.kinds or req.deal:
        reasons.append(Reason("kind", True, f"{kind}·{deal},类型相符"))
    loc = _district_reason(parks, p, req)
    if loc is not None and (req.districts or req.parks or req.excluded_districts):
        reasons.append(loc)
    if req.gmp:
        reasons.append(Reason("gmp", True, "GMP 厂房"))
    if req.no_basement:
        reasons.append(Reason("basement", True, "非地下室"))
    default = set(req.defaults)
    if "area" in fits:
        target, lo, hi = area_bounds(req)
        area = float(index.area[r])
        eff = float(effective_area(_Cols(index, np.array([r])), target)[0])
        rng = f"{_n(lo)}–{_n(hi)}㎡" if hi != math.inf else f"≥ {_n(lo)}㎡"
        if eff != area:
            text = f"面积 {_n(area)}㎡ 可分割,可按 {_n(eff)}㎡ 租用,在需求 {rng} 内"
            ok = lo <= eff <= hi
        elif lo <= area <= hi:
            text, ok = f"面积 {_n(area)}㎡,在需求 {rng} 内", True
        elif area < lo:
            text, ok = f"面积 {_n(area)}㎡,小于需求下限 {_n(lo)}㎡", False
        else:
            text, ok = f"面积 {_n(area)}㎡,大于需求上限 {_n(hi)}㎡", False
        reasons.append(Reason("area", ok, text))
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
    for what in req.excludes:
        reasons.append(Reason("other", None, f"“不要{what}”需人工核对"))
    return reasons


def _budget_reason(index: SpaceIndex, req: Requirement, r: int) -> Reason:
    price = float(index.price[r])
    rent = index.deal[r] == RENT
    if math.isnan(price):
        return Reason("budget", None, "价格面议")
    if rent:
        cap = req.rent_max_yuan_m2_day
        if cap is None:
            return Reason("budget", None, f"租金 {_n(price)} 元/㎡/天,需求未给出租金预算")
        if price <= cap:
            return Reason("budget", True, f"租金 {_n(price)} 元/㎡/天,在预算 {_n(cap)} 元/㎡/天 内")
        over = (price - cap) / cap * 100
        return Reason(
            "budget", False, f"租金 {_n(price)} 元/㎡/天,超出预算 {_n(cap)} 元/㎡/天 {over:.0f}%"
        )
    if req.price_max_yuan_m2 is not None:
        cap = req.price_max_yuan_m2
        ok = price <= cap
        return Reason(
            "budget",
            ok,
            f"售价 {_n(price)} 元/㎡,{'在' if ok else '超出'}预算 {_n(cap)} 元/㎡{' 内' if ok else ''}",
        )
    if req.total_max_wan is not None:
        target, _, _ = area_bounds(req)
        eff = float(effective_area(_Cols(index, np.array([r])), target)[0])
        total = price * eff / 10000.0
        cap = req.total_max_wan
        ok = total <= cap
        return Reason(
            "budget",
            ok,
            f"总价约 {_n(total)} 万元,{'在' if ok else '超出'}预算 {_n(cap)} 万元{' 内' if ok else ''}",
        )
    return Reason("budget", None, f"售价 {_n(price)} 元/㎡,需求未给出购买预算")


def _tech_reasons(index: SpaceIndex, req: Requirement, r: int, default: set[str]) -> list[Reason]:
    out = []

    def tag(attr: str) -> str:
        return "(行业默认)" if attr in default else ""

    for attr, col, label, unit in (
        ("ceiling_height_m", index.height, "层高", "米"),
        ("floor_load_kg_m2", index.load, "承重", "公斤/㎡"),
        ("power_kva", index.power, "配电", "kVA"),
    ):
        need = getattr(req, attr)
        if need is None:
            continue
        v = float(col[r])
        if math.isnan(v):
            out.append(Reason(attr, None, f"{label}未标明,需求 ≥ {_n(need)} {unit}{tag(attr)}"))
        elif v >= need:
            out.append(
                Reason(attr, True, f"{label} {_n(v)} {unit},满足 ≥ {_n(need)} {unit}{tag(attr)}")
            )
        else:
            out.append(
                Reason(attr, False, f"{label} {_n(v)} {unit},低于要求 {_n(need)} {unit}{tag(attr)}")
            )
    for attr, col, yes, no in (
        ("dual_power", index.dual, "双回路供电", "无双回路供电"),
        ("cleanroom", index.clean, "有洁净车间", "无洁净车间"),
        ("env_assessment", index.env, "可办环评", "未标明可办环评"),
    ):
        if getattr(req, attr):
            ok = bool(col[r])
            out.append(Reason(attr, ok, (yes if ok else no) + tag(attr)))
    return out
