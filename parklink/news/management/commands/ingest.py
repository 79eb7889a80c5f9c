"""`parklink ingest PATH_OR_URL... [--json] [--dry-run] [--fetched-at YYYY-MM-DD]`.

Pages (HTML or plain-text dumps, files or URLs; feeds and sitemaps expand to their articles)
become articles with their entities and facts. With --json one object per input is printed on
stdout, one line each; bad inputs get one line each on stderr and the batch goes on; the
summary counts ok/failed/duplicates. The exit status is 1 when any input failed.
"""

from __future__ import annotations

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from parklink.news.services import IngestBusy, IngestResult, article_ingest

PROGRESS_FROM = 5  # inputs; a bar for fewer would only flicker


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            f"--fetched-at 应为 YYYY-MM-DD / --fetched-at must be YYYY-MM-DD: {value}"
        ) from exc


class Command(BaseCommand):
    help = "抓取并导入资讯页面 / ingest news pages (files, URLs, feeds, sitemaps)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("refs", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument("--json", action="store_true", help="one JSON object per input")
        parser.add_argument("--dry-run", action="store_true", help="analyse only, write nothing")
        parser.add_argument(
            "--fetched-at",
            help="fetch date YYYY-MM-DD that relative dates (3天前) are resolved against",
        )

    def handle(self, *args, **options) -> None:
        fetched_at = _date(options["fetched_at"]) if options["fetched_at"] else None
        refs: list[str] = options["refs"]
        as_json: bool = options["json"]
        bar = tqdm(
            total=len(refs),
            file=sys.stderr,
            unit="页",
            disable=len(refs) < PROGRESS_FROM or (not sys.stderr.isatty() and len(refs) < 50),
            leave=False,
        )

        def on_result(result: IngestResult) -> None:
            if result.status == "failed":
                with bar.external_write_mode():
                    self.stderr.write(f"失败 / failed: {result.ref}: {result.error}")
            elif as_json:
                self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            if bar.n >= bar.total:
                bar.total += 1
            bar.update(1)

        try:
            report = article_ingest(
                refs=refs, fetched_at=fetched_at, dry_run=options["dry_run"], on_result=on_result
            )
        except IngestBusy as exc:
            raise CommandError(str(exc)) from None
        finally:
            bar.close()
        prefix = (
            "检查完成(未写入)/ dry run, nothing written"
            if report.dry_run
            else "导入完成 / ingested"
        )
        line = f"{prefix}: {report.summary()}"
        (self.stderr if as_json else self.stdout).write(line)
        if report.failed:
            raise CommandError(f"{report.failed} 个输入失败 / {report.failed} input(s) failed")
