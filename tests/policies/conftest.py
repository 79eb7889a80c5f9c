from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from parklink.matching import index as match_index
from parklink.policies.models import Policy
from tests.factories.parks import IndustryFactory, ParkFactory, SpaceFactory

BIO_RULES = {
    "industries": ["生物医药"],
    "banned_industries": ["化工"],
    "min_investment_wan_per_mu": 500,
    "min_tax_wan_per_mu": 50,
    "min_output_wan_per_mu": None,
    "min_tax_yuan_per_m2": None,
    "veto_keywords": ["电镀"],
}


@pytest.fixture(autouse=True)
def fresh_index():
    match_index.invalidate()
    yield
    match_index.invalidate()


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    """Submissions are not rate limited here unless a test says so (counters are cleared)."""
    from django.core.cache import cache

    settings.PARKLINK_LEAD_RATE_LIMIT = "off"
    cache.clear()


@pytest.fixture
def bio_park(db):
    park = ParkFactory(
        name="测试生命科学园", aliases=["测试生命园"], district="昌平区", rules=dict(BIO_RULES)
    )
    park.industries.add(IndustryFactory(name="生物医药"))
    SpaceFactory(ref="BIO-1", park=park, area_m2=Decimal("2000"))
    return park


@pytest.fixture
def plain_park(db):
    return ParkFactory(name="测试物流园", district="通州区")


def make_policy(ref: str, **kw) -> Policy:
    today = timezone.localdate()
    values = {
        "title": f"测试政策{ref}",
        "region": "昌平区",
        "valid_from": today - timedelta(days=30),
        "valid_to": today + timedelta(days=365),
        "industries": [],
        "conditions": [],
        **kw,
    }
    return Policy.objects.create(ref=ref, **values)


@pytest.fixture
def policies(db):
    today = timezone.localdate()
    return {
        "tax": make_policy(
            "T-TAX",
            industries=["生物医药"],
            conditions=[{"field": "annual_tax_wan", "op": ">=", "value": 300}],
            amount_wan_max=Decimal("500"),
        ),
        "tech": make_policy(
            "T-TECH",
            region="北京市",
            conditions=[{"field": "is_high_tech", "op": "==", "value": True}],
            amount_wan_max=Decimal("100"),
        ),
        "ic": make_policy(
            "T-IC",
            region="海淀区",
            industries=["集成电路"],
            amount_wan_max=Decimal("300"),
            valid_to=today + timedelta(days=10),
        ),
        "old": make_policy(
            "T-OLD",
            valid_from=date(2020, 1, 1),
            valid_to=today - timedelta(days=1),
            amount_wan_max=Decimal("9999"),
        ),
    }
