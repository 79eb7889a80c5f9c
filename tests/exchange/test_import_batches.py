"""Imports are written in short journaled batches: all-or-nothing per file without one long
write transaction. A failure mid-way undoes every batch already committed; an import whose
process died is undone by the next import (or `parklink worker`)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parklink.core import exchange, import_journal
from parklink.core.models import ImportRun, ImportUndo
from parklink.office.management.commands.export import KINDS
from parklink.parks.exchange import SPACES
from parklink.parks.models import Space, SpaceChange
from tests.factories.parks import ParkFactory

pytestmark = pytest.mark.django_db


def _spaces(n: int, start: int = 0, **extra):
    return {
        "spaces": [
            {
                "ref": f"B{i:05d}",
                "park": "批次园",
                "kind": "厂房",
                "deal": "出租",
                "area_m2": 100 + i,
                "price": 1.5,
                "building": f"{i % 3}号楼",
                **extra,
            }
            for i in range(start, start + n)
        ]
    }


def _file(doc):
    return exchange.InputFile(name="s.json", data=json.dumps(doc, ensure_ascii=False).encode())


@pytest.fixture
def park():
    return ParkFactory(name="批次园")


def test_batches_write_everything_and_drop_the_journal(park, monkeypatch):
    monkeypatch.setattr(SPACES, "batch_size", 7)
    result = exchange.import_files([_file(_spaces(30))], KINDS)
    assert result.counts["spaces"].created == 30
    assert Space.objects.count() == 30
    assert set(Space.objects.values_list("building__name", flat=True)) == {
        "0号楼",
        "1号楼",
        "2号楼",
    }
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.DONE and not ImportUndo.objects.exists()
    # Re-importing changes nothing.
    again = exchange.import_files([_file(_spaces(30))], KINDS)
    assert again.counts["spaces"].unchanged == 30


def test_a_batch_is_a_few_queries_not_one_per_row(park, monkeypatch):
    monkeypatch.setattr(SPACES, "batch_size", 500)
    with CaptureQueriesContext(connection) as small:
        exchange.import_files([_file(_spaces(10))], KINDS)
    with CaptureQueriesContext(connection) as large:
        exchange.import_files([_file(_spaces(200, start=100))], KINDS)
    # Bulk inserts are split by the backend's parameter limit (SQLite: 999), never per row.
    assert len(large) - len(small) < 190 // 5, (len(small), len(large))


def test_a_failure_in_a_later_batch_undoes_the_earlier_ones(park, monkeypatch):
    exchange.import_files([_file(_spaces(5))], KINDS)  # existing rows, to be updated
    before = {s.ref: (s.area_m2, s.price) for s in Space.objects.all()}
    changes = SpaceChange.objects.count()
    monkeypatch.setattr(SPACES, "batch_size", 4)
    real = SPACES.write
    calls = []

    def failing(chunk, *, actor, journal):
        calls.append(len(chunk))
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(chunk, actor=actor, journal=journal)

    monkeypatch.setattr(SPACES, "write", failing)
    doc = _spaces(12)
    for r in doc["spaces"]:
        r["area_m2"] += 1000
    with pytest.raises(RuntimeError):
        exchange.import_files([_file(doc)], KINDS)
    assert len(calls) == 3  # two batches were committed before the failure
    assert {s.ref: (s.area_m2, s.price) for s in Space.objects.all()} == before
    assert SpaceChange.objects.count() == changes
    assert ImportRun.objects.filter(status=ImportRun.Status.UNDONE).count() == 1
    assert not ImportUndo.objects.exists()


def test_an_interrupted_run_is_undone_by_the_next_import(park, monkeypatch):
    monkeypatch.setattr(SPACES, "batch_size", 3)
    # Simulate a process that died after two batches: its run is left "running".
    run = import_journal.run_start(actor=None, files=["dead.json"])
    plan = SPACES.plan(
        exchange.read_tables(_file(_spaces(6)), list(KINDS.values()), problems=[])[0].parse([]),
        report=exchange.Report("dead.json", ""),
        actor=None,
        pending={},
    )
    for chunk in SPACES.plan_batches(plan, 3):
        with import_journal.batch(run) as journal:
            SPACES.write(chunk, actor=None, journal=journal)
    ImportRun.objects.filter(pk=run.pk).update(pid=2**22 + 12345, host=run.host)  # gone
    assert Space.objects.count() == 6
    exchange.import_files([_file(_spaces(1, start=50))], KINDS)
    assert list(Space.objects.values_list("ref", flat=True)) == ["B00050"]
    assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.UNDONE


def test_legacy_kinds_are_undone_with_the_rest(db, monkeypatch):
    monkeypatch.setattr(SPACES, "batch_size", 2)
    real = SPACES.write

    def failing(chunk, *, actor, journal):
        real(chunk, actor=actor, journal=journal)
        raise RuntimeError("crash after the first batch")

    monkeypatch.setattr(SPACES, "write", failing)
    doc = {"parks": [{"name": "批次园", "district": "昌平区"}], **_spaces(4)}
    with pytest.raises(RuntimeError):
        exchange.import_files([_file(doc)], KINDS)
    from parklink.parks.models import Park

    assert not Space.objects.exists()
    assert not Park.objects.exists()


def _leads(n: int, start: int = 0):
    return {
        "leads": [
            {
                "contact": "周女士",
                "mobile": f"1390000{i:04d}",
                "company": f"批量{i}号公司",
                "need": "昌平 800平米 研发楼",
            }
            for i in range(start, start + n)
        ]
    }


def test_new_leads_in_bulk_are_stored_like_submissions(db):
    from parklink.core.models import AuditEntry
    from parklink.leads.models import Inquiry, Lead

    exchange.import_files([_file(_leads(25))], KINDS)
    assert Lead.objects.count() == 25 and Inquiry.objects.count() == 25
    assert len(set(Lead.objects.values_list("ref", flat=True))) == 25
    lead = Lead.objects.get(mobile="13900000003")
    assert lead.kind == "研发楼" and lead.inquiries.get().data["company"] == "批量3号公司"
    assert AuditEntry.objects.filter(action="lead.create").count() == 25
    # Again: nothing changes; a row about a stored lead merges into it.
    again = exchange.import_files([_file(_leads(25))], KINDS)
    assert again.counts["leads"].unchanged == 25
    doc = _leads(1, start=3)
    doc["leads"][0]["use"] = "研发中心"
    exchange.import_files([_file(doc)], KINDS)
    assert Lead.objects.count() == 25
    assert Lead.objects.get(mobile="13900000003").use == "研发中心"


def test_a_failure_undoes_bulk_created_leads(db, monkeypatch):
    from parklink.leads.exchange import LEADS
    from parklink.leads.models import Inquiry, Lead

    real = LEADS.write

    def failing(chunk, *, actor, journal):
        real(chunk, actor=actor, journal=journal)
        raise RuntimeError("crash after a batch")

    monkeypatch.setattr(LEADS, "write", failing)
    with pytest.raises(RuntimeError):
        exchange.import_files([_file(_leads(10))], KINDS)
    assert not Lead.objects.exists() and not Inquiry.objects.exists()
