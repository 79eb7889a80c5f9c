"""lead_receive validates before it queues for the write, and a thread that does not get
its turn at the process's SQLite writer lock before the deadline spools its submission
(acknowledged, stored later) instead of waiting on."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from parklink.leads import intake, spool
from parklink.leads.choices import Channel
from parklink.leads.models import Inquiry, Lead
from parklink.leads.validation import LeadDataError


@pytest.fixture
def spool_file(spool_file, settings):
    """The leads' spool (conftest), with a shorter wait for the writer's turn."""
    settings.PARKLINK_LEAD_SPOOL_AFTER = 0.2
    return spool_file


def _data(i: int) -> dict[str, object]:
    return {
        "company": f"写锁轮次测试{i}科技有限公司",
        "contact": "测试",
        "mobile": f"1710200{i:04d}",
        "need": "需要800平米研发楼",
        "consent": True,
    }


@pytest.mark.django_db(transaction=True)
def test_turn_not_given_before_deadline_spools(spool_file):
    if connection.vendor != "sqlite":
        pytest.skip("the process writer lock is SQLite's")
    assert intake._writer_lock.acquire(timeout=5)  # another thread's long write
    try:
        receipt = intake.lead_receive(data=_data(1), channel=Channel.API)
    finally:
        intake._writer_lock.release()
    assert receipt.queued and receipt.lead is None
    assert spool.pending_count() == 1
    assert not Inquiry.objects.exists()
    spool.drain(limit=10)
    assert Inquiry.objects.filter(intake_key=receipt.spool_key).count() == 1


@pytest.mark.django_db(transaction=True)
def test_invalid_submission_refused_without_waiting_for_the_writer(spool_file):
    assert intake._writer_lock.acquire(timeout=5)
    try:
        with pytest.raises(LeadDataError):
            intake.lead_receive(data={**_data(2), "mobile": "12"}, channel=Channel.API)
    finally:
        intake._writer_lock.release()
    assert not spool_file.exists() or spool.pending_count() == 0
    assert not Inquiry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_turn_free_stores_now_and_releases_the_lock(spool_file):
    receipt = intake.lead_receive(data=_data(3), channel=Channel.API)
    assert not receipt.queued and receipt.lead is not None
    assert Inquiry.objects.filter(lead=receipt.lead).count() == 1
    assert intake._writer_lock.acquire(blocking=False)
    intake._writer_lock.release()


@pytest.mark.django_db(transaction=True)
def test_many_threads_submitting_at_once_are_all_stored_now(real_database, spool_file, settings):
    settings.PARKLINK_LEAD_SPOOL_AFTER = 20  # a turn comes long before: nothing spools
    receipts: list[intake.Receipt] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def submit(start: int) -> None:
        try:
            for i in range(start, start + 5):
                receipt = intake.lead_receive(data=_data(i), channel=Channel.API)
                with lock:
                    receipts.append(receipt)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n * 5,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(receipts) == 40
    assert not any(r.queued for r in receipts)
    assert Inquiry.objects.count() == 40
    assert Lead.objects.count() == 40
    assert not intake._writer_lock.locked()
