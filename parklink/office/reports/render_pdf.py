"""The weekly report as a PDF (reportlab). Chinese is set in the built-in CID font
STSong-Light, which every PDF reader provides: no font file ships or is embedded."""

from __future__ import annotations

from typing import BinaryIO

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from parklink.office.reports.render_xlsx import METRIC_HEADERS
from parklink.office.reports.weekly import WeeklyReport

FONT = "STSong-Light"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _table(headers: tuple[str, ...], rows: list[tuple], widths: list[float]) -> Table:
    data = (
        [list(headers), *[[str(v) for v in r] for r in rows]]
        if rows
        else [
            list(headers),
            ["(无)", *[""] * (len(headers) - 1)],
        ]
    )
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), _font(), 9),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def write_pdf(report: WeeklyReport, fp: BinaryIO) -> None:
    """Write `report` to the binary file `fp`."""
    font = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=24, spaceAfter=6)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=14, leading=20, spaceBefore=10)
    h3 = ParagraphStyle("h3", fontName=font, fontSize=11, leading=16, spaceBefore=6)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13)
    w, p = report.week, report.previous
    story: list = [
        Paragraph(f"招商周报 {w.label}", title),
        Paragraph(
            f"统计周期:{w.first_day:%Y-%m-%d} 至 {w.last_day:%Y-%m-%d}(对比上周 {p.label});"
            f"生成时间:{timezone.localtime(report.generated_at):%Y-%m-%d %H:%M};"
            f"演示数据:{'包含' if report.include_demo else '不含'}",
            body,
        ),
    ]
    metric_widths = [70 * mm, 30 * mm, 30 * mm, 40 * mm]
    for section in report.sections:
        story.append(Paragraph(section.title, h2))
        for group in section.groups:
            story.append(Paragraph(group.title, h3))
            rows = [(m.label, m.current, m.previous, m.delta_text) for m in group.metrics]
            story.append(_table(METRIC_HEADERS, rows, metric_widths))
        for table in section.tables:
            story.append(Paragraph(table.title, h3))
            widths = [170 * mm / len(table.headers)] * len(table.headers)
            story.append(_table(table.headers, list(table.rows), widths))
        story.append(Spacer(1, 4 * mm))
    doc = SimpleDocTemplate(
        fp,
        pagesize=A4,
        title=f"招商周报 {w.label}",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    doc.build(story)
