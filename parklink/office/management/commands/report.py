"""`parklink report --week YYYY-Www -o FILE.pdf|xlsx`: the weekly 招商 report."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parklink.office.files import atomic_write
from parklink.office.reports.render_pdf import write_pdf
from parklink.office.reports.render_xlsx import write_xlsx
from parklink.office.reports.weekly import WeekError, week_parse, weekly_report

WRITERS = {".pdf": write_pdf, ".xlsx": write_xlsx}


class Command(BaseCommand):
    help = "生成招商周报 / write the weekly 招商 report (PDF or XLSX)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--week", required=True, help="ISO week, e.g. 2025-W03")
        parser.add_argument("-o", "--output", required=True, help="FILE.pdf or FILE.xlsx")
        parser.add_argument(
            "--include-demo", action="store_true", help="count demo data too (default: not)"
        )

    def handle(self, *args, **options) -> None:
        out = Path(options["output"])
        writer = WRITERS.get(out.suffix.lower())
        if writer is None:
            raise CommandError(
                f"未知的文件类型 {out.suffix or out.name} / unknown file type "
                f"{out.suffix or out.name} (允许/allowed: .pdf | .xlsx)"
            )
        try:
            week = week_parse(options["week"])
        except WeekError as exc:
            raise CommandError(str(exc)) from exc
        if not out.parent.is_dir():
            raise CommandError(f"目录不存在 {out.parent} / no such directory {out.parent}")
        report = weekly_report(week=week, include_demo=options["include_demo"])
        try:
            with atomic_write(out) as fp:
                writer(report, fp)
        except OSError as exc:
            raise CommandError(
                f"无法写入 {out} / cannot write {out}: {exc.strerror or exc}"
            ) from exc
        self.stdout.write(f"已生成 {week.label} 周报 / weekly report {week.label} written → {out}")
