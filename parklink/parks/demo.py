"""Demo data of the catalogue: the sourced Beijing parks (parks/data/beijing_parks.yaml) and a
few hundred generated spaces (is_demo=True, marked discreetly as 示例房源 on the portal).

Prices follow what such space costs in Beijing: GMP plants and labs carry their fit-out
premium (a GMP 厂房 rents at 3.5–6 元/㎡/天, never at a bare shell's price), outer districts
are cheaper than the centre; every rental has its 物业费 and 最短租期.

The generator is deterministic (seeded by each park's name) and upserts by ``ref``, so
running the demo twice changes nothing.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction

from parklink.orgs.services import org_dataset_load
from parklink.parks import dataset
from parklink.parks.choices import Deal, FireClass, Letting, PriceUnit, SpaceKind, SpaceStatus
from parklink.parks.models import Park
from parklink.parks.services import park_dataset_load, park_update, space_upsert

PARKS_FILE = Path(__file__).resolve().parent / "data" / "beijing_parks.yaml"
DEMO_REF_PREFIX = "DEMO-"
BASE_DATE = date(2026, 1, 1)

# Which kinds of space a park offers, from the words of its leading industries.
INDUSTRY_KINDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("生物", "医药", "医疗", "生命", "健康", "基因"),
        (SpaceKind.LAB, SpaceKind.FACTORY, SpaceKind.RND),
    ),
    (("集成电路", "芯片", "半导体", "电子", "光电"), (SpaceKind.FACTORY, SpaceKind.RND)),
    (
        ("汽车", "装备", "制造", "新能源", "材料", "航天", "航空", "机器人", "智能制造", "能源"),
        (SpaceKind.FACTORY, SpaceKind.WAREHOUSE, SpaceKind.LAND),
    ),
    (("物流", "仓储", "商贸", "跨境"), (SpaceKind.WAREHOUSE, SpaceKind.FACTORY)),
    (
        ("信息", "互联网", "软件", "人工智能", "数字", "金融", "文化", "科技服务", "传媒", "设计"),
        (SpaceKind.OFFICE, SpaceKind.RND),
    ),
)
CENTRAL = {"东城区", "西城区", "朝阳区", "海淀区"}
# Rent of fitted GMP space (元/㎡/天) and 物业费 (元/㎡/月) by kind.
GMP_RENT = (3.5, 6.0)
PROPERTY_FEE = {
    SpaceKind.OFFICE: (8, 20),
    SpaceKind.RND: (5, 12),
    SpaceKind.LAB: (8, 15),
    SpaceKind.FACTORY: (3, 6),
    SpaceKind.WAREHOUSE: (2, 4),
}
OPTIONAL_DEFAULTS: dict[str, Any] = {
    "building": None,
    "floor": "",
    "ceiling_height_m": None,
    "floor_load_kg_m2": None,
    "power_kva": None,
    "dual_power": False,
    "env_assessment": False,
    "fire_class": "",
    "freight_lifts": None,
    "min_lettable_m2": None,
    "gmp": False,
    "cleanroom_class": "",
    "property_fee": None,
    "address": "",
    "min_lease_months": None,
}
# The demo parks' 招商 contacts: demo names on the site's 400 line (extensions).
DEMO_AGENTS = ("王经理", "李经理", "张经理", "刘经理", "陈经理", "杨经理", "赵经理", "周经理")

# kind: (area range m², rent 元/㎡/天 range (central), sale 元/㎡ range, ceiling m, load kg/m², power kVA)
SPECS: dict[str, dict[str, Any]] = {
    SpaceKind.OFFICE: {
        "area": (120, 2000),
        "rent": (5, 12),
        "sale": (30000, 70000),
        "ceiling": (3.6, 4.5),
        "load": (250, 400),
        "power": (50, 300),
    },
    SpaceKind.RND: {
        "area": (300, 5000),
        "rent": (3, 7),
        "sale": (20000, 45000),
        "ceiling": (4.2, 5.5),
        "load": (400, 800),
        "power": (100, 800),
    },
    SpaceKind.LAB: {
        "area": (200, 1500),
        "rent": (4, 8),
        "sale": (25000, 45000),
        "ceiling": (4.5, 6),
        "load": (500, 1000),
        "power": (200, 1000),
    },
    SpaceKind.FACTORY: {
        "area": (1000, 20000),
        "rent": (1.3, 3.0),
        "sale": (6000, 15000),
        "ceiling": (6, 12),
        "load": (1000, 3000),
        "power": (400, 3000),
    },
    SpaceKind.WAREHOUSE: {
        "area": (1000, 15000),
        "rent": (0.9, 2),
        "sale": (5000, 10000),
        "ceiling": (8, 12),
        "load": (2000, 5000),
        "power": (100, 500),
    },
    SpaceKind.LAND: {
        "area": (6667, 133334),
        "rent": (0.3, 0.8),
        "sale": (1500, 4000),
        "ceiling": None,
        "load": None,
        "power": None,
    },
}


def load(stdout: TextIO) -> None:
    records = dataset.load(PARKS_FILE)
    parks = park_dataset_load(records=records)
    demo_agents_load()
    orgs = org_dataset_load(records=records)
    spaces = demo_spaces_load()
    stdout.write(
        f"园区 parks: {len(records)} ({parks['created']} new, {parks['updated']} updated); "
        f"机构 orgs: {orgs['created']} new; 演示房源 demo spaces: {spaces['total']} "
        f"({spaces['created']} new, {spaces['updated']} updated)\n"
    )


def _kinds_for(park: Park, industries: list[str]) -> list[str]:
    kinds: list[str] = []
    text = " ".join(industries)
    for words, offered in INDUSTRY_KINDS:
        if any(w in text for w in words):
            kinds.extend(k for k in offered if k not in kinds)
    return kinds or [SpaceKind.RND, SpaceKind.OFFICE]


def _d(value: float, places: int) -> Decimal:
    return Decimal(str(round(value, places)))


def demo_space_records(park: Park, industries: list[str]) -> list[dict[str, Any]]:
    """The demo listings of one park: same park, same listings, every time."""
    seed = int(hashlib.sha256(park.name.encode()).hexdigest()[:12], 16)
    rng = random.Random(seed)
    code = hashlib.sha256(park.name.encode()).hexdigest()[:6].upper()
    kinds = _kinds_for(park, industries)
    central = park.district in CENTRAL
    bio = any(w in " ".join(industries) for w in ("生物", "医药", "医疗", "生命"))
    out = []
    for n in range(1, rng.randint(6, 14) + 1):
        kind = kinds[(n - 1) % len(kinds)] if n <= len(kinds) else rng.choice(kinds)
        spec = SPECS[kind]
        deal = Deal.SALE if (kind == SpaceKind.LAND or rng.random() < 0.2) else Deal.RENT
        area = _d(rng.uniform(*spec["area"]), 0)
        factor = 1.0 if central else rng.uniform(0.7, 0.9)
        gmp = bio and kind in (SpaceKind.FACTORY, SpaceKind.LAB) and rng.random() < 0.6
        if deal == Deal.RENT:
            rent = rng.uniform(*GMP_RENT) if gmp else rng.uniform(*spec["rent"]) * factor
            price, unit = _d(rent, 2), PriceUnit.YUAN_M2_DAY
        elif kind == SpaceKind.LAND:
            per_mu_wan = rng.uniform(*spec["sale"]) * 666.67 / 10000 * factor
            price, unit = _d(float(area) / 666.67 * per_mu_wan, 0), PriceUnit.WAN_TOTAL
        else:
            price, unit = _d(rng.uniform(*spec["sale"]) * factor / 100, 0) * 100, PriceUnit.YUAN_M2
        status_roll = rng.random()
        if status_roll < 0.08:
            status = SpaceStatus.LEASED if deal == Deal.RENT else SpaceStatus.SOLD
        else:
            status = SpaceStatus.FOR_RENT if deal == Deal.RENT else SpaceStatus.FOR_SALE
        record: dict[str, Any] = {
            # Every optional field is stated, so a re-run over older demo rows converges.
            **OPTIONAL_DEFAULTS,
            "ref": f"{DEMO_REF_PREFIX}{code}-{n:02d}",
            "park": park,
            "kind": kind,
            "deal": deal,
            "area_m2": area,
            "price": price,
            "price_unit": unit,
            "status": status,
            "is_demo": True,
            "available_from": BASE_DATE + timedelta(days=rng.randint(0, 240)),
            "letting": rng.choice([Letting.WHOLE, Letting.DIVISIBLE, Letting.PART])
            if kind != SpaceKind.LAND
            else Letting.WHOLE,
        }
        if kind != SpaceKind.LAND:
            building = f"{rng.randint(1, 12)}号楼"
            record.update(
                building=building,
                floor=str(
                    rng.randint(1, 3 if kind in (SpaceKind.FACTORY, SpaceKind.WAREHOUSE) else 12)
                ),
                ceiling_height_m=_d(rng.uniform(*spec["ceiling"]), 1),
                floor_load_kg_m2=int(rng.uniform(*spec["load"]) // 50 * 50),
                power_kva=int(rng.uniform(*spec["power"]) // 50 * 50),
                dual_power=kind in (SpaceKind.FACTORY, SpaceKind.LAB) and rng.random() < 0.5,
                env_assessment=kind in (SpaceKind.FACTORY, SpaceKind.LAB) and rng.random() < 0.7,
                fire_class=rng.choice([FireClass.B, FireClass.C, FireClass.D])
                if kind in (SpaceKind.FACTORY, SpaceKind.WAREHOUSE)
                else "",
                freight_lifts=rng.randint(0, 4) if kind != SpaceKind.OFFICE else 0,
            )
            if record["letting"] != Letting.WHOLE:
                record["min_lettable_m2"] = (area / 4).quantize(Decimal(1))
            if gmp:
                record.update(
                    gmp=True,
                    env_assessment=True,
                    cleanroom_class=rng.choice(["C级", "D级", "万级", "十万级"]),
                )
            fee = PROPERTY_FEE[kind]
            record["property_fee"] = _d(rng.uniform(*fee), 1)
            record["address"] = f"{park.city}{park.district}{park.name}{building}"
        if deal == Deal.RENT:
            record["min_lease_months"] = rng.choice([12, 24, 36, 60] if gmp else [6, 12, 24, 36])
        title_area = (
            f"{area:,.0f}㎡" if kind != SpaceKind.LAND else f"{area / Decimal('666.67'):.0f}亩"
        )
        record["title"] = f"{park.name} {title_area}{kind}{deal}"
        record["description"] = (
            f"{park.district}{park.name}{kind},{title_area},"
            f"{'可办环评,' if record.get('env_assessment') else ''}"
            f"{'GMP标准,' if record.get('gmp') else ''}适合{'、'.join(industries[:2]) or '科技企业'}。"
        )
        out.append(record)
    return out


@transaction.atomic
def demo_agents_load() -> int:
    """Give each park without a 招商 contact a demo one (the site's 400 line with an
    extension); a contact an operator set is never overwritten. Idempotent."""
    changed = 0
    for park in Park.objects.order_by("name"):
        if park.agent_name or park.agent_hotline or park.agent_mobile:
            continue
        n = int(hashlib.sha256(park.name.encode()).hexdigest()[:6], 16)
        data = {
            "agent_name": DEMO_AGENTS[n % len(DEMO_AGENTS)],
            "agent_hotline": f"400-000-0000 转 {800 + park.pk % 200}",
            "agent_wechat": f"parklink-demo-{n % 10000:04d}",
        }
        park_update(park=park, data=data, actor=None)
        changed += 1
    return changed


@transaction.atomic
def demo_spaces_load() -> dict[str, int]:
    """Upsert the demo listings of every park. Idempotent."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "total": 0}
    for park in Park.objects.prefetch_related("industries").order_by("name"):
        industries = sorted(i.name for i in park.industries.all())
        for record in demo_space_records(park, industries):
            _space, status = space_upsert(data=record, actor=None)
            counts[status] += 1
            counts["total"] += 1
    return counts
