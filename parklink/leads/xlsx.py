"""XLSX export of leads for the back office, with the same masking as the screen: the full
mobile number only for the owner and managers. Text cells are never formulas
(`parklink.core.exchange.xlsx_cell`)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook

from parklink.core.exchange import xlsx_cell
from parklink.leads import access
from parklink.leads.models import Lead

COLUMNS: list[tuple[str, str]] = [
    ("ref", "编号"),
    ("company", "公司"),
    ("contact", "联系人"),
    ("mobile", "手机号"),
    ("need", "需求"),
    ("use", "用途"),
    ("annual_tax_wan", "预计年纳税(万元)"),
    ("kind", "载体类型"),
    ("deal", "租售"),
    ("area_min_m2", "最小面积(平方米)"),
    ("area_max_m2", "最大面积(平方米)"),
    ("districts", "意向区域"),
    ("parks", "意向园区"),
    ("industry", "行业"),
    ("uscc", "统一社会信用代码"),
    ("project_type", "项目类型"),
    ("grade", "等级"),
    ("stage", "阶段"),
    ("owner", "负责人"),
    ("channel", "来源渠道"),
    ("next_follow_up", "下次跟进"),
    ("created_at", "创建时间"),
    ("is_demo", "演示数据"),
]


def _cell(lead: Lead, name: str, viewer: Any) -> Any:
    if name == "mobile":
        return access.mobile_for(viewer, lead)
    if name == "owner":
        return (lead.owner.get_full_name() or lead.owner.username) if lead.owner else "公海"
    value = getattr(lead, name)
    if isinstance(value, list):
        return "、".join(value)
    if name == "created_at":
        return value.strftime("%Y-%m-%d %H:%M")
    if name == "is_demo":
        return "是" if value else ""
    if value is None:
        return ""
    return float(value) if hasattr(value, "quantize") else value


def leads_xlsx(leads: Iterable[Lead], *, viewer: Any) -> tuple[bytes, int, int]:
    """(file bytes, rows, rows with the full mobile)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "线索"
    ws.append([label for _name, label in COLUMNS])
    rows = unmasked = 0
    for lead in leads:
        ws.append([xlsx_cell(ws, _cell(lead, name, viewer)) for name, _label in COLUMNS])
        rows += 1
        unmasked += access.can_see_mobile(viewer, lead)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), rows, unmasked
