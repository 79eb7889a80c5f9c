"""The weekly report as an XLSX workbook: a summary sheet, then one sheet per section with
Chinese headers (each breakdown a block: 项目 / 本周 / 上周 / 环比变化)."""

from __future__ import annotations

from typing import BinaryIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from parklink.core.exchange import xlsx_cell, xlsx_safe
from parklink.office.reports.weekly import Section, WeeklyReport

METRIC_HEADERS = ("项目", "本周", "上周", "环比变化")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def _period(report: WeeklyReport) -> str:
    w, p = report.week, report.previous
    return f"{w.first_day:%Y-%m-%d} 至 {w.last_day:%Y-%m-%d}(对比上周 {p.label})"


def _header_row(ws, row: int, headers: tuple[str, ...]) -> None:
    for col, text in enumerate(headers, 1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center")


def _section_sheet(ws, section: Section) -> None:
    ws.cell(row=1, column=1, value=section.title).font = TITLE
    row = 3
    for group in section.groups:
        ws.cell(row=row, column=1, value=group.title).font = BOLD
        _header_row(ws, row + 1, METRIC_HEADERS)
        row += 2
        for m in group.metrics:
            ws.append([xlsx_cell(ws, v) for v in (m.label, m.current, m.previous, m.delta_text)])
            row += 1
        if not group.metrics:
            ws.cell(row=row, column=1, value="(无)")
            row += 1
        row += 1
    for table in section.tables:
        ws.cell(row=row, column=1, value=table.title).font = BOLD
        _header_row(ws, row + 1, table.headers)
        row += 2
        for values in table.rows:
            for col, value in enumerate(values, 1):
                xlsx_safe(ws.cell(row=row, column=col, value=value))  # never a formula
            row += 1
        if not table.rows:
            ws.cell(row=row, column=1, value="(无)")
            row += 1
        row += 1
    for col, width in enumerate((28, 26, 22, 16, 14), 1):
        ws.column_dimensions[get_column_letter(col)].width = width


def write_xlsx(report: WeeklyReport, fp: BinaryIO) -> None:
    """Write `report` to the binary file `fp`."""
    wb = Workbook()
    ws = wb.active
    ws.title = "概要"
    ws.append([f"招商周报 {report.week.label}"])
    ws["A1"].font = TITLE
    ws.append(["统计周期", _period(report)])
    ws.append(["生成时间", f"{timezone.localtime(report.generated_at):%Y-%m-%d %H:%M}"])
    ws.append(["演示数据", "包含" if report.include_demo else "不含"])
    ws.append([])
    _header_row(ws, 6, ("板块", *METRIC_HEADERS))
    for section in report.sections:
        for m in section.groups[0].metrics:
            ws.append([section.title, m.label, m.current, m.previous, m.delta_text])
    for col, width in enumerate((16, 28, 10, 10, 16), 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for section in report.sections:
        _section_sheet(wb.create_sheet(section.title[:31]), section)
    wb.save(fp)
