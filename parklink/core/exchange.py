"""Tabular exchange: read and write the exchange format (DESIGN.md) as JSON, CSV and XLSX.

This module knows files, headers, cells and problems; it knows nothing about parks, spaces,
organisations or leads. Each *kind* of record (one list of the exchange format) is described
by a small object in the app that owns it, and the import/export commands and the back
office dispatch on an explicit mapping of those objects.

Protocol (what a kind module provides)
--------------------------------------
A kind is any object with these attributes (see ``ExchangeKind`` below)::

    name: str                    # "spaces": the JSON key and the KIND of `parklink export`
    sheet_names: tuple[str, ...] # ("房源", "spaces"): XLSX sheet names accepted; [0] is written
    columns: tuple[Column, ...]  # the fields, in export order (Column below)

    def import_rows(self, rows: list[Row], *, report: Report, actor) -> Counts: ...
    def export_rows(self) -> Iterable[dict[str, Any]]: ...

- ``import_rows`` receives the rows of one table, each cell already mapped to its field and
  parsed by ``Column.parse`` (unit from the header applied). A row holds only the fields it
  gives (``Row``): a field it does not give must be left as it is, one it gives empty (None,
  ``[]``) cleared where that is allowed. It validates every row, reports
  every problem with ``report.add(row, field, value, message, allowed)`` (messages in Chinese
  and English: "面积必须大于0 / area must be positive"), upserts by its natural key (`ref`
  or `name`) through the app's services, and returns ``Counts``. A row that changes nothing
  must write nothing (importing the same file twice changes nothing). It may write before
  knowing every problem: the framework runs the whole import inside one transaction and rolls
  it back if any problem was reported anywhere, so nothing is ever half-written. Raising
  ``django.core.exceptions.ValidationError`` from a service is also caught and reported
  against the row in ``report.row`` (set by ``report.at(row)``).
- ``pending_keys(row)`` (optional) lists the keys by which later kinds of the same import
  may name the row's record before it is written (default ``natural_keys``: its ``name`` or
  ``ref``; parks add their aliases). A planned kind receives them as ``pending``.
- ``export_rows`` yields one ``{field: python value}`` dict per record, in a stable order,
  such that importing them into an empty database reproduces the records exactly. A kind
  holding personal data sets ``personal_data = True`` and takes ``export_rows(scope=)``
  (``ExportScope``): it yields only what the scope's viewer may see, masked as on screen.
- ``export_file`` writes CSV/XLSX cells that no spreadsheet evaluates (OWASP CSV
  injection: ``neutralise``, ``xlsx_cell``) and audit-logs every export.
- Kinds are registered, in import order (parks before the spaces that name them), in
  ``KINDS`` of ``parklink/office/management/commands/export.py`` (the import command and the
  back office import it from there). Adding a kind is one line::

      KINDS = {"parks": PARKS, "spaces": SPACES, "orgs": ORGS, "leads": LEADS}

Columns and cells
-----------------
- Headers may be the English field name (``area_m2``) or the Chinese header (``面积(平方米)``)
  or an alias; matching ignores case, spaces, full-width parentheses and ``_``. A header may
  name its unit in parentheses (``面积(亩)``, ``租金(元/平方米/月)``): the unit is passed to
  ``Column.parse(value, unit)``, which converts it (``parklink.zh.units``) or raises
  ``ValueError`` with a bilingual message.
- Empty cells are None. A required column that is absent from the header is one problem;
  a required cell that is empty is one problem. Unknown columns are ignored.
- A CSV or XLSX row gives every column of its header; a JSON object gives its own keys only
  (one object may leave out a key another gives): a field a row does not give is absent
  from ``Row.values``, so it stays as it is, unlike an empty cell or ``null``.
- ``Column(many=True)`` holds a list: a JSON list, or in CSV/XLSX one cell split on
  ``、 , ， ; ； | newline`` (``split`` overrides the separators) and written joined by "、".
- Generic parsers for plain cells live here (``parse_text``, ``parse_int``,
  ``parse_decimal``, ``parse_bool``, ``parse_date``, ``parse_choice``); unit-aware ones
  belong to the kind modules (over ``parklink.zh.units``).

Files
-----
- JSON: an object whose keys are kind names (or their sheet names), each a list of objects
  keyed by field or header; several kinds per file.
- CSV: one kind, recognised from its headers (or given). UTF-8 (with or without BOM), GBK /
  GB18030 and other encodings detected with charset-normalizer. Written UTF-8 with BOM so
  Excel opens it.
- XLSX: one sheet per kind, named by ``sheet_names`` (unknown sheets are recognised by their
  headers). Title rows above the header, merged header cells and two-row headers
  ("面积" over "平方米") are handled; the header row is the one naming most columns.
- Files larger than ``settings.PARKLINK["IMPORT_MAX_BYTES"]`` are refused before reading.
- Every text read from a file goes through ``parklink.core.hygiene.clean_text`` (NUL
  characters and lone surrogates removed), like every other outside text.

Problems are reported as one line each: file, sheet/kind, row, field, value, message and
what is allowed, e.g. ``spaces.csv 房源/spaces 第3行/row 3 area_m2="-5": 面积必须大于0 /
area must be positive (允许/allowed: 1–100000000)``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from parklink.core.hygiene import clean_data, clean_text

FORMATS = ("json", "csv", "xlsx")
DEFAULT_SPLIT = r"[、,，;；|\n]"
LIST_JOIN = "、"


# --- Describing a kind -------------------------------------------------------------------


def _identity(value: Any, unit: str) -> Any:
    return value


@dataclass(frozen=True)
class Column:
    """One field of a kind: its English key, Chinese header and how a cell becomes a value."""

    field: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    parse: Callable[[Any, str], Any] = _identity
    many: bool = False
    split: str = DEFAULT_SPLIT
    allowed: str = ""

    def names(self) -> list[str]:
        return [self.field, self.header, *self.aliases]


@dataclass
class Row:
    """One record read from a file: its row number there (1-based) and its parsed values.

    ``values`` holds only the fields this row gives: a column of the file (every row of a
    CSV or sheet has all of them) or a key of this JSON object. A field the row does not
    give is absent, so a kind leaves it as it is; a given but empty cell (``""``, JSON
    ``null``) holds None (or ``[]``), which clears it. ``raw`` keeps the cells as read, for
    problem lines."""

    number: int
    values: dict[str, Any]
    raw: dict[str, Any] = field(default_factory=dict)
    failed: bool = False  # a cell of it was already reported (planned kinds skip it)

    def has(self, name: str) -> bool:
        return name in self.values


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self

    def __str__(self) -> str:
        return (
            f"新增 {self.created} / created, 更新 {self.updated} / updated, "
            f"未变 {self.unchanged} / unchanged"
        )


class ExchangeKind(Protocol):
    name: str
    sheet_names: tuple[str, ...]
    columns: tuple[Column, ...]

    def import_rows(self, rows: list[Row], *, report: Report, actor: Any) -> Counts: ...

    def export_rows(self) -> Iterable[dict[str, Any]]: ...


# --- Problems ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str
    row: int | None
    field: str
    value: str
    message: str
    allowed: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f" {self.sheet}"
        if self.row is not None:
            where += f" 第{self.row}行/row {self.row}"
        what = ""
        if self.field:
            what = f" {self.field}"
            if self.value != "":
                what += f"={json.dumps(self.value, ensure_ascii=False)}"
        text = f"{where}{what}: {self.message}"
        if self.allowed:
            text += f" (允许/allowed: {self.allowed})"
        return text


class Report:
    """Collects the problems of one table (file + sheet/kind)."""

    def __init__(self, file: str, sheet: str, problems: list[Problem] | None = None) -> None:
        self.file = file
        self.sheet = sheet
        self.problems: list[Problem] = problems if problems is not None else []
        self.row: Row | None = None

    def at(self, row: Row | None) -> Report:
        """Remember the row being worked on (for ValidationErrors raised by services)."""
        self.row = row
        return self

    def add(
        self,
        row: Row | int | None,
        field: str,
        value: Any,
        message: str,
        allowed: str = "",
    ) -> None:
        number = row.number if isinstance(row, Row) else row
        if isinstance(row, Row) and value is None:
            value = row.raw.get(field)
        self.problems.append(
            Problem(
                self.file,
                self.sheet,
                number,
                field,
                _display(value),
                str(message),
                str(allowed),
            )
        )

    def add_validation_error(self, row: Row | None, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                fieldname = "" if name == "__all__" else name
                value = row.raw.get(fieldname) if row is not None else None
                for message in errors:
                    self.add(row, fieldname, value, message)
        else:
            for message in exc.messages:
                self.add(row, "", None, message)

    def __bool__(self) -> bool:
        return bool(self.problems)


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return LIST_JOIN.join(_display(v) for v in value)
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


class ImportFailed(Exception):
    """The import wrote nothing; ``problems`` says why, one line each."""

    def __init__(self, problems: list[Problem]) -> None:
        problems = in_row_order(problems)
        n = len(problems)
        super().__init__(f"{n} problem" if n == 1 else f"{n} problems")
        self.problems = problems


def in_row_order(problems: list[Problem]) -> list[Problem]:
    """The problems table by table (file and sheet, in the order first reported), each
    table's in row order: a table is checked in passes (cells, then rows against the
    database, then the services), which would otherwise list row 9 before row 2. File-level
    and header problems (no row) come first; one row's keep the order they were found in."""
    tables: dict[tuple[str, str], int] = {}
    for p in problems:
        tables.setdefault((p.file, p.sheet), len(tables))
    return sorted(
        problems, key=lambda p: (tables[(p.file, p.sheet)], -1 if p.row is None else p.row)
    )


