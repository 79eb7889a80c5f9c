"""`parklink import` / `parklink export` on the catalogue: formats, bad input, round trip."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from parklink.core.models import AuditEntry
from parklink.orgs.models import Organization
from parklink.parks.models import Park, ParkFact, Space, SpaceChange
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import ParkFactory, SpaceFactory

VALID_USCC = "91110000600037341L"  # check character computed by GB 32100-2015

SPACES_CSV_ZH = (
    "编号,所属园区,楼栋,类型,租售,面积(亩),价格,价格单位,承重,GMP,状态\n"
    "S-1,生命园,1号楼,厂房,出租,3,91.26,元/平方米/月,1吨/平方米,是,可租\n"
    "S-2,中关村生命科学园,,土地,出售,50,3000万,,,否,\n"
)


def _counts():
    return (
        Park.objects.count(),
        Space.objects.count(),
        Organization.objects.count(),
        ParkFact.objects.count(),
        SpaceChange.objects.count(),
    )


def test_csv_with_chinese_headers_and_units(park, run_import, tmp_path):
    path = tmp_path / "spaces.csv"
    path.write_text(SPACES_CSV_ZH, encoding="utf-8")
    code, _out, err = run_import(path)
    assert code == 0, err
    s1 = Space.objects.get(ref="S-1")
    assert s1.park == park and s1.building.name == "1号楼"
    assert s1.area_m2 == Decimal("2000.01")  # 3 亩
    assert (s1.price, s1.price_unit) == (Decimal("3.0000"), "元/平方米/天")
    assert s1.floor_load_kg_m2 == 1000 and s1.gmp is True
    s2 = Space.objects.get(ref="S-2")
    assert (s2.price, s2.price_unit, s2.status) == (Decimal("3000"), "万元", "可售")
    assert s2.area_m2 == Decimal("33333.50")  # 50 亩
    assert s2.unit_price == (Decimal(3000) * 10000 / s2.area_m2).quantize(Decimal("0.0001"))


def test_reimporting_the_same_file_changes_nothing(park, run_import, tmp_path):
    path = tmp_path / "spaces.csv"
    path.write_text(SPACES_CSV_ZH, encoding="utf-8")
    assert run_import(path)[0] == 0
    stamps = list(Space.objects.order_by("ref").values_list("updated_at", flat=True))
    counts, audits = _counts(), AuditEntry.objects.count()
    code, out, _err = run_import(path)
    assert code == 0 and "未变 2 / unchanged" in out
    assert _counts() == counts and AuditEntry.objects.count() == audits
    assert list(Space.objects.order_by("ref").values_list("updated_at", flat=True)) == stamps


def test_update_by_ref_keeps_price_history(park, run_import, tmp_path):
    path = tmp_path / "spaces.csv"
    path.write_text(SPACES_CSV_ZH, encoding="utf-8")
    run_import(path)
    path.write_text(
        SPACES_CSV_ZH.replace("91.26,元/平方米/月", "2.8,元/平方米/天"), encoding="utf-8"
    )
    code, out, _ = run_import(path)
    assert code == 0 and "更新 1 / updated" in out
    change = SpaceChange.objects.filter(space__ref="S-1", field="price").first()
    assert (change.old, change.new) == ("3", "2.8")


def test_gbk_csv_is_accepted(park, run_import, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes(SPACES_CSV_ZH.encode("gbk"))
    assert run_import(path)[0] == 0
    assert Space.objects.filter(ref__in=["S-1", "S-2"]).count() == 2


BAD_ROWS = [
    ("面积", "-5", "area_m2", "area must not be negative"),
    ("面积", "0", "area_m2", "area must be positive"),
    ("面积", "9999999999", "area_m2", "absurdly large"),
    ("面积", "很大", "area_m2", "not a number"),
    ("价格", "-1", "price", "price must not be negative"),
    ("价格", "5000", "price", "price is implausible"),  # 5000 元/㎡/天 rent
    ("类型", "城堡", "kind", "not an allowed value"),
    ("租售", "出借", "deal", "not an allowed value"),
    ("所属园区", "不存在的园区", "park", "park does not exist"),
    ("层高", "100", "ceiling_height_m", "out of range"),
]


@pytest.mark.parametrize(("column", "value", "field", "message"), BAD_ROWS)
def test_bad_space_cells_are_reported_and_nothing_is_written(
    park, run_import, tmp_path, column, value, field, message
):
    header = ["编号", "所属园区", "类型", "租售", "面积", "价格", "层高"]
    good = ["OK-1", "生命园", "厂房", "出租", "1000", "2", "8"]
    bad = ["BAD-1", "生命园", "厂房", "出租", "1000", "2", "8"]
    bad[header.index(column)] = value
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(",".join(r) for r in (header, good, bad)), encoding="utf-8")
    before = _counts()
    code, _out, err = run_import(path)
    assert code == 1
    line = next(line for line in err.splitlines() if "第3行/row 3" in line)
    assert f" {field}=" in line and value in line and message in line
    assert "bad.csv" in line and "/" in line  # Chinese / English
    assert "nothing written" in err
    assert _counts() == before  # the good row was not written either


def test_unknown_district_and_malformed_uscc(park, run_import, tmp_path):
    doc = {
        "parks": [{"name": "新园区", "district": "火星区"}],
        "orgs": [{"name": "某公司", "uscc": "91110000600037341X"}],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = _counts()
    code, _out, err = run_import(path)
    assert code == 1
    assert 'district="火星区": 未知的区县 / unknown district' in err
    assert "昌平区" in err  # what is allowed
    assert 'uscc="91110000600037341X"' in err and "check character" in err
    assert _counts() == before


def test_district_short_names_and_other_cities(db, run_import, tmp_path):
    doc = {
        "parks": [
            {"name": "甲园", "district": "昌平"},
            {"name": "乙园", "city": "上海市", "district": "浦东新区"},
        ]
    }
    path = tmp_path / "parks.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert run_import(path)[0] == 0
    assert Park.objects.get(name="甲园").district == "昌平区"
    assert Park.objects.get(name="乙园").district == "浦东新区"


def test_valid_uscc_and_org_park_link(park, run_import, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(
        f"机构名称,机构类型,统一社会信用代码,所在园区\n某生物公司,企业,{VALID_USCC.lower()},生命园\n",
        encoding="utf-8",
    )
    assert run_import(path)[0] == 0
    org = Organization.objects.get(name="某生物公司")
    assert org.uscc == VALID_USCC and org.park == park and org.kind == "enterprise"


def test_space_whose_park_is_in_the_same_file_imports(db, run_import, tmp_path):
    doc = {
        "spaces": [{"ref": "X1", "park": "新园", "kind": "研发楼", "deal": "出租", "area_m2": 500}],
        "parks": [{"name": "新园", "district": "海淀区"}],
    }
    path = tmp_path / "both.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert run_import(path)[0] == 0
    assert Space.objects.get(ref="X1").park.name == "新园"


def _xlsx(path, rows, title="房源", merges=()):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)


def test_xlsx_with_merged_header_cells_and_extra_columns(park, run_import, tmp_path):
    path = tmp_path / "merged.xlsx"
    _xlsx(
        path,
        [
            ["2026年房源清单", None, None, None, None, None, None],
            ["编号", "所属园区", "类型", "租售", "面积", "价格", "内部备注"],
            [None, None, None, None, "亩", "元/平方米/天", None],
            ["M-1", "生命园", "厂房", "出租", 2, 1.8, "不要导入"],
        ],
        merges=["A1:G1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "G2:G3"],
    )
    code, _out, err = run_import(path)
    assert code == 0, err
    space = Space.objects.get(ref="M-1")
    assert space.area_m2 == Decimal("1333.34") and space.price == Decimal("1.8")


def test_xlsx_missing_required_columns_are_reported(park, run_import, tmp_path):
    path = tmp_path / "missing.xlsx"
    _xlsx(path, [["编号", "所属园区", "面积"], ["Q-1", "生命园", 100]])
    code, _out, err = run_import(path)
    assert code == 1
    assert "kind: 缺少必填列 / missing required column" in err
    assert "deal: 缺少必填列 / missing required column" in err
    assert not Space.objects.exists()


def test_oversized_file_is_refused(db, run_import, tmp_path, settings):
    settings.PARKLINK = {**settings.PARKLINK, "IMPORT_MAX_BYTES": 1024}
    path = tmp_path / "big.csv"
    path.write_bytes(b"ref,park\n" + b"x,y\n" * 1000)
    code, _out, err = run_import(path)
    assert code == 1 and "file too large" in err and "文件过大" in err


def test_one_bad_file_writes_nothing_from_the_good_one(park, run_import, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(SPACES_CSV_ZH, encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("编号,所属园区,类型,租售,面积\nB-1,生命园,厂房,出租,-1\n", encoding="utf-8")
    code, _out, err = run_import(good, bad)
    assert code == 1 and "bad.csv" in err and "good.csv" not in err
    assert not Space.objects.exists()


def test_dry_run_writes_nothing(park, run_import, tmp_path):
    path = tmp_path / "spaces.csv"
    path.write_text(SPACES_CSV_ZH, encoding="utf-8")
    code, out, _ = run_import(path, dry_run=True)
    assert code == 0 and "dry run" in out and "新增 2 / created" in out
    assert not Space.objects.exists()


# --- Export and round trip -----------------------------------------------------------------


@pytest.fixture
def catalogue(db):
    p1 = ParkFactory(
        name="甲园",
        aliases=["甲", "两谷一园 (能源谷、生命谷)"],
        district="海淀区",
        planned_area_m2=Decimal("7190000"),
        sources=["https://example.org/a?x=1,2"],
        description='他说:"好"\n第二行, 逗号',
    )
    from parklink.parks.services import industries_ensure

    p1.industries.set(industries_ensure(["生物医药", "医疗器械"]))
    p2 = ParkFactory(name="乙园", district="大兴区", latitude=Decimal("39.8"))
    ParkFact.objects.create(park=p1, kind="occupancy", value=Decimal(91), unit="%", as_of="2010")
    SpaceFactory(ref="R-1", park=p1, area_m2=Decimal("1234.5"), price=Decimal("2.75"), gmp=True)
    SpaceFactory(
        ref="R-2",
        park=p2,
        kind="土地",
        deal="出售",
        status="可售",
        area_m2=Decimal("33333.5"),
        price=Decimal("3000"),
        price_unit="万元",
        is_demo=True,
        photos=["https://example.org/1.jpg"],
    )
    OrganizationFactory(name="丙公司", uscc=VALID_USCC, park=p1, segments=["研发"])
    return p1


def _export(kind: str, fmt: str, path, headers: str = "zh") -> None:
    call_command(
        "export", kind, "--format", fmt, "-o", str(path), "--headers", headers, stdout=io.StringIO()
    )


def _snapshot() -> str:
    buf = io.BytesIO()
    from parklink.core.exchange import export_file
    from parklink.office.management.commands.export import KINDS

    export_file(list(KINDS.values()), "json", buf)
    return buf.getvalue().decode()


def _empty_catalogue() -> None:
    Space.objects.all().delete()
    Organization.objects.all().delete()
    Park.objects.all().delete()


@pytest.mark.parametrize(("fmt", "headers"), [("json", "zh"), ("xlsx", "zh"), ("xlsx", "en")])
def test_round_trip_into_an_empty_database_reproduces_the_catalogue(
    catalogue, run_import, tmp_path, fmt, headers
):
    before = _snapshot()
    path = tmp_path / f"all.{fmt}"
    _export("all", fmt, path, headers)
    _empty_catalogue()
    code, _out, err = run_import(path)
    assert code == 0, err
    assert _snapshot() == before
    assert json.loads(before)["spaces"][0]["ref"] == "R-1"  # the snapshot is not empty


def test_round_trip_through_csv_files(catalogue, run_import, tmp_path):
    before = _snapshot()
    files = []
    for kind in ("orgs", "spaces", "facts", "parks"):  # any order: kinds import in KINDS order
        path = tmp_path / f"{kind}.csv"
        _export(kind, "csv", path)
        files.append(path)
    _empty_catalogue()
    code, _out, err = run_import(*files)
    assert code == 0, err
    assert _snapshot() == before


def test_xlsx_export_has_one_sheet_per_kind_with_chinese_headers(catalogue, tmp_path):
    path = tmp_path / "all.xlsx"
    _export("all", "xlsx", path)
    wb = load_workbook(path)
    assert wb.sheetnames[:4] == ["园区", "园区事实", "房源", "机构"]
    assert [c.value for c in wb["房源"][1]][:3] == ["编号", "所属园区", "楼栋"]


def test_export_refuses_unknown_kind_and_csv_of_everything(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="unknown kind"):
        _export("castles", "json", tmp_path / "x.json")
    with pytest.raises(CommandError, match="one kind"):
        _export("all", "csv", tmp_path / "x.csv")
