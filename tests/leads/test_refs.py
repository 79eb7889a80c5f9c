"""Lead references cannot collide: a per-day counter taken inside the creating transaction,
skipping numbers an import already used; many leads in one day, and concurrently."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from parklink.leads.choices import Channel
from parklink.leads.models import Lead, LeadRefCounter
from parklink.leads.services import lead_submit
from tests.factories.leads import LeadFactory


def _data(i: int) -> dict[str, object]:
    return {
        "contact": "测试",
        "mobile": f"1710{i:07d}",
        "need": f"需要{100 + i}平米研发楼",
        "consent": True,
    }


@pytest.mark.django_db
def test_many_leads_in_one_day_get_distinct_sequential_refs():
    today = f"L{timezone.localdate():%Y%m%d}"
    refs = [lead_submit(data=_data(i), channel=Channel.API).ref for i in range(1200)]
    assert len(set(refs)) == 1200
    assert all(re.fullmatch(rf"{today}\d{{4,}}", ref) for ref in refs)
    numbers = [int(ref[len(today) :]) for ref in refs]
    assert numbers == list(range(1, 1201))
    assert LeadRefCounter.objects.get(day=timezone.localdate()).last == 1200


@pytest.mark.django_db
def test_a_number_taken_by_an_imported_ref_is_skipped():
    today = f"L{timezone.localdate():%Y%m%d}"
    LeadFactory(ref=f"{today}0002")  # e.g. an imported row carrying its own ref
    first = lead_submit(data=_data(1), channel=Channel.API)
    second = lead_submit(data=_data(2), channel=Channel.API)
    assert (first.ref, second.ref) == (f"{today}0001", f"{today}0003")


def _submit(i: int) -> int:
    try:
        client = Client(REMOTE_ADDR=f"10.2.{i // 250}.{i % 250}")
        body = json.dumps({**_data(i), "company": f"编号并发测试{i}有限公司"})
        return client.post("/api/v1/leads", body, content_type="application/json").status_code
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_never_collides(settings, real_database):
    settings.PARKLINK_LEAD_RATE_LIMIT = "off"
    settings.PARKLINK_LEAD_SPOOL_AFTER = 30  # this test is about refs: store everything now
    with ThreadPoolExecutor(max_workers=12) as pool:
        codes = list(pool.map(_submit, range(150)))
    assert codes.count(201) == 150, codes
    refs = list(Lead.objects.values_list("ref", flat=True))
    assert len(refs) == len(set(refs)) == 150
