"""Intake of public submissions (portal form, public API): the guards before a submission
reaches `lead_submit` (request size, per-IP rate limit), and `lead_receive`, which never
lets a submission wait on a long writer or be lost (retry with backoff, then the spool)."""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import InterfaceError, OperationalError, connection, connections, transaction
from django.http import HttpRequest
from django.utils import timezone

from parklink.core.services import ip_hash
from parklink.leads import conf, ratelimit, spool
from parklink.leads.models import Lead
from parklink.leads.validation import Message

logger = logging.getLogger("parklink.leads")

# How long one attempt may wait for the database's write lock (SQLite busy timeout,
# PostgreSQL lock_timeout) before it backs off and tries again.
ATTEMPT_WAIT_MS = 250


@dataclass(frozen=True)
class Refusal(Message):
    """A whole submission refused (too large, too many): a bilingual message and its HTTP
    status. The UI shows `text` (the active language's half), the API both halves."""

    status: int = 400


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy
    # rewrites REMOTE_ADDR (configure the proxy, not this code).
    return request.META.get("REMOTE_ADDR", "") or ""


def user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]


def too_large(request: HttpRequest) -> Refusal | None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = conf.max_bytes()
    if length > limit:
        return Refusal(
            f"提交内容过大(上限 {limit} 字节)", f"request too large (limit {limit} bytes)", 413
        )
    return None


def check(request: HttpRequest) -> Refusal | None:
    """None when the submission may proceed; a Refusal (413/429) otherwise. Counts the
    request against the sender's IP."""
    refusal = too_large(request)
    if refusal is not None:
        return refusal
    if not ratelimit.hit(ip_hash(client_ip(request)) or "unknown"):
        return Refusal("提交过于频繁,请稍后再试", "too many submissions, try again later", 429)
    return None


@dataclass(frozen=True)
class Receipt:
    """The answer to a submission: stored (`lead` set) or spooled (`spool_key` set); both
    mean it was received and will not be lost."""

    lead: Lead | None = None
    status: str = "received"  # "received" (stored now) or "queued" (spooled)
    spool_key: str = ""

    @property
    def queued(self) -> bool:
        return bool(self.spool_key)


@contextlib.contextmanager
def _short_lock_wait(ms: int) -> Iterator[None]:
    """One attempt's transaction, waiting at most `ms` for a lock instead of the default
    30 s busy timeout (SQLite) or forever (PostgreSQL)."""
    if connection.vendor == "sqlite":
        # Setting busy_timeout needs a connection; it must not be in a transaction yet.
        connection.ensure_connection()
        default = int(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5) * 1000)
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(ms)}")
        try:
            with transaction.atomic():
                yield
        finally:
            with contextlib.suppress(Exception), connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {default}")
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{int(ms)}ms'")
        yield


# SQLite takes one writer at a time for the whole file: the threads of one process take
# turns here for the write transaction of a submission (see lead_receive).
_writer_lock = threading.Lock()


@contextlib.contextmanager
def _writer_turn(deadline: float) -> Iterator[bool]:
    """This thread's turn to write a submission (True), or False when it did not come
    before `deadline`. Only on SQLite: PostgreSQL locks rows, and submissions about
    different leads write concurrently there."""
    if connection.vendor != "sqlite":
        yield True
        return
    if not _writer_lock.acquire(timeout=max(deadline - time.monotonic(), 0.0)):
        yield False
        return
    try:
        yield True
    finally:
        _writer_lock.release()


def _busy(exc: Exception) -> bool:
    """A database that cannot take the write now (locked, lock timeout, gone away), as
    opposed to a bug: those propagate."""
    if isinstance(exc, InterfaceError):
        return True
    text = str(exc).lower()
    return isinstance(exc, OperationalError) and any(
        word in text
        for word in (
            "locked",
            "lock timeout",
            "canceling statement",
            "could not connect",
            "connection",
            "server closed",
            "terminating",
            "too many clients",
            "disk i/o",
        )
    )


def lead_receive(
    *,
    data: Mapping[str, Any],
    channel: str,
    actor: Any = None,
    ip: str | None = None,
    user_agent: str = "",
) -> Receipt:
    """Store a public submission now, or durably spool it: never a lost or stalled lead.

    Validation comes first (LeadDataError propagates: a refused submission stores nothing,
    in the database or the spool). While the database stays locked the submission is
    retried with jittered exponential backoff, each attempt waiting at most 250 ms; after
    PARKLINK_LEAD_SPOOL_AFTER seconds (2) it is written to the spool (`leads.spool`,
    fsync'd) and acknowledged as queued; `parklink worker` stores it later, exactly once.

    The submission is validated and enriched once, before any write lock is taken. On
    SQLite (one writer for the whole file) the threads of a process then take turns for
    the write transaction on a process-wide lock (queueing, not sleeping in SQLite's busy
    handler), so only the server's processes contend for the file; a thread that cannot
    have the lock before the deadline spools, as does one that finds the file locked."""
    from parklink.leads.services import lead_prepare, lead_submit_status

    deadline = time.monotonic() + conf.spool_after()
    received_at = timezone.now()
    prepared = lead_prepare(data=data, channel=channel)
    delay = 0.05
    attempts = 0
    while True:
        attempts += 1
        try:
            with _writer_turn(deadline) as turn:
                if turn:
                    with _short_lock_wait(ATTEMPT_WAIT_MS):
                        lead, _status = lead_submit_status(
                            data=data,
                            channel=channel,
                            actor=actor,
                            ip=ip,
                            user_agent=user_agent,
                            prepared=prepared,
                        )
            if turn:
                drain_soon()
                return Receipt(lead=lead)
            break  # the other threads' writes took the whole wait: spool
        except (OperationalError, InterfaceError) as exc:
            if not _busy(exc):
                raise
            if connection.vendor != "sqlite" and not connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            time.sleep(min(remaining, delay * (0.5 + random.random())))
            delay = min(delay * 2, 1.0)
    key = spool.put(
        spool.SpooledSubmission(
            data=dict(data),
            channel=channel,
            received_at=received_at,
            ip_hash=ip_hash(ip),
            user_agent=user_agent[:300],
            actor_id=actor.pk if getattr(actor, "is_authenticated", False) else None,
        )
    )
    logger.warning(
        "database busy: lead submission spooled", extra={"attempts": attempts, "key": key[:12]}
    )
    return Receipt(status="queued", spool_key=key)


_drain_lock = threading.Lock()
_next_check = 0.0


def drain_soon() -> None:
    """The database took a submission again: if the spool holds some, store them now in a
    background thread of this process (at most one, at most every 5 s), so acknowledged
    submissions reach the database even before `parklink worker` runs its drain.
    PARKLINK_LEAD_SPOOL_AUTODRAIN=off leaves it to the worker alone."""
    global _next_check
    if not conf.spool_autodrain():
        return
    now = time.monotonic()
    if now < _next_check or not conf.spool_path().exists():
        return
    _next_check = now + 5
    if not _drain_lock.acquire(blocking=False):
        return

    def work() -> None:
        try:
            if spool.pending_count():
                spool.drain(limit=1000)
        except Exception:  # the worker's drain will try again; never crash the server
            logger.exception("background spool drain failed")
        finally:
            connections.close_all()  # this thread's connections only
            _drain_lock.release()

    try:
        threading.Thread(target=work, name="lead-spool-drain", daemon=True).start()
    except RuntimeError:
        _drain_lock.release()
