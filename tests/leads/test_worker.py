"""`parklink worker --once` enqueues the periodic pool recycle and runs it."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories.leads import LeadFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_once_recycles_stale_leads(settings, agent):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PARKLINK_LEAD_POOL_DAYS = 10
    stale = LeadFactory(owner=agent, assigned_at=timezone.now() - timedelta(days=11))
    kept = LeadFactory(owner=agent, assigned_at=timezone.now() - timedelta(days=3))
    from django_tasks_db.models import DBTaskResult

    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    stale.refresh_from_db(), kept.refresh_from_db()
    assert stale.owner is None and kept.owner == agent
    result = DBTaskResult.objects.get(task_path="parklink.leads.tasks.lead_pool_recycle")
    assert result.status == "SUCCESSFUL" and result.return_value == 1
    assert "leads.pool_recycle" in out.getvalue()


def test_worker_refuses_immediate_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(CommandError):
        call_command("worker", "--once", stdout=io.StringIO())
