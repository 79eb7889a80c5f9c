"""parklink match --lead FILE.json [--top N] [--json] [--parks]

FILE holds one lead in the exchange format (structured fields, or only `need` free text, or
both), either as the lead object itself or as {"leads": [lead]}. With --json the output is
{"requirement": {...}, "results": [{"ref", "park", "score", "reasons"}]}, best first."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parklink.matching.parse import RequirementError
from parklink.matching.selectors import match_requirement, requirement_from_data


def _load(path: str) -> dict[str, Any]:
    p = Path(path)
    if not p.is_file():
        raise CommandError(f"找不到文件 {path} / file not found: {path}")
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandError(f"{path} 不是有效的 JSON / not valid JSON: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("leads"), list):
        if len(data["leads"]) != 1:
            raise CommandError(
                f"{path} 应只含一条线索,实际 {len(data['leads'])} 条 / "
                f"expected exactly one lead, found {len(data['leads'])}"
            )
        data = data["leads"][0]
    if not isinstance(data, dict):
        raise CommandError(f"{path} 应为一个线索对象 / expected one lead object")
    return data


class Command(BaseCommand):
    help = "为一条线索匹配房源(或园区) / rank spaces (or parks) for one lead"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lead", required=True, help="线索 JSON 文件 / lead JSON file")
        parser.add_argument("--top", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="JSON 输出 / JSON output")
        parser.add_argument(
            "--parks", action="store_true", help="按园区排名 / rank parks instead of spaces"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        top = opts["top"]
        if not 1 <= top <= 1000:
            raise CommandError("--top 应在 1 到 1000 之间 / --top must be between 1 and 1000")
        data = _load(opts["lead"])
        try:
            req = requirement_from_data(data)
        except RequirementError as exc:
            raise CommandError(f"字段 {exc.field}: {exc.message}") from None
        result = match_requirement(req, top=top, with_parks=opts["parks"])
        if result.missing:
            raise CommandError(
                "需求信息不足,无法匹配;请至少提供其中一项 / not enough to match, "
                "give at least one of: " + "; ".join(result.missing)
            )
        if opts["parks"]:
            payload = {
                "requirement": req.to_dict(),
                "results": [p.to_dict() for p in result.parks],
            }
        else:
            payload = result.to_dict()
        if opts["json"]:
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self._print(req, payload["results"])
        for r in result.relaxations:
            self.stdout.write(f"   放宽 relax: {r.text} / {r.text_en}")

    def _print(self, req: Any, results: list[dict[str, Any]]) -> None:
        w = self.stdout.write
        d = req.to_dict()
        shown = {
            k: v
            for k, v in d.items()
            if v not in (None, [], {}, False) and k not in ("stated", "park_industries")
        }
        w("需求 requirement: " + json.dumps(shown, ensure_ascii=False))
        if not results:
            w("没有符合条件的房源 / no available space fits (hard filters: 类型、租售、区域、GMP)")
            return
        for i, r in enumerate(results, 1):
            w(f"{i:>2}. {r['ref'] or '-'}  {r['park']}  {r['score']:.1f}")
            for reason in r["reasons"]:
                mark = {True: "✓", False: "✗", None: "?"}[reason["ok"]]
                w(f"      {mark} {reason['text']}")
