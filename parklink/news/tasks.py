"""Background ingestion (django-tasks): feeds and page lists fetched off the request path."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from parklink.news.services import article_ingest


@task()
def ingest_refs(refs: list[str], fetched_at: str | None = None) -> dict[str, int]:
    """Ingest these paths/URLs (idempotent: unchanged pages are left alone)."""
    report = article_ingest(
        refs=refs, fetched_at=date.fromisoformat(fetched_at) if fetched_at else None
    )
    return {"ok": report.ok, "failed": report.failed, "duplicates": report.duplicates}


@task()
def feeds_poll() -> dict[str, int]:
    """Poll the sources whose interval has passed (idempotent: held links are skipped)."""
    from parklink.news.polling import feeds_poll_due

    results = feeds_poll_due()
    return {
        "sources": len(results),
        "new": sum(r.new for r in results),
        "failed": sum(1 for r in results if r.status == "failed"),
    }
