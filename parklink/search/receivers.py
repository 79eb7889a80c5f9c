"""Receivers that keep the index fresh. They only enqueue the sync job after commit.

Bulk writes (imports, the demo) send no per-row signal; they end with `parklink reindex`
or its service.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import transaction

from parklink.search.models import DocType

logger = logging.getLogger(__name__)


_local = threading.local()


def _enqueue(type: str, object_id: int) -> None:
    """Queue `object_id`'s document for a sync after the transaction commits. Every save
    registers a callback, but the first one to run takes every id pending in the thread and
    the rest find nothing: the records saved in one transaction (an ingest batch of
    articles) make one job per document type, not one job per save. Ids of a rolled-back
    save stay pending and go with the next commit: a sync re-reads the record (and removes
    the document of one that is not there), so that is harmless."""
    pending: dict[str, set[int]] = getattr(_local, "pending", None) or {}
    _local.pending = pending
    pending.setdefault(type, set()).add(int(object_id))
    transaction.on_commit(_flush)  # runs at once in autocommit mode


def _flush() -> None:
    from parklink.search.tasks import search_document_sync_task, search_documents_sync_task

    pending: dict[str, set[int]] = getattr(_local, "pending", None) or {}
    _local.pending = None
    for type, ids in pending.items():
        try:
            if len(ids) == 1:
                search_document_sync_task.enqueue(type, next(iter(ids)))
            else:
                search_documents_sync_task.enqueue(type, sorted(ids))
        except Exception:  # never break the write that sent the signal
            logger.exception("search sync not enqueued", extra={"type": type, "n": len(ids)})


def on_space_changed(sender: Any, space_id: int, **kwargs: Any) -> None:
    _enqueue(DocType.SPACE, space_id)


def on_spaces_changed(sender: Any, space_ids: list[int], **kwargs: Any) -> None:
    """A bulk write (an import batch): one sync job for the batch."""
    from parklink.search.tasks import search_documents_sync_task

    ids = [int(i) for i in space_ids]

    def go() -> None:
        try:
            search_documents_sync_task.enqueue(DocType.SPACE, ids)
        except Exception:
            logger.exception("search sync not enqueued", extra={"spaces": len(ids)})

    transaction.on_commit(go)


def on_model_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # fixtures and restores: rebuilt by `reindex` afterwards
        return
    _enqueue(_TYPES[sender._meta.label], instance.pk)


_TYPES = {
    "parks.Park": DocType.PARK,
    "orgs.Organization": DocType.ORG,
    "news.Article": DocType.ARTICLE,
}
