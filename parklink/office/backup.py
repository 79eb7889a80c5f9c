"""Backup and restore of the whole database in one portable format.

A backup is a gzip file of JSON Lines: the first line a header (format, version, date,
database vendor, Django version, applied migrations, row count per model), then one line
per row exactly as Django's `dumpdata --format jsonl --natural-foreign` writes it. The same
file restores onto SQLite or PostgreSQL, whichever wrote it (docs/operations.md says why
this was preferred to SQLite's file-level backup).

Consistency: on SQLite the live database is first copied with the online backup API
(`sqlite3.Connection.backup`, a page-level snapshot that does not block writers) and the
dump reads that copy; on PostgreSQL the dump runs in one REPEATABLE READ, READ ONLY
transaction. Restore validates the whole file before it touches anything, then wipes and
loads in one transaction: any error leaves the database as it was.

Not carried: content types and permissions (created by `migrate`), sessions, the search
index (rebuilt after a restore) and the background-task queue (transient). A restore
empties those three.
"""

from __future__ import annotations

import contextlib
import datetime
import gzip
import io
import json
import sqlite3
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import django
from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend
from django.utils import timezone

FORMAT = "parklink-backup"
VERSION = 1
# Derived or transient: never in a backup. The last three are emptied by a restore.
NOT_BACKED_UP = (
    "contenttypes.ContentType",
    "auth.Permission",
    "sessions.Session",
    "search.SearchDocument",
    "django_tasks_database.DBTaskResult",
)
CLEARED_ON_RESTORE = NOT_BACKED_UP[2:]
SNAPSHOT_ALIAS = "parklink_backup_snapshot"
CHUNK = 2000

Progress = Callable[[int], Any]


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but times keep their microseconds (Django's cuts them to
    milliseconds, so a restore would move every timestamp): ``2025-01-20T03:00:00.123456Z``.
    The deserializer reads either form."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            if timezone.is_aware(o):
                raise ValueError("JSON can't represent timezone-aware times.")
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """A backup that cannot be written or a file that cannot be restored (bilingual)."""


@dataclass(frozen=True)
class BackupHeader:
    format: str
    version: int
    created_at: str
    vendor: str
    django: str
    migrations: tuple[str, ...]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_json(self) -> str:
        return json.dumps(
            {
                "format": self.format,
                "version": self.version,
                "created_at": self.created_at,
                "vendor": self.vendor,
                "django": self.django,
                "migrations": list(self.migrations),
                "counts": self.counts,
            },
            ensure_ascii=False,
        )


def backup_models() -> list[type[models.Model]]:
    """Every model a backup holds, ordered so that rows a natural key points at come first
    (as dumpdata orders them). Auto-created many-to-many tables travel with their owner."""
    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module]
    ordered = serializers.sort_dependencies(app_list, allow_cycles=True)
    return [
        m
        for m in ordered
        if m._meta.label not in NOT_BACKED_UP
        and m._meta.managed
        and not m._meta.proxy
        and not m._meta.auto_created
    ]


def _applied_migrations(alias: str) -> tuple[str, ...]:
    recorder = MigrationRecorder(connections[alias])
    return tuple(sorted(f"{app}.{name}" for app, name in recorder.applied_migrations()))


# --- backup --------------------------------------------------------------------------------


