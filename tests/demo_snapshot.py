"""The demo data set for tests, loaded once per session and restored per test.

`parklink demo` goes through the domain services row by row (ingestion, chains, leases,
the search index) and takes 20-60 s on two cores; a few dozen tests need it. The session
fixture `demo_snapshot` (tests/conftest.py) runs the real command once into the test
database, copies every model table into a snapshot table beside it, and empties the
database again; `restore()` puts those rows back in a fraction of a second, with the same
ids and timestamps the command wrote. The command itself stays under test: the snapshot is
its output, and tests/core/test_foundation.py runs it again on top (idempotence).

Copies name their columns (PostgreSQL's generated `tsv` column is recomputed, not copied);
SQLite's full-text tables follow through their triggers; PostgreSQL's sequences are moved
past the restored ids. Process-level caches that a direct write bypasses (content types,
the matching and facet indexes, the cache) are dropped on restore and after the test.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model
from django.test import override_settings

SNAPSHOT_PREFIX = "zz_demo_snapshot_"


@dataclass(frozen=True)
class Table:
    model: type[Model]
    name: str
    snapshot: str
    columns: str  # quoted, comma-separated


@dataclass(frozen=True)
class Snapshot:
    tables: tuple[Table, ...]
    var_dir: Path  # files the command wrote (credentials)


def _tables() -> tuple[Table, ...]:
    existing = set(connection.introspection.table_names())
    quote = connection.ops.quote_name
    tables = []
    for i, model in enumerate(apps.get_models(include_auto_created=True)):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.db_table not in existing:
            continue
        columns = ", ".join(quote(f.column) for f in meta.local_concrete_fields)
        tables.append(Table(model, meta.db_table, f"{SNAPSHOT_PREFIX}{i:03d}", columns))
    return tuple(tables)


def clear_process_caches() -> None:
    from django.contrib.contenttypes.models import ContentType

    from parklink.matching import index as match_index
    from parklink.parks import facets

    ContentType.objects.clear_cache()
    match_index.invalidate()
    facets.invalidate()
    for cache in caches.all():
        cache.clear()


def take(var_dir: Path) -> Snapshot:
    """Run `parklink demo` into the (empty) test database, copy its tables, empty it again.

    Called with database access unblocked, outside any test transaction."""
    with override_settings(VAR_DIR=var_dir, PARKLINK_LEAD_RATE_LIMIT="off"):
        call_command("demo", "--no-migrate", "--quiet-credentials", stdout=io.StringIO())
    tables = _tables()
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for t in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {quote(t.snapshot)}")
            cursor.execute(
                f"CREATE TABLE {quote(t.snapshot)} AS SELECT {t.columns} FROM {quote(t.name)}"
            )
    # Back to the state every test starts from (what pytest-django's flush leaves).
    call_command("flush", interactive=False, verbosity=0)
    clear_process_caches()
    return Snapshot(tables, var_dir)


def restore(snapshot: Snapshot, var_dir: Path) -> None:
    """The demo's rows back into the test database (inside the test's transaction for
    `db` tests, committed for `transactional_db` ones), its files into `var_dir`."""
    quote = connection.ops.quote_name
    names = [t.name for t in snapshot.tables]
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(no_style(), names, allow_cascade=True):
            cursor.execute(sql)
        for t in snapshot.tables:
            cursor.execute(
                f"INSERT INTO {quote(t.name)} ({t.columns}) "
                f"SELECT {t.columns} FROM {quote(t.snapshot)}"
            )
        models = [t.model for t in snapshot.tables]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    shutil.copytree(snapshot.var_dir, var_dir, dirs_exist_ok=True)
    clear_process_caches()
