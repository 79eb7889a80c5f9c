"""A submission never waits on a long writer and is never lost: while another connection
holds the SQLite write lock, submissions are acknowledged from the spool and stored exactly
once when the spool drains."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from parklink.leads import spool
from parklink.leads.choices import Channel
from parklink.leads.models import Inquiry, Lead
from parklink.leads.services import lead_submit_status
from parklink.leads.tasks import lead_spool_drain


def _payload(i: int) -> dict[str, object]:
    return {
        "company": f"长事务测试{i}科技有限公司",
        "contact": "测试",
        "mobile": f"1710100{i:04d}",
        "need": f"spool-{i}:需要800平米研发楼",
        "consent": True,
    }


def _post(client: Client, i: int):
    return client.post("/api/v1/leads", json.dumps(_payload(i)), content_type="application/json")


@pytest.mark.django_db(transaction=True)
def test_long_write_on_sqlite_submissions_acknowledged_then_stored(
    real_database, spool_file, client
):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite writer lock; PostgreSQL is covered by the kill test")
    holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a long import's write transaction
    holder.execute("INSERT INTO core_team (name) VALUES ('held by a long writer')")
    try:
        answers = [_post(client, i) for i in range(5)]
        portal = client.post(
            "/inquiry/",
            {**_payload(99), "consent": "on", "website": ""},
        )
        assert [a.status_code for a in answers] == [202] * 5
        assert all(a.json() == {"id": None, "status": "queued"} for a in answers)
        assert portal.status_code == 302 and portal.url.endswith("/inquiry/thanks/")
        assert Lead.objects.count() == 0  # nothing could be written yet
        assert spool.pending_count() == 6
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert lead_spool_drain.enqueue().return_value == 6  # what `parklink worker` runs
    needs = sorted(Inquiry.objects.values_list("data__need", flat=True))
    assert needs == sorted(str(_payload(i)["need"]) for i in [*range(5), 99])
    assert spool.pending_count() == 0
    # A second drain stores nothing again; a new submission goes straight in.
    assert spool.drain().stored == 0 and Inquiry.objects.count() == 6
    assert _post(client, 7).status_code == 201


@pytest.mark.django_db
def test_drain_interrupted_after_commit_stores_once(spool_file, valid_data):
    key = spool.put(
        spool.SpooledSubmission(
            data=valid_data, channel=Channel.API, received_at=timezone.now() - timedelta(hours=1)
        )
    )
    # A drain that committed the lead but died before marking the spool row:
    lead_submit_status(data=valid_data, channel=Channel.API, intake_key=key)
    result = spool.drain()
    assert (result.stored, result.already, result.pending) == (0, 1, 0)
    assert Inquiry.objects.count() == 1 and Inquiry.objects.get().intake_key == key


@pytest.mark.django_db
def test_drained_inquiry_keeps_the_time_it_was_received(spool_file, valid_data):
    received = timezone.now() - timedelta(minutes=42)
    spool.put(spool.SpooledSubmission(data=valid_data, channel=Channel.API, received_at=received))
    assert spool.drain().stored == 1
    inquiry = Inquiry.objects.get()
    assert inquiry.received_at == received
    assert Lead.objects.get().last_inquiry_at == received


@pytest.mark.django_db
def test_invalid_submission_is_refused_not_spooled(spool_file, client):
    resp = client.post(
        "/api/v1/leads",
        json.dumps({**_payload(1), "mobile": "123"}),
        content_type="application/json",
    )
    assert resp.status_code == 422
    assert spool.pending_count() == 0 and Inquiry.objects.count() == 0


def test_worker_runs_the_drain_periodically():
    from parklink.office.management.commands.worker import PERIODIC

    jobs = {job.name: job for job in PERIODIC}
    assert jobs["leads.spool_drain"].task is lead_spool_drain
    assert jobs["leads.spool_drain"].every_seconds <= 60


@pytest.mark.django_db(transaction=True)
def test_server_drains_the_spool_once_the_database_is_free(
    real_database, spool_file, client, settings, monkeypatch
):
    """Without any worker: the first submission stored after the writer finished starts a
    background drain in the server process."""
    import threading

    from parklink.leads import intake

    if connection.vendor != "sqlite":
        pytest.skip("the SQLite writer lock")
    settings.PARKLINK_LEAD_SPOOL_AUTODRAIN = "on"
    monkeypatch.setattr(intake, "_next_check", 0.0)
    holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert [_post(client, i).status_code for i in range(3)] == [202] * 3
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _post(client, 3).status_code == 201
    for thread in threading.enumerate():
        if thread.name == "lead-spool-drain":
            thread.join(timeout=60)
    assert spool.pending_count() == 0
    assert Inquiry.objects.count() == 4
