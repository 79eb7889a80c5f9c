"""On SQLite the threads of one server process take turns for the write transaction of a
submission (`intake._writer_turn`): they queue on a lock instead of fighting SQLite's busy
handler, a submission whose turn does not come before the spool deadline is spooled, not
lost, and concurrent submissions from many threads are all stored now."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from parklink.leads import intake
from parklink.leads.choices import Channel
from parklink.leads.models import Inquiry, Lead


@pytest.fixture
def spool_file(settings, tmp_path):
    settings.PARKLINK_LEAD_SPOOL = str(tmp_path / "spool" / "leads.sqlite3")
    settings.PARKLINK_LEAD_SPOOL_AFTER = 0.3
    settings.PARKLINK_LEAD_SPOOL_AUTODRAIN = "off"
    return tmp_path / "spool" / "leads.sqlite3"


def _data(i: int) -> dict[str, object]:
    return {
        "company": f"轮流写入{i}科技有限公司",
        "contact": "测试",
        "mobile": f"1710200{i:04d}",
        "need": "需要800平米研发楼",
        "consent": True,
    }


@pytest.mark.django_db(transaction=True)
def test_a_submission_waits_for_its_turn_then_spools(real_database, spool_file):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL writers take no turn")
    assert intake._writer_lock.acquire(timeout=5)  # another thread's write in progress
    try:
        receipt = intake.lead_receive(data=_data(1), channel=Channel.API)
    finally:
        intake._writer_lock.release()
    assert receipt.queued and receipt.lead is None
    assert not Lead.objects.exists()
    assert spool_file.exists()


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
