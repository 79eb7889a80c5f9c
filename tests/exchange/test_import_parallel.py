"""Lead rows of a large file are prepared (validated, need parsed, company key, digest) in
forked worker processes: the result is exactly the sequential one."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from parklink.core import exchange
from parklink.leads import exchange as lead_exchange
from parklink.leads.models import Inquiry, Lead
from parklink.office.management.commands.export import KINDS

pytestmark = pytest.mark.django_db


def _rows(n: int) -> list[dict]:
    return [
        {
            "ref": f"PAR{i:04d}",
            "company": f"北京并行测试{i}号生物科技有限公司",
            "contact": "李女士",
            "mobile": f"139{i:08d}",
            "need": f"需要{300 + i}平米GMP厂房,层高6米,年纳税{50 + i}万",
            "districts": "昌平区",
        }
        for i in range(n)
    ] + [{"contact": "坏行", "mobile": "12345", "need": "x"}]  # refused row


@pytest.fixture
def parallel(monkeypatch):
    monkeypatch.setattr(lead_exchange, "PARALLEL_MIN_ROWS", 1)
    monkeypatch.setattr(lead_exchange, "_workers", lambda: 2)


def test_prepared_rows_equal_sequential(parallel):
    datas = [{k: v for k, v in r.items()} for r in _rows(40)]
    for d in datas:
        if isinstance(d.get("districts"), str):
            d["districts"] = [d["districts"]]
    pooled = lead_exchange.prepare_rows(datas)
    sequential = [lead_exchange._prepare_or_none(d) for d in datas]
    assert pooled == sequential
    assert pooled[-1] is None and all(p is not None for p in pooled[:-1])


def test_parallel_import_writes_what_the_service_would(parallel):
    doc = {"leads": _rows(25)[:-1]}
    data = json.dumps(doc, ensure_ascii=False).encode()
    result = exchange.import_files([exchange.InputFile(name="l.json", data=data)], KINDS)
    assert result.counts["leads"].created == 25
    lead = Lead.objects.get(ref="PAR0003")
    assert lead.annual_tax_wan == Decimal(53)  # from the need text, by the matching parser
    assert lead.requires.get("gmp") is True
    assert lead.company_key and lead.districts == ["昌平区"]
    assert Inquiry.objects.count() == 25
    # the same file again changes nothing (digests prepared in the workers)
    again = exchange.import_files([exchange.InputFile(name="l.json", data=data)], KINDS)
    assert vars(again.counts["leads"]) == {"created": 0, "updated": 0, "unchanged": 25}
    assert Lead.objects.count() == 25


def test_parallel_refused_row_is_reported(parallel):
    data = json.dumps({"leads": _rows(5)}, ensure_ascii=False).encode()
    with pytest.raises(exchange.ImportFailed) as failed:
        exchange.import_files([exchange.InputFile(name="l.json", data=data)], KINDS)
    lines = [str(p) for p in failed.value.problems]
    assert len(lines) == 1 and "mobile" in lines[0] and "第6行" in lines[0], lines
    assert not Lead.objects.exists()
