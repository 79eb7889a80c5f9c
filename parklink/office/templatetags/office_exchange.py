"""Template filters of the office's import page: an import report in the operator's language.

A `core.exchange.Problem` names the field by its key (``kind``) and prints as a developer
line (``kind="工厂": 不是允许的取值 / not an allowed value``). Here each becomes one sentence:
the file, the sheet, the row, the column as the file heads it (类型), the value, what is
wrong and what is allowed, in the UI language; the same defect found twice is one line."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parklink.leads.validation import pick

register = template.Library()


def _kind_for(sheet: str) -> Any:
    from parklink.office.management.commands.export import KINDS

    names = {part.strip() for part in str(sheet or "").split("/") if part.strip()}
    for kind in KINDS.values():
        if names & {kind.name, *kind.sheet_names}:
            return kind
    return None


def _header(kind: Any, field: str) -> str:
    """The column's Chinese header (the one the templates and exports write)."""
    for column in getattr(kind, "columns", ()):
        if column.field == field:
            return column.header
    return ""


def _sheet_name(sheet: str) -> str:
    """'房源/spaces' → 房源 in Chinese, spaces in English."""
    zh, sep, en = str(sheet or "").partition("/")
    return pick(f"{zh.strip()} / {en.strip()}") if sep else str(sheet or "")


def _without_library_text(message: str) -> str:
    """Drop a library's own words that only the English half carries ("not a valid XLSX
    file: File is not a zip file" → "not a valid XLSX file")."""
    zh, sep, en = message.partition(" / ")
    if sep and ": " in en:
        head, tail = en.split(": ", 1)
        if tail not in zh:
            return f"{zh} / {head}"
    return message


def problem_line(problem: Any) -> str:
    kind = _kind_for(problem.sheet)
    parts = [problem.file]
    if problem.sheet:
        parts.append(_sheet_name(problem.sheet))
    if problem.row is not None:
        parts.append(_("第 %(row)s 行") % {"row": problem.row})
    header = _header(kind, problem.field) if problem.field else ""
    if header:
        parts.append(_("“%(column)s”列") % {"column": header})
    where = " · ".join(p for p in parts if p)
    message = pick(_without_library_text(str(problem.message))).strip().rstrip("。.")
    if problem.value not in ("", None):
        text = _("%(where)s:“%(value)s”%(message)s") % {
            "where": where,
            "value": problem.value,
            "message": message,
        }
    else:
        text = _("%(where)s:%(message)s") % {"where": where, "message": message}
    if problem.allowed:
        allowed = pick(str(problem.allowed))
        sep = "、" if (get_language() or "").startswith("zh") else ", "
        allowed = sep.join(a.strip() for a in allowed.split("|") if a.strip())
        text += _("(允许:%(allowed)s)") % {"allowed": allowed}
    return text


@register.filter
def problem_lines(problems: Any) -> list[str]:
    """One readable line per defect, in order: a cell is one defect however many checks it
    failed (the first says what is wrong: "not an allowed value", not then "cannot be
    blank" for the value it threw away)."""
    lines: list[str] = []
    cells: set[tuple] = set()
    for problem in problems or []:
        if problem.field and problem.row is not None:
            cell = (problem.file, problem.sheet, problem.row, problem.field)
            if cell in cells:
                continue
            cells.add(cell)
        line = problem_line(problem)
        if line not in lines:
            lines.append(line)
    return lines
