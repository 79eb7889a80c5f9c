"""The problem lines of a refused import: in row order within each table, whatever pass of
the check found them; the same sheet label in XLSX as in CSV and JSON; a counted message."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import Workbook

from parklink.core import exchange
from parklink.office.management.commands.export import KINDS

pytestmark = pytest.mark.django_db

HEADERS = ["编号", "所属园区", "类型", "租售", "面积"]
ROWS = [
    ["P-1", "中关村生命科学园", "厂房", "出租", 100],
    ["P-2", "火星园", "厂房", "出租", 100],  # found by the plan (no such park)
    ["P-3", "中关村生命科学园", "厂房", "出租", -5],  # found when the cell is read
    ["P-4", "中关村生命科学园", "飞船", "出租", 100],  # found when the cell is read
]


def _csv(rows) -> exchange.InputFile:
    text = "\n".join(",".join(str(c) for c in r) for r in [HEADERS, *rows]) + "\n"
    return exchange.InputFile(name="spaces.csv", data=text.encode())


def _xlsx(title: str, rows) -> exchange.InputFile:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in [HEADERS, *rows]:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return exchange.InputFile(name="spaces.xlsx", data=buffer.getvalue())


def _problems(*files) -> list[exchange.Problem]:
    with pytest.raises(exchange.ImportFailed) as failed:
        exchange.import_files(list(files), KINDS)
    return failed.value.problems


def test_problems_are_listed_in_row_order(park):
    assert [p.row for p in _problems(_csv(ROWS))] == [3, 4, 5]


def test_each_file_keeps_its_place_and_its_rows_order(park):
    space = {"ref": "J-1", "park": "火星园", "kind": "厂房", "deal": "出租", "area_m2": 100}
    doc = {"spaces": [space, {**space, "ref": "J-2", "park": "中关村生命科学园", "area_m2": 0}]}
    source = exchange.InputFile(name="b.json", data=json.dumps(doc, ensure_ascii=False).encode())
    problems = _problems(_csv(ROWS), source)
    assert [(p.file, p.row) for p in problems] == [
        ("spaces.csv", 3),
        ("spaces.csv", 4),
        ("spaces.csv", 5),
        ("b.json", 1),  # the park, found by the plan
        ("b.json", 2),  # the area, found when the cell was read (before the plan)
    ]


@pytest.mark.parametrize(
    ("source", "label"),
    [
        (lambda: _csv(ROWS[1:2]), "房源/spaces"),
        (lambda: _xlsx("房源", ROWS[1:2]), "房源/spaces"),
        (lambda: _xlsx("spaces", ROWS[1:2]), "房源/spaces"),
        (lambda: _xlsx("Sheet1", ROWS[1:2]), "Sheet1 房源/spaces"),
    ],
    ids=["csv", "xlsx-zh", "xlsx-en", "xlsx-other"],
)
def test_the_sheet_label_is_the_same_in_every_format(park, source, label):
    [problem] = _problems(source())
    assert problem.sheet == label
    assert str(problem).startswith(f"{problem.file} {label} 第2行/row 2 park=")


def test_the_message_counts_problems_in_english():
    one = exchange.Problem("a.csv", "", None, "", "", "x")
    assert str(exchange.ImportFailed([one])) == "1 problem"
    assert str(exchange.ImportFailed([one, one])) == "2 problems"
