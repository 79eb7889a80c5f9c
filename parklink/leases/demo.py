"""Demo data of park operations: park coordinates (approximate, see
data/park_coordinates.yaml), a 租控表-shaped building in a few parks, fictional tenants with
their record in the pipeline, and leases on the demo spaces (current, expiring, expired,
terminated, reserved) so the 租控表, warnings and dashboard show real figures.

Idempotent: coordinates are set only where missing, spaces are upserted by ref, and a
lease or tenant that exists is left alone (running the demo another day changes nothing).
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from parklink.core.roles import ROLE_AGENT, ROLE_MANAGER
from parklink.leads import services as lead_services
from parklink.leads.choices import Channel, ConsentBasis, Stage
from parklink.leads.models import Lead
from parklink.leases import services
from parklink.leases.models import Lease
from parklink.parks.choices import Deal, Letting, PriceUnit, SpaceKind, SpaceStatus
from parklink.parks.models import Park, Space
from parklink.parks.services import park_update, space_upsert

DATA = Path(__file__).resolve().parent / "data"
REF = "DEMO-LS-"
PLAN_REF = "DEMO-PLAN-"

# Fictional tenants (none of them is a real company): name, industry.
TENANTS = (
    ("北京康拓生物科技有限公司(演示)", "生物医药"),
    ("北京瑞芯微电子有限公司(演示)", "集成电路"),
    ("北京智行机器人有限公司(演示)", "智能制造"),
    ("北京云图数据科技有限公司(演示)", "人工智能"),
    ("北京海纳医疗器械有限公司(演示)", "医疗器械"),
    ("北京青禾新材料有限公司(演示)", "新材料"),
    ("北京远航物流有限公司(演示)", "物流"),
    ("北京启明软件有限公司(演示)", "软件和信息服务"),
    ("北京安泰检测技术有限公司(演示)", "科技服务"),
    ("北京新源动力科技有限公司(演示)", "新能源汽车"),
    ("北京华研药物研究院有限公司(演示)", "生物医药"),
    ("北京光谷光电有限公司(演示)", "光电"),
    ("北京卓越文化传媒有限公司(演示)", "文化创意"),
    ("北京天衡航空科技有限公司(演示)", "航空航天"),
    ("北京百川基因科技有限公司(演示)", "生物医药"),
    ("北京易联通信技术有限公司(演示)", "软件和信息服务"),
    ("北京精工装备制造有限公司(演示)", "智能制造"),
    ("北京绿洲环保科技有限公司(演示)", "节能环保"),
    ("北京星图卫星应用有限公司(演示)", "航空航天"),
    ("北京博远金融科技有限公司(演示)", "金融科技"),
    ("北京禾润食品科技有限公司(演示)", "食品"),
    ("北京清芯半导体设备有限公司(演示)", "集成电路"),
    ("北京优联供应链管理有限公司(演示)", "物流"),
    ("北京明澈眼科器械有限公司(演示)", "医疗器械"),
)
CONTACTS = ("王先生", "李女士", "张总", "刘经理", "陈先生", "赵女士")
# Parks that get a full building laid out as a 租控表 (floors × units).
PLAN_PARKS = ("中关村生命科学园", "中关村软件园", "北京经济技术开发区")


def load(stdout: TextIO) -> None:
    placed = coordinates_load()
    spaces = plan_spaces_load()
    tenants, leases = leases_load()
    stdout.write(
        f"坐标 coordinates: {placed} set; 租控楼栋房源 plan spaces: {spaces}; "
        f"租户 tenants: {tenants} new; 演示租约 demo leases: {leases} new\n"
    )


def coordinates_load() -> int:
    doc = yaml.safe_load((DATA / "park_coordinates.yaml").read_text(encoding="utf-8"))
    count = 0
    for park in Park.objects.filter(name__in=doc["parks"], latitude__isnull=True):
        lat, lng = doc["parks"][park.name]
        park_update(
            park=park,
            data={"latitude": Decimal(str(lat)), "longitude": Decimal(str(lng))},
            actor=None,
        )
        count += 1
    return count


def _rng(text: str) -> random.Random:
    return random.Random(int(hashlib.sha256(text.encode()).hexdigest()[:12], 16))


def plan_space_records(park: Park) -> list[dict[str, Any]]:
    """A tower (写字楼/研发楼, 8 floors × 4 units) and a factory block (2 floors × 3 units)."""
    rng = _rng("plan" + park.name)
    code = hashlib.sha256(park.name.encode()).hexdigest()[:4].upper()
    out: list[dict[str, Any]] = []
    for floor in range(1, 9):
        for unit in range(1, 5):
            kind = SpaceKind.OFFICE if floor >= 4 else SpaceKind.RND
            area = Decimal([420, 260, 260, 560][unit - 1] + rng.randint(-20, 20))
            out.append(
                {
                    "ref": f"{PLAN_REF}{code}-A{floor}{unit:02d}",
                    "park": park,
                    "building": "A座",
                    "floor": str(floor),
                    "kind": kind,
                    "deal": Deal.RENT,
                    "letting": Letting.WHOLE,
                    "area_m2": area,
                    "price": Decimal(str(round(rng.uniform(3.5, 6.5), 1))),
                    "price_unit": PriceUnit.YUAN_M2_DAY,
                    "title": f"{park.name} A座{floor}{unit:02d} {area}㎡{kind}出租",
                    "description": f"演示数据:{park.name} A座 {floor} 层 {unit:02d} 单元。",
                    "ceiling_height_m": Decimal("4.2"),
                    "is_demo": True,
                }
            )
    for floor in range(1, 3):
        for unit in range(1, 4):
            area = Decimal(1800 + 600 * unit + rng.randint(-50, 50))
            out.append(
                {
                    "ref": f"{PLAN_REF}{code}-B{floor}{unit:02d}",
                    "park": park,
                    "building": "B栋厂房",
                    "floor": str(floor),
                    "kind": SpaceKind.FACTORY,
                    "deal": Deal.RENT,
                    "letting": Letting.WHOLE,
                    "area_m2": area,
                    "price": Decimal(str(round(rng.uniform(1.4, 2.6), 1))),
                    "price_unit": PriceUnit.YUAN_M2_DAY,
                    "title": f"{park.name} B栋{floor}{unit:02d} {area}㎡厂房出租",
                    "description": f"演示数据:{park.name} B栋厂房 {floor} 层 {unit:02d} 单元。",
                    "ceiling_height_m": Decimal("8") if floor == 1 else Decimal("6"),
                    "floor_load_kg_m2": 2000 if floor == 1 else 800,
                    "is_demo": True,
                }
            )
    return out


@transaction.atomic
def plan_spaces_load() -> int:
    count = 0
    for park in Park.objects.filter(name__in=PLAN_PARKS):
        existing = set(
            Space.objects.filter(park=park, ref__startswith=PLAN_REF).values_list("ref", flat=True)
        )
        for record in plan_space_records(park):
            if record["ref"] in existing:
                continue
            space_upsert(data=record, actor=None)
            count += 1
    return count


def _users() -> tuple[list[Any], Any]:
    User = get_user_model()
    agents = list(User.objects.filter(groups__name=ROLE_AGENT, is_active=True).order_by("pk"))
    manager = User.objects.filter(groups__name=ROLE_MANAGER, is_active=True).order_by("pk").first()
    return agents, manager


def _tenant_records(manager: Any) -> tuple[list[Any], int]:
    """The fictional tenants and their (won) record in the pipeline, created once."""
    orgs = []
    created = 0
    for n, (name, industry) in enumerate(TENANTS):
        org = services.tenant_ensure(name=name, actor=None, is_demo=True)
        if not org.industry:
            org.industry = industry
            org.save(update_fields=["industry", "updated_at"])
        orgs.append(org)
        ref = f"DEMO-T{n + 1:03d}"
        if manager is None or Lead.objects.filter(ref=ref).exists():
            continue
        rng = _rng(name)
        lead = lead_services.lead_submit(
            data={
                "company": name,
                "contact": rng.choice(CONTACTS),
                "mobile": f"170{rng.randint(0, 99_999_999):08d}",
                "need": f"租户:{industry}企业,已签约入驻(演示)",
                "industry": industry,
            },
            channel=Channel.OFFICE,
            actor=manager,
            consent_basis=ConsentBasis.CONTRACT,
            is_demo=True,
            ref=ref,
        )
        lead_services.lead_stage_set(lead=lead, actor=manager, stage=Stage.WON)
        created += 1
    return orgs, created


def _terms(rng: random.Random, today: date) -> dict[str, Any]:
    """A current lease: started 0.5–4 years ago, 2–5 years long, ending soonest first."""
    years = rng.choice((2, 3, 3, 5))
    end = today + timedelta(
        days=rng.choice((12, 35, 64, 95, 130, 170, 240, 320, 420, 600, 800, 1100))
    )
    start = end - timedelta(days=365 * years) + timedelta(days=1)
    # A current lease has begun: long remaining terms get a longer contract.
    start = min(start, today - timedelta(days=rng.randint(30, 400)))
    return {"start": start, "end": end}


@transaction.atomic
def leases_load(today: date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    agents, manager = _users()
    tenants, created_tenants = _tenant_records(manager)
    existing = set(Lease.objects.filter(ref__startswith=REF).values_list("ref", flat=True))
    spaces = list(
        Space.objects.filter(is_demo=True, deal=Deal.RENT)
        .exclude(kind=SpaceKind.LAND)
        .select_related("park")
        .order_by("ref")
    )
    created = 0
    for i, space in enumerate(spaces):
        rng = _rng(space.ref)
        roll = rng.random()
        # The catalogue's own demo listings keep the status its demo step gives them (so
        # running the demo again changes nothing): a current lease only where it says 已租,
        # otherwise past leases only. The 租控 blocks (ours) take every kind of lease.
        plan = space.ref.startswith(PLAN_REF)
        if not plan:
            roll = 0.0 if space.status == SpaceStatus.LEASED else 0.8 + roll * 0.2
        tenant = tenants[rng.randrange(len(tenants))]
        owner = agents[i % len(agents)] if agents else None
        base_rent = space.price or Decimal("3")
        records: list[dict[str, Any]] = []
        if roll < 0.72:
            terms = _terms(rng, today)
            records.append(
                {**terms, "rent": (base_rent * Decimal("0.95")).quantize(Decimal("0.01"))}
            )
            # a previous lease of the same space, expired
            if rng.random() < 0.4:
                records.append(
                    {
                        "start": terms["start"] - timedelta(days=365 * 3),
                        "end": terms["start"] - timedelta(days=1),
                        "rent": (base_rent * Decimal("0.85")).quantize(Decimal("0.01")),
                        "old": True,
                    }
                )
        elif roll < 0.80 and plan:
            # vacant now, reserved by a committed future lease
            start = today + timedelta(days=rng.choice((20, 45, 75, 110)))
            records.append(
                {"start": start, "end": start + timedelta(days=365 * 3 - 1), "rent": base_rent}
            )
        elif roll < 0.88:
            # terminated early: moved out last month
            start = today - timedelta(days=700)
            records.append(
                {
                    "start": start,
                    "end": start + timedelta(days=365 * 3),
                    "rent": base_rent,
                    "terminated_on": today - timedelta(days=rng.randint(10, 40)),
                }
            )
        elif roll < 0.95:
            # the last tenant left at the end of its term
            end = today - timedelta(days=rng.randint(20, 300))
            records.append(
                {"start": end - timedelta(days=365 * 3 - 1), "end": end, "rent": base_rent}
            )
        for j, rec in enumerate(records):
            ref = f"{REF}{space.ref.removeprefix('DEMO-')}-{j + 1}"
            if ref in existing:
                continue
            who = tenants[rng.randrange(len(tenants))] if rec.pop("old", False) else tenant
            services.lease_create(
                data={
                    "ref": ref,
                    "space": space,
                    "tenant": who,
                    "rent_unit": "元/平方米/天",
                    "deposit_months": Decimal(3),
                    "free_rent_months": Decimal(rng.choice((0, 1, 2, 3))),
                    "escalation_pct": Decimal(rng.choice((0, 3, 3, 5))),
                    "owner": owner,
                    "is_demo": True,
                    **rec,
                },
                actor=None,
                today=today,
            )
            created += 1
    if created and manager is not None:
        services.renewals_propose(
            first=today, last=today + timedelta(days=120), actor=manager, today=today
        )
    services.lease_statuses_refresh(today=today)
    services.expiry_warnings_send(today=today)
    return created_tenants, created