@contextlib.contextmanager
def _snapshot(work_dir: Path) -> Iterator[str]:
    """A database alias whose reads all see one consistent state of the default database."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "sqlite":
        copy = work_dir / f".{SNAPSHOT_ALIAS}.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        # A connection outside settings.DATABASES, registered for this thread only.
        config = {**connections.settings[DEFAULT_DB_ALIAS], "NAME": str(copy), "OPTIONS": {}}
        wrapper = load_backend(config["ENGINE"]).DatabaseWrapper(config, SNAPSHOT_ALIAS)
        connections[SNAPSHOT_ALIAS] = wrapper
        try:
            yield SNAPSHOT_ALIAS
        finally:
            wrapper.close()
            del connections[SNAPSHOT_ALIAS]
            for suffix in ("", "-wal", "-shm", "-journal"):
                copy.with_name(copy.name + suffix).unlink(missing_ok=True)
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=DEFAULT_DB_ALIAS):
        if connection.vendor == "postgresql" and outermost:
            # Must be the transaction's first statement: one snapshot for every table.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield DEFAULT_DB_ALIAS


def database_backup(
    *, fp: BinaryIO, work_dir: Path, progress: Progress | None = None
) -> BackupHeader:
    """Write a backup of the whole database to the binary file `fp`; return its header.
    `work_dir` holds the short-lived SQLite snapshot (put it beside the output)."""
    with _snapshot(work_dir) as alias:
        todo = backup_models()
        counts = {m._meta.label: m._base_manager.using(alias).count() for m in todo}
        header = BackupHeader(
            format=FORMAT,
            version=VERSION,
            created_at=timezone.localtime().isoformat(timespec="seconds"),
            vendor=connections[DEFAULT_DB_ALIAS].vendor,
            django=django.get_version(),
            migrations=_applied_migrations(alias),
            counts={k: v for k, v in counts.items() if v},
        )
        with (
            gzip.GzipFile(fileobj=fp, mode="wb", compresslevel=6) as gz,
            io.TextIOWrapper(gz, encoding="utf-8", newline="\n") as out,
        ):
            out.write(header.as_json() + "\n")
            for model in todo:
                if not counts[model._meta.label]:
                    continue
                m2m = [f.name for f in model._meta.many_to_many]
                rows = (
                    model._base_manager.using(alias)
                    .order_by("pk")
                    .prefetch_related(*m2m)
                    .iterator(chunk_size=CHUNK)
                )
                serializers.serialize(
                    "jsonl",
                    _counted(rows, progress),
                    stream=out,
                    use_natural_foreign_keys=True,
                    cls=ExactJSONEncoder,
                )
    return header


def _counted(rows: Iterator[Any], progress: Progress | None) -> Iterator[Any]:
    pending = 0
    for row in rows:
        yield row
        pending += 1
        if progress is not None and pending == 500:
            progress(pending)
            pending = 0
    if progress is not None and pending:
        progress(pending)


# --- reading a backup ----------------------------------------------------------------------


def _bad(path: Path, why: str, why_en: str) -> BackupError:
    return BackupError(f"备份文件无效 {path}:{why} / invalid backup file {path}: {why_en}")


@contextlib.contextmanager
def _open(path: Path) -> Iterator[io.TextIOWrapper]:
    try:
        with gzip.open(path, "rt", encoding="utf-8", newline="\n") as text:
            yield text
    except FileNotFoundError as exc:
        raise BackupError(f"找不到文件 {path} / no such file {path}") from exc
    except IsADirectoryError as exc:
        raise BackupError(f"{path} 是目录 / {path} is a directory") from exc
    except PermissionError as exc:
        raise BackupError(f"无法读取 {path} / cannot read {path}") from exc
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile, truncated, CRC mismatch
        raise _bad(path, "不是完整的 gzip 文件", "not a complete gzip file") from exc
    except UnicodeDecodeError as exc:
        raise _bad(path, "编码错误", "not UTF-8 text") from exc


def _header(path: Path, line: str) -> BackupHeader:
    try:
        raw = json.loads(line)
        header = BackupHeader(
            format=raw["format"],
            version=int(raw["version"]),
            created_at=str(raw["created_at"]),
            vendor=str(raw["vendor"]),
            django=str(raw["django"]),
            migrations=tuple(raw["migrations"]),
            counts={str(k): int(v) for k, v in raw["counts"].items()},
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _bad(path, "缺少文件头", "no header") from exc
    if header.format != FORMAT:
        raise _bad(path, "不是 ParkLink 备份", "not a ParkLink backup")
    if header.version > VERSION:
        raise _bad(
            path,
            f"格式版本 {header.version} 高于本程序支持的 {VERSION}",
            f"format version {header.version} is newer than {VERSION}",
        )
    return header


def backup_validate(path: Path) -> BackupHeader:
    """Read the whole file without touching the database: gzip integrity, the header, one
    JSON object per line naming a model this code knows, row counts equal to the header's,
    and no migration the database has not applied. Raises BackupError."""
    known = {m._meta.label_lower: m._meta.label for m in backup_models()}
    seen: Counter[str] = Counter()
    with _open(path) as text:
        header = _header(path, text.readline())
        for number, line in enumerate(text, 2):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                label = known[row["model"]]
                if not isinstance(row["fields"], dict):
                    raise TypeError
            except (ValueError, KeyError, TypeError) as exc:
                raise _bad(path, f"第 {number} 行无法识别", f"line {number} is not a row") from exc
            seen[label] += 1
    if dict(seen) != header.counts:
        raise _bad(path, "行数与文件头不符(文件被截断或修改)", "row counts differ from the header")
    missing = sorted(set(header.migrations) - set(_applied_migrations(DEFAULT_DB_ALIAS)))
    if missing:
        raise BackupError(
            f"备份来自更新的数据库结构(未应用的迁移:{', '.join(missing[:3])}),请先升级并 migrate"
            f" / the backup comes from a newer schema (unapplied: {', '.join(missing[:3])}):"
            " upgrade and migrate first"
        )
    return header


# --- restore -------------------------------------------------------------------------------


def _tables() -> list[str]:
    labels = {m._meta.label for m in backup_models()} | set(CLEARED_ON_RESTORE)
    tables = []
    for model in apps.get_models(include_auto_created=True):
        # An auto-created m2m table goes with the model that declares the field.
        owner = model._meta.auto_created or model
        if owner._meta.label in labels and model._meta.managed:
            tables.append(model._meta.db_table)
    return tables


def _insert(alias: str, objs: list[Any], m2m: list[tuple[Any, str, list[Any]]]) -> None:
    """Insert rows as they are (raw: auto_now fields keep their values, no signals), then
    the rows of their auto-created many-to-many tables."""
    if not objs:
        return
    model = type(objs[0])
    connection = connections[alias]
    fields = list(model._meta.local_concrete_fields)
    size = connection.ops.bulk_batch_size(fields, objs) or len(objs)
    for i in range(0, len(objs), size):
        # QuerySet._insert(raw=True) is what Model.save_base uses for fixtures.
        model._base_manager.using(alias)._insert(objs[i : i + size], fields=fields, raw=True)
    for obj, name, targets in m2m:
        field = model._meta.get_field(name)
        through = field.remote_field.through
        src, tgt = field.m2m_field_name(), field.m2m_reverse_field_name()
        through._base_manager.using(alias).bulk_create(
            [through(**{f"{src}_id": obj.pk, f"{tgt}_id": pk}) for pk in targets],
            batch_size=CHUNK,
        )


def database_restore(*, path: Path, progress: Progress | None = None) -> dict[str, int]:
    """Replace the whole database with the backup at `path` (validated first); return the
    row count per model. One transaction: on any error nothing changes."""
    header = backup_validate(path)
    try:
        return _load(path, header, progress)
    except (DeserializationError, DatabaseError, ValidationError, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BackupError(
            f"恢复失败,数据库未改动:{message} / restore failed, the database is unchanged: "
            f"{message}"
        ) from exc


def _load(path: Path, header: BackupHeader, progress: Progress | None = None) -> dict[str, int]:
    alias = DEFAULT_DB_ALIAS
    connection = connections[alias]
    with transaction.atomic(using=alias), _open(path) as text:
        text.readline()
        with connection.cursor() as cursor:
            for sql in connection.ops.sql_flush(no_style(), _tables()):
                cursor.execute(sql)
        objs: list[Any] = []
        m2m: list[tuple[Any, str, list[Any]]] = []
        deferred = []
        loaded: Counter[str] = Counter()

        def flush() -> None:
            _insert(alias, objs, m2m)
            if progress is not None and objs:
                progress(len(objs))
            objs.clear()
            m2m.clear()

        for item in serializers.deserialize(
            "jsonl", text, using=alias, handle_forward_references=True
        ):
            obj = item.object
            if objs and (type(objs[0]) is not type(obj) or len(objs) >= CHUNK):
                flush()
            if item.deferred_fields:
                deferred.append(item)
            objs.append(obj)
            m2m.extend((obj, name, pks) for name, pks in (item.m2m_data or {}).items())
            loaded[obj._meta.label] += 1
        flush()
        for item in deferred:
            item.save_deferred_fields(using=alias)
        models_loaded = [apps.get_model(label) for label in loaded]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models_loaded):
                cursor.execute(sql)
        connection.check_constraints(table_names=[m._meta.db_table for m in models_loaded])
        if dict(loaded) != header.counts:
            raise _bad(path, "载入行数与文件头不符", "loaded row counts differ from the header")
    return dict(loaded)
