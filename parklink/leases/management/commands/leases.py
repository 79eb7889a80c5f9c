"""`parklink leases`: leases nearing their end, the 租控 workbook import, the daily job."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parklink.core.exchange import ImportFailed
from parklink.leases import selectors, services, terms
from parklink.leases.exchange import grid_import
from parklink.leases.management.commands._common import day_arg, dumps, park_arg, window_arg


class Command(BaseCommand):
    help = (
        "租约:即将到期、导入租控表、每日任务 / leases: expiring soon, import a 租控 "
        "workbook, run the daily job"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--expiring", metavar="DAYS", help="leases active on --on that end within DAYS"
        )
        parser.add_argument("--on", metavar="YYYY-MM-DD", help="the day (default: today)")
        parser.add_argument("--park", metavar="NAME", help="one park (name or alias)")
        parser.add_argument("--json", action="store_true", help="JSON on stdout")
        parser.add_argument(
            "--import-grid", metavar="FILE.xlsx", help="import a 租控 workbook (all or nothing)"
        )
        parser.add_argument("--dry-run", action="store_true", help="with --import-grid: check only")
        parser.add_argument(
            "--daily",
            action="store_true",
            help="run the daily job now: lease states, space statuses, warnings, 续约 deals",
        )

    def handle(self, *args, **options) -> None:
        if options["import_grid"]:
            return self._grid(Path(options["import_grid"]), options["dry_run"])
        if options["daily"]:
            day = day_arg(options["on"])
            done = {
                **services.lease_statuses_refresh(today=day),
                **services.expiry_warnings_send(today=day),
            }
            self.stdout.write(
                f"租约状态 {done['leases']} / lease states, 房源状态 {done['spaces']} / spaces, "
                f"提醒 {done['warnings']} / warnings, 续约商机 {done['deals']} / renewal deals"
            )
            return None
        if options["expiring"] is None:
            raise CommandError(
                "请指定 --expiring DAYS、--import-grid FILE 或 --daily / "
                "give --expiring DAYS, --import-grid FILE or --daily"
            )
        try:
            days = int(options["expiring"])
        except ValueError:
            raise CommandError(terms.days_error(options["expiring"])) from None
        if message := terms.days_error(days):
            raise CommandError(message)
        day = day_arg(options["on"])
        window_arg(on=day, days=days)
        park = park_arg(options["park"])
        rows = selectors.leases_expiring(days=days, on=day, park=park)
        if options["json"]:
            self.stdout.write(dumps({"on": day.isoformat(), "leases": rows}))
            return None
        self.stdout.write(
            f"{day:%Y-%m-%d} 起 {days} 天内到期 / ending within {days} days: {len(rows)}"
        )
        for r in rows:
            self.stdout.write(
                f"{r['end']}  {r['days_left']:>4}天  {r['ref']}  {r['park']} {r['space']}  "
                f"{r['tenant']}  {r['area_m2']}㎡  {r['annual_rent_yuan']}元/年"
            )
        return None

    def _grid(self, path: Path, dry_run: bool) -> None:
        if not path.is_file():
            raise CommandError(f"文件不存在:{path} / no such file: {path}")
        self.stderr.write(f"读取 / reading {path.name} …")
        try:
            counts = grid_import(
                name=path.name, data=path.read_bytes(), actor=None, dry_run=dry_run
            )
        except ImportFailed as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"导入失败,未写入任何数据({len(exc.problems)} 个问题)/ import failed, nothing "
                f"written ({len(exc.problems)} problems)"
            ) from None
        prefix = "检查通过 / checked (dry run): " if dry_run else "已导入 / imported: "
        self.stdout.write(f"{prefix}租赁/leases: {counts}")
