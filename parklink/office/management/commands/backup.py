"""`parklink backup FILE`: a consistent, portable backup of the whole database (gzip JSON
Lines with a header; see parklink/office/backup.py and docs/operations.md)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from parklink.office.backup import BackupError, database_backup
from parklink.office.files import atomic_write


class Command(BaseCommand):
    help = "备份整个数据库 / back up the whole database (portable .jsonl.gz)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="output file, e.g. parklink-2025-01-20.jsonl.gz")

    def handle(self, *args, **options) -> None:
        out = Path(options["file"])
        if not out.parent.is_dir():
            raise CommandError(f"目录不存在 {out.parent} / no such directory {out.parent}")
        try:
            with (
                tqdm(unit="row", file=sys.stderr, disable=None, desc="backup") as bar,
                atomic_write(out) as fp,
            ):
                header = database_backup(fp=fp, work_dir=out.parent, progress=bar.update)
        except OSError as exc:
            raise CommandError(
                f"无法写入 {out} / cannot write {out}: {exc.strerror or exc}"
            ) from exc
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已备份 {header.total} 行({len(header.counts)} 张表)/ "
            f"backed up {header.total} rows of {len(header.counts)} models → {out}"
        )
