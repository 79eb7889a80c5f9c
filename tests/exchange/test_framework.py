"""parklink.core.exchange without any domain: headers, cells, problems, formats."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from parklink.core import exchange as ex


class Things:
    """A minimal kind following the protocol, recording what it was given."""

    name = "things"
    sheet_names = ("东西", "things")
    columns = (
        ex.Column("name", "名称", required=True, parse=ex.parse_text(10)),
        ex.Column("n", "数量(个)", parse=ex.parse_int(0, 100), allowed="0–100"),
        ex.Column("tags", "标签", many=True, parse=ex.parse_text()),
        ex.Column("ok", "是否", parse=ex.parse_bool),
    )

    def __init__(self):
        self.rows: list[ex.Row] = []

    def import_rows(self, rows, *, report, actor):
        self.rows.extend(rows)
        return ex.Counts(created=len(rows))

    def export_rows(self):
        yield {"name": "甲", "n": 3, "tags": ["x", "y (a、b)"], "ok": True}
        yield {"name": "乙", "n": None, "tags": [], "ok": False}


def _roundtrip(fmt: str, lang: str) -> list[dict]:
    kind = Things()
    buf = io.BytesIO()
    ex.export_file([kind], fmt, buf, lang=lang)
    target = Things()
    ex.import_files([ex.InputFile(name=f"t.{fmt}", data=buf.getvalue())], [target])
    return [r.values for r in target.rows]


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_format_reads_back_what_it_wrote(db, fmt, lang):
    rows = _roundtrip(fmt, lang)
    assert rows[0] == {"name": "甲", "n": 3, "tags": ["x", "y (a、b)"], "ok": True}
    assert rows[1] == {"name": "乙", "n": None, "tags": [], "ok": False}


def test_header_unit_and_aliases_are_recognised():
    m = ex.match_header("面积(亩)", [ex.Column("area_m2", "面积(平方米)")])
    assert m is not None and m.column.field == "area_m2" and m.unit == "亩"
    m = ex.match_header(" AREA_M2 ", [ex.Column("area_m2", "面积(平方米)")])
    assert m is not None and m.unit == ""
    assert ex.match_header("备注2", [ex.Column("area_m2", "面积(平方米)")]) is None


def test_problem_lines_name_file_sheet_row_field_value_and_allowed(db):
    data = "名称,数量\n甲,500\n,1\n".encode()
    with pytest.raises(ex.ImportFailed) as failed:
        ex.import_files([ex.InputFile(name="bad.csv", data=data)], [Things()])
    lines = [str(p) for p in failed.value.problems]
    assert lines == [
        'bad.csv 东西/things 第2行/row 2 n="500": 不能大于100 / must be at most 100 (允许/allowed: 0–100)',
        "bad.csv 东西/things 第3行/row 3 name: 必填 / required",
    ]


def test_gbk_csv_with_title_row_and_extra_columns(db):
    data = "东西清单\n名称,数量,标签,备注\n甲,5,a、b,随便\n".encode("gbk")
    kind = Things()
    ex.import_files([ex.InputFile(name="gbk.csv", data=data)], [kind])
    assert [r.values for r in kind.rows] == [{"name": "甲", "n": 5, "tags": ["a", "b"]}]


def test_xlsx_merged_two_row_header(db):
    wb = Workbook()
    ws = wb.active
    ws.title = "东西"
    ws.append(["东西清单", None, None])
    ws.merge_cells("A1:C1")
    ws.append(["名称", "数量", "多余列"])
    ws.append([None, "个", None])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B2")
    ws.append(["甲", 7, "x"])
    buf = io.BytesIO()
    wb.save(buf)
    kind = Things()
    ex.import_files([ex.InputFile(name="m.xlsx", data=buf.getvalue())], [kind])
    assert [r.values for r in kind.rows] == [{"name": "甲", "n": 7}]
    assert kind.rows[0].number == 4


def test_oversized_file_is_refused_before_reading(db, settings, tmp_path):
    settings.PARKLINK = {**settings.PARKLINK, "IMPORT_MAX_BYTES": 100}
    path = tmp_path / "big.csv"
    path.write_bytes(b"name\n" + b"x\n" * 100)
    with pytest.raises(ex.ImportFailed) as failed:
        ex.import_files([ex.InputFile.from_path(path)], [Things()])
    assert "file too large" in str(failed.value.problems[0])


def test_unsupported_and_broken_files_are_one_problem_each(db):
    with pytest.raises(ex.ImportFailed) as failed:
        ex.import_files(
            [
                ex.InputFile(name="a.txt", data=b"x"),
                ex.InputFile(name="b.json", data=b"{not json"),
                ex.InputFile(name="c.xlsx", data=b"not a zip"),
            ],
            [Things()],
        )
    text = "\n".join(str(p) for p in failed.value.problems)
    assert "unsupported file format" in text
    assert "not valid JSON" in text
    assert "not a valid XLSX" in text


def test_split_list_keeps_bracketed_separators():
    assert ex.split_list("两谷一园 (能源谷、生命谷)、生命园") == [
        "两谷一园 (能源谷、生命谷)",
        "生命园",
    ]
