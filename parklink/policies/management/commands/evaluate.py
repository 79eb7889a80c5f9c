"""parklink evaluate --lead FILE.json --park NAME [--json]

项目研判: one lead (exchange format, project facts and/or the free-text need) against one
park's admission rules. With --json exactly {"park", "score", "grade", "vetoed", "veto":
[{"rule", "text"}], "indicators": {"investment_wan_per_mu", "tax_wan_per_mu",
"output_wan_per_mu", "tax_yuan_per_m2"}, "checks": [{"rule", "ok", "value", "threshold",
"text"}]} (docs/policies.md)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parklink.policies.facts import FactsError
from parklink.policies.management.commands._lead_file import load_lead
from parklink.policies.selectors import evaluate_data, park_find

_MARK = {True: "✓", False: "✗", None: "?"}


class Command(BaseCommand):
    help = "项目研判:线索对园区准入条件的评估 / evaluate a lead against a park's admission rules"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lead", required=True, help="线索 JSON 文件 / lead JSON file")
        parser.add_argument("--park", required=True, help="园区名称或别名 / park name or alias")
        parser.add_argument("--json", action="store_true", help="JSON 输出 / JSON output")

    def handle(self, *args: Any, **opts: Any) -> None:
        data = load_lead(opts["lead"])
        park = park_find(opts["park"])
        if park is None:
            raise CommandError(f"找不到园区“{opts['park']}” / park not found: {opts['park']}")
        try:
            result = evaluate_data(data=data, park=park)
        except FactsError as exc:
            raise CommandError(f"字段 {exc.message}") from None
        if opts["json"]:
            self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False))
            return
        w = self.stdout.write
        if result.vetoed:
            verdict = "一票否决 / vetoed"
        elif not result.rated:
            verdict = "未评级 / unrated"
        else:
            verdict = f"{result.grade} 级"
        shown = "—" if result.score is None else f"{result.score:.1f}"
        w(f"{result.park} · 评分 score {shown} · {verdict}")
        for name, value in result.indicators.items():
            w(f"  {name}: {'未知 unknown' if value is None else value}")
        for v in result.veto:
            w(f"  ✗✗ {v.text}")
        for c in result.checks:
            w(f"  {_MARK[c.ok]} {c.text}")
        if not result.checks:
            w("  该园区未设准入条件 / the park sets no admission rules")