# --- Generic cell parsers (no units, no domain) -------------------------------------------


def parse_text(max_length: int | None = None) -> Callable[[Any, str], str | None]:
    def parse(value: Any, unit: str) -> str | None:
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = _display(value) if isinstance(value, date | Decimal) else str(value)
        text = text.strip()
        if max_length is not None and len(text) > max_length:
            raise ValueError(
                f"过长(最多{max_length}个字符)/ too long (at most {max_length} characters)"
            )
        return text

    return parse


def to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("不是数字 / not a number")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, int):
        return Decimal(value)
    text = str(value).strip().replace(",", "").replace(",", "")
    try:
        result = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError("不是数字 / not a number") from exc
    if not result.is_finite():
        raise ValueError("不是数字 / not a number")
    return result


def check_range(
    value: Decimal, minimum: Decimal | int | None, maximum: Decimal | int | None
) -> Decimal:
    if minimum is not None and value < minimum:
        raise ValueError(
            f"不能小于{_decimal_text(Decimal(minimum))} / must be at least "
            f"{_decimal_text(Decimal(minimum))}"
        )
    if maximum is not None and value > maximum:
        raise ValueError(
            f"不能大于{_decimal_text(Decimal(maximum))} / must be at most "
            f"{_decimal_text(Decimal(maximum))}"
        )
    return value


def parse_decimal(
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
    places: int | None = None,
) -> Callable[[Any, str], Decimal | None]:
    def parse(value: Any, unit: str) -> Decimal | None:
        if value is None:
            return None
        number = check_range(to_decimal(value), minimum, maximum)
        if places is not None:
            number = number.quantize(Decimal(1).scaleb(-places))
        return number

    return parse


def parse_int(
    minimum: int | None = None, maximum: int | None = None
) -> Callable[[Any, str], int | None]:
    def parse(value: Any, unit: str) -> int | None:
        if value is None:
            return None
        number = check_range(to_decimal(value), minimum, maximum)
        if number != number.to_integral_value():
            raise ValueError("应为整数 / must be a whole number")
        return int(number)

    return parse


_TRUE = {"1", "true", "yes", "y", "是", "有", "√", "✓", "对", "可", "可以", "t"}
_FALSE = {"0", "false", "no", "n", "否", "无", "×", "✗", "不", "不可", "f", "-"}


