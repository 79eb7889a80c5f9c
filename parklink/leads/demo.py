"""Demo data of the leads area: a few dozen plausible 招商 leads (is_demo=True, shown with a
演示 badge) spread over the pipeline, with follow-ups and owners.

Mobiles are in the 170/171 virtual-operator ranges (valid format, clearly fake). The
generator is seeded and keyed by `ref` (DEMO-L###): running it twice changes nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from parklink.core.roles import ROLE_AGENT, ROLE_MANAGER
from parklink.leads import services
from parklink.leads.choices import Channel, ConsentBasis, LostReason, Stage
from parklink.leads.models import Lead

COUNT = 36
REF = "DEMO-L{:03d}"

COMPANIES = (
    (
        "北京康源生物医药科技有限公司",
        "生物医药",
        "厂房",
        "GMP 生产车间,做单抗中试和小批量生产",
        "生产",
    ),
    (
        "北京智芯微电子设计有限公司",
        "集成电路设计",
        "研发楼",
        "芯片设计团队扩张,需要研发办公",
        "研发",
    ),
    ("北京博奥医疗器械有限公司", "医疗器械", "厂房", "二类医疗器械组装,需洁净车间", "生产"),
    ("北京数联智能科技有限公司", "人工智能", "写字楼", "算法研发和销售团队办公", "总部"),
    (
        "北京瑞华细胞治疗技术有限公司",
        "生物医药",
        "实验室",
        "细胞治疗实验室,需要 P2 实验室条件",
        "研发",
    ),
    (
        "北京精工智造装备有限公司",
        "高端装备",
        "厂房",
        "精密加工设备装配,层高 8 米以上,承重 2 吨",
        "生产",
    ),
    ("北京绿源新能源材料有限公司", "新材料", "土地", "新建电池材料产线,购地自建", "生产"),
    ("北京云途物流科技有限公司", "物流", "仓库", "城市配送中心,需高台库", "仓储"),
    ("北京华药研发服务有限公司", "生物医药", "实验室", "CRO/CDMO 平台,药物分析实验室", "CDMO"),
    ("北京星辰航天电子有限公司", "航空航天", "厂房", "卫星载荷总装测试", "生产"),
    ("北京明德基因科技有限公司", "生物医药", "研发楼", "基因测序研发中心", "研发"),
    ("北京优品数字文化有限公司", "文化创意", "写字楼", "内容制作团队办公", "总部"),
)
DISTRICTS = ("昌平区", "大兴区", "海淀区", "顺义区", "亦庄", "通州区", "房山区")
CONTACTS = ("王先生", "李女士", "张总", "刘经理", "陈先生", "赵女士", "杨总", "周经理")
CHANNELS = (
    (Channel.WEB, ConsentBasis.FORM),
    (Channel.WEB, ConsentBasis.FORM),
    (Channel.API, ConsentBasis.API),
    (Channel.PHONE, ConsentBasis.ORAL),
    (Channel.EVENT, ConsentBasis.ORAL),
    (Channel.REFERRAL, ConsentBasis.ORAL),
    (Channel.PLATFORM, ConsentBasis.CONTRACT),
)
STAGE_PLAN = (
    [Stage.NEW] * 9
    + [Stage.CONTACTED] * 8
    + [Stage.CONFIRMED] * 6
    + [Stage.VISITED] * 5
    + [Stage.NEGOTIATING] * 4
    + [Stage.WON] * 2
    + [Stage.LOST] * 2
)


def _demo_users() -> tuple[list[Any], Any]:
    """The demo agents and manager (parklink.demo sets their passwords afterwards)."""
    from parklink.demo import DEMO_USERS  # project level; imported late to avoid a cycle

    User = get_user_model()
    agents, manager = [], None
    for username, display, role in DEMO_USERS:
        if role not in (ROLE_AGENT, ROLE_MANAGER):
            continue
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": display, "email": f"{username}@parklink.local"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        if role == ROLE_AGENT:
            agents.append(user)
        else:
            manager = user
    return agents, manager


def _record(n: int, rng: random.Random) -> dict[str, Any]:
    company, industry, kind, need, project = COMPANIES[n % len(COMPANIES)]
    if n >= len(COMPANIES):
        company = company.replace("有限公司", f"{'一二三'[n // len(COMPANIES) - 1]}分公司")
    low = rng.choice((300, 500, 800, 1000, 1500, 2000, 3000, 5000))
    district = rng.choice(DISTRICTS)
    return {
        "ref": REF.format(n + 1),
        "company": company,
        "contact": rng.choice(CONTACTS),
        "mobile": f"17{rng.choice('01')}{rng.randint(0, 99_999_999):08d}",
        "need": f"{district}{low}-{low * 2}平米{kind},{need}",
        "use": need.split(",")[0],
        "kind": kind,
        "deal": "出售" if kind == "土地" else rng.choice(("出租", "出租", "出售")),
        "area_min_m2": low,
        "area_max_m2": low * 2,
        "districts": [district],
        "industry": industry,
        "annual_tax_wan": rng.choice((50, 100, 200, 300, 500, 800, 1200)),
        "consent": True,
        "_project": project,
    }


def load(stdout: TextIO) -> None:
    rng = random.Random(20260101)
    records = [_record(n, rng) for n in range(COUNT)]
    existing = set(Lead.objects.filter(ref__startswith="DEMO-L").values_list("ref", flat=True))
    todo = [r for r in records if r["ref"] not in existing]
    if not todo:
        stdout.write(f"演示线索 demo leads: {len(existing)} (unchanged)\n")
        return
    agents, manager = _demo_users()
    today = timezone.localdate()
    wanted = {r["ref"] for r in todo}
    with transaction.atomic():
        for n, record in enumerate(records):
            if record["ref"] not in wanted:
                continue
            channel, basis = CHANNELS[n % len(CHANNELS)]
            project = record.pop("_project")
            lead = services.lead_submit(
                data=record,
                channel=channel,
                actor=None,
                consent_basis=basis,
                is_demo=True,
                ref=record["ref"],
            )
            stage = STAGE_PLAN[n % len(STAGE_PLAN)]
            if stage != Stage.NEW or n % 3 == 0:
                owner = agents[n % len(agents)] if agents and n % 5 else manager
                if owner is None:
                    continue
                if manager is not None:
                    lead = services.lead_assign(lead=lead, actor=manager, owner=owner)
                services.lead_update(
                    lead=lead,
                    actor=owner,
                    data={
                        "project_type": project,
                        "score_intent": rng.randint(2, 5),
                        "score_funds": rng.randint(1, 5),
                        "score_fit": rng.randint(2, 5),
                    },
                )
                if stage != Stage.NEW:
                    services.follow_up_add(
                        lead=lead,
                        actor=owner,
                        kind=rng.choice(("电话", "微信", "拜访")),
                        note=rng.choice(
                            (
                                "电话沟通需求,客户关注交付时间和租金优惠",
                                "已发送园区资料和房源清单",
                                "约定下周带看",
                                "客户在比较亦庄和昌平两处载体",
                            )
                        ),
                        next_follow_up=today + timedelta(days=rng.randint(0, 7)),
                    )
                    lead.refresh_from_db()
                if stage not in (Stage.NEW, Stage.CONTACTED):
                    services.lead_stage_set(
                        lead=lead,
                        actor=owner,
                        stage=stage,
                        lost_reason=rng.choice(LostReason.values) if stage == Stage.LOST else "",
                    )
    stdout.write(f"演示线索 demo leads: {COUNT} ({len(todo)} new)\n")
