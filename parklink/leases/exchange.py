"""Exchange kind ``leases`` (租赁/leases) and the 租控 workbook layout.

``LEASES`` follows the protocol of ``parklink.core.exchange`` (see ``parklink.parks.exchange``):
rows keyed by ``ref``, upserted through ``leases.services``; JSON, CSV and XLSX; the whole
import in one transaction. Columns after ``terminated_on`` that the exchange format does not
name (park, building, floor, status, annual rent) are written for the rent roll and ignored
on import.

The 租控 workbook (``grid_import`` / ``grid_export``) is the operator's own layout: one sheet
per building, a header row starting with 楼层, floors as rows, each unit a cell of lines::

    A-501                      ← the space's ref (编号), first line
    北京某某科技有限公司        ← tenant, or 空置 / 空 / vacant
    2024-01-01~2026-12-31      ← term (~, 至, — or - between the dates)
    4.5元/平方米/天             ← rent (optional; 元/平方米/月, 元/月, 万元/年 …)
    320㎡                      ← leased area (optional: the space's)
    合同:HT-2024-001           ← lease ref (optional: <space ref>@<start>)
    退租:2025-08-31            ← last day when terminated early (optional)

Lines after the first are recognised by their shape, in any order.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, BinaryIO

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from parklink.core.exchange import (
    Column,
    Counts,
    ImportFailed,
    Problem,
    Report,
    Row,
    choices_text,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_text,
    xlsx_safe,
)
from parklink.leases import services
from parklink.leases.choices import RentUnit
from parklink.leases.models import Lease
from parklink.parks.choices import Deal
from parklink.parks.models import Space
from parklink.zh import units

RENT_ALLOWED = choices_text(RentUnit.choices)
_UNIT_WORDS = (
    ("平方米", "平方米"),
    ("平米", "平方米"),
    ("㎡", "平方米"),
    ("m²", "平方米"),
    ("m2", "平方米"),
    ("平", "平方米"),
)


def rent_unit_normalise(text: str) -> str:
    """ "元/㎡/天", "元/平米·月", "元每平方米每天", "万元/年" → a RentUnit value."""
    key = re.sub(r"\s+", "", str(text)).lower()
    key = key.replace("·", "/").replace("每", "/").replace("／", "/").replace("//", "/")
    for word, canonical in _UNIT_WORDS:
        if word in key and "平方米" not in key:
            key = key.replace(word, canonical)
    key = key.replace("日", "天").replace("/年度", "/年")
    if key in RentUnit.values:
        return key
    raise ValueError(f"未知租金单位 / unknown rent unit: {text}")


def _area(value: Any, unit: str) -> Decimal | None:
    if value is None:
        return None
    m2 = units.parse_area(value, unit)
    if m2 <= 0:
        raise ValueError("面积必须大于0 / area must be positive")
    if m2 > Decimal("100000000"):
        raise ValueError("面积大得不合理 / area is absurdly large")
    return m2


def _rent(value: Any, unit: str) -> tuple[Decimal, str] | None:
    """A rent cell: the number and the unit written in it or in the header ("" if none)."""
    if value is None:
        return None
    number, written = units.split_quantity(value)
    if number < 0:
        raise ValueError("租金不能为负 / rent must not be negative")
    chosen = written or unit
    return number, rent_unit_normalise(chosen) if chosen else ""


def _rent_unit(value: Any, unit: str) -> str | None:
    return None if value is None else rent_unit_normalise(str(value))


class LeaseKindExchange:
    """Leases, upserted by ``ref``; the space must exist (by ref), the tenant is created
    when new."""

    name = "leases"
    sheet_names = ("租赁", "leases")
    columns = (
        Column(
            "ref", "合同编号", required=True, aliases=("编号", "租约编号"), parse=parse_text(64)
        ),
        Column(
            "space",
            "房源编号",
            required=True,
            aliases=("房源", "单元"),
            parse=parse_text(64),
            allowed="已有房源的编号 / an existing space's ref",
        ),
        Column(
            "tenant",
            "租户",
            required=True,
            aliases=("承租方", "租户名称", "承租人"),
            parse=parse_text(200),
        ),
        Column(
            "start",
            "起租日",
            required=True,
            aliases=("开始日期", "起始日"),
            parse=parse_date,
            allowed="YYYY-MM-DD",
        ),
        Column(
            "end",
            "到期日",
            required=True,
            aliases=("结束日期", "终止日"),
            parse=parse_date,
            allowed="YYYY-MM-DD",
        ),
        Column(
            "area_m2",
            "租赁面积(平方米)",
            aliases=("面积", "租赁面积"),
            parse=_area,
            allowed="默认为房源面积 / default: the space's area",
        ),
        # Optional: a lease without a rent (rent-free, or not known yet) counts with 0.
        Column("rent", "租金", aliases=("租金单价",), parse=_rent, allowed=RENT_ALLOWED),
        Column("rent_unit", "租金单位", parse=_rent_unit, allowed=RENT_ALLOWED),
        Column("deposit_months", "押金(月)", aliases=("押金月数",), parse=parse_decimal(0, 60, 2)),
        Column(
            "free_rent_months", "免租期(月)", aliases=("免租期",), parse=parse_decimal(0, 120, 2)
        ),
        Column(
            "escalation_pct",
            "年递增(%)",
            aliases=("递增率", "年递增率", "租金递增"),
            parse=parse_decimal(-50, 100, 2),
        ),
        Column(
            "terminated_on", "退租日", aliases=("退租日期",), parse=parse_date, allowed="YYYY-MM-DD"
        ),
        Column("owner", "负责人", aliases=("招商专员",), parse=parse_text(150)),
        Column("documents", "合同文件", many=True, parse=parse_text(500)),
        Column("note", "备注", parse=parse_text(500)),
        Column("is_demo", "演示数据", parse=parse_bool, allowed="是 | 否"),
        # Written for the rent roll; ignored on import.
        Column("park", "园区", parse=parse_text()),
        Column("building", "楼栋", parse=parse_text()),
        Column("floor", "楼层", parse=parse_text()),
        Column("status", "状态", parse=parse_text()),
        Column("annual_rent_yuan", "年租金(元)", parse=parse_text()),
    )
    READ_ONLY = ("park", "building", "floor", "status", "annual_rent_yuan")

    def import_rows(self, rows: list[Row], *, report: Report, actor: Any) -> Counts:
        counts = Counts()
        refs = {r.values.get("space") for r in rows if r.values.get("space")}
        spaces = {s.ref: s for s in Space.objects.select_related("park").filter(ref__in=refs)}
        users = {
            u.username: u
            for u in get_user_model().objects.filter(
                username__in={r.values.get("owner") for r in rows if r.values.get("owner")}
            )
        }
        seen: dict[str, int] = {}
        for row in rows:
            before = len(report.problems)
            data = self._clean(row, spaces, users, report, seen)
            if data is None or len(report.problems) > before:
                continue
            try:
                with transaction.atomic():
                    if isinstance(data["tenant"], str):
                        data["tenant"] = services.tenant_ensure(
                            name=data["tenant"],
                            park=data["space"].park,
                            actor=actor,
                            is_demo=bool(data.get("is_demo")),
                        )
                    _lease, status = services.lease_upsert(data=data, actor=actor)
            except ValidationError as exc:
                report.add_validation_error(row, exc)
                continue
            setattr(counts, status, getattr(counts, status) + 1)
        return counts

    def _clean(
        self,
        row: Row,
        spaces: dict[str, Space],
        users: dict[str, Any],
        report: Report,
        seen: dict[str, int],
    ) -> dict[str, Any] | None:
        v = row.values
        ref = v.get("ref") or ""
        if ref in seen:
            report.add(row, "ref", ref, f"与第{seen[ref]}行编号重复 / duplicate of row {seen[ref]}")
            return None
        seen[ref] = row.number
        space = spaces.get(v.get("space") or "")
        if space is None:
            report.add(
                row,
                "space",
                v.get("space"),
                "房源不存在 / space does not exist",
                "已有房源的编号(先导入房源) / an existing space's ref (import spaces first)",
            )
            return None
        if space.deal != Deal.RENT:
            report.add(
                row,
                "space",
                v.get("space"),
                "只有出租房源可以签租赁合同 / the space is not for rent",
            )
            return None
        data: dict[str, Any] = {
            k: val
            for k, val in v.items()
            if k not in (*self.READ_ONLY, "rent", "rent_unit", "owner")
        }
        data["space"] = space
        tenant = (v.get("tenant") or "").strip()
        data["tenant"] = tenant
        start, end = v.get("start"), v.get("end")
        if start and end and end < start:
            report.add(row, "end", None, "到期日早于起租日 / the end is before the start")
        term = v.get("terminated_on")
        if term and start and term < start:
            report.add(row, "terminated_on", None, "退租日早于起租日 / terminated before the start")
        if "area_m2" in v and v["area_m2"] is None:
            data["area_m2"] = space.area_m2
        area = data.get("area_m2") or space.area_m2
        if area > space.area_m2:
            report.add(
                row,
                "area_m2",
                None,
                "租赁面积大于房源面积 / larger than the space",
                f"≤ {space.area_m2.normalize():f}",
            )
        rent = v.get("rent")
        if rent is not None:
            number, written_unit = rent
            unit = v.get("rent_unit") or written_unit or RentUnit.YUAN_M2_DAY
            if v.get("rent_unit") and written_unit and v["rent_unit"] != written_unit:
                report.add(
                    row,
                    "rent_unit",
                    None,
                    "租金单位与租金列的单位不一致 / contradicts the rent's unit",
                )
            data["rent"], data["rent_unit"] = number, unit
        elif "rent" in v:  # an empty rent cell: no rent (0)
            data["rent"] = Decimal(0)
            if v.get("rent_unit"):
                data["rent_unit"] = v["rent_unit"]
        elif v.get("rent_unit"):
            data["rent_unit"] = v["rent_unit"]
        if "owner" in v:
            name = v.get("owner") or ""
            if name and name not in users:
                report.add(
                    row, "owner", name, "用户不存在 / no such user", "已有用户名 / a username"
                )
            data["owner"] = users.get(name)
        for key in ("documents",):
            if key in v and v[key] is None:
                data[key] = []
        return data

    def export_rows(self) -> Iterable[dict[str, Any]]:
        qs = Lease.objects.select_related(
            "space__park", "space__building", "tenant", "owner"
        ).order_by("ref")
        for lease in qs.iterator(chunk_size=2000):
            yield lease_row(lease)


def lease_row(lease: Lease) -> dict[str, Any]:
    """One lease as a row of the exchange format (and the rent roll)."""
    space = lease.space
    return {
        "ref": lease.ref,
        "space": space.ref,
        "tenant": lease.tenant.name,
        "start": lease.start,
        "end": lease.end,
        "area_m2": lease.area_m2,
        "rent": lease.rent,
        "rent_unit": lease.rent_unit,
        "deposit_months": lease.deposit_months,
        "free_rent_months": lease.free_rent_months,
        "escalation_pct": lease.escalation_pct,
        "terminated_on": lease.terminated_on,
        "owner": lease.owner.username if lease.owner_id else "",
        "documents": lease.documents,
        "note": lease.note,
        "is_demo": lease.is_demo,
        "park": space.park.name,
        "building": space.building.name if space.building_id else "",
        "floor": space.floor,
        "status": lease.status,
        "annual_rent_yuan": lease.annual_rent_yuan,
    }


LEASES = LeaseKindExchange()


# --- the 租控 workbook -------------------------------------------------------------------------

FLOOR_HEADERS = {"楼层", "层", "floor", "层数"}
VACANT_WORDS = {
    "空置",
    "空",
    "vacant",
    "-",
    "—",
    "待租",
    "可租",
    "未出租",
    "不可租",
    "出售",
    "下架",
    "自用",
}
_TERM = re.compile(
    r"^\s*(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)\s*(?:~|～|至|到|—|–|-{1,2})\s*"
    r"(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)\s*$"
)
_REF = re.compile(r"^\s*(?:合同编号|合同号|合同|lease)\s*[::]\s*(\S+)\s*$", re.I)
_TERMINATED = re.compile(r"^\s*(?:退租日?|退租日期|terminated)\s*[::]\s*(\S+)\s*$", re.I)
_AREA = re.compile(r"^\s*[\d.,]+\s*(?:㎡|平方米|平米|m2|m²|平)\s*$", re.I)
_RENT = re.compile(r"^\s*[\d.,]+\s*(?:元|万元).*$")


def _cell_lines(value: Any) -> list[str]:
    return [line.strip() for line in str(value).replace("\r", "\n").split("\n") if line.strip()]


def parse_unit_cell(value: Any) -> dict[str, Any]:
    """The fields a unit cell states (raw text, parsed later like any row): ``space`` and,
    when let, ``tenant``, ``start``, ``end``, ``rent``, ``area_m2``, ``ref``."""
    lines = _cell_lines(value)
    if not lines:
        return {}
    out: dict[str, Any] = {"space": lines[0]}
    for line in lines[1:]:
        if m := _TERM.match(line):
            out["start"], out["end"] = m.group(1), m.group(2)
        elif m := _REF.match(line):
            out["ref"] = m.group(1)
        elif m := _TERMINATED.match(line):
            out["terminated_on"] = m.group(1)
        elif _AREA.match(line):
            out["area_m2"] = line
        elif _RENT.match(line):
            out["rent"] = line
        elif line.lower() in VACANT_WORDS:
            out["vacant"] = True
        elif "tenant" not in out:
            out["tenant"] = line
    return out


def _header_row(grid: list[list[Any]]) -> int | None:
    for i, row in enumerate(grid[:10]):
        first = next((c for c in row if c not in (None, "")), None)
        if first is not None and str(first).strip().lower() in FLOOR_HEADERS:
            return i
    return None


def grid_rows(name: str, data: bytes, problems: list[Problem]) -> list[tuple[str, Row]]:
    """Every let unit cell of a 租控 workbook as (sheet label, Row of raw lease fields)."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        problems.append(
            Problem(name, "", None, "", "", f"不是有效的 XLSX 文件 / not a valid XLSX file: {exc}")
        )
        return []
    out: list[tuple[str, Row]] = []
    for ws in wb.worksheets:
        grid = [list(r) for r in ws.iter_rows(values_only=True)]
        header = _header_row(grid)
        if header is None:
            continue
        for r in range(header + 1, len(grid)):
            for c, value in enumerate(grid[r][1:], start=1):
                if value in (None, ""):
                    continue
                cell = parse_unit_cell(value)
                label = f"{ws.title}!{get_column_letter(c + 1)}{r + 1}"
                if not cell or cell.get("vacant") or "tenant" not in cell:
                    if cell and "start" in cell and "tenant" not in cell:
                        problems.append(
                            Problem(
                                name,
                                label,
                                r + 1,
                                "tenant",
                                "",
                                "有租期但没有租户 / a term without a tenant",
                            )
                        )
                    continue
                if "start" not in cell:
                    problems.append(
                        Problem(
                            name,
                            label,
                            r + 1,
                            "start",
                            str(value)[:80],
                            "缺少租期 / missing term",
                            "YYYY-MM-DD~YYYY-MM-DD",
                        )
                    )
                    continue
                cell.setdefault("ref", f"{cell['space']}@{cell['start']}")
                out.append((label, Row(r + 1, cell, dict(cell))))
    wb.close()
    if not out and not problems:
        problems.append(
            Problem(
                name,
                "",
                None,
                "",
                "",
                "没有找到租控表(首列表头应为 楼层)/ no 租控 sheet found (a header row starting with 楼层)",
            )
        )
    return out


