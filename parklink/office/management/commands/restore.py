"""`parklink restore FILE --force`: replace the whole database with a backup.

Destructive, so it needs --force. The file is validated in full before anything is
touched; the load runs in one transaction; the search index is rebuilt afterwards."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from parklink.office.backup import BackupError, backup_validate, database_restore
from parklink.search.services import search_document_count_expected, search_reindex


class Command(BaseCommand):
    help = "从备份恢复整个数据库(覆盖现有数据)/ restore the whole database from a backup"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="a file written by `parklink backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="required: every row in the database is replaced by the backup's",
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            header = backup_validate(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not options["force"]:
            raise CommandError(
                f"恢复会覆盖数据库中的全部数据,请加 --force 确认(备份 {header.created_at},"
                f"{header.total} 行)/ restore replaces every row in the database: add --force"
                f" (backup of {header.created_at}, {header.total} rows)"
            )
        try:
            with tqdm(
                total=header.total, unit="row", file=sys.stderr, disable=None, desc="restore"
            ) as bar:
                counts = database_restore(path=path, progress=bar.update)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        total = search_document_count_expected()
        with tqdm(total=total, unit="doc", file=sys.stderr, disable=None, desc="reindex") as bar:
            indexed = search_reindex(progress=bar.update)
        for label, n in sorted(counts.items()):
            self.stdout.write(f"  {label}: {n}")
        self.stdout.write(
            f"已恢复 {sum(counts.values())} 行,已重建索引 {indexed} 条 / restored "
            f"{sum(counts.values())} rows, reindexed {indexed} documents"
        )
