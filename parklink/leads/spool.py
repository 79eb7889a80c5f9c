"""The lead spool: submissions acknowledged while the database could not take them.

When the main database stays busy (a long writer on SQLite, a held lock or an outage on
PostgreSQL) for longer than PARKLINK_LEAD_SPOOL_AFTER seconds, `leads.intake.lead_receive`
writes the already-validated submission here and answers that it was received. The spool
is a small SQLite file of its own (PARKLINK_LEAD_SPOOL, default var/spool/leads.sqlite3) in
WAL mode with `synchronous=FULL`: a row is on disk (fsync'd) before the answer goes out, and
many server processes may append at once. It does not depend on the main database, so it
works the same when that is PostgreSQL.

`drain()` (run by `parklink worker` through the `leads.spool_drain` periodic job) stores
each pending row with `lead_submit_status(intake_key=<row key>)`. The key is also stored on
the Inquiry under a unique constraint, so a row is stored exactly once even when a drain is
interrupted between the database commit and marking the row, or two drains race. Stored rows
are kept for PARKLINK_LEAD_SPOOL_KEEP_DAYS (7) as a receipt, then deleted (personal data is
not kept longer than needed).
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import IntegrityError, InterfaceError, OperationalError
from django.utils import timezone

from parklink.leads import conf

logger = logging.getLogger("parklink.leads")

KEEP_DAYS = 7
_SCHEMA = """
CREATE TABLE IF NOT EXISTS spooled (
    key TEXT PRIMARY KEY,
    received_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    stored_at TEXT,
    lead_id INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS spooled_pending ON spooled (stored_at, received_at);
"""


@dataclass(frozen=True)
class SpooledSubmission:
    """What `lead_submit_status` needs to store the submission later."""

    data: dict[str, Any]
    channel: str
    received_at: datetime
    ip_hash: str = ""
    user_agent: str = ""
    actor_id: int | None = None


@dataclass
class DrainResult:
    stored: int = 0
    already: int = 0  # stored by an earlier, interrupted drain
    failed: int = 0  # kept in the spool for the next drain
    pending: int = 0


def _connect(path: Path | None = None) -> sqlite3.Connection:
    path = path or conf.spool_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Personal data: readable by the service's user only (SQLite gives the -wal and
        # -shm files the database file's permissions).
        path.touch(mode=0o600)
    conn = sqlite3.connect(str(path), timeout=10, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")  # fsync on every commit: durable before the ack
    conn.executescript(_SCHEMA)
    return conn


def _key(entry: SpooledSubmission, nonce: str) -> str:
    canonical = json.dumps(
        {
            "data": entry.data,
            "channel": entry.channel,
            "received_at": entry.received_at.isoformat(),
            "nonce": nonce,
        },
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def put(entry: SpooledSubmission) -> str:
    """Append one submission durably; returns its key (the receipt)."""
    key = _key(entry, secrets.token_hex(8))
    payload = json.dumps(
        {
            "data": entry.data,
            "channel": entry.channel,
            "ip_hash": entry.ip_hash,
            "user_agent": entry.user_agent,
            "actor_id": entry.actor_id,
        },
        ensure_ascii=False,
        default=str,
    )
    conn = _connect()
    try:
        conn.execute(
            "INSERT OR IGNORE INTO spooled (key, received_at, payload) VALUES (?, ?, ?)",
            (key, entry.received_at.isoformat(), payload),
        )
    finally:
        conn.close()
    logger.warning("lead submission spooled", extra={"key": key[:12]})
    return key


def pending_count() -> int:
    if not conf.spool_path().exists():
        return 0
    conn = _connect()
    try:
        return conn.execute("SELECT COUNT(*) FROM spooled WHERE stored_at IS NULL").fetchone()[0]
    finally:
        conn.close()


def drain(
    *, limit: int | None = None, progress: Callable[[int, int], None] | None = None
) -> DrainResult:
    """Store every pending submission in the main database (idempotent, resumable). Stops
    early, leaving the rest pending, when the database is still busy."""
    from django.contrib.auth import get_user_model

    from parklink.leads.services import lead_submit_status
    from parklink.leads.validation import LeadDataError

    result = DrainResult()
    if not conf.spool_path().exists():
        return result
    conn = _connect()
    try:
        rows = conn.execute(
            "SELECT key, received_at, payload FROM spooled WHERE stored_at IS NULL "
            "ORDER BY received_at, key" + (f" LIMIT {int(limit)}" if limit else "")
        ).fetchall()
        users = get_user_model().objects
        for done, (key, received_at, payload) in enumerate(rows, start=1):
            item = json.loads(payload)
            actor = users.filter(pk=item["actor_id"]).first() if item.get("actor_id") else None
            try:
                lead, status = lead_submit_status(
                    data=item["data"],
                    channel=item["channel"],
                    actor=actor,
                    user_agent=item.get("user_agent", ""),
                    intake_key=key,
                    received_at=datetime.fromisoformat(received_at),
                    ip_hashed=item.get("ip_hash", ""),
                )
            except IntegrityError:  # another drain stored it a moment ago
                result.already += 1
                _mark(conn, key, None)
            except (OperationalError, InterfaceError) as exc:
                _failed(conn, key, f"database busy: {exc}")
                result.failed += 1
                break  # still busy: try again on the next round
            except LeadDataError as exc:
                # Validated before it was spooled, so only a rule changed since: keep it for
                # a person to look at, never drop it.
                _failed(conn, key, f"invalid: {exc}")
                result.failed += 1
            else:
                _mark(conn, key, lead.pk)
                if status == "unchanged":
                    result.already += 1
                else:
                    result.stored += 1
            if progress is not None:
                progress(done, len(rows))
        _purge(conn)
        result.pending = conn.execute(
            "SELECT COUNT(*) FROM spooled WHERE stored_at IS NULL"
        ).fetchone()[0]
    finally:
        conn.close()
    if result.stored or result.failed:
        logger.info(
            "lead spool drained",
            extra={"stored": result.stored, "failed": result.failed, "pending": result.pending},
        )
    return result


def _mark(conn: sqlite3.Connection, key: str, lead_id: int | None) -> None:
    conn.execute(
        "UPDATE spooled SET stored_at = ?, lead_id = ? WHERE key = ?",
        (timezone.now().isoformat(), lead_id, key),
    )


def _failed(conn: sqlite3.Connection, key: str, error: str) -> None:
    conn.execute(
        "UPDATE spooled SET attempts = attempts + 1, last_error = ? WHERE key = ?",
        (error[:500], key),
    )


def _purge(conn: sqlite3.Connection) -> None:
    cutoff = (timezone.now() - timedelta(days=KEEP_DAYS)).isoformat()
    conn.execute("DELETE FROM spooled WHERE stored_at IS NOT NULL AND stored_at < ?", (cutoff,))


def entries(*, pending_only: bool = True) -> list[Mapping[str, Any]]:
    """The spool's rows (for operators and tests): key, received_at, stored_at, lead_id,
    attempts, last_error."""
    if not conf.spool_path().exists():
        return []
    conn = _connect()
    conn.row_factory = sqlite3.Row
    try:
        sql = "SELECT key, received_at, stored_at, lead_id, attempts, last_error FROM spooled"
        if pending_only:
            sql += " WHERE stored_at IS NULL"
        return [dict(row) for row in conn.execute(sql + " ORDER BY received_at")]
    finally:
        conn.close()