def _parse_row(label: str, row: Row, file: str, problems: list[Problem]) -> Row | None:
    report = Report(file, label, problems)
    values: dict[str, Any] = {}
    before = len(problems)
    columns = {c.field: c for c in LEASES.columns}
    for key, raw in row.values.items():
        col = columns.get(key)
        if col is None:
            continue
        try:
            values[key] = col.parse(raw, "")
        except ValueError as exc:
            report.add(row.number, key, raw, str(exc), col.allowed)
    if len(problems) > before:
        return None
    return Row(row.number, values, row.raw)


def grid_import(*, name: str, data: bytes, actor: Any, dry_run: bool = False) -> Counts:
    """Import the leases of a 租控 workbook, all or nothing; ImportFailed lists every
    problem (sheet!cell, field, value) and nothing is written."""
    problems: list[Problem] = []
    cells = grid_rows(name, data, problems)
    parsed = [(label, _parse_row(label, row, name, problems)) for label, row in cells]
    if problems:
        raise ImportFailed(problems)
    counts = Counts()
    with transaction.atomic():
        for label, row in parsed:
            assert row is not None
            report = Report(name, label, problems)
            try:
                counts += LEASES.import_rows([row], report=report, actor=actor)
            except ValidationError as exc:
                report.add_validation_error(row, exc)
        if problems or dry_run:
            transaction.set_rollback(True)
    if problems:
        raise ImportFailed(problems)
    return counts


