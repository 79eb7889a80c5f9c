"""parklink network PARK [--json]

PARK is a park's name or one of its aliases. With --json the output is {"park", "nodes":
[{"id", "name", "kind"}], "edges": [{"source", "target", "weight", "relation", "articles":
[...]}]} (docs/chains.md)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parklink.chains.selectors import park_find, park_network_get


class Command(BaseCommand):
    help = "园区创新网络(资讯共现与关系) / a park's innovation network from the news"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("park", help="园区名称或别名 / park name or alias")
        parser.add_argument("--json", action="store_true", help="JSON 输出 / JSON output")

    def handle(self, *args: Any, **opts: Any) -> None:
        park = park_find(opts["park"])
        if park is None:
            raise CommandError(f"找不到园区“{opts['park']}” / park not found: {opts['park']}")
        result = park_network_get(park=park)
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        names = {n.key: n.name for n in result.nodes}
        w = self.stdout.write
        w(
            f"{result.park.name} · 创新网络 network: {len(result.nodes)} 节点 nodes, "
            f"{len(result.edges)} 关系 edges"
        )
        if not result.edges:
            w("暂无资讯共现 / no co-mentions in the news yet")
        for e in result.edges:
            rel = e.relation or "共现"
            w(
                f"  {names[e.source]} —{rel}— {names[e.target]}  "
                f"weight {e.weight:g}, {len(e.articles)} 篇 articles"
            )
