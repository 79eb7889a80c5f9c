"""The `leases` exchange kind (JSON, CSV, XLSX; all or nothing; idempotent) and the 租控
workbook layout (one sheet per building, floors as rows, units as cells)."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from parklink.core.exchange import ImportFailed, InputFile, import_files
from parklink.leases import selectors
from parklink.leases.exchange import grid_export, grid_import, parse_unit_cell, rent_unit_normalise
from parklink.leases.models import Lease
from parklink.office.management.commands.export import KINDS
from parklink.orgs.models import Organization
from parklink.parks.models import Park
from tests.leases.conftest import FIXTURE

pytestmark = pytest.mark.django_db


def _import(name: str, data: bytes):
    return import_files([InputFile(name=name, data=data)], KINDS)


@pytest.fixture
def catalogue(db):
    doc = {"parks": FIXTURE["parks"], "spaces": FIXTURE["spaces"]}
    _import("catalogue.json", json.dumps(doc, ensure_ascii=False).encode())


def test_json_import_is_idempotent(known):
    assert Lease.objects.count() == 5
    tenant = Organization.objects.get(name="甲科技有限公司")
    assert tenant.park.name == "租控测试园"  # created as a tenant of the park
    before = {lease.ref: lease.updated_at for lease in Lease.objects.all()}
    out = StringIO()
    call_command("import", str(known), stdout=out)
    assert "leases: 新增 0 / created, 更新 0 / updated, 未变 5 / unchanged" in out.getvalue()
    assert {lease.ref: lease.updated_at for lease in Lease.objects.all()} == before
    lease = Lease.objects.get(ref="L-2")
    assert (lease.area_m2, lease.rent, lease.rent_unit) == (
        Decimal(300),
        Decimal(150),
        "元/平方米/月",
    )
    assert lease.terminated_on == date(2026, 8, 30)


def test_csv_with_chinese_headers_and_a_unit_in_the_rent_header(catalogue):
    csv = (
        "合同编号,房源编号,租户,起租日,到期日,租赁面积(平方米),租金(元/平方米/月),押金(月),免租期(月),年递增(%)\n"
        "HT-1,T-101,己公司,2026/1/1,2027年12月31日,800,120,3,2,5\n"
    ).encode("gb18030")
    result = _import("租约.csv", csv)
    assert result.counts["leases"].created == 1
    lease = Lease.objects.get(ref="HT-1")
    assert lease.rent_unit == "元/平方米/月" and lease.rent == Decimal(120)
    assert lease.annual_rent_yuan == Decimal(800 * 120 * 12)
    assert (lease.start, lease.end) == (date(2026, 1, 1), date(2027, 12, 31))
    assert (lease.deposit_months, lease.free_rent_months, lease.escalation_pct) == (3, 2, 5)


def test_xlsx_sheet_named_租赁_with_english_headers(catalogue):
    wb = Workbook()
    ws = wb.active
    ws.title = "租赁"
    ws.append(["ref", "space", "tenant", "start", "end", "rent", "rent_unit"])
    ws.append(["X-1", "T-F1", "庚公司", date(2025, 4, 1), date(2028, 3, 31), 2.1, "元/㎡/天"])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = _import("leases.xlsx", buffer.getvalue())
    assert result.counts["leases"].created == 1
    lease = Lease.objects.get(ref="X-1")
    assert lease.area_m2 == Decimal(3000)  # the space's area by default
    assert lease.rent_unit == "元/平方米/天"


def test_one_bad_row_writes_nothing_and_names_row_and_field(catalogue):
    doc = {
        "leases": [
            {
                "ref": "OK",
                "space": "T-101",
                "tenant": "新租户",
                "start": "2026-01-01",
                "end": "2026-12-31",
                "rent": 5,
            },
            {
                "ref": "BAD",
                "space": "T-404",
                "tenant": "新租户",
                "start": "2026-01-01",
                "end": "2026-12-31",
                "rent": 5,
            },
            {
                "ref": "BAD2",
                "space": "T-102",
                "tenant": "新租户",
                "start": "2026-01-01",
                "end": "2025-12-31",
                "rent": 5,
                "area_m2": 9999,
            },
            {
                "ref": "BAD3",
                "space": "T-S",
                "tenant": "新租户",
                "start": "2026-01-01",
                "end": "2026-12-31",
                "rent": "5元/平方米/周",
            },
        ]
    }
    with pytest.raises(ImportFailed) as exc:
        _import("leases.json", json.dumps(doc, ensure_ascii=False).encode())
    lines = [str(p) for p in exc.value.problems]
    assert any('第2行/row 2 space="T-404"' in line for line in lines), lines
    assert any("第3行/row 3 end" in line for line in lines), lines
    assert any("第3行/row 3 area_m2" in line for line in lines), lines
    assert any("第4行/row 4 rent" in line for line in lines), lines
    assert not Lease.objects.exists()
    assert not Organization.objects.filter(name="新租户").exists()


def test_export_round_trip_reproduces_the_leases(known, tmp_path):
    out = tmp_path / "rent-roll.xlsx"
    call_command("export", "leases", "-o", str(out), stdout=StringIO())
    ws = load_workbook(out)["租赁"]
    headers = [c.value for c in ws[1]]
    assert headers[:5] == ["合同编号", "房源编号", "租户", "起租日", "到期日"]
    assert "年租金(元)" in headers and "园区" in headers
    assert ws.max_row == 6
    exported = sorted(
        (
            lease.ref,
            lease.space.ref,
            lease.tenant.name,
            lease.start,
            lease.end,
            lease.area_m2,
            lease.rent,
            lease.rent_unit,
            lease.terminated_on,
            lease.escalation_pct,
        )
        for lease in Lease.objects.select_related("space", "tenant")
    )
    Lease.objects.all().delete()
    result = _import("rent-roll.xlsx", out.read_bytes())
    assert result.counts["leases"].created == 5
    again = sorted(
        (
            lease.ref,
            lease.space.ref,
            lease.tenant.name,
            lease.start,
            lease.end,
            lease.area_m2,
            lease.rent,
            lease.rent_unit,
            lease.terminated_on,
            lease.escalation_pct,
        )
        for lease in Lease.objects.select_related("space", "tenant")
    )
    assert again == exported


@pytest.mark.parametrize(
    ("written", "unit"),
    [
        ("元/平方米/天", "元/平方米/天"),
        ("元/㎡/天", "元/平方米/天"),
        ("元/平米·月", "元/平方米/月"),
        ("元每平方米每天", "元/平方米/天"),
        ("元/m2/月", "元/平方米/月"),
        ("万元/年", "万元/年"),
        ("元/月", "元/月"),
    ],
)
def test_rent_units(written, unit):
    assert rent_unit_normalise(written) == unit


def test_unknown_rent_unit():
    with pytest.raises(ValueError):
        rent_unit_normalise("美元/周")


# --- the 租控 workbook ---------------------------------------------------------------------


def _grid(rows: list[list], title: str = "A座") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(["租控测试园 A座 租控表"])
    ws.append(["楼层", "单元1", "单元2"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_parse_unit_cell_reads_lines_by_their_shape():
    cell = "T-101\n合同:HT-9\n甲科技有限公司\n2024-07-02 至 2026-07-01\n5.2元/平方米/天\n900㎡"
    assert parse_unit_cell(cell) == {
        "space": "T-101",
        "ref": "HT-9",
        "tenant": "甲科技有限公司",
        "start": "2024-07-02",
        "end": "2026-07-01",
        "rent": "5.2元/平方米/天",
        "area_m2": "900㎡",
    }
    assert parse_unit_cell("T-102\n空置").get("vacant") is True


def test_grid_workbook_imports_let_units_and_skips_vacant_ones(catalogue):
    data = _grid(
        [
            ["2", "T-201\n丙公司\n2026-01-01~2028-12-31\n4.8元/平方米/天", None],
            [
                "1",
                "T-101\n甲科技有限公司\n2025-01-01~2026-12-31\n150元/平方米/月\n600㎡",
                "T-102\n空置",
            ],
        ]
    )
    counts = grid_import(name="zukong.xlsx", data=data, actor=None)
    assert counts.created == 2
    lease = Lease.objects.get(ref="T-101@2025-01-01")
    assert (lease.area_m2, lease.rent, lease.rent_unit) == (
        Decimal(600),
        Decimal(150),
        "元/平方米/月",
    )
    assert Lease.objects.get(space__ref="T-201").area_m2 == Decimal(800)
    assert grid_import(name="zukong.xlsx", data=data, actor=None).unchanged == 2


def test_grid_workbook_errors_name_the_cell_and_write_nothing(catalogue):
    data = _grid(
        [
            [
                "2",
                "T-201\n丙公司\n2026-01-01~2028-12-31\n4.8元/平方米/天",
                "T-999\n某公司\n2026-01-01~2026-12-31\n3元/平方米/天",
            ],
            ["1", "T-101\n甲科技有限公司\n5元/平方米/天", None],
        ]
    )
    with pytest.raises(ImportFailed) as exc:
        grid_import(name="zukong.xlsx", data=data, actor=None)
    lines = [str(p) for p in exc.value.problems]
    assert any("A座!B4" in line and "start" in line for line in lines), lines
    assert not Lease.objects.exists()
    # fix the term: the unknown space is then the one problem, still nothing written
    data = _grid(
        [
            [
                "2",
                "T-201\n丙公司\n2026-01-01~2028-12-31\n4.8元/平方米/天",
                "T-999\n某公司\n2026-01-01~2026-12-31\n3元/平方米/天",
            ],
        ]
    )
    with pytest.raises(ImportFailed) as exc:
        grid_import(name="zukong.xlsx", data=data, actor=None)
    assert [p.sheet for p in exc.value.problems] == ["A座!C3"]
    assert not Lease.objects.exists()


def test_grid_export_then_import_changes_nothing(known, manager):
    park = Park.objects.get(name="租控测试园")
    plans = selectors.stacking_plan(park=park, on=date(2026, 6, 1), viewer=manager)
    buffer = io.BytesIO()
    cells = grid_export(plans=plans, park_name=park.name, on=date(2026, 6, 1), out=buffer)
    assert cells == 6
    wb = load_workbook(io.BytesIO(buffer.getvalue()))
    assert sorted(wb.sheetnames) == ["A座", "B厂房", "无楼栋"]
    assert wb["A座"]["A2"].value == "楼层"
    assert wb["A座"]["A3"].value == "2"  # highest floor first
    counts = grid_import(name="out.xlsx", data=buffer.getvalue(), actor=None)
    # three current leases and the reservation of T-201
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 4)


def test_grid_command(catalogue, tmp_path):
    path = tmp_path / "zukong.xlsx"
    path.write_bytes(
        _grid([["1", "T-101\n甲科技有限公司\n2025-01-01~2026-12-31\n5元/平方米/天", None]])
    )
    out = StringIO()
    call_command("leases", "--import-grid", str(path), "--dry-run", stdout=out)
    assert "dry run" in out.getvalue() and not Lease.objects.exists()
    call_command("leases", "--import-grid", str(path), stdout=out)
    assert Lease.objects.count() == 1
    path.write_bytes(b"not a workbook")
    with pytest.raises(CommandError):
        call_command("leases", "--import-grid", str(path), stdout=out, stderr=StringIO())


def test_a_lease_without_rent_counts_with_none(catalogue):
    doc = {
        "leases": [
            {
                "ref": "NR",
                "space": "T-101",
                "tenant": "免租公司",
                "start": "2026-01-01",
                "end": "2026-12-31",
            }
        ]
    }
    assert (
        _import("x.json", json.dumps(doc, ensure_ascii=False).encode()).counts["leases"].created
        == 1
    )
    lease = Lease.objects.get(ref="NR")
    assert (lease.rent, lease.annual_rent_yuan) == (0, 0)
    assert (
        _import("x.json", json.dumps(doc, ensure_ascii=False).encode()).counts["leases"].unchanged
        == 1
    )
