"""Background jobs of the search index (django-tasks; `parklink worker` runs them)."""

from __future__ import annotations

from django_tasks import task

from parklink.search.services import search_document_sync


@task()
def search_document_sync_task(type: str, object_id: int) -> None:
    """Idempotent: re-reads the record and rewrites (or deletes) its document."""
    search_document_sync(type=type, object_id=object_id)


@task()
def search_documents_sync_task(type: str, object_ids: list[int]) -> None:
    """`search_document_sync_task` for a batch (an import batch of spaces)."""
    for object_id in object_ids:
        search_document_sync(type=type, object_id=object_id)
