"""Background jobs of the leads area (django-tasks; run by `parklink worker`). Each loads
rows by id, calls one service, and is safe to retry."""

from __future__ import annotations

from django_tasks import task

from parklink.leads import services


@task()
def lead_notify_owner(lead_id: int, reason: str) -> bool:
    """E-mail the owner about a new, merged or assigned lead."""
    return services.lead_notify_owner_send(lead_id=lead_id, reason=reason)


@task()
def lead_pool_recycle() -> int:
    """Return leads without a follow-up for PARKLINK_LEAD_POOL_DAYS days to the 公海."""
    return services.lead_pool_recycle()


@task()
def lead_spool_drain() -> int:
    """Store the submissions spooled while the database was busy (exactly once each)."""
    from parklink.leads import spool

    return spool.drain().stored
