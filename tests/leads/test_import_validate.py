"""An imported lead row is validated where it is prepared (a forked worker for a large
file), and the writer skips only what passed there."""

from __future__ import annotations

import pytest

from parklink.leads import exchange, services
from parklink.leads.models import Lead


def test_a_prepared_row_that_passes_is_marked_validated_and_written_unchanged(db):
    values, _digest = exchange._prepare(
        {
            "company": "甲科技有限公司",
            "contact": "王先生",
            "mobile": "13912345678",
            "need": "大兴1500平厂房",
        }
    )
    assert values[services.PREPARED] and values[services.VALIDATED]
    (pk,) = services.lead_import_bulk_create(
        items=[({"company": "甲科技有限公司"}, False)], actor=None, cleaned=[values]
    )
    lead = Lead.objects.get(pk=pk)
    assert lead.company == "甲科技有限公司" and lead.mobile.endswith("12345678")
    assert lead.ref.startswith("L")


def test_a_row_the_new_lead_validation_refuses_is_not_marked(db, monkeypatch):
    values = {
        "company": "乙公司",
        "contact": "李女士",
        "mobile": "+8613912345679",
        services.PREPARED: True,
        "area_min_m2": 3000,
        "area_max_m2": 1000,  # the model's clean() refuses min > max
    }
    services.lead_import_validate(values, {})
    assert services.VALIDATED not in values
    with pytest.raises(Exception, match="最大面积不能小于最小面积"):
        services.lead_import_bulk_create(items=[({}, False)], actor=None, cleaned=[values])
