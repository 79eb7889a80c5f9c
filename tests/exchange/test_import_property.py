"""Property: whatever bytes arrive as an import (random bytes, random CSV, random XLSX
cells, random JSON), the reader answers with a result or the clean ImportFailed report,
never another exception."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from parklink.core import exchange
from parklink.office.management.commands.export import KINDS

pytestmark = pytest.mark.django_db

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEADERS = [
    "联系人",
    "手机号",
    "公司",
    "需求",
    "编号",
    "所属园区",
    "类型",
    "租售",
    "面积(亩)",
    "价格",
    "园区名称",
    "name",
    "ref",
    "mobile",
    "area_m2",
    "可入驻日期",
    "GMP",
]
cell_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["=1+1", "'=x", "-5", "13800138000", "1e999", "NaN", "2026-02-30", "是"]),
)
cell = st.one_of(
    cell_text,
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
)


def _import(name: str, data: bytes) -> None:
    try:
        exchange.import_files([exchange.InputFile(name=name, data=data)], KINDS)
    except exchange.ImportFailed as failed:
        assert failed.problems
        assert all(isinstance(str(p), str) for p in failed.problems)


@PROPERTY
@given(data=st.binary(max_size=2000), ext=st.sampled_from(["csv", "json", "xlsx", "txt"]))
def test_random_bytes(data, ext):
    _import(f"f.{ext}", data)


@PROPERTY
@given(
    header=st.lists(st.one_of(st.sampled_from(HEADERS), cell_text), min_size=1, max_size=8),
    rows=st.lists(st.lists(cell_text, max_size=9), max_size=6),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
def test_random_csv(header, rows, encoding):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    _import("f.csv", buf.getvalue().encode(encoding, errors="replace"))


@PROPERTY
@given(
    title=st.sampled_from(["线索", "房源", "园区", "leads", "Sheet"]),
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8),
    rows=st.lists(st.lists(cell, max_size=9), max_size=6),
)
def test_random_xlsx(title, header, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(header)
    for r in rows:
        try:
            ws.append(r)
        except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses some cells
            continue
    buf = io.BytesIO()
    wb.save(buf)
    _import("f.xlsx", buf.getvalue())


json_value = st.recursive(
    st.one_of(cell, st.text(max_size=10)),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@PROPERTY
@given(
    doc=st.one_of(
        json_value,
        st.dictionaries(
            st.sampled_from(["leads", "spaces", "parks", "线索", "x"]),
            st.lists(st.dictionaries(st.sampled_from(HEADERS), json_value, max_size=6), max_size=4),
            max_size=3,
        ),
    )
)
def test_random_json(doc):
    _import("f.json", json.dumps(doc, ensure_ascii=False, allow_nan=True).encode())
