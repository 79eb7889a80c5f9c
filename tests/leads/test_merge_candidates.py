"""merge_candidates: the leads a submission merges into, found by one indexed column.

The rule (open, live, asked within the merge window, oldest first) is checked in Python on
what the index probe returns; these tests hold it to the rule, and check that the probe
stays an index search on SQLite whatever else the table holds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parklink.leads.choices import Stage
from parklink.leads.selectors import merge_candidates
from tests.factories.leads import LeadFactory

pytestmark = pytest.mark.django_db


def test_only_open_live_recent_leads_oldest_first():
    now = timezone.now()
    since = now - timedelta(days=90)
    older = LeadFactory(mobile="13800000001", last_inquiry_at=now - timedelta(days=10))
    newer = LeadFactory(mobile="13800000001", last_inquiry_at=now - timedelta(days=1))
    LeadFactory(mobile="13800000001", last_inquiry_at=now - timedelta(days=200))  # too old
    LeadFactory(mobile="13800000001", stage=Stage.LOST, lost_reason="预算不足")
    LeadFactory(mobile="13800000001", merged_into=newer)
    LeadFactory(mobile="13800000002")  # another mobile

    found = merge_candidates({"mobile": ["13800000001"]}, since=since)

    assert [lead.pk for lead in found] == [older.pk, newer.pk]


def test_many_values_across_chunks_and_each_key():
    leads = [LeadFactory(mobile=f"1390000{i:04d}", uscc="") for i in range(1200)]
    since = timezone.now() - timedelta(days=1)
    wanted = [lead.mobile for lead in leads[::7]] + ["13199999999"]

    found = merge_candidates({"mobile": wanted}, since=since)

    assert sorted(lead.mobile for lead in found) == sorted(wanted[:-1])
    key = leads[5].company_key
    assert [lead.pk for lead in merge_candidates({"company_key": [key]}, since=since)] == [
        leads[5].pk
    ]
    assert merge_candidates({"uscc": []}, since=since) == []


def test_refuses_other_columns():
    with pytest.raises(ValueError):
        merge_candidates({"contact": ["王先生"]}, since=timezone.now())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")
def test_the_probe_is_an_index_search_on_sqlite():
    """With the window in the WHERE clause SQLite chose the lead_live_list range (every lead
    asked since) over the mobile index; the probe names the one column."""
    LeadFactory.create_batch(5)
    since = timezone.now() - timedelta(days=1)
    with CaptureQueriesContext(connection) as queries:
        merge_candidates(
            {"mobile": ["13800000001", "13800000002"], "company_key": ["huaxin"], "uscc": [""]},
            since=since,
        )
    (probe,) = [q["sql"] for q in queries.captured_queries]  # nothing matched: one query
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + probe)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING COVERING INDEX leads_lead_mobile" in plan, plan
    assert "USING COVERING INDEX leads_lead_company_key" in plan, plan
    assert "SCAN" not in plan, plan


def test_a_lead_found_by_two_keys_comes_once():
    lead = LeadFactory(mobile="13800000009", uscc="91110108MA01ABCD2X")
    since = timezone.now() - timedelta(days=1)
    wanted = {"mobile": [lead.mobile], "company_key": [lead.company_key], "uscc": [lead.uscc]}

    assert [found.pk for found in merge_candidates(wanted, since=since)] == [lead.pk]
