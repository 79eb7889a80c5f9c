from __future__ import annotations

import pytest


@pytest.fixture
def valid_data():
    return {
        "company": "北京华康生物科技有限公司",
        "contact": "王先生",
        "mobile": "138 0013 8000",
        "need": "想在昌平租1000-2000平米GMP厂房,做生物制剂生产",
        "use": "生物制剂生产",
        "annual_tax_wan": "300",
        "kind": "厂房",
        "deal": "出租",
        "area_min_m2": 1000,
        "area_max_m2": 2000,
        "districts": ["昌平"],
        "industry": "生物医药",
        "consent": True,
    }


@pytest.fixture(autouse=True)
def _no_rate_limit_by_default(settings):
    settings.PARKLINK_LEAD_RATE_LIMIT = "off"
    from django.core.cache import cache

    cache.clear()
