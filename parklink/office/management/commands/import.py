"""`parklink import FILE... [--kind KIND] [--dry-run]`: the exchange format into the catalogue.

All or nothing: every problem of every file is printed (file, row, field, value, what is
allowed; Chinese and English), nothing is written and the exit status is 1. Re-importing the
same file changes nothing (upsert by ref/name).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from parklink.core import exchange
from parklink.office.management.commands.export import KINDS


class Command(BaseCommand):
    help = "导入 JSON/CSV/XLSX 数据(全部成功或全部不写)/ import exchange-format files"
    # The system checks load every URL module (the API routers: seconds of start-up, counted
    # in every import's wall time); `parklink check`, `migrate` and the server still run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--kind", help=f"CSV kind when headers are ambiguous: {' | '.join(KINDS)}"
        )
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="import as this operator: the lead scope and the manager role for catalogue "
            "kinds apply (default: the installation's administrator, unrestricted)",
        )

    def handle(self, *args, **options) -> None:
        sources = [exchange.InputFile.from_path(f) for f in options["files"]]
        actor = None
        if options.get("user"):
            from django.contrib.auth import get_user_model

            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None or not actor.is_active:
                raise CommandError(
                    f"没有该用户:{options['user']} / no such active user: {options['user']}"
                )
        try:
            result = exchange.import_files(
                sources, KINDS, actor=actor, kind=options["kind"], dry_run=options["dry_run"]
            )
        except exchange.ImportFailed as failed:
            for problem in failed.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"导入失败:{len(failed.problems)} 个问题,未写入任何数据 / import failed: "
                f"{len(failed.problems)} problem(s), nothing written"
            ) from None
        prefix = (
            "检查通过(未写入)/ dry run, nothing written" if result.dry_run else "已导入 / imported"
        )
        self.stdout.write(f"{prefix}: {result.summary()}")
