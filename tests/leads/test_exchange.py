"""`parklink import`/`export` of leads: validated like submissions, merged, idempotent."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from parklink.leads.models import Inquiry, Lead

pytestmark = pytest.mark.django_db


def rows():
    return {
        "leads": [
            {
                "ref": "X-1",
                "company": "北京华康生物科技有限公司",
                "contact": "王先生",
                "mobile": "13800138000",
                "need": "GMP 厂房",
                "kind": "厂房",
                "deal": "出租",
                "area_min_m2": 1000,
                "area_max_m2": 2000,
                "districts": ["昌平区"],
                "annual_tax_wan": 300,
                "requires": {"gmp": True, "power_kva": 800},
                "channel": "活动",
            },
            {"contact": "李女士", "手机号": "13900139000", "需求": "研发楼 500 平"},
            # Same mobile as the first: merges into it.
            {"contact": "王先生", "mobile": "138-0013-8000", "use": "生物制剂生产"},
        ]
    }


def run_import(tmp_path, doc, name="leads.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False))
    out = io.StringIO()
    call_command("import", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_merges_marks_channel_and_is_idempotent(tmp_path):
    summary = run_import(tmp_path, rows())
    assert Lead.objects.count() == 2
    lead = Lead.objects.get(ref="X-1")
    assert lead.channel == "活动" and lead.consent_basis == "业务往来"
    assert lead.use == "生物制剂生产"  # filled by the merged row
    assert lead.requires == {"gmp": True, "power_kva": 800.0}
    assert Inquiry.objects.filter(lead=lead).count() == 2
    assert set(Inquiry.objects.values_list("channel", flat=True)) == {"导入"}
    assert "新增 2" in summary
    again = run_import(tmp_path, rows())
    assert Inquiry.objects.count() == 3 and Lead.objects.count() == 2
    assert "未变 3" in again


def test_import_refuses_bad_rows_and_writes_nothing(tmp_path):
    doc = rows()
    doc["leads"][1]["手机号"] = "12345"
    doc["leads"][0]["uscc"] = "91110000600037341X"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, ensure_ascii=False))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), stdout=io.StringIO(), stderr=err)
    text = err.getvalue()
    assert "第2行/row 2" in text and "mobile" in text and "uscc" in text
    assert not Lead.objects.exists() and not Inquiry.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_export_round_trip(tmp_path, fmt, django_db_reset_sequences):
    run_import(tmp_path, rows())
    before = sorted(Lead.objects.values_list("ref", "mobile", "area_min_m2", "requires", "channel"))
    out = tmp_path / f"leads.{fmt}"
    call_command(
        "export", "leads", "--format", fmt, "-o", str(out), "--unmasked", stdout=io.StringIO()
    )
    Inquiry.objects.all().delete()
    Lead.objects.all().delete()
    call_command("import", str(out), stdout=io.StringIO(), stderr=io.StringIO())
    after = sorted(Lead.objects.values_list("ref", "mobile", "area_min_m2", "requires", "channel"))
    assert after == before
