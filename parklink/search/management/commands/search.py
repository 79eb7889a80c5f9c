"""`parklink search QUERY [--json]`: one search over articles, parks, organisations, spaces."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from parklink.search.models import DocType
from parklink.search.selectors import MAX_PAGE, search_page


class Command(BaseCommand):
    help = "全文搜索 / full-text search over articles, parks, organisations and spaces"

    def add_arguments(self, parser) -> None:
        parser.add_argument("query", nargs="+", help="查询词 / query")
        parser.add_argument("--json", action="store_true", help="JSON output")
        parser.add_argument("--type", action="append", choices=DocType.values, default=None)
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--page", type=int, default=1, help="页码 / page, from 1")

    def handle(self, *args, **options) -> None:
        query = " ".join(options["query"]).strip()
        if not query:
            raise CommandError("查询不能为空 / the query is empty")
        if not 1 <= options["limit"] <= 200:
            raise CommandError("--limit 应在 1–200 之间 / --limit must be 1–200")
        if not 1 <= options["page"] <= MAX_PAGE:
            raise CommandError(f"--page 应在 1–{MAX_PAGE} 之间 / --page must be 1–{MAX_PAGE}")
        page = search_page(
            query, types=options["type"], page=options["page"], per_page=options["limit"]
        )
        if page.message:
            raise CommandError("请输入至少两个字或字母 / enter at least two characters")
        results = page.results
        if options["json"]:
            payload = {
                "results": [
                    {
                        "type": r.type,
                        "id": r.id,
                        "title": r.title,
                        "snippet": r.snippet,
                        "score": r.score,
                    }
                    for r in results
                ]
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        if not results:
            self.stdout.write("没有结果 / no results")
        for r in results:
            self.stdout.write(f"[{r.type}] {r.title}  ({r.score})\n    {r.snippet}")
