"""Background jobs of the matching area (django-tasks; `parklink worker`). Idempotent."""

from __future__ import annotations

from django_tasks import task

from parklink.matching import services


@task()
def space_alerts(space_id: int, fields: list[str], created: bool) -> int:
    """Alert owners of open leads that a listed or changed space now fits."""
    return len(services.space_alerts_create(space_id=space_id, fields=fields, created=created))


@task()
def spaces_alerts(space_ids: list[int], created: bool) -> int:
    """`space_alerts` for a batch of listings written in bulk (an import batch)."""
    fields = sorted(services.ALERT_FIELDS)
    return sum(
        len(services.space_alerts_create(space_id=i, fields=fields, created=created))
        for i in space_ids
    )


@task()
def match_digest() -> int:
    """Send the daily digest of match alerts (schedule once a day)."""
    return services.match_digest_send()