STATE_FILLS = {
    "vacant": "FFFFFF",
    "leased": "A9D18E",
    "expiring_90": "F4B183",
    "expiring_180": "FFD966",
    "expiring_365": "FFF2CC",
    "reserved": "9DC3E6",
    "not_lettable": "D9D9D9",
}


def unit_cell_text(unit: Any) -> str:
    lease = unit.lease or unit.next_lease
    lines = [unit.ref]
    if lease is None:
        lines.append("空置" if unit.lettable else "不可租")
        lines.append(f"{unit.area_m2:.0f}㎡")
        return "\n".join(lines)
    lines += [
        lease.tenant.name,
        f"{lease.start:%Y-%m-%d}~{lease.end:%Y-%m-%d}",
        f"{lease.rent.normalize():f}{lease.rent_unit}",
        f"{lease.area_m2.normalize():f}㎡",
        f"合同:{lease.ref}",
    ]
    if lease.terminated_on:
        lines.append(f"退租:{lease.terminated_on:%Y-%m-%d}")
    return "\n".join(lines)


def grid_export(*, plans: list[Any], park_name: str, on: date, out: BinaryIO) -> int:
    """Write a park's 租控表 as a workbook in the layout ``grid_import`` reads: one sheet per
    building, floors as rows (highest first), units as cells coloured by state. Cells hold
    text only (never formulas)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    wb.remove(wb.active)
    cells = 0
    for plan in plans:
        title = (plan.name or "无楼栋")[:31]
        for ch in "[]:*?/\\":
            title = title.replace(ch, " ")
        ws = wb.create_sheet(title)
        xlsx_safe(
            ws.cell(row=1, column=1, value=f"{park_name} {plan.name} 租控表({on:%Y-%m-%d})")
        ).font = Font(bold=True, size=13)
        ws.cell(row=2, column=1, value="楼层").font = Font(bold=True)
        for i in range(plan.max_units):
            ws.cell(row=2, column=i + 2, value=f"单元{i + 1}").font = Font(bold=True)
        for r, floor in enumerate(plan.floors, start=3):
            xlsx_safe(ws.cell(row=r, column=1, value=floor.label or "-"))
            ws.row_dimensions[r].height = 96
            for c, unit in enumerate(floor.units, start=2):
                text = unit_cell_text(unit)
                # Cells never carry live formulas: text Excel would evaluate stays text
                # (a string cell with the quote prefix; the text itself is unchanged).
                cell = xlsx_safe(ws.cell(row=r, column=c, value=text))
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                cell.fill = PatternFill("solid", fgColor=STATE_FILLS.get(unit.state, "FFFFFF"))
                cells += 1
        ws.column_dimensions["A"].width = 8
        for i in range(plan.max_units):
            ws.column_dimensions[ws.cell(row=2, column=i + 2).column_letter].width = 26
    if not wb.worksheets:
        wb.create_sheet("租控表").cell(row=1, column=1, value="楼层")
    wb.save(out)
    return cells
