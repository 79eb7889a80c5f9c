"""Demo data of the policies area (step `policies` of `parklink demo`): demo policies
(DEMO-P…, titles marked 演示, is_demo), example admission rules on a few parks that have none
(their sources say they are examples), project facts on some demo leads, and one demo policy
text in the review queue. Idempotent: running it twice changes nothing.
"""

from __future__ import annotations

import calendar
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from parklink.core.roles import ROLE_MANAGER
from parklink.leads import services as lead_services
from parklink.leads.models import Lead
from parklink.parks.models import Park
from parklink.parks.services import park_rules_set
from parklink.policies import services
from parklink.policies.reader import read_policy

DATA = Path(__file__).resolve().parent / "data"
RULES_SOURCE = "演示数据:示例准入条件,非园区官方标准 / demo rules, not the park's official standard"
DEMO_TEXT = "demo_policy_text.txt"


def _month(first: date, months: int, *, last: bool) -> date:
    index = first.year * 12 + first.month - 1 + months
    year, month = divmod(index, 12)
    day = calendar.monthrange(year, month + 1)[1] if last else 1
    return date(year, month + 1, day)


def _policies(records: list[dict[str, Any]], today: date) -> tuple[int, int]:
    first = today.replace(day=1)
    created = changed = 0
    for raw in records:
        data = {k: v for k, v in raw.items() if k not in ("from_months", "to_months")}
        data["valid_from"] = _month(first, raw["from_months"], last=False)
        data["valid_to"] = _month(first, raw["to_months"], last=True)
        data["is_demo"] = True
        _policy, status = services.policy_upsert(data=data, actor=None)
        created += status == "created"
        changed += status == "updated"
    return created, changed


def _rules(records: list[dict[str, Any]]) -> int:
    count = 0
    for item in records:
        park = Park.objects.filter(name=item["park"]).first()
        if park is None or park.rules:
            continue
        count += park_rules_set(park=park, rules=item["rules"], sources=[RULES_SOURCE], actor=None)
    return count


def _lead_facts() -> int:
    """Investment, land and output on every third demo lead that has none (for the demo's
    evaluation panel), through the leads service, as a manager (the demo's)."""
    manager = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=ROLE_MANAGER)
        .order_by("pk")
        .first()
    )
    if manager is None:
        return 0
    count = 0
    leads = Lead.objects.filter(
        ref__startswith="DEMO-L",
        is_demo=True,
        total_investment_wan__isnull=True,
        land_mu__isnull=True,
    ).order_by("ref")
    for lead in leads:
        n = int(lead.ref.rsplit("L", 1)[-1] or 0)
        if n % 3:
            continue
        area = float(lead.area_max_m2 or lead.area_min_m2 or 2000)
        mu = max(1.0, round(area / 666.67 * 1.5, 1))
        lead_services.lead_update(
            lead=lead,
            actor=manager,
            data={
                "total_investment_wan": str(round(mu * (300 + 60 * (n % 7)))),
                "land_mu": str(mu),
                "annual_output_wan": str(round(mu * (900 + 250 * (n % 5)))),
                "is_high_tech": n % 2 == 0,
            },
        )
        count += 1
    return count


def _queue_text() -> bool:
    text = (DATA / DEMO_TEXT).read_text(encoding="utf-8").strip()
    read = read_policy(text, today=timezone.localdate())
    _proposal, created = services.proposal_submit(
        source_name=f"{DEMO_TEXT}(演示)", text=text, read=read, actor=None
    )
    return created


def load(stdout: TextIO) -> None:
    doc = yaml.safe_load((DATA / "demo_policies.yaml").read_text(encoding="utf-8"))
    with transaction.atomic():
        created, changed = _policies(doc.get("policies") or [], timezone.localdate())
        rules = _rules(doc.get("rules") or [])
        leads = _lead_facts()
        queued = _queue_text()
    stdout.write(
        f"演示政策 demo policies: {len(doc.get('policies') or [])} ({created} new, {changed} "
        f"updated); 准入条件 park rules set: {rules}; 项目信息 lead facts: {leads}; "
        f"待审政策文本 queued: {int(queued)}\n"
    )
