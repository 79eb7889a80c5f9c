"""The printable 项目研判报告 (PDF, reportlab): the project's facts, its evaluation against each
shortlisted park (indicators, checks, 一票否决), the spaces that fit and the policies it may get.

No personal data: the contact and the mobile are never in the report (the company and the
lead's reference are).

Font: the first TrueType CJK font found is embedded (``PARKLINK["PDF_CJK_FONT"]`` — a path,
optionally ``path#index`` for a .ttc — then the Debian packages fonts-wqy-zenhei,
fonts-wqy-microhei, fonts-arphic-uming, fonts-droid-fallback). Debian's fonts-noto-cjk cannot
be embedded by reportlab (its outlines are PostScript/CFF, which reportlab's TTF embedder
refuses), so when no TrueType CJK font is installed the report falls back to the standard CID
font STSong-Light: not embedded, the viewer substitutes its own CJK font (poppler and pdf.js
on Debian use Noto CJK through fontconfig). Either way every glyph is Chinese-capable and the
report never fails for want of a font.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from parklink.policies.facts import LABELS, UNITS, ProjectFacts
from parklink.policies.selectors import LeadReport

FONT = "STSong-Light"
OK_WORDS = {True: "达标", False: "未达标", None: "未知"}
STATUS_WORDS = {"eligible": "可申请", "possible": "可能可申请", "ineligible": "不符合"}
INDICATOR_WORDS = {
    "investment_wan_per_mu": ("投资强度", "万元/亩"),
    "tax_wan_per_mu": ("亩均税收", "万元/亩"),
    "output_wan_per_mu": ("亩均产值", "万元/亩"),
    "tax_yuan_per_m2": ("地均税收", "元/平方米"),
}
FACT_ROWS = (
    "industry",
    "total_investment_wan",
    "land_mu",
    "area_m2",
    "annual_tax_wan",
    "annual_output_wan",
    "is_high_tech",
    "is_specialized",
    "founded_year",
    "staff",
)


EMBEDDED = "ParkLinkCJK"
# TrueType-outline CJK fonts of Debian packages, in order of preference (path, .ttc index).
CJK_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
)
_chosen: list[str] = []


def font_candidates() -> list[tuple[str, int]]:
    """The configured font first (``PARKLINK["PDF_CJK_FONT"]``), then the Debian ones."""
    from django.conf import settings

    out: list[tuple[str, int]] = []
    configured = str(getattr(settings, "PARKLINK", {}).get("PDF_CJK_FONT") or "").strip()
    if configured:
        path, _sep, index = configured.partition("#")
        out.append((path, int(index) if index.isdecimal() else 0))
    return [*out, *CJK_CANDIDATES]


def register_cjk_font(candidates: list[tuple[str, int]] | None = None) -> str:
    """Register and return the name of the report's CJK font: the first candidate reportlab
    can embed, else the CID font (never fails)."""
    from pathlib import Path

    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    for path, index in candidates if candidates is not None else font_candidates():
        if not Path(path).is_file():
            continue
        name = f"{EMBEDDED}-{Path(path).stem}-{index}"
        if name in pdfmetrics.getRegisteredFontNames():
            return name
        try:
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
        except (TTFError, OSError, ValueError):
            continue  # e.g. Noto CJK: PostScript outlines
        return name
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _font() -> str:
    if not _chosen:
        _chosen.append(register_cjk_font())
    return _chosen[0]


class _Styles:
    def __init__(self) -> None:
        font = _font()
        self.title = ParagraphStyle("title", fontName=font, fontSize=18, leading=24, spaceAfter=6)
        self.h2 = ParagraphStyle("h2", fontName=font, fontSize=14, leading=20, spaceBefore=10)
        self.h3 = ParagraphStyle("h3", fontName=font, fontSize=11, leading=16, spaceBefore=6)
        self.body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13)
        self.cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11)


def _p(text: Any, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text if text not in (None, "") else "—")), style)


def _table(headers: list[str], rows: list[list[Any]], widths: list[float], s: _Styles) -> Table:
    data = [[_p(h, s.cell) for h in headers]]
    data += [[_p(v, s.cell) for v in r] for r in rows] or [
        [_p("(无)", s.cell)] + [""] * (len(headers) - 1)
    ]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), _font(), 8.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _fact_value(facts: ProjectFacts, name: str) -> str:
    value = getattr(facts, name)
    if value is None or value == "":
        return "未知"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        value = f"{value:,.2f}".rstrip("0").rstrip(".")
    unit = UNITS.get(name, "")
    text = f"{value}{unit if name != 'founded_year' else ''}"
    if name in facts.from_text:
        text += "(读自需求描述)"
    return text


def _number(value: float | None) -> str:
    if value is None:
        return "未知"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def report_pdf(report: LeadReport) -> bytes:
    """The report as PDF bytes."""
    s = _Styles()
    story: list[Any] = [
        _p(f"项目研判报告 · {report.company or report.ref}", s.title),
        _p(
            f"线索 {report.ref};生成时间 {timezone.localtime(report.generated_at):%Y-%m-%d %H:%M};"
            f"规则版本 {report.config_version or '—'}。本报告不含联系人与手机号。",
            s.body,
        ),
        _p("一、项目信息", s.h2),
    ]
    facts = report.facts
    rows = [[LABELS[name][0], _fact_value(facts, name)] for name in FACT_ROWS]
    rows.append(["意向区域", "、".join(facts.districts) or "未知"])
    story.append(_table(["项目", "内容"], rows, [45 * mm, 125 * mm], s))

    story.append(_p("二、园区研判", s.h2))
    summary = [
        [
            e.park.name,
            e.evaluation.grade or "未评级",
            "—" if e.evaluation.score is None else f"{e.evaluation.score:.1f}",
            "是" if e.evaluation.vetoed else "否",
            str(len(e.policies_open)),
        ]
        for e in report.evaluations
    ]
    story.append(
        _table(
            ["园区", "等级", "评分", "一票否决", "可能可申请政策"],
            summary,
            [60 * mm, 18 * mm, 22 * mm, 25 * mm, 45 * mm],
            s,
        )
    )
    for e in report.evaluations:
        ev = e.evaluation
        verdict = (
            f"{ev.grade} 级,评分 {ev.score:.1f}"
            if ev.rated and ev.score is not None
            else (f"{ev.grade} 级" if ev.rated else "未评级(园区未设准入条件)")
        )
        story.append(_p(f"{e.park.name}:{verdict}", s.h3))
        for veto in ev.veto:
            story.append(_p(f"一票否决:{veto.text}", s.body))
        indicator_rows = [
            [INDICATOR_WORDS[k][0], _number(v), INDICATOR_WORDS[k][1]]
            for k, v in ev.indicators.items()
        ]
        story.append(
            _table(["指标", "数值", "单位"], indicator_rows, [50 * mm, 50 * mm, 70 * mm], s)
        )
        story.append(Spacer(1, 2 * mm))
        check_rows = [[OK_WORDS[c.ok], c.text] for c in ev.checks] or [["—", "该园区未设准入条件"]]
        story.append(_table(["结果", "准入条件核对"], check_rows, [22 * mm, 148 * mm], s))

    story.append(_p("三、匹配房源", s.h2))
    space_rows = [[m.ref, m.park, f"{m.score:.1f}"] for m in report.spaces]
    story.append(_table(["房源编号", "园区", "匹配分"], space_rows, [50 * mm, 90 * mm, 30 * mm], s))

    story.append(_p("四、可申请政策", s.h2))
    policy_rows = []
    for m in report.policies:
        pending = [f"未满足:{c.text}" for c in m.unmet] + [f"待确认:{c.text}" for c in m.unknown]
        amount = m.policy.amount_wan_max
        policy_rows.append(
            [
                m.policy.title,
                STATUS_WORDS[m.status],
                "—" if amount is None else f"{_number(amount)}万元",
                ";".join(pending) or "全部满足",
            ]
        )
    story.append(
        _table(
            ["政策", "状态", "最高金额", "条件"],
            policy_rows,
            [60 * mm, 22 * mm, 25 * mm, 63 * mm],
            s,
        )
    )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"项目研判报告 {report.ref}",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    doc.build(story)
    return buffer.getvalue()
