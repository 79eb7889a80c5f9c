"""parklink policy match --lead FILE.json [--on YYYY-MM-DD] [--json]
parklink policy parse FILE [--json] [--dry-run]

`match`: the policies in force on the day (today) with the lead's status, best first: with
--json exactly {"policies": [{"ref", "title", "status" (eligible|possible|ineligible), "met",
"unmet", "unknown", "amount_wan_max"}]}.

`parse`: read a policy document (text or HTML) into proposed fields, each with its sentence;
with --json {"title", "region", "valid_from", "valid_to", "industries", "conditions",
"amount_wan_max", "evidence", "measures": [{"title", "conditions", "amount_wan_max",
"sentence", "evidence"}]}. Each measure (条款) of the document goes to the review queue as
its own proposal (office: 政策识别待审) unless --dry-run; the same text is queued once."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from parklink.news.fetch import FetchError, decode, looks_like_html
from parklink.policies.eligibility import Condition
from parklink.policies.facts import FactsError, facts_from_data
from parklink.policies.management.commands._lead_file import load_lead
from parklink.policies.reader import html_to_text, read_policy
from parklink.policies.selectors import policy_matches
from parklink.policies.services import proposal_submit

MAX_BYTES = 5 * 1024 * 1024
_STATUS = {"eligible": "可申请", "possible": "可能可申请", "ineligible": "不符合"}


def _condition_text(c: Condition) -> str:
    return c.text


class Command(BaseCommand):
    help = "政策匹配与政策文本识别 / policy matching and reading policy documents"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="match|parse")
        match = sub.add_parser("match", help="一条线索可申请的政策 / policies a lead may get")
        match.add_argument("--lead", required=True, help="线索 JSON 文件 / lead JSON file")
        match.add_argument("--on", help="日期 YYYY-MM-DD(默认今天)/ the day (default today)")
        match.add_argument("--json", action="store_true", help="JSON 输出 / JSON output")
        parse = sub.add_parser("parse", help="识别政策文本 / read a policy document")
        parse.add_argument("file", metavar="FILE", help="政策文本或网页文件 / text or HTML file")
        parse.add_argument("--json", action="store_true", help="JSON 输出 / JSON output")
        parse.add_argument(
            "--dry-run", action="store_true", help="不进入审核队列 / do not queue for review"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "match":
            self._match(opts)
        else:
            self._parse(opts)

    # --- match ---------------------------------------------------------------------------

    def _match(self, opts: dict[str, Any]) -> None:
        day = timezone.localdate()
        if opts.get("on"):
            try:
                day = date.fromisoformat(opts["on"])
            except ValueError:
                raise CommandError(
                    f"日期格式应为 YYYY-MM-DD:{opts['on']} / --on must be YYYY-MM-DD"
                ) from None
        data = load_lead(opts["lead"])
        try:
            facts = facts_from_data(data)
        except FactsError as exc:
            raise CommandError(f"字段 {exc.message}") from None
        matches = policy_matches(facts=facts, on=day)
        if opts["json"]:
            payload = {"policies": [m.to_dict() for m in matches]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        w = self.stdout.write
        w(f"{day.isoformat()} 有效政策 {len(matches)} 条 / policies in force")
        for i, m in enumerate(matches, 1):
            amount = (
                "" if m.policy.amount_wan_max is None else f" 最高{m.policy.amount_wan_max}万元"
            )
            w(f"{i:>2}. [{_STATUS[m.status]} {m.status}] {m.policy.ref} {m.policy.title}{amount}")
            for label, items in (("✗", m.unmet), ("?", m.unknown)):
                for c in items:
                    w(f"      {label} {_condition_text(c)}")

    # --- parse ---------------------------------------------------------------------------

    def _parse(self, opts: dict[str, Any]) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件 {path} / file not found: {path}")
        data = path.read_bytes()
        if len(data) > MAX_BYTES:
            raise CommandError("文件超过 5 MB / file larger than 5 MB")
        if not data.strip():
            raise CommandError(f"{path} 是空文件 / empty file")
        try:
            text, _encoding = decode(data)
        except FetchError as exc:
            raise CommandError(f"{path}: {exc}") from None
        is_html = looks_like_html(text)
        plain = html_to_text(text)[1] if is_html else text
        if not plain.strip():
            raise CommandError(f"{path} 中没有文字 / no text in {path}")
        result = read_policy(text, is_html=is_html, today=timezone.localdate())
        queued = None
        if not opts["dry_run"]:
            try:
                queued = proposal_submit(
                    source_name=path.name, text=plain.strip(), read=result, actor=None
                )
            except DatabaseError:
                self.stderr.write(
                    "未进入审核队列:数据库未初始化(先运行 parklink migrate)/ not queued: "
                    "the database is not set up (run parklink migrate)"
                )
        if opts["json"]:
            self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False))
        else:
            self._print_read(result)
        if queued is not None and not opts["json"]:
            proposal, created = queued
            state = "已进入审核队列" if created else "已在审核队列中"
            count = max(1, len(result.measures))
            self.stdout.write(f"{state} / queued for review: #{proposal.pk} ({count})")

    def _print_read(self, result: Any) -> None:
        w = self.stdout.write
        d = result.to_dict()
        w(f"政策 title: {d['title'] or '—'}")
        w(f"地区 region: {d['region'] or '—'}")
        w(f"有效期 validity: {d['valid_from'] or '?'} — {d['valid_to'] or '?'}")
        w(f"产业 industries: {'、'.join(d['industries']) or '—'}")
        w(
            f"最高金额 amount_wan_max: {d['amount_wan_max'] if d['amount_wan_max'] is not None else '—'}"
        )
        w("条件 conditions:")
        for c in result.conditions:
            w(f"  - {c.text}  {json.dumps(c.to_dict(), ensure_ascii=False)}")
        if len(result.measures) > 1:
            w(f"条款 measures: {len(result.measures)}(每项一条待审 / one proposal each)")
            for i, m in enumerate(result.measures, 1):
                amount = "—" if m.amount_wan_max is None else f"最高{m.amount_wan_max}万元"
                conds = ";".join(c.text for c in m.conditions) or "无条件 none"
                w(f"  {i}. {m.title or '第' + str(i) + '项'} · {amount} · {conds}")
                w(f"     {m.sentence}")
        w("依据 evidence:")
        for p in result.proposals:
            w(f"  [{p.what}] {p.sentence}")
