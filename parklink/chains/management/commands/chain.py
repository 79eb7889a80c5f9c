"""parklink chain PARK [--template NAME] [--json]

PARK is a park's name or one of its aliases. Without --template the chain that fits the
park's industries is used. With --json the output is {"park", "template", "segments":
[{"name", "stage", "orgs", "status"}], "targets": [{"segment", "org", "reason"}]}."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parklink.chains.analysis import GAP, STRONG
from parklink.chains.selectors import (
    TemplateNotFound,
    chain_template_list,
    park_chain_get,
    park_find,
)

STATUS_LABELS = {STRONG: "强", "weak": "弱", GAP: "缺"}


class Command(BaseCommand):
    help = "园区产业链图谱、缺口与招商目标 / a park's industrial chain, its gaps and targets"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("park", help="园区名称或别名 / park name or alias")
        parser.add_argument(
            "--template", help="产业链模板(生物医药、集成电路…) / chain template name"
        )
        parser.add_argument("--json", action="store_true", help="JSON 输出 / JSON output")

    def handle(self, *args: Any, **opts: Any) -> None:
        park = park_find(opts["park"])
        if park is None:
            raise CommandError(f"找不到园区“{opts['park']}” / park not found: {opts['park']}")
        try:
            result = park_chain_get(park=park, template=opts["template"])
        except TemplateNotFound:
            names = "、".join(t.name for t in chain_template_list())
            raise CommandError(
                f"没有产业链模板“{opts['template']}”(可选:{names}) / "
                f"unknown chain template: {opts['template']}"
            ) from None
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        w = self.stdout.write
        w(f"{result.park.name} · 产业链 chain: {result.template.name}")
        stage = None
        for seg in result.segments:
            if seg.stage != stage:
                stage = seg.stage
                w(f"[{stage}]")
            orgs = "、".join(p.org.name for p in seg.placements) or "—"
            w(f"  {STATUS_LABELS[seg.status]} {seg.status:<6} {seg.name}: {orgs}")
        if result.unplaced:
            w("未归类 unplaced: " + "、".join(o.name for o in result.unplaced))
        if not result.targets:
            w("暂无招商目标 / no targets")
            return
        w("招商目标 targets:")
        for i, t in enumerate(result.targets, 1):
            w(f"{i:>2}. {t.reason}")
