"""`parklink backup` / `parklink restore` keep timestamps exactly (microseconds), and a
backup restores into the other database vendor (SQLite → PostgreSQL when the suite runs on
SQLite, PostgreSQL → SQLite when it runs on PostgreSQL; skipped when PostgreSQL is not
reachable)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.db import connection

from parklink.core.models import AuditEntry
from parklink.leads.models import FollowUp, Inquiry, Lead
from tests.factories.leads import FollowUpFactory, InquiryFactory, LeadFactory
from tests.factories.parks import ParkFactory, SpaceFactory

pytestmark = pytest.mark.django_db(transaction=True)

CREATED = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
UPDATED = datetime(2024, 5, 6, 7, 8, 9, 999999, tzinfo=UTC)
AUDITED = datetime(2025, 12, 31, 23, 59, 59, 1, tzinfo=UTC)
PARKLINK = Path(sys.executable).with_name("parklink")


@pytest.fixture
def timed(agent):
    space = SpaceFactory(park=ParkFactory(name="备份园区"), ref="BK-1")
    lead = LeadFactory(owner=agent, company="微秒客户", mobile="13800001111")
    Lead.objects.filter(pk=lead.pk).update(created_at=CREATED, updated_at=UPDATED)
    inquiry = InquiryFactory(lead=lead, data={"need": "厂房"})
    follow_up = FollowUpFactory(lead=lead, author=agent)
    entry = AuditEntry.objects.create(actor=agent, action="test.micro", detail={})
    AuditEntry.objects.filter(pk=entry.pk).update(at=AUDITED)
    return {"lead": lead, "inquiry": inquiry, "follow_up": follow_up, "space": space}


def _stamps() -> dict[str, str]:
    """Every timestamp of the rows under test, as exact ISO text."""
    out: dict[str, str] = {}
    for model in (Lead, Inquiry, FollowUp, AuditEntry):
        for row in model.objects.values():
            for name, value in row.items():
                if isinstance(value, datetime):
                    out[f"{model._meta.label}#{row['id']}.{name}"] = value.isoformat()
    return out


def test_backup_and_restore_keep_microseconds(timed, tmp_path):
    before = _stamps()
    assert any(".123456" in v for v in before.values())
    path = tmp_path / "pl.jsonl.gz"
    call_command("backup", str(path), stdout=StringIO(), stderr=StringIO())
    call_command("flush", "--no-input", verbosity=0)
    assert Lead.objects.count() == 0
    call_command("restore", str(path), "--force", stdout=StringIO(), stderr=StringIO())
    assert _stamps() == before
    lead = Lead.objects.get(pk=timed["lead"].pk)
    assert (lead.created_at, lead.updated_at) == (CREATED, UPDATED)
    assert AuditEntry.objects.get(action="test.micro").at == AUDITED


# --- across vendors -----------------------------------------------------------------------

DUMP = """
import json
from datetime import datetime
from parklink.core.models import AuditEntry
from parklink.leads.models import FollowUp, Inquiry, Lead
from parklink.parks.models import Space
out = {}
for model in (Lead, Inquiry, FollowUp, AuditEntry):
    for row in model.objects.values():
        for name, value in row.items():
            if isinstance(value, datetime):
                out[f"{model._meta.label}#{row['id']}.{name}"] = value.isoformat()
out["leads"] = sorted(Lead.objects.values_list("ref", "company", "mobile"))
out["spaces"] = sorted(Space.objects.values_list("ref", flat=True))
print("DUMP" + json.dumps(out, ensure_ascii=False, default=str))
"""


def _pg_admin_url() -> str:
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/postgres"
    return os.environ.get("PARKLINK_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, "", ""))


def _pg_execute(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
        conn.execute(sql)


@pytest.fixture
def other_database(tmp_path):
    """A DATABASE_URL of the other vendor, empty (created here, dropped afterwards)."""
    if connection.vendor == "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    if connection.vendor != "sqlite":
        pytest.skip(f"no cross-vendor restore test for {connection.vendor}")
    admin = _pg_admin_url()
    name = f"parklink_xrestore_{uuid.uuid4().hex[:10]}"
    try:
        _pg_execute(admin, f'CREATE DATABASE "{name}"')
    except Exception as exc:  # psycopg missing, server down, no rights: skip cleanly
        pytest.skip(f"PostgreSQL not reachable for the cross-vendor restore: {exc}")
    try:
        yield _with_db(admin, name)
    finally:
        _pg_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _parklink(url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PARKLINK_VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": "cross-vendor-restore-test",
        "PARKLINK_LOG_LEVEL": "ERROR",
    }
    env.pop("PARKLINK_TESTING", None)
    return subprocess.run(
        [str(PARKLINK), *args], env=env, capture_output=True, text=True, timeout=600
    )


def test_a_backup_restores_into_the_other_vendor(timed, tmp_path, other_database):
    path = tmp_path / "pl.jsonl.gz"
    call_command("backup", str(path), stdout=StringIO(), stderr=StringIO())
    before = _stamps()
    leads = sorted(Lead.objects.values_list("ref", "company", "mobile"))

    migrated = _parklink(other_database, tmp_path, "migrate", "--no-input", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    restored = _parklink(other_database, tmp_path, "restore", str(path), "--force")
    assert restored.returncode == 0, restored.stderr
    assert "restored" in restored.stdout

    dumped = _parklink(other_database, tmp_path, "shell", "-c", DUMP)
    assert dumped.returncode == 0, dumped.stderr
    got = json.loads(dumped.stdout.split("DUMP", 1)[1])
    assert {k: v for k, v in got.items() if "#" in k} == before
    assert [tuple(r) for r in got["leads"]] == [tuple(r) for r in leads]
    assert got["spaces"] == ["BK-1"]
