"""The change feed: keeps every process's in-process indexes fresh with writes made by other
processes and servers (docs/architecture.md, "Change feed").

Design: Redis pub/sub on one channel, when ``REDIS_URL`` is set (the same Redis that holds
the shared cache and, then, the task queue; it works on SQLite and PostgreSQL alike).

- A committed write of a watched model (``parks.Space``, ``parks.Park``, ``news.Article``,
  ``orgs.Organization``) publishes ``{"kind", "ids", "deleted", "origin"}`` once per
  transaction and kind (``post_save``/``post_delete`` receivers, sent ``on_commit``);
  bulk paths may call `publish` themselves.
- Every process runs one daemon listener thread (started on its first request, so it is
  never forked by ``gunicorn --preload``). It hands each message to the handlers
  subscribed for its kind (`subscribe`): the matching index, the faceted space index and the
  search sync register in ``matching.index``. Messages from the process itself are
  delivered too (its own signals already queued the change; applying it twice is harmless).
- Pub/sub is at-most-once: a listener that was disconnected misses messages. The indexes
  stay correct anyway: on reconnect every handler is told to catch up (`CATCH_UP`), and the
  matching index follows ``updated_at`` on each use.
- Without ``REDIS_URL`` nothing starts; a single process needs no feed, and several
  processes fall back to the indexes' own ``updated_at`` polling.

Every message also bumps this process's page-cache generation (``core.cache``), which
matters when the page cache is local memory.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections, transaction

from parklink.core import cache as page_cache

logger = logging.getLogger(__name__)

CHANNEL = "parklink:changes"
CATCH_UP = "*"  # kind sent to handlers after a (re)connect: re-check everything
WATCHED = {
    "parks.Space": "space",
    "parks.Park": "park",
    "news.Article": "article",
    "orgs.Organization": "org",
}
ORIGIN = uuid.uuid4().hex[:12]

Handler = Callable[[str, list[int], bool], None]
_handlers: dict[str, list[Handler]] = defaultdict(list)
_listener: dict[str, Any] = {"pid": None, "thread": None, "stop": None}
_start_lock = threading.Lock()
_local = threading.local()
stats = {"received": 0, "applied": 0, "errors": 0}


def redis_url() -> str:
    return getattr(settings, "REDIS_URL", "") or ""


def enabled() -> bool:
    return bool(redis_url()) and settings.PARKLINK.get("CHANGE_FEED", True)


def subscribe(kind: str, handler: Handler) -> None:
    """Call `handler(kind, ids, deleted)` for every message of `kind` (and with
    ``CATCH_UP`` after a reconnect). Idempotent per handler."""
    if handler not in _handlers[kind]:
        _handlers[kind].append(handler)


def _client() -> Any:
    import redis

    return redis.Redis.from_url(redis_url(), socket_keepalive=True, health_check_interval=30)


def _publisher() -> Any:
    client = getattr(_local, "client", None)
    if client is None:
        client = _local.client = _client()
    return client


def publish(kind: str, ids: Iterable[int], *, deleted: bool = False) -> None:
    """Tell every process that these rows changed (or were deleted). Never raises: a write
    must not fail because the feed is down (the indexes catch up by ``updated_at``)."""
    ids = sorted({int(i) for i in ids})
    if not ids or not enabled():
        return
    message = json.dumps(
        {
            "kind": kind,
            "ids": ids,
            "deleted": deleted,
            "origin": ORIGIN,
            "id": uuid.uuid4().hex,
        }
    )
    try:
        _publisher().publish(CHANNEL, message)
    except Exception:
        _local.client = None
        logger.warning("change feed: publish failed", extra={"kind": kind, "n": len(ids)})


def _pending() -> dict[tuple[str, bool], set[int]]:
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = {}
    return pending


def _flush() -> None:
    pending = _pending()
    batches = list(pending.items())
    pending.clear()
    for (kind, deleted), ids in batches:
        publish(kind, ids, deleted=deleted)


def on_write(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    """``post_save``/``post_delete`` receiver: collect the row, publish after commit (one
    message per transaction and kind)."""
    if instance is None or kwargs.get("raw") or not enabled():
        return
    meta = getattr(sender, "_meta", None)
    kind = WATCHED.get(meta.label if meta is not None else "")
    if kind is None:
        return
    deleted = "created" not in kwargs  # post_delete sends no `created`
    _pending().setdefault((kind, deleted), set()).add(int(instance.pk))
    using = kwargs.get("using") or DEFAULT_DB_ALIAS
    if not connections[using].in_atomic_block:
        _flush()
    elif not page_cache.registered(_flush, using):
        # Once per transaction. After a rollback the ids collected stay and go out with the
        # next commit: a needless re-read, never a missed one.
        transaction.on_commit(_flush, using=using)


def dispatch(raw: bytes | str) -> None:
    """Apply one message: run the handlers of its kind (what the listener thread does)."""
    try:
        message = json.loads(raw)
        kind = str(message["kind"])
        ids = [int(i) for i in message["ids"]]
        deleted = bool(message.get("deleted"))
    except (ValueError, KeyError, TypeError):
        logger.warning("change feed: bad message ignored")
        return
    stats["received"] += 1
    _local.message_id = str(message.get("id") or uuid.uuid4().hex)
    try:
        _run(kind, ids, deleted)
    finally:
        _local.message_id = None


def claim(name: str) -> bool:
    """Whether this process is the one to do `name` for the message being handled: for work
    on shared state (the search table in the database) that one process should do, where
    in-process state (the indexes) is updated by every process. Outside a message: True."""
    from django.core.cache import cache

    message_id = getattr(_local, "message_id", None)
    if not message_id:
        return True
    return bool(cache.add(f"pl:feed:claim:{message_id}:{name}", ORIGIN, 300))


def _run(kind: str, ids: list[int], deleted: bool) -> None:
    close_old_connections()
    for handler in list(_handlers.get(kind, ())):
        try:
            handler(kind, ids, deleted)
            stats["applied"] += 1
        except Exception:
            stats["errors"] += 1
            logger.exception("change feed: handler failed", extra={"kind": kind})
    try:
        page_cache.bump()
    except Exception:
        logger.warning("change feed: page cache not bumped")
    close_old_connections()


def _catch_up() -> None:
    for kind in list(_handlers):
        if kind != CATCH_UP:
            _run_catch_up(kind)


def _run_catch_up(kind: str) -> None:
    for handler in list(_handlers.get(kind, ())):
        try:
            handler(CATCH_UP, [], False)
        except Exception:
            logger.exception("change feed: catch-up failed", extra={"kind": kind})


def _listen(stop: threading.Event) -> None:
    backoff = 0.5
    connected_before = False
    while not stop.is_set():
        pubsub = None
        try:
            pubsub = _client().pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe(CHANNEL)
            if connected_before:
                close_old_connections()
                _catch_up()  # messages may have been missed while disconnected
            connected_before = True
            backoff = 0.5
            while not stop.is_set():
                message = pubsub.get_message(timeout=1.0)
                if message and message.get("type") == "message":
                    dispatch(message["data"])
        except Exception:
            logger.warning("change feed: listener disconnected, retrying")
            stop.wait(backoff)
            backoff = min(backoff * 2, 10.0)
        finally:
            if pubsub is not None:
                try:
                    pubsub.close()
                except Exception:
                    logger.debug("change feed: close failed")
    close_old_connections()


def ensure_listener() -> bool:
    """Start this process's listener thread if the feed is configured and it is not
    running (after a fork the parent's thread is gone: the pid is checked)."""
    if not enabled():
        return False
    pid = os.getpid()
    thread = _listener["thread"]
    if _listener["pid"] == pid and thread is not None and thread.is_alive():
        return True
    with _start_lock:
        thread = _listener["thread"]
        if _listener["pid"] == pid and thread is not None and thread.is_alive():
            return True
        stop = threading.Event()
        thread = threading.Thread(
            target=_listen, args=(stop,), name="parklink-changefeed", daemon=True
        )
        _listener.update(pid=pid, thread=thread, stop=stop)
        thread.start()
    return True


def stop_listener(timeout: float = 3.0) -> None:
    stop, thread = _listener["stop"], _listener["thread"]
    if stop is not None:
        stop.set()
    if thread is not None and thread.is_alive():
        thread.join(timeout)
    _listener.update(pid=None, thread=None, stop=None)


def _on_request_started(sender: Any, **kwargs: Any) -> None:
    ensure_listener()


def start_if_configured() -> None:
    """Connect the write receivers and start the listener lazily on the first request (what
    ``core.apps`` calls at start-up). Without ``REDIS_URL`` the receivers return at once."""
    from django.core.signals import request_started
    from django.db.models.signals import post_delete, post_save

    post_save.connect(on_write, dispatch_uid="core.changefeed.save")
    post_delete.connect(on_write, dispatch_uid="core.changefeed.delete")
    request_started.connect(_on_request_started, dispatch_uid="core.changefeed.listener")
