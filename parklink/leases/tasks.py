"""Background jobs of the leases area (django-tasks; run by `parklink worker`). Each calls
one service and is safe to retry."""

from __future__ import annotations

from django_tasks import task

from parklink.leases import services


@task()
def lease_daily() -> dict[str, int]:
    """Once a day: store each lease's state, make spaces follow their leases, then warn
    about the leases nearing their end and open their 续约 deals."""
    refreshed = services.lease_statuses_refresh()
    warned = services.expiry_warnings_send()
    return {**refreshed, **warned}


@task()
def lease_warnings_mail(user_id: int) -> int:
    """Mail one recipient the expiry warnings not mailed yet."""
    return services.lease_warnings_mail_send(user_id=user_id)


@task()
def dashboard_warm() -> int:
    """Every two minutes: the manager's dashboard of every scope built into the (shared)
    cache, so that a request reads figures instead of aggregating every lead and lease."""
    from parklink.office.reports.dashboard import dashboard_warm as warm

    return warm()
