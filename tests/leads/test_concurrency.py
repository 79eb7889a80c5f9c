"""100 concurrent submissions from one process: every acknowledged one is stored (an Inquiry
each), on SQLite and PostgreSQL. Threads use their own database connections, so the test
runs with real transactions (transaction=True). On a busy machine a few may be acknowledged
as spooled (202, leads/spool.py) instead of stored at once (201): they are stored when the
spool drains."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client

from parklink.leads import spool
from parklink.leads.models import Inquiry, Lead

N = 100


def _payload(i: int) -> dict[str, object]:
    # 20 distinct mobiles: many submissions race to merge into the same lead.
    return {
        "company": f"并发测试科技有限公司{i % 20}",
        "contact": "测试",
        "mobile": f"1710000{i % 20:04d}",
        "need": f"第{i}次提交:需要{500 + i}平米研发楼",
        "consent": True,
    }


def _submit(i: int) -> int:
    try:
        client = Client(REMOTE_ADDR=f"10.1.{i // 250}.{i % 250}")
        resp = client.post(
            "/api/v1/leads", json.dumps(_payload(i)), content_type="application/json"
        )
        return resp.status_code
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_all_stored(settings, real_database):
    settings.PARKLINK_LEAD_RATE_LIMIT = "off"
    if connection.vendor == "sqlite":
        assert connection.settings_dict["NAME"].endswith("concurrency.sqlite3")
    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = list(pool.map(_submit, range(N)))
    assert set(codes) <= {201, 202}, codes
    spool.drain()
    assert Inquiry.objects.count() == N
    # Merging under contention: one lead per mobile, never more.
    assert Lead.objects.count() == 20
    for lead in Lead.objects.all():
        assert lead.inquiries.count() == N // 20
