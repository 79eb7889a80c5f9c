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
    pooled = list(lead_exchange.prepare_rows(datas))
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


def _doc(n: int, *, refused: tuple[int, ...] = (), same_mobile: tuple[int, int] | None = None):
    rows = _rows(n)[:-1]
    if same_mobile is not None:
        a, b = same_mobile
        rows[b]["mobile"] = rows[a]["mobile"]  # row b merges into row a's new lead
    for i in refused:
        rows[i]["mobile"] = "12345"
    data = json.dumps({"leads": rows}, ensure_ascii=False).encode()
    return [exchange.InputFile(name="l.json", data=data)]


def _leads() -> list[tuple]:
    return sorted(
        Lead.objects.values_list(
            "ref", "company", "company_key", "mobile", "need", "stage", "channel", "districts"
        )
    )


def test_a_streamed_plan_writes_what_one_plan_writes(parallel, monkeypatch):
    """Planned and written block by block (while workers prepare the next rows), a file
    gives the leads, merges and counts it gives planned in one go, a row merging into a
    lead an earlier block created included."""
    from parklink.core.models import AuditEntry

    monkeypatch.setattr(lead_exchange, "STREAM_BLOCK", 7)
    streamed = exchange.import_files(_doc(30, same_mobile=(2, 20)), KINDS)
    assert vars(streamed.counts["leads"]) == {"created": 29, "updated": 1, "unchanged": 0}
    got, inquiries = _leads(), Inquiry.objects.count()
    assert inquiries == 30 and len(got) == 29
    assert AuditEntry.objects.filter(action="lead.create").count() == 29
    Lead.objects.all().delete()
    AuditEntry.objects.all().delete()
    monkeypatch.setattr(lead_exchange, "PARALLEL_MIN_ROWS", 10**6)  # one plan, in process
    whole = exchange.import_files(_doc(30, same_mobile=(2, 20)), KINDS)
    assert vars(whole.counts["leads"]) == vars(streamed.counts["leads"])
    assert _leads() == got and Inquiry.objects.count() == inquiries


def test_a_streamed_plan_refused_late_reports_every_problem_and_leaves_nothing(
    parallel, monkeypatch
):
    """Rows refused in the second and last blocks: the new leads of the first block were
    written already; the import reports both rows and undoes everything."""
    from parklink.core.models import AuditEntry

    monkeypatch.setattr(lead_exchange, "STREAM_BLOCK", 7)
    with pytest.raises(exchange.ImportFailed) as failed:
        exchange.import_files(_doc(30, refused=(9, 28)), KINDS)
    lines = [str(p) for p in failed.value.problems]
    assert len(lines) == 2 and "第10行" in lines[0] and "第29行" in lines[1], lines
    assert not Lead.objects.exists() and not Inquiry.objects.exists()
    assert not AuditEntry.objects.filter(action="lead.create").exists()
    # it had started writing (a refused whole plan never starts a run), and was undone
    from parklink.core.models import ImportRun

    (run,) = ImportRun.objects.all()
    assert run.status == ImportRun.Status.UNDONE
    assert run.undos.exists() if hasattr(run, "undos") else True
    dry = exchange.import_files(_doc(30), KINDS, dry_run=True)  # a dry run writes nothing
    assert dry.counts["leads"].created == 30 and not Lead.objects.exists()


def test_bulk_imported_leads_are_undone_when_a_later_kind_fails():
    """New leads written in bulk (their Inquiry records journaled too) are undone with the
    rest of the import when a kind written after them is refused: a lease naming a space
    that does not exist."""
    from parklink.core.models import AuditEntry

    doc = {
        "leads": _rows(4)[:-1],
        "leases": [
            {"ref": "LZ1", "space": "NO-SUCH-SPACE", "tenant": "某公司",
             "start": "2027-01-01", "end": "2028-12-31"}
        ],
    }  # fmt: skip
    data = json.dumps(doc, ensure_ascii=False).encode()
    with pytest.raises(exchange.ImportFailed):
        exchange.import_files([exchange.InputFile(name="l.json", data=data)], KINDS)
    assert not Lead.objects.exists() and not Inquiry.objects.exists()
    assert not AuditEntry.objects.filter(action="lead.create").exists()
