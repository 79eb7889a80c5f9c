"""The fact queue: ranked by confidence, bulk accept/reject, each decision audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from parklink.core.models import AuditEntry
from parklink.news import review, selectors
from parklink.news.choices import ReviewStatus
from parklink.news.models import Fact
from parklink.parks.models import ParkFact
from tests.factories.news import FactFactory
from tests.factories.parks import ParkFactory

pytestmark = pytest.mark.django_db


def test_queue_is_ranked_by_confidence():
    low = FactFactory(confidence=0.55)
    high = FactFactory(confidence=0.9)
    mid = FactFactory(confidence=0.7)
    FactFactory(confidence=0.99, status=ReviewStatus.LINKED)
    assert [f.pk for f in selectors.proposed_fact_list()] == [high.pk, mid.pk, low.pk]


def test_bulk_accept_records_facts_on_their_parks_and_skips_the_rest(agent):
    park = ParkFactory(name="示范园")
    a = FactFactory(park=park, value=Decimal("88"))
    b = FactFactory(park=park, kind="planned_area", value=Decimal("2000000"), unit="m2")
    orphan = FactFactory(park=None)
    done = FactFactory(park=park, status=ReviewStatus.REJECTED)
    outcome = review.facts_bulk_review(
        fact_ids=[a.pk, b.pk, orphan.pk, done.pk], action="accept", actor=agent
    )
    assert (outcome.done, outcome.skipped) == (2, 2)
    assert set(ParkFact.objects.filter(park=park).values_list("kind", flat=True)) == {
        "occupancy",
        "planned_area",
    }
    statuses = dict(Fact.objects.values_list("pk", "status"))
    assert statuses[a.pk] == statuses[b.pk] == ReviewStatus.ACCEPTED
    assert statuses[orphan.pk] == ReviewStatus.PROPOSED
    assert AuditEntry.objects.filter(action="news.fact.accept").count() == 2


def test_bulk_reject_via_the_queue_page(agent_client):
    facts = FactFactory.create_batch(3)
    keep = FactFactory()
    resp = agent_client.post(
        reverse("office:news-facts-bulk"),
        {"fact": [f.pk for f in facts], "action": "reject"},
    )
    assert resp.status_code == 302
    assert Fact.objects.filter(status=ReviewStatus.REJECTED).count() == 3
    assert Fact.objects.get(pk=keep.pk).status == ReviewStatus.PROPOSED
    assert AuditEntry.objects.filter(action="news.fact.reject").count() == 3
    # Nothing ticked: one clear message, nothing changed.
    resp = agent_client.post(reverse("office:news-facts-bulk"), {"action": "accept"}, follow=True)
    assert "请勾选事实" in resp.content.decode()
    assert Fact.objects.get(pk=keep.pk).status == ReviewStatus.PROPOSED