def parse_bool(value: Any, unit: str = "") -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("应为 是/否 / must be yes or no")


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def parse_date(value: Any, unit: str = "") -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = _DATE.fullmatch(str(value).strip().split("T")[0].split(" ")[0])
    if not m:
        raise ValueError("日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise ValueError("日期不存在 / no such date") from exc


def parse_choice(
    choices: Mapping[str, str] | Iterable[tuple[str, str]],
) -> Callable[[Any, str], str | None]:
    """Accepts a value or its label (case-insensitive) and returns the value.

    ``choices`` is a mapping value → label or Django ``TextChoices.choices``."""
    pairs = list(choices.items()) if isinstance(choices, Mapping) else list(choices)
    lookup: dict[str, str] = {}
    for value, label in pairs:
        lookup[_fold(str(value))] = str(value)
        lookup[_fold(str(label))] = str(value)

    def parse(value: Any, unit: str) -> str | None:
        if value is None:
            return None
        found = lookup.get(_fold(str(value)))
        if found is None:
            raise ValueError("不是允许的取值 / not an allowed value")
        return found

    return parse


def choices_text(choices: Iterable[tuple[str, str]]) -> str:
    return " | ".join(str(v) for v, _label in choices)


# --- Headers -------------------------------------------------------------------------------

_PAREN = re.compile(r"^(.*?)[(\[](.+?)[)\]]$")


def _fold(text: str) -> str:
    return (
        str(text)
        .strip()
        .lower()
        .replace("(", "(")
        .replace(")", ")")
        .replace("【", "[")
        .replace("】", "]")
        .replace(" ", "")
        .replace("\u3000", "")
        .replace("_", "")
        .replace("*", "")
        .replace("\n", "")
    )


@dataclass(frozen=True)
class HeaderMatch:
    column: Column
    unit: str
    text: str = ""  # the header as written in the file


@dataclass(frozen=True)
class Formula:
    """A cell holding a spreadsheet formula (XLSX data_type 'f', a CSV cell starting with
    '='): never imported, always reported (its value would be whatever Excel last cached,
    or an injection aimed at the next person who opens an export)."""

    text: str

    def __str__(self) -> str:
        return self.text


FORMULA_MESSAGE = (
    "公式单元格不导入,请改为数值或文本后再导入 / formula cells are not imported: "
    "replace the formula by its value"
)


_HEADER_INDEX: dict[int, tuple[Sequence[Column], dict[str, Column], dict[str, Column]]] = {}


def _header_index(columns: Sequence[Column]) -> tuple[dict[str, Column], dict[str, Column]]:
    """Folded names → column, and folded names without their "(unit)" → column (first
    column wins, as the scan order did), built once per kind."""
    cached = _HEADER_INDEX.get(id(columns))
    if cached is not None and cached[0] is columns:
        return cached[1], cached[2]
    exact: dict[str, Column] = {}
    base: dict[str, Column] = {}
    for col in columns:
        for name in col.names():
            folded = _fold(name)
            exact.setdefault(folded, col)
    for col in columns:
        for name in col.names():
            folded = _fold(name)
            nm = _PAREN.match(folded)
            base.setdefault(nm.group(1) if nm else folded, col)
    _HEADER_INDEX[id(columns)] = (columns, exact, base)
    return exact, base


def match_header(text: Any, columns: Sequence[Column]) -> HeaderMatch | None:
    """The column a header names, with the unit named in its parentheses ("" when none)."""
    if text is None or isinstance(text, Formula):
        return None
    key = _fold(str(text))
    if not key:
        return None
    exact, base = _header_index(columns)
    m = _PAREN.match(key)
    col = exact.get(key)
    if col is not None:
        return HeaderMatch(col, m.group(2) if m else "")
    stem, unit = (m.group(1), m.group(2)) if m else (key, "")
    col = base.get(stem)
    return HeaderMatch(col, unit) if col is not None else None


def map_headers(headers: Sequence[Any], columns: Sequence[Column]) -> dict[int, HeaderMatch]:
    """Column index → match; a field named twice keeps its first column."""
    out: dict[int, HeaderMatch] = {}
    seen: set[str] = set()
    for i, text in enumerate(headers):
        m = match_header(text, columns)
        if m is not None and m.column.field not in seen:
            out[i] = HeaderMatch(m.column, m.unit, str(text).strip())
            seen.add(m.column.field)
    return out


# --- Tables ------------------------------------------------------------------------------


@dataclass
class Table:
    """The rows of one kind read from one file (a JSON list, a CSV, an XLSX sheet)."""

    file: str
    sheet: str
    kind: ExchangeKind
    header_row: int
    headers: dict[str, HeaderMatch]  # field → match, for the columns present
    # (row number, field → raw cell). A row's dict may lack a field (a JSON object leaving
    # out a key): the row does not give that field, and its value is left as it is.
    cells: list[tuple[int, dict[str, Any]]]
    # row number → field → the row's own header where it differs from ``headers`` (a JSON
    # object keyed "面积(亩)" in a file whose first object said "area_m2").
    row_headers: dict[int, dict[str, HeaderMatch]] = field(default_factory=dict)

    def report(self, problems: list[Problem]) -> Report:
        return Report(self.file, self.sheet, problems)

    def parse(self, problems: list[Problem]) -> list[Row]:
        """Check the header, then parse every cell; problems are appended to ``problems``."""
        report = self.report(problems)
        before = len(problems)
        for col in self.kind.columns:
            if col.required and col.field not in self.headers:
                report.add(
                    self.header_row,
                    col.field,
                    "",
                    "缺少必填列 / missing required column",
                    f"{col.header} | {col.field}",
                )
        if len(problems) > before:
            return []
        rows: list[Row] = []
        for number, raw in self.cells:
            row_start = len(problems)
            values: dict[str, Any] = {}
            own = self.row_headers.get(number)
            for name, match in self.headers.items():
                col = match.column
                if name not in raw:
                    # The row does not give this field (a key left out of a JSON object):
                    # it stays as it is, unlike an empty cell, which clears it.
                    if col.required:
                        report.add(number, name, "", "必填 / required", col.allowed)
                    continue
                if own is not None and name in own:
                    match = own[name]
                cell = _blank_to_none(raw[name])
                if isinstance(cell, Formula):
                    report.add(number, match.text or name, cell.text, FORMULA_MESSAGE)
                    values[name] = [] if col.many else None
                    continue
                if cell is None:
                    if col.required:
                        report.add(number, name, "", "必填 / required", col.allowed)
                    values[name] = [] if col.many else None
                    continue
                try:
                    if col.many:
                        items = cell if isinstance(cell, list) else split_list(str(cell), col.split)
                        parsed = [col.parse(_blank_to_none(it), match.unit) for it in items]
                        values[name] = [p for p in parsed if p not in (None, "")]
                    else:
                        values[name] = col.parse(cell, match.unit)
                except ValueError as exc:
                    report.add(number, name, cell, str(exc), col.allowed)
            rows.append(
                Row(
                    number,
                    values,
                    {k: _blank_to_none(v) for k, v in raw.items()},
                    failed=len(problems) > row_start,
                )
            )
        return rows


_OPEN = "(（[【《"
_CLOSE = ")）]】》"


def split_list(text: str, pattern: str = DEFAULT_SPLIT) -> list[str]:
    """Split a list cell on ``pattern``, never inside brackets: "两谷一园 (能源谷、生命谷)"
    stays one item."""
    sep = re.compile(pattern)
    items: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and sep.fullmatch(ch):
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    return [item.strip() for item in items if item.strip()]


def _blank_to_none(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, list):
        return value or None
    return value


def _sheet_label(kind: ExchangeKind) -> str:
    return f"{kind.sheet_names[0]}/{kind.name}" if kind.sheet_names else kind.name


def _find_kind(key: str, kinds: Sequence[ExchangeKind]) -> ExchangeKind | None:
    folded = _fold(key)
    for k in kinds:
        if folded in {_fold(k.name), *(_fold(s) for s in k.sheet_names)}:
            return k
    return None


def _guess_kind(
    headers: Sequence[Any], kinds: Sequence[ExchangeKind]
) -> tuple[ExchangeKind | None, int]:
    """The kind whose required columns are all present and that names most headers."""
    best: ExchangeKind | None = None
    best_score = (0, 0)
    for k in kinds:
        fields = {m.column.field for m in map_headers(headers, k.columns).values()}
        complete = int(all(c.field in fields for c in k.columns if c.required))
        score = (complete, len(fields))
        if len(fields) and score > best_score:
            best, best_score = k, score
    return best, best_score[1]


# --- Reading -------------------------------------------------------------------------------


@dataclass
class InputFile:
    """A file to import: a path on disk, or bytes (an upload) with its original name."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    @classmethod
    def from_path(cls, path: str | Path) -> InputFile:
        p = Path(path)
        return cls(name=str(path), path=p)

    @property
    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        assert self.path is not None
        return self.path.stat().st_size

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()

    @property
    def format(self) -> str:
        return Path(self.name).suffix.lower().lstrip(".")


def max_bytes() -> int:
    return int(settings.PARKLINK["IMPORT_MAX_BYTES"])


def _file_problem(file: str, message: str, allowed: str = "") -> Problem:
    return Problem(file, "", None, "", "", message, allowed)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def read_tables(
    source: InputFile,
    kinds: Sequence[ExchangeKind],
    *,
    kind: str | None = None,
    problems: list[Problem],
) -> list[Table]:
    """The tables of one file; file-level problems (size, format, encoding) are appended."""
    name = source.name
    limit = max_bytes()
    try:
        size = source.size
    except OSError as exc:
        problems.append(_file_problem(name, f"无法读取文件 / cannot read file: {exc.strerror}"))
        return []
    if size > limit:
        problems.append(
            _file_problem(
                name,
                f"文件过大({_mb(size)}),拒绝导入 / file too large ({_mb(size)}), refused",
                f"≤ {_mb(limit)}",
            )
        )
        return []
    forced = None
    if kind:
        forced = _find_kind(kind, kinds)
        if forced is None:
            problems.append(
                _file_problem(
                    name,
                    f"未知类型 {kind} / unknown kind {kind}",
                    " | ".join(k.name for k in kinds),
                )
            )
            return []
    fmt = source.format
    try:
        data = source.read()
    except OSError as exc:
        problems.append(_file_problem(name, f"无法读取文件 / cannot read file: {exc.strerror}"))
        return []
    if fmt == "json":
        return _read_json(name, data, kinds, forced, problems)
    if fmt == "csv":
        return _read_csv(name, data, kinds, forced, problems)
    if fmt == "xlsx":
        return _read_xlsx(name, data, kinds, forced, problems)
    problems.append(
        _file_problem(name, "不支持的文件格式 / unsupported file format", ".json | .csv | .xlsx")
    )
    return []


def _read_json(
    name: str,
    data: bytes,
    kinds: Sequence[ExchangeKind],
    forced: ExchangeKind | None,
    problems: list[Problem],
) -> list[Table]:
    try:
        # Escapes ("\u0000", a lone "\ud800") decode to what no text column may hold.
        doc = clean_data(json.loads(decode_text(data)))
    except (ValueError, UnicodeDecodeError) as exc:
        problems.append(_file_problem(name, f"不是有效的 JSON / not valid JSON: {exc}"))
        return []
    if isinstance(doc, list):
        if forced is None:
            problems.append(
                _file_problem(
                    name,
                    "JSON 顶层应为对象(按类型分组)/ top level must be an object keyed by kind",
                    " | ".join(k.name for k in kinds),
                )
            )
            return []
        doc = {forced.name: doc}
    if not isinstance(doc, dict):
        problems.append(_file_problem(name, "JSON 顶层应为对象 / top level must be an object"))
        return []
    tables: list[Table] = []
    for key, items in doc.items():
        k = _find_kind(str(key), kinds)
        if k is None or (forced is not None and k is not forced):
            continue
        sheet = _sheet_label(k)
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            problems.append(
                Problem(name, sheet, None, "", "", "应为对象列表 / must be a list of objects")
            )
            continue
        present: dict[str, HeaderMatch] = {}
        cells: list[tuple[int, dict[str, Any]]] = []
        own: dict[int, dict[str, HeaderMatch]] = {}
        for i, item in enumerate(items, start=1):
            row: dict[str, Any] = {}
            for key2, value in item.items():
                m = match_header(key2, k.columns)
                if m is None or m.column.field in row:  # a field named twice: the first key
                    continue
                first = present.setdefault(m.column.field, m)
                if m.unit != first.unit:
                    own.setdefault(i, {})[m.column.field] = m
                row[m.column.field] = value
            cells.append((i, row))
        # An object gives only its own keys: a key it leaves out leaves that field as it is
        # for that object (Table.parse), whatever the other objects give. Required keys are
        # checked per object.
        for col in k.columns:
            if col.required:
                present.setdefault(col.field, HeaderMatch(col, ""))
        tables.append(Table(name, sheet, k, 0, present, cells, own))
    if not tables:
        problems.append(
            _file_problem(
                name,
                "文件中没有可导入的数据 / nothing to import in this file",
                " | ".join(k.name for k in kinds),
            )
        )
    return tables


def decode_text(data: bytes) -> str:
    """UTF-8 (BOM or not); otherwise the detected encoding (GBK read as GB18030)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    encoding = (best.encoding if best is not None else "gb18030").lower()
    if encoding.replace("_", "").replace("-", "") in {"gb2312", "gbk", "gb18030", "hz", "cp936"}:
        encoding = "gb18030"
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return data.decode("gb18030")


def _read_csv(
    name: str,
    data: bytes,
    kinds: Sequence[ExchangeKind],
    forced: ExchangeKind | None,
    problems: list[Problem],
) -> list[Table]:
    try:
        text = clean_text(decode_text(data))
    except UnicodeDecodeError:
        problems.append(_file_problem(name, "无法识别文件编码 / cannot detect the encoding"))
        return []
    # The delimiter is whichever of , ; tab the first line uses most; quoting is Excel's.
    first = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first.count)
    dialect: Any = csv.excel_tab if delimiter == "\t" else csv.excel
    if delimiter == ";":

        class _Semicolon(csv.excel):
            delimiter = ";"

        dialect = _Semicolon
    try:
        grid = [[_csv_cell(c) for c in r] for r in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        problems.append(_file_problem(name, f"不是有效的 CSV 文件 / not a valid CSV file: {exc}"))
        return []
    return _grid_tables(name, "", grid, kinds, forced, problems, merged=[])


_NEUTRALISED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def _csv_cell(cell: str) -> Any:
    """A CSV cell: '=…' is a formula (reported, never imported); a cell an export
    neutralised the OWASP way ('=…, '+…, '-…, '@…) reads back as the text it stood for."""
    if cell.startswith("="):
        return Formula(cell)
    if cell.startswith(_NEUTRALISED):
        return cell[1:]
    return cell


def _read_xlsx(
    name: str,
    data: bytes,
    kinds: Sequence[ExchangeKind],
    forced: ExchangeKind | None,
    problems: list[Problem],
) -> list[Table]:
    from openpyxl import load_workbook

    try:
        # Formulas as written (data_only=False): a formula cell is reported, never imported.
        wb = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a broken or hostile file
        problems.append(_file_problem(name, f"不是有效的 XLSX 文件 / not a valid XLSX file: {exc}"))
        return []
    tables: list[Table] = []
    for ws in wb.worksheets:
        k = forced or _find_kind(ws.title, kinds)
        if forced is None and k is None and ws.max_row <= 1 and ws.max_column <= 1:
            continue
        grid = [[_xlsx_cell(c) for c in r] for r in ws.iter_rows()]
        merged = [
            (m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
            for m in ws.merged_cells.ranges
        ]
        sheet_problems = problems if k is not None else []  # unknown sheets are skipped
        tables.extend(_grid_tables(name, ws.title, grid, kinds, k, sheet_problems, merged=merged))
    wb.close()
    if not tables:
        problems.append(
            _file_problem(
                name,
                "没有可识别的工作表 / no recognisable sheet",
                " | ".join(f"{k.sheet_names[0]}/{k.name}" for k in kinds),
            )
        )
    return tables


def _xlsx_cell(cell: Any) -> Any:
    if getattr(cell, "data_type", None) == "f":
        value = cell.value
        return Formula(clean_text(str(getattr(value, "text", None) or value or "=")))
    value = cell.value
    return clean_text(value) if isinstance(value, str) else value


HEADER_SCAN_ROWS = 10


def _grid_tables(
    name: str,
    sheet_title: str,
    grid: list[list[Any]],
    kinds: Sequence[ExchangeKind],
    kind: ExchangeKind | None,
    problems: list[Problem],
    *,
    merged: list[tuple[int, int, int, int]],
) -> list[Table]:
    """Find the header row in a grid of cells (title rows, merged and two-row headers)."""
    width = max((len(r) for r in grid), default=0)
    top = [
        [*(grid[r] if r < len(grid) else []), *[None] * width][:width]
        for r in range(min(HEADER_SCAN_ROWS, len(grid)))
    ]
    # Merged cells carry their value in the top-left cell only: fill the whole range.
    covered: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for r0, c0, r1, c1 in merged:
        if r0 >= len(top):
            continue
        value = top[r0][c0] if c0 < width else None
        for r in range(r0, min(r1, len(top) - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                top[r][c] = value
                covered[(r, c)] = (r0, c0, r1, c1)

    best: tuple[tuple[int, int], int, ExchangeKind | None, list[Any]] = ((0, 0), -1, None, [])
    for r in range(len(top)):
        candidates = [top[r]]
        vertical = any(
            span[0] <= r - 1 and span[2] >= r for (row, _c), span in covered.items() if row == r
        )
        if r > 0 and vertical and _is_subheader(top[r]):
            # Two-row header (cells merged across both rows elsewhere in it): "面积" over
            # "亩" reads as "面积(亩)".
            candidates.append([_combine(top[r - 1][c], top[r][c]) for c in range(width)])
        for headers in candidates:
            if kind is not None:
                mapping = map_headers(headers, kind.columns)
                k: ExchangeKind | None = kind
            else:
                k, _count = _guess_kind(headers, kinds)
                mapping = map_headers(headers, k.columns) if k is not None else {}
            # Most columns named wins; on a tie, the header that names more units.
            score = (len(mapping), sum(1 for m in mapping.values() if m.unit))
            if score > best[0]:
                best = (score, r, k, headers)
    (count, _units), header_index, found, headers = best
    sheet = sheet_title
    if found is None or count == 0:
        if kind is not None or sheet_title == "":
            problems.append(
                Problem(
                    name,
                    sheet,
                    None,
                    "",
                    "",
                    "无法识别表头 / cannot recognise the header row",
                    " | ".join(c.field for k2 in ([kind] if kind else kinds) for c in k2.columns),
                )
            )
        return []
    sheet = _sheet_label(found)
    if sheet_title and _find_kind(sheet_title, [found]) is None:
        # A sheet not named after its kind ("Sheet1"): its title, then the kind.
        sheet = f"{sheet_title} {sheet}"
    mapping = map_headers(headers, found.columns)
    # Data starts below the header and below any vertical merge that reaches into it.
    data_start = header_index + 1
    for c in mapping:
        span = covered.get((header_index, c))
        if span:
            data_start = max(data_start, span[2] + 1)
    cells: list[tuple[int, dict[str, Any]]] = []
    for r in range(data_start, len(grid)):
        row = grid[r]
        if all(_blank_to_none(v) is None for v in row):
            continue
        cells.append(
            (
                r + 1,
                {m.column.field: (row[c] if c < len(row) else None) for c, m in mapping.items()},
            )
        )
    return [
        Table(
            name,
            sheet,
            found,
            header_index + 1,
            {m.column.field: m for m in mapping.values()},
            cells,
        )
    ]


def _is_subheader(row: list[Any]) -> bool:
    """A row that can only be the lower half of a header: some text, no numbers."""
    texts = [v for v in row if _blank_to_none(v) is not None]
    if not texts:
        return False
    for v in texts:
        if isinstance(v, int | float | Decimal | date):
            return False
        try:
            to_decimal(v)
        except ValueError:
            continue
        return False
    return True


def _combine(upper: Any, lower: Any) -> Any:
    if _blank_to_none(upper) is None:
        return lower
    if _blank_to_none(lower) is None or str(lower).strip() == str(upper).strip():
        return upper
    lower_text = str(lower).strip()
    if lower_text.startswith(("(", "(")):
        return f"{upper}{lower_text}"
    return f"{upper}({lower_text})"


# --- Importing -----------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import did, per kind name (or would have done, for a dry run)."""

    counts: dict[str, Counts] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        if not self.counts:
            return "没有数据 / nothing imported"
        return "; ".join(f"{name}: {c}" for name, c in self.counts.items())


class _Rollback(Exception):
    pass


BATCH_ROWS = 500


def _requires_manager(k: ExchangeKind) -> bool:
    """Catalogue kinds (parks, spaces, orgs, leases, policies…) are the managers' to
    import; a kind that says ``catalogue = False`` (leads) is open to every operator, under
    the lead scope."""
    return bool(getattr(k, "catalogue", True))


def _role_problems(tables: list[Table], actor: Any) -> list[Problem]:
    if actor is None:  # the command line: whoever runs it administers the installation
        return []
    from parklink.core.roles import is_manager

    if is_manager(actor):
        return []
    return [
        Problem(
            t.file,
            t.sheet,
            None,
            "",
            "",
            "导入园区、房源、机构、租约、政策等目录数据需要招商经理权限 / importing catalogue "
            "data (parks, spaces, organisations, leases, policies) needs the manager role",
        )
        for t in tables
        if _requires_manager(t.kind)
    ]


def natural_keys(row: Row) -> list[str]:
    """The keys by which other kinds name a row's record: its ``name`` or ``ref``. A kind
    whose records have more names (parks: their aliases) defines ``pending_keys(row)``."""
    key = row.values.get("name") or row.values.get("ref")
    return [str(key)] if key else []


def import_files(
    sources: Sequence[InputFile],
    kinds: Mapping[str, ExchangeKind] | Sequence[ExchangeKind],
    *,
    actor: Any = None,
    kind: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import files all-or-nothing; raise ImportFailed with every problem, writing nothing.

    Tables are imported kind by kind in the order of ``kinds`` (whatever the order of the
    files), so a file of spaces may name parks from another file of the same import.

    No long write transaction (docs/catalogue.md, "How an import is written"):

    1. every file is read and every cell parsed; kinds with a ``plan`` method (spaces,
       leads: the large ones) validate every row without writing, so a bad file is
       refused before anything is written;
    2. the other kinds (parks, facts, orgs, leases, policies: catalogue-sized) are written
       through their services in one short transaction, their saves journaled;
    3. the planned kinds are written in batches of ``batch_size`` rows, one transaction
       each, every batch journaling how to undo it (``parklink.core.import_journal``);
    4. a problem or error in 2–3 undoes everything written (compensating rollback); a
       process killed mid-import is undone by the next import or ``parklink worker``.
    """
    from parklink.core import import_journal

    ordered = list(kinds.values()) if isinstance(kinds, Mapping) else list(kinds)
    problems: list[Problem] = []
    tables: list[Table] = []
    for source in sources:
        tables.extend(read_tables(source, ordered, kind=kind, problems=problems))
    problems.extend(_role_problems(tables, actor))
    if problems:
        raise ImportFailed(problems)
    result = ImportResult(files=[s.name for s in sources], dry_run=dry_run)

    # 1. Parse and plan (no writes). ``pending`` tells later kinds the keys by which they
    # may name the records of earlier kinds of this import, which the database does not
    # know yet (spaces naming a park of the same file or of another file, by its name or by
    # an alias that this import creates or adds).
    parsed: list[tuple[ExchangeKind, Table, list[Row]]] = []
    pending: dict[str, set[str]] = {}
    plans: dict[int, Any] = {}
    for k in ordered:
        keys_of = getattr(k, "pending_keys", natural_keys)
        for table in (t for t in tables if t.kind is k):
            rows = table.parse(problems)
            if not rows:
                continue
            parsed.append((k, table, rows))
            keys = pending.setdefault(k.name, set())
            for row in rows:
                keys.update(keys_of(row))
    for k, table, rows in parsed:
        if hasattr(k, "plan"):
            report = table.report(problems)
            good = [r for r in rows if not r.failed]
            plans[id(table)] = k.plan(good, report=report, actor=actor, pending=pending)

    planned = [(k, t, r) for k, t, r in parsed if hasattr(k, "plan")]
    if problems or dry_run:
        # A plan that is made while it is written (leads.exchange.StreamedPlan) is made
        # whole here: nothing is written.
        for key, plan in plans.items():
            if hasattr(plan, "materialise"):
                plans[key] = plan.materialise()
        # Collect the service-validated kinds' problems too, writing nothing: the import is
        # played in kind order inside a transaction that is always rolled back, so a later
        # kind sees what earlier kinds would create (leases naming the file's new spaces).
        try:
            with transaction.atomic():
                _simulate(parsed, plans, problems, result, actor)
                raise _Rollback
        except _Rollback:
            pass
        if problems:
            raise ImportFailed(problems)
        for k, table, _rows in planned:
            result.counts.setdefault(k.name, Counts())
            result.counts[k.name] += k.plan_counts(plans[id(table)])
        return result

    import_journal.import_recover()
    run = import_journal.run_start(actor=actor, files=result.files)
    try:
        # In kind order (parks before spaces before the leases that name them): a run of
        # service-validated kinds is one short journaled transaction, a planned kind is
        # written in batches.
        segment: list[tuple[ExchangeKind, Table, list[Row]]] = []

        def flush_legacy() -> None:
            if not segment:
                return
            with (
                import_journal.batch(run) as journal,
                import_journal.recording_saves(journal),
            ):
                _write_legacy(segment, problems, result, actor)
                if problems:
                    raise _Rollback
            segment.clear()

        for k, table, rows in parsed:
            if not hasattr(k, "plan"):
                segment.append((k, table, rows))
                continue
            flush_legacy()
            plan = plans[id(table)]
            size = int(getattr(k, "batch_size", BATCH_ROWS))
            counts = Counts()
            for chunk in k.plan_batches(plan, size):
                with import_journal.batch(run) as journal:
                    counts += k.write(chunk, actor=actor, journal=journal)
            if problems:  # found while it was written (a streamed plan): undo the import
                raise _Rollback
            result.counts.setdefault(k.name, Counts())
            result.counts[k.name] += counts
        flush_legacy()
    except _Rollback:
        import_journal.run_undo(run)
        raise ImportFailed(problems) from None
    except ValidationError as exc:
        import_journal.run_undo(run)
        report = Report(result.files[0] if result.files else "", "", problems)
        report.add_validation_error(None, exc)
        raise ImportFailed(problems) from None
    except BaseException:
        # Anything else (a database error, a race on a unique key, Ctrl-C): nothing of
        # the import stays. A SIGKILL never gets here: `import_recover` undoes that run.
        import_journal.run_undo(run)
        raise
    import_journal.run_finish(run, {n: vars(c) for n, c in result.counts.items()})
    for k, _table, _rows in parsed:
        after = getattr(k, "after_import", None)
        if after is not None and k.name in result.counts:
            after(result.counts[k.name], actor=actor, files=result.files)
    return result


# --- Spreadsheet safety (OWASP "CSV injection") ------------------------------------------

# A spreadsheet reads a cell starting with one of these as a formula (or DDE command).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A text that is exactly a plain number ("-1" as a floor, "+5") is read as that number and
# never as a formula: it is left alone so that it round-trips.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def is_formula_text(text: str) -> bool:
    """Whether a spreadsheet would evaluate ``text`` typed into (or read from CSV into) a
    cell: it starts with a formula trigger and is not simply a number."""
    return text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text)


def neutralise(text: str) -> str:
    """The OWASP neutralisation for a CSV cell: a leading ``'`` so that the spreadsheet shows
    the text instead of evaluating it (``=HYPERLINK(...)`` → ``'=HYPERLINK(...)``)."""
    return "'" + text if is_formula_text(text) else text


# --- Export scope (personal data) -----------------------------------------------------------


@dataclass
class ExportScope:
    """Whom an export is for, which decides the personal data in it.

    A kind holding personal data (``personal_data = True``, e.g. leads) is called as
    ``export_rows(scope=scope)`` and must return exactly what ``viewer`` may see, masked as
    on screen (``parklink.leads.selectors.lead_scope`` and ``parklink.leads.access``),
    counting each full mobile number it writes in ``unmasked_count``. Other kinds are called
    as ``export_rows()``.

    - ``viewer`` set: that user's scope and masking (the office; ``parklink export --as``);
    - ``operator`` (``parklink export`` without ``--as``): every live record, numbers masked
      unless ``unmasked`` (``--unmasked``);
    - neither: nobody's scope, i.e. no personal rows at all (a safe default).
    """

    viewer: Any = None
    operator: bool = False
    unmasked: bool = False
    via: str = ""
    unmasked_count: int = 0

    def __post_init__(self) -> None:
        if self.unmasked and not self.operator:
            raise ValueError("unmasked exports are for the operator scope only")

    @property
    def mode(self) -> str:
        if self.viewer is not None:
            return "viewer"
        if self.operator:
            return "operator-unmasked" if self.unmasked else "operator"
        return "nobody"


def _export_rows(kind: ExchangeKind, scope: ExportScope) -> Iterable[dict[str, Any]]:
    if getattr(kind, "personal_data", False):
        return kind.export_rows(scope=scope)  # type: ignore[call-arg]
    return kind.export_rows()


def _export_audit(
    kinds: Sequence[ExchangeKind], fmt: str, counts: Mapping[str, int], scope: ExportScope
) -> None:
    """One audit entry per export: actor, kinds, rows, full numbers written."""
    import getpass

    from parklink.core.services import audit_record

    personal = any(getattr(k, "personal_data", False) for k in kinds)
    detail: dict[str, Any] = {
        "kind": kinds[0].name if len(kinds) == 1 else "all",
        "kinds": [k.name for k in kinds],
        "format": fmt,
        "count": sum(counts.values()),
        "rows": dict(counts),
        "unmasked": scope.unmasked_count,
        "mode": scope.mode,
        "via": scope.via,
    }
    if scope.viewer is None and scope.operator:
        try:  # the operator's login on the machine: who ran the command
            detail["os_user"] = getpass.getuser()
        except (KeyError, OSError):
            detail["os_user"] = ""
    audit_record(
        actor=scope.viewer,
        action="lead.export" if personal else "exchange.export",
        detail=detail,
    )


class _NullJournal:
    """The journal of a simulated import (rolled back, nothing to undo). A kind's ``write``
    may leave out rows that depend on an earlier row that was refused (``simulated``)."""

    simulated = True

    def created(self, objs: Iterable[Any]) -> None:
        pass

    def changed(self, objs: Iterable[Any]) -> None:
        pass

    def flush(self) -> None:
        pass


def _simulate(
    parsed: list[tuple[ExchangeKind, Table, list[Row]]],
    plans: dict[int, Any],
    problems: list[Problem],
    result: ImportResult,
    actor: Any,
) -> None:
    """Write the import as ``import_files`` would, in kind order, to find the problems of
    the service-validated kinds; the caller rolls it back. A planned kind is written only
    when a service-validated kind comes after it (one that may name its rows); otherwise
    its plan already said everything."""
    legacy_after = [
        any(not hasattr(k2, "plan") for k2, _t2, _r2 in parsed[i + 1 :]) for i in range(len(parsed))
    ]
    for i, (k, table, rows) in enumerate(parsed):
        if not hasattr(k, "plan"):
            _write_legacy([(k, table, rows)], problems, result, actor)
            continue
        if not legacy_after[i]:
            continue
        size = int(getattr(k, "batch_size", BATCH_ROWS))
        try:
            for chunk in k.plan_batches(plans[id(table)], size):
                k.write(chunk, actor=actor, journal=_NullJournal())
        except ValidationError as exc:
            table.report(problems).add_validation_error(None, exc)


def _write_legacy(
    legacy: list[tuple[ExchangeKind, Table, list[Row]]],
    problems: list[Problem],
    result: ImportResult,
    actor: Any,
) -> None:
    for k, table, rows in legacy:
        report = table.report(problems)
        before = len(problems)
        good = [r for r in rows if not r.failed]  # a reported cell: the file fails anyway
        try:
            counts = k.import_rows(good, report=report, actor=actor)
        except ValidationError as exc:
            report.add_validation_error(report.row, exc)
            counts = Counts()
        if len(problems) == before and len(good) == len(rows):
            result.counts.setdefault(k.name, Counts())
            result.counts[k.name] += counts


# --- Writing -------------------------------------------------------------------------------


def _decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value else str(value)
    return text


def cell_text(value: Any, lang: str = "zh") -> str:
    """A value as a CSV cell: text is neutralised (``neutralise``), numbers stay numbers."""
    return _plain_text(value, lang, csv_cell=True)


def _plain_text(value: Any, lang: str, *, csv_cell: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, list | tuple):
        text = LIST_JOIN.join(_plain_text(v, lang, csv_cell=False) for v in value)
    elif isinstance(value, dict):  # an object field (parks[].rules): its JSON text
        text = json.dumps(json_value(value), ensure_ascii=False)
    elif isinstance(value, Decimal):
        return _decimal_text(value)
    elif isinstance(value, int | float):
        return str(value)
    elif isinstance(value, datetime | date):
        return value.isoformat()
    else:
        text = str(value)
    return neutralise(text) if csv_cell else text


def json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    return value


def _xlsx_value(value: Any, lang: str) -> Any:
    """A value for an XLSX cell: numbers, dates and booleans' text as such; every other text
    as plain text (``xlsx_cell`` makes sure it is never a formula)."""
    if value is None:
        return None
    if isinstance(value, bool | list | tuple | dict):
        return _plain_text(value, lang, csv_cell=False)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, int | float | date):
        return value
    return str(value)


def xlsx_cell(ws: Any, value: Any) -> Any:
    """An openpyxl cell for ``ws.append``: a text is stored as a string (data type ``s``),
    never as a formula, whatever its first character; one a spreadsheet would evaluate when
    edited also gets Excel's quote prefix (shown and kept as text). Numbers stay numbers.
    Use it for every text cell of every XLSX written from data."""
    from openpyxl.cell.cell import Cell

    cell = Cell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_text(value):
            cell.quotePrefix = True
    return cell


def xlsx_safe(cell: Any) -> Any:
    """Make an openpyxl cell already holding a value safe: a text openpyxl took for a formula
    becomes a string again (``ws.cell(row, column, value=...)`` does that to ``=…``), and a
    risky text gets the quote prefix. Returns the cell."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if is_formula_text(cell.value):
            cell.quotePrefix = True
    return cell


def header_of(col: Column, lang: str) -> str:
    return col.header if lang == "zh" else col.field


def export_file(
    kinds: Sequence[ExchangeKind],
    fmt: str,
    out: io.IOBase | Any,
    *,
    lang: str = "zh",
    scope: ExportScope | None = None,
) -> dict[str, int]:
    """Write the records of ``kinds`` to ``out`` (a binary file object) in ``fmt``.

    JSON holds every kind; XLSX one sheet per kind; CSV exactly one kind. Personal data is
    what ``scope`` allows (ExportScope; none without one). CSV and XLSX cells are
    spreadsheet-safe (never a formula). Writes one audit entry; returns the number of
    records written per kind."""
    if fmt not in FORMATS:
        raise ValueError(f"未知格式 {fmt} / unknown format {fmt}")
    if fmt == "csv" and len(kinds) != 1:
        raise ValueError("CSV 只能包含一种数据 / a CSV holds exactly one kind")
    scope = scope if scope is not None else ExportScope()
    counts: dict[str, int] = {}
    if fmt == "json":
        doc: dict[str, list[dict[str, Any]]] = {}
        for k in kinds:
            fields = [c.field for c in k.columns]
            doc[k.name] = [
                {f: json_value(r.get(f)) for f in fields if f in r} for r in _export_rows(k, scope)
            ]
            counts[k.name] = len(doc[k.name])
        out.write(json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"))
    elif fmt == "csv":
        k = kinds[0]
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow([header_of(c, lang) for c in k.columns])
        n = 0
        for r in _export_rows(k, scope):
            writer.writerow([cell_text(r.get(c.field), lang) for c in k.columns])
            n += 1
        out.write(("\ufeff" + buf.getvalue()).encode("utf-8"))
        counts[k.name] = n
    else:
        _export_xlsx(kinds, out, lang, scope, counts)
    _export_audit(kinds, fmt, counts, scope)
    return counts


def _export_xlsx(
    kinds: Sequence[ExchangeKind],
    out: io.IOBase | Any,
    lang: str,
    scope: ExportScope,
    counts: dict[str, int],
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for k in kinds:
        ws = wb.create_sheet(k.sheet_names[0] if lang == "zh" else k.name)
        ws.append([xlsx_cell(ws, header_of(c, lang)) for c in k.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        n = 0
        for r in _export_rows(k, scope):
            ws.append([xlsx_cell(ws, _xlsx_value(r.get(c.field), lang)) for c in k.columns])
            n += 1
        for i, c in enumerate(k.columns, start=1):
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(
                10, min(40, len(header_of(c, lang)) * 2 + 2)
            )
        counts[k.name] = n
    wb.save(out)
