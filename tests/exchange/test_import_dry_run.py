"""A dry run (and the problem report of a refused file) validates every kind as the real
import would write it: later kinds see what earlier kinds of the same import create."""

from __future__ import annotations

import json

import pytest

from parklink.core import exchange
from parklink.core.models import ImportRun
from parklink.leases.models import Lease
from parklink.office.management.commands.export import KINDS
from parklink.parks.models import Building, Park, Space

pytestmark = pytest.mark.django_db


def _doc(**extra):
    doc = {
        "parks": [{"name": "试运行园", "district": "昌平区"}],
        "spaces": [
            {"ref": f"DR-{i}", "park": "试运行园", "building": "1号楼", "kind": "厂房",
             "deal": "出租", "area_m2": 500 + i, "price": 1.5}
            for i in range(3)
        ],
        "leases": [
            {"ref": f"HT-{i}", "space": f"DR-{i}", "tenant": f"试运行租户{i}有限公司",
             "start": "2026-01-01", "end": "2028-12-31", "rent": 1.5}
            for i in range(3)
        ],
    }  # fmt: skip
    doc.update(extra)
    return exchange.InputFile(name="all.json", data=json.dumps(doc, ensure_ascii=False).encode())


def _nothing_written():
    assert not Park.objects.exists()
    assert not Space.objects.exists()
    assert not Building.objects.exists()
    assert not Lease.objects.exists()
    assert not ImportRun.objects.exists()


def test_dry_run_sees_the_spaces_of_the_same_file():
    result = exchange.import_files([_doc()], KINDS, dry_run=True)
    assert result.dry_run
    assert result.counts["parks"].created == 1
    assert result.counts["spaces"].created == 3
    assert result.counts["leases"].created == 3
    _nothing_written()


def test_dry_run_counts_equal_the_real_import():
    dry = exchange.import_files([_doc()], KINDS, dry_run=True)
    real = exchange.import_files([_doc()], KINDS)
    assert {k: vars(c) for k, c in dry.counts.items()} == {
        k: vars(c) for k, c in real.counts.items()
    }
    assert Lease.objects.count() == 3


def test_refused_file_reports_only_its_real_problems():
    """A bad cell of another park refuses the file; the leases naming the file's new spaces
    are not reported as naming missing spaces."""
    bad = _doc(
        parks=[
            {"name": "试运行园", "district": "昌平区"},
            {"name": "另一园", "district": "昌平区", "latitude": 123},
        ]
    )
    with pytest.raises(exchange.ImportFailed) as failed:
        exchange.import_files([bad], KINDS)
    lines = [str(p) for p in failed.value.problems]
    assert any("latitude" in line for line in lines), lines
    assert not any("房源不存在" in line for line in lines), lines
    _nothing_written()


def test_dry_run_still_reports_a_lease_naming_an_unknown_space():
    doc = _doc()
    data = json.loads(doc.data)
    data["leases"][0]["space"] = "NOPE"
    doc = exchange.InputFile(name="all.json", data=json.dumps(data, ensure_ascii=False).encode())
    with pytest.raises(exchange.ImportFailed) as failed:
        exchange.import_files([doc], KINDS, dry_run=True)
    lines = [str(p) for p in failed.value.problems]
    assert len(lines) == 1 and "房源不存在" in lines[0] and "NOPE" in lines[0], lines
    _nothing_written()


def test_refused_park_does_not_break_the_report_of_its_spaces():
    """The park of the spaces is refused: its spaces are not written in the simulation, the
    park's problem is reported (and the leases on those spaces say that they are missing)."""
    bad = _doc(parks=[{"name": "试运行园", "district": "昌平区", "latitude": 123}])
    with pytest.raises(exchange.ImportFailed) as failed:
        exchange.import_files([bad], KINDS, dry_run=True)
    lines = [str(p) for p in failed.value.problems]
    assert any("latitude" in line for line in lines), lines
    _nothing_written()
