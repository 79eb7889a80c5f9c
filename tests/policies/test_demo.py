"""The demo step of the policies area: marked demo, current, idempotent."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from parklink.leads.choices import Channel
from parklink.leads.services import lead_submit
from parklink.news.choices import ReviewStatus
from parklink.policies import demo
from parklink.policies.models import Policy, PolicyProposal
from tests.factories.parks import ParkFactory

pytestmark = pytest.mark.django_db


def test_demo_policies_rules_and_queue(manager):
    park = ParkFactory(name="中关村生命科学园")
    ruled = ParkFactory(name="北京经济技术开发区", rules={"min_tax_wan_per_mu": 1})
    lead = lead_submit(
        data={
            "contact": "甲",
            "mobile": "17000000777",
            "need": "厂房",
            "consent": True,
            "area_min_m2": 2000,
            "area_max_m2": 3000,
        },
        channel=Channel.WEB,
        is_demo=True,
        ref="DEMO-L003",
    )
    out = io.StringIO()
    demo.load(out)
    policies = Policy.objects.all()
    assert policies.count() == 7
    assert all(p.is_demo and p.ref.startswith("DEMO-P") and "演示" in p.title for p in policies)
    today = timezone.localdate()
    assert policies.valid_on(today).count() == 6  # one demo policy has expired on purpose
    park.refresh_from_db()
    assert park.rules["industries"] == ["生物医药"] and "演示" in park.rules_sources[0]
    ruled.refresh_from_db()
    assert ruled.rules == {"min_tax_wan_per_mu": 1}  # rules a park already has are kept
    queued = PolicyProposal.objects.all()
    assert queued.exists() and all(p.status == ReviewStatus.PROPOSED for p in queued)
    n_queued = queued.count()  # one per measure of the demo text
    lead.refresh_from_db()
    assert lead.land_mu is not None and lead.total_investment_wan is not None
    before = (list(Policy.objects.values_list("updated_at", flat=True)), park.rules)
    demo.load(out)  # twice changes nothing
    park.refresh_from_db()
    assert (list(Policy.objects.values_list("updated_at", flat=True)), park.rules) == before
    assert PolicyProposal.objects.count() == n_queued
    assert "0 new, 0 updated" in out.getvalue().splitlines()[-1]
