"""Input hygiene: the one home of the rules every piece of outside text and number obeys.

Pure functions (no Django import), used by `core.middleware.InputHygieneMiddleware` for
every request and by the few call sites that parse numbers themselves:

- text: NUL characters (PostgreSQL refuses them in text columns) and lone UTF-16 surrogates
  (no encoder, UTF-8 included, can write them) are removed (`clean_text`, `clean_data`);
- integers: `int()` inside try, never `str.isdigit()` (`"²".isdigit()` is true and `int("²")`
  raises), bounded to what a database id can hold (`parse_int`, `parse_id`);
- decimals: finite and bounded (`parse_decimal`): `1e27`, `NaN` and `inf` are refused;
- JSON: nesting depth is measured before parsing (`json_too_deep`), so 15,000 nested
  brackets get a clear 400 rather than a `RecursionError`;
- URLs: only http(s) (or site-relative paths) in photo and source fields (`safe_url`);
  `javascript:` and `data:` are refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

MAX_ID = 2**63 - 1  # the largest value of a 64-bit database id (SQLite INTEGER, bigint)
MAX_OFFSET = 10**9  # offsets and page numbers beyond this name nothing
MAX_DECIMAL = Decimal(10) ** 12  # areas, prices, money: far above any real value
MAX_JSON_DEPTH = 32  # the exchange format nests three levels; 32 leaves room

_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


def clean_text(value: str) -> str:
    """`value` without NUL characters and lone surrogates (everything else is kept)."""
    if _BAD_CHARS.search(value) is None:
        return value
    return _BAD_CHARS.sub("", value)


def has_bad_chars(value: str) -> bool:
    return _BAD_CHARS.search(value) is not None


def clean_data(value: Any) -> Any:
    """A JSON-like value (dicts, lists, strings, numbers) with every string cleaned, keys
    included. Containers are rebuilt only when something changed."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(k) if isinstance(k, str) else k: clean_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(clean_data(v) for v in value)
    return value


def json_too_deep(body: bytes | str, max_depth: int = MAX_JSON_DEPTH) -> bool:
    """True when the JSON text nests arrays/objects deeper than `max_depth`.

    Counts brackets outside string literals without parsing, so it is safe on any input
    (malformed JSON is the parser's business, not this function's)."""
    data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    if data.count(b"[") + data.count(b"{") <= max_depth:
        return False
    depth = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub(b'""', data)):
        if match.group() in (b"[", b"{"):
            depth += 1
            if depth > max_depth:
                return True
        else:
            depth = max(0, depth - 1)
    return False


def parse_int(
    value: Any, *, default: int | None = None, minimum: int = 0, maximum: int = MAX_ID
) -> int | None:
    """An integer in [minimum, maximum] from `value` (str, int), else `default`.

    `int()` inside try: superscripts, fractions, 20-digit numbers and text give `default`."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        if not text or len(text) > 40:
            return default
        try:
            number = int(text)
        except ValueError:
            return default
    if not minimum <= number <= maximum:
        return default
    return number


def parse_id(value: Any) -> int | None:
    """A database id (1 … 2^63-1) or None: anything else names no row."""
    return parse_int(value, minimum=1, maximum=MAX_ID)


def parse_ids(values: Iterable[Any]) -> list[int]:
    """The valid database ids among `values`, in order, without repeats."""
    out: list[int] = []
    for v in values:
        pk = parse_id(v)
        if pk is not None and pk not in out:
            out.append(pk)
    return out


def id_in_range(value: Any) -> bool:
    """False for an int (or all-digit text) that no database id can equal."""
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -MAX_ID - 1 <= value <= MAX_ID
    if isinstance(value, str) and value.isascii() and value.lstrip("-").isdecimal():
        return -MAX_ID - 1 <= int(value) <= MAX_ID
    return True


class NumberError(ValueError):
    """A number that is not one, not finite or out of bounds; `zh` and `en` say which."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


def parse_decimal(
    value: Any, *, minimum: Decimal | None = Decimal(0), maximum: Decimal = MAX_DECIMAL
) -> Decimal | None:
    """A finite Decimal within [minimum, maximum], None for empty input.

    Raises `NumberError` (bilingual) for text that is no number, NaN, infinities and values
    out of bounds, e.g. `1e27`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise NumberError("应为数字", "must be a number")
    text = str(value).strip()
    if len(text) > 60:
        raise NumberError("数字过长", "number too long")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise NumberError("应为数字", "must be a number") from None
    if not number.is_finite():
        raise NumberError("应为有限的数字", "must be a finite number")
    if minimum is not None and number < minimum:
        if minimum == 0:
            raise NumberError("应为非负数", "must not be negative")
        raise NumberError(f"不应小于 {minimum}", f"must be at least {minimum}")
    if number > maximum:
        raise NumberError(f"数值过大(不超过 {maximum:.0e})", f"too large (at most {maximum:.0e})")
    return number


SAFE_URL_SCHEMES = ("http", "https")


def safe_url(value: str) -> bool:
    """True for an http(s) URL or a site-relative path (`/media/…`); False for
    `javascript:`, `data:`, `vbscript:` and every other scheme, whatever their case or the
    control characters and spaces browsers ignore in front of them."""
    squeezed = re.sub(r"[\s\x00-\x1f\x7f]", "", str(value))
    if not squeezed:
        return True
    if squeezed.startswith("//"):
        return True  # protocol-relative: the page's scheme (http/https)
    try:
        scheme = urlsplit(squeezed).scheme.lower()
    except ValueError:
        return False
    # No scheme (a relative path, or text such as "北京日报:2023" that browsers read as one).
    return not scheme or scheme in SAFE_URL_SCHEMES


def unsafe_urls(values: Any) -> list[str]:
    """The entries of a list field (photos, sources) that `safe_url` refuses."""
    if not isinstance(values, list | tuple):
        return []
    return [str(v) for v in values if isinstance(v, str) and not safe_url(v)]
