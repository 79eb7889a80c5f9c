"""`parklink leases --expiring` and `parklink occupancy` on three workbooks written for these
tests (tests/leases/workbooks/ and the XLSX built below), every figure computed by hand in the
comments: a JSON file (parks, spaces, leases), CSV files (Chinese lease headers), and an XLSX
catalogue with a 租控 grid workbook (one sheet per building, floors as rows, units as cells).

Edge cases: a lease ending on the day (active, 0 days left), terminated before / after the
day, a committed future lease, a lease ending yesterday, the area defaulting to the space's,
two leases sharing a space, a withdrawn space, a space for sale, rent in 元/平方米/天,
元/平方米/月 and 元/年, windows that end exactly on / one day past the 90th day, and the day
turning at midnight in Asia/Shanghai (not UTC)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook

pytestmark = pytest.mark.django_db

HERE = Path(__file__).parent / "workbooks"
ON = "2026-09-30"


def _json(*args: str) -> dict:
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def _import(*paths: Path) -> None:
    call_command("import", *(str(p) for p in paths), stdout=io.StringIO())


def _park(name: str, on: str = ON) -> dict:
    (row,) = _json("occupancy", "--park", name, "--on", on)["parks"]
    return row


def _expiring(days: int, name: str, on: str = ON) -> list[tuple[str, int, float, float]]:
    doc = _json("leases", "--expiring", str(days), "--park", name, "--on", on)
    assert doc["on"] == on
    return [(r["ref"], r["days_left"], r["area_m2"], r["annual_rent_yuan"]) for r in doc["leases"]]


# --- 1. JSON: 北辰生物港 ----------------------------------------------------------------------


@pytest.fixture
def beichen(db):
    _import(HERE / "beichen.json")


def test_json_workbook_occupancy(beichen):
    # leasable: BC-101 1200 + BC-102 800 + BC-201 600 + BC-301 500 = 3100
    # (BC-202 is withdrawn without a lease, BC-S1 is for sale)
    # active on 09-30: L1 (ends today, area = the space's 1200), L2 (500, terminated 10-15),
    # L5 (300); L3 was terminated 09-29, L4 starts 10-01
    assert _park("北辰生物港") == {
        "park": "北辰生物港",
        "spaces": 4,
        "leased_spaces": 3,
        "area_m2": 3100,
        "leased_area_m2": 2000,
        "occupancy": 0.6452,  # 2000 / 3100
        "vacant_area_m2": 1100,
        "expiring_90d_area_m2": 1700,  # L1 (today) + L2 (10-15)
        # L1 1.2×365×1200 = 525,600; L2 36×12×500 = 216,000; L5 120,000 元/年
        "annual_rent_yuan": 861600,
    }


def test_json_workbook_the_next_day(beichen):
    # 10-01: L1 has expired, L4 has started (600 m² of BC-201, 4×365×600 = 876,000)
    row = _park("北辰生物港", on="2026-10-01")
    assert (row["leased_spaces"], row["leased_area_m2"], row["vacant_area_m2"]) == (3, 1400, 1700)
    assert row["occupancy"] == 0.4516  # 1400 / 3100
    assert row["expiring_90d_area_m2"] == 500  # L2 only (10-15)
    assert row["annual_rent_yuan"] == 1212000  # 216,000 + 876,000 + 120,000


def test_json_workbook_expiring(beichen):
    assert _expiring(30, "北辰生物港") == [
        ("BC-L1", 0, 1200, 525600),  # ends today: still active, 0 days left
        ("BC-L2", 15, 500, 216000),  # its termination day is its end
    ]
    assert _expiring(272, "北辰生物港") == _expiring(30, "北辰生物港")
    assert [r[0] for r in _expiring(273, "北辰生物港")] == ["BC-L1", "BC-L2", "BC-L5"]
    assert _expiring(273, "北辰生物港")[-1] == ("BC-L5", 273, 300, 120000)  # to 2027-06-30


@pytest.mark.parametrize(
    ("utc", "day", "refs"),
    [
        # 2026-09-30 23:59 in Beijing (15:59 UTC): L1 is still active, 0 days left
        (datetime(2026, 9, 30, 15, 59, tzinfo=UTC), "2026-09-30", ["BC-L1", "BC-L2"]),
        # 2026-10-01 00:30 in Beijing (still 09-30 in UTC): L1 has expired
        (datetime(2026, 9, 30, 16, 30, tzinfo=UTC), "2026-10-01", ["BC-L2"]),
    ],
)
def test_the_day_turns_at_midnight_in_shanghai(beichen, monkeypatch, utc, day, refs):
    monkeypatch.setattr(timezone, "now", lambda: utc)
    doc = _json("leases", "--expiring", "30", "--park", "北辰生物港")
    assert doc["on"] == day and [r["ref"] for r in doc["leases"]] == refs
    assert _json("occupancy", "--park", "北辰生物港")["on"] == day


# --- 2. CSV: 京南物流港 -----------------------------------------------------------------------


@pytest.fixture
def jingnan(db):
    _import(HERE / "jingnan_park.json")
    _import(HERE / "jingnan_spaces.csv")
    _import(HERE / "jingnan_leases.csv")


def test_csv_workbook_occupancy(jingnan):
    # leasable: 2000 + 1500 + 1000 = 4500; active: L1 2000 (the space's area), L2 1000 and
    # L3 500 sharing JN-A2; L4 ended yesterday
    assert _park("京南物流港") == {
        "park": "京南物流港",
        "spaces": 3,
        "leased_spaces": 2,  # JN-A1, JN-A2 (two leases, one space)
        "area_m2": 4500,
        "leased_area_m2": 3500,
        "occupancy": 0.7778,  # 3500 / 4500
        "vacant_area_m2": 1000,
        "expiring_90d_area_m2": 2000,  # L1 ends 11-30, 61 days on
        # L1 0.9×365×2000 = 657,000; L2 27×12×1000 = 324,000; L3 60,000 元/年
        "annual_rent_yuan": 1041000,
    }


def test_csv_workbook_expiring(jingnan):
    assert _expiring(90, "京南物流港") == [("JN-L1", 61, 2000, 657000)]
    assert _expiring(60, "京南物流港") == []
    assert [r[:2] for r in _expiring(365, "京南物流港")] == [("JN-L1", 61), ("JN-L3", 243)]


def test_csv_reimport_changes_nothing(jingnan):
    before = _park("京南物流港")
    _import(HERE / "jingnan_leases.csv")
    assert _park("京南物流港") == before


# --- 3. XLSX catalogue + 租控 grid workbook: 回龙观软件园 ---------------------------------------------


def _xlsx(sheets: dict[str, list[list]], path: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def huilongguan(db, tmp_path):
    catalogue = _xlsx(
        {
            "园区": [["园区名称", "区县"], ["回龙观软件园", "昌平区"]],
            "房源": [
                ["ref", "park", "building", "floor", "kind", "deal", "area_m2"],
                ["HL-1-101", "回龙观软件园", "1号楼", "1", "写字楼", "出租", 300],
                ["HL-1-102", "回龙观软件园", "1号楼", "1", "写字楼", "出租", 200],
                ["HL-1-201", "回龙观软件园", "1号楼", "2", "写字楼", "出租", 500],
                ["HL-2-101", "回龙观软件园", "2号楼", "1", "研发楼", "出租", 1000],
            ],
        },
        tmp_path / "catalogue.xlsx",
    )
    _import(catalogue)
    grid = _xlsx(
        {
            "1号楼": [
                ["回龙观软件园 1号楼 租控表"],
                ["楼层", "单元1", "单元2"],
                ["2", "HL-1-201\n癸科技有限公司\n2025-10-01~2027-09-30\n4.5元/平方米/天", None],
                [
                    "1",
                    "HL-1-101\n子丑软件有限公司\n2026-01-01 至 2026-12-31\n150元/平方米/月\n250㎡",
                    "HL-1-102\n空置",
                ],
            ],
            "2号楼": [
                ["楼层", "单元1"],
                [
                    "1",
                    "HL-2-101\n合同:HL-R1\n寅卯生物有限公司\n2024-10-01~2029-09-30\n"
                    "1.8元/平方米/天\n退租:2026-12-29",
                ],
            ],
        },
        tmp_path / "zukong.xlsx",
    )
    call_command("leases", "--import-grid", str(grid), stdout=io.StringIO())
    return grid


def test_grid_workbook_occupancy(huilongguan):
    # leasable 300 + 200 + 500 + 1000 = 2000; active: HL-1-201 500 (the space's area),
    # HL-1-101 250 (of 300), HL-2-101 1000 (terminates 12-29); HL-1-102 is vacant
    assert _park("回龙观软件园") == {
        "park": "回龙观软件园",
        "spaces": 4,
        "leased_spaces": 3,
        "area_m2": 2000,
        "leased_area_m2": 1750,
        "occupancy": 0.875,
        "vacant_area_m2": 250,
        "expiring_90d_area_m2": 1000,  # HL-R1: 12-29 is the 90th day; HL-1-101 ends on the 92nd
        # 4.5×365×500 = 821,250; 150×12×250 = 450,000; 1.8×365×1000 = 657,000
        "annual_rent_yuan": 1928250,
    }


def test_grid_workbook_expiring(huilongguan):
    assert _expiring(90, "回龙观软件园") == [("HL-R1", 90, 1000, 657000)]
    assert _expiring(91, "回龙观软件园") == _expiring(90, "回龙观软件园")
    assert _expiring(92, "回龙观软件园") == [
        ("HL-R1", 90, 1000, 657000),
        ("HL-1-101@2026-01-01", 92, 250, 450000),  # the default ref: <space>@<start>
    ]


def test_grid_workbook_reimport_changes_nothing(huilongguan):
    before = _park("回龙观软件园")
    call_command("leases", "--import-grid", str(huilongguan), stdout=io.StringIO())
    assert _park("回龙观软件园") == before


def test_all_three_workbooks_together(beichen, jingnan, huilongguan):
    parks = {r["park"]: r for r in _json("occupancy", "--on", ON)["parks"]}
    assert {"北辰生物港", "京南物流港", "回龙观软件园"} <= set(parks)
    assert parks["北辰生物港"]["leased_area_m2"] == 2000
    assert parks["京南物流港"]["annual_rent_yuan"] == 1041000
    doc = _json("leases", "--expiring", "90", "--on", ON)
    refs = [r["ref"] for r in doc["leases"]]
    # soonest first across parks: 0, 15, 61, 90 days
    assert refs == ["BC-L1", "BC-L2", "JN-L1", "HL-R1"]
