"""The per-process columnar index of the space search: facet counts without SQL scans.

`space_search` counts every facet value of a query over all public spaces. In SQL that reads
every matching entry of the covering index once per aggregate (≈ 59,000 entries for a broad
query over 100,000 spaces: 120–150 ms on SQLite). Here the facet columns of all spaces live
in NumPy arrays and a query is a handful of vectorised comparisons and `bincount`s (a few ms);
SQL fetches only the page's rows (and, for a text query ``q``, the ids matching the text).

Columns are kept exact: decimals as scaled integers (area and ceiling in 1/100, unit price in
1/10,000, the columns' decimal places), datetimes as microseconds since the epoch, so every
comparison gives what the database gives. Freshness (``confirmed_at`` against the stale
cutoff) is evaluated at query time, so a listing turns stale and leaves the search without
any write.

`get_index()` returns the process's `FacetIndex`, kept fresh like the matching index
(`parklink/matching/index.py`):

- built on first use, and in full again every ``PARKLINK["SPACE_SEARCH_REBUILD_SECONDS"]``
  (default 600; 0 under tests, where every test has its own rows: rebuilt on every use);
- before each use one aggregate query (number of spaces, newest ``updated_at``) decides
  whether anything changed: spaces queued by the ``space_changed`` receiver of this process
  and spaces whose ``updated_at`` is newer than the previous check minus
  ``SPACE_SEARCH_OVERLAP_SECONDS`` (default 5: a write committed by another process shortly
  after it stamped ``updated_at``) are re-read; a different number of spaces than indexed
  (a delete, or an insert that escaped the time window) rebuilds the index.

Snapshots are immutable: a refresh builds new arrays, so a search running in another thread
keeps counting on the snapshot it started with.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection
from django.utils import timezone

from parklink.parks.choices import AVAILABLE_STATUSES, Deal, SpaceKind
from parklink.parks.models import Space

# Decimal places of the model's DecimalFields (an exact integer per value).
AREA_SCALE = 100
PRICE_SCALE = 10_000
CEILING_SCALE = 100
_INT_MAX = np.iinfo(np.int64).max
_INT_MIN = np.iinfo(np.int64).min
# Filter bounds with more significant digits than a float holds are left to SQL.
MAX_BOUND_DIGITS = 15

_FIELDS = (
    "id",
    "park_id",
    "kind",
    "deal",
    "status",
    "gmp",
    "area_m2",
    "unit_price",
    "ceiling_height_m",
    "floor_load_kg_m2",
    "power_kva",
    "confirmed_at",
    "updated_at",
)
_COLUMNS = (
    "ids",
    "park",
    "kind",
    "deal",
    "available",
    "gmp",
    "area",
    "price",
    "has_price",
    "ceiling",
    "has_ceiling",
    "load",
    "has_load",
    "power",
    "has_power",
    "confirmed",
    "updated",
)
KIND_CODES = {v: i for i, v in enumerate(SpaceKind.values)}
DEAL_CODES = {v: i for i, v in enumerate(Deal.values)}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def micros(value: datetime) -> int:
    """Microseconds since the epoch (exact)."""
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return (value - _EPOCH) // timedelta(microseconds=1)


def _scaled(values: Sequence[Any], scale: int) -> tuple[np.ndarray, np.ndarray]:
    """Decimals, floats or None (as the database driver gives them) → exact scaled integers
    (the columns hold at most 14 significant digits) and a not-null mask."""
    floats = np.array(values, dtype=np.float64)  # None → nan
    ok = ~np.isnan(floats)
    return np.rint(np.where(ok, floats, 0.0) * scale).astype(np.int64), ok


def _ints(values: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    return _scaled(values, 1)


def _times(values: Sequence[datetime]) -> np.ndarray:
    """Datetimes (naive UTC from SQLite, aware from PostgreSQL) → microseconds."""
    naive = [
        v if v.tzinfo is None else (v - v.utcoffset()).replace(tzinfo=None)  # type: ignore[operator]
        for v in values
    ]
    return np.array(naive, dtype="datetime64[us]").astype(np.int64)


def bound(value: Decimal, scale: int, *, lower: bool) -> int | None:
    """The integer bound on a column scaled by ``scale`` equivalent to ``column >= value``
    (``lower``) or ``column <= value``; None when the value is too precise to decide exactly
    the way the database does (SQL answers then)."""
    if len(value.as_tuple().digits) > MAX_BOUND_DIGITS:
        return None
    if value.adjusted() >= 18:  # beyond every stored value
        return _INT_MAX - 1
    scaled = value.scaleb(len(str(scale)) - 1)
    n = int(scaled.to_integral_value(rounding=ROUND_CEILING if lower else ROUND_FLOOR))
    return max(_INT_MIN + 1, min(_INT_MAX - 1, n))


class FacetIndex:
    """Facet columns of every space (one row per space in id order, unavailable ones
    flagged)."""

    def __init__(self, columns: dict[str, np.ndarray]) -> None:
        ids = columns["ids"]
        if len(ids) > 1 and not np.all(ids[1:] > ids[:-1]):
            by_id = np.argsort(ids, kind="stable")
            columns = {name: columns[name][by_id] for name in _COLUMNS}
        for name in _COLUMNS:
            setattr(self, name, columns[name])
        self.n = len(self.ids)
        self._orders: dict[tuple[str, bool], np.ndarray] = {}
        self._lock = threading.Lock()

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def from_values(cls, rows: Iterable[Sequence[Any]]) -> FacetIndex:
        """From tuples in the order of ``_FIELDS``."""
        cols = list(zip(*rows, strict=True)) or [()] * len(_FIELDS)
        v = dict(zip(_FIELDS, cols, strict=True))
        available = set(AVAILABLE_STATUSES)
        price, has_price = _scaled(v["unit_price"], PRICE_SCALE)
        ceiling, has_ceiling = _scaled(v["ceiling_height_m"], CEILING_SCALE)
        load, has_load = _ints(v["floor_load_kg_m2"])
        power, has_power = _ints(v["power_kva"])
        return cls(
            {
                "ids": np.array(v["id"], dtype=np.int64),
                "park": np.array(v["park_id"], dtype=np.int64),
                "kind": np.array([KIND_CODES.get(k, -1) for k in v["kind"]], dtype=np.int8),
                "deal": np.array([DEAL_CODES.get(d, -1) for d in v["deal"]], dtype=np.int8),
                "available": np.array([s in available for s in v["status"]], dtype=bool),
                "gmp": np.array(v["gmp"], dtype=bool),
                "area": _scaled(v["area_m2"], AREA_SCALE)[0],
                "price": price,
                "has_price": has_price,
                "ceiling": ceiling,
                "has_ceiling": has_ceiling,
                "load": load,
                "has_load": has_load,
                "power": power,
                "has_power": has_power,
                "confirmed": _times(v["confirmed_at"]),
                "updated": _times(v["updated_at"]),
            }
        )

    def merged(self, changed: FacetIndex, removed: Iterable[int] = ()) -> FacetIndex:
        """A new index: rows of ``changed`` replace or join ours, ``removed`` ids leave
        (this one when that changes nothing: its cached orders stay)."""
        gone = np.array(sorted(removed), dtype=np.int64)
        gone = gone[self.rows(gone) >= 0]
        if not len(gone) and self.holds(changed):
            return self
        keep = ~np.isin(self.ids, np.concatenate([gone, changed.ids]))
        columns = {
            name: np.concatenate([getattr(self, name)[keep], getattr(changed, name)])
            for name in _COLUMNS
        }
        return FacetIndex(columns)

    def rows(self, ids: np.ndarray) -> np.ndarray:
        """Row positions of ``ids`` (-1 where absent)."""
        at = np.minimum(np.searchsorted(self.ids, ids), max(self.n - 1, 0))
        found = self.ids[at] == ids if self.n else np.zeros(len(ids), dtype=bool)
        return np.where(found, at, -1)

    def holds(self, other: FacetIndex) -> bool:
        """Whether every row of ``other`` is in this index, identical."""
        at = self.rows(other.ids)
        if np.any(at < 0):
            return False
        return all(np.array_equal(getattr(self, c)[at], getattr(other, c)) for c in _COLUMNS)

    # -- querying ---------------------------------------------------------------------------

    def public(self, cutoff: datetime) -> np.ndarray:
        """Available and reconfirmed since ``cutoff`` (what ``Space.objects.public()`` is)."""
        return self.available & (self.confirmed >= micros(cutoff))

    def order(self, sort: str, nulls_first: bool) -> np.ndarray:
        """Row positions in the order of ``filters.SPACE_SORTS[sort]`` (cached per snapshot).

        ``nulls_first``: where the database puts NULL prices in ascending order (SQLite
        first, PostgreSQL last; descending is the exact reverse in both)."""
        key = (sort, nulls_first)
        with self._lock:
            cached = self._orders.get(key)
        if cached is not None:
            return cached
        name = sort.lstrip("-")
        if name == "updated":
            order = np.lexsort((self.ids, self.updated))[::-1]
        elif name == "area":
            order = np.lexsort((self.ids, self.area))
        else:
            null = _INT_MIN if nulls_first else _INT_MAX
            order = np.lexsort((self.ids, np.where(self.has_price, self.price, null)))
        if sort.startswith("-"):
            order = order[::-1]
        order = np.ascontiguousarray(order)
        with self._lock:
            self._orders[key] = order
        return order


# --- the process's index ------------------------------------------------------------------

_lock = threading.RLock()
_state: dict[str, Any] = {"index": None, "built": 0.0, "checked": None}
_pending: set[int] = set()


def _setting(name: str, default: float) -> float:
    return float(settings.PARKLINK.get(name, default))


def _rebuild_seconds() -> float:
    default = 0 if getattr(settings, "TESTING", False) else 600
    return _setting("SPACE_SEARCH_REBUILD_SECONDS", default)


def _load(qs: Any) -> FacetIndex:
    """The rows of ``qs`` as the driver returns them (Django's per-value conversion of
    decimals and datetimes would triple the build time)."""
    sql, params = qs.order_by().values_list(*_FIELDS).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return FacetIndex.from_values(cursor.fetchall())


def _summary() -> tuple[int, int | None]:
    """Number of spaces and newest ``updated_at`` (µs) in one query that reads no rows
    (COUNT(*) of a whole table and MAX of an indexed column come from the b-trees; COUNT of
    a column would scan the table: 25 ms for 100,000 spaces on SQLite)."""
    quote = connection.ops.quote_name
    table = quote(Space._meta.db_table)
    column = quote(Space._meta.get_field("updated_at").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {table}), (SELECT MAX({column}) FROM {table})"
        )
        n, mark = cursor.fetchone()
    if mark is None:
        return n, None
    if isinstance(mark, str):  # SQLite: UTC text
        mark = datetime.fromisoformat(mark)
    return n, micros(mark)


def build_index() -> FacetIndex:
    """A new index of every space (one query)."""
    return _load(Space.objects.all())


def get_index() -> FacetIndex:
    """The process's index, fresh with every change committed so far (see module doc)."""
    with _lock:
        index: FacetIndex | None = _state["index"]
        now = timezone.now()
        age = time.monotonic() - _state["built"]
        rebuild = _rebuild_seconds()
        if index is None or rebuild <= 0 or age > rebuild:
            return _rebuilt(now)
        n, mark = _summary()
        ids = set(_pending)
        _pending.clear()
        since = _state["checked"] - timedelta(seconds=_setting("SPACE_SEARCH_OVERLAP_SECONDS", 5))
        newer = mark is not None and mark > micros(since)
        changed = Space.objects.filter(updated_at__gt=since) if newer else Space.objects.none()
        if ids:
            changed = changed | Space.objects.filter(pk__in=ids)
        if ids or newer:
            update = _load(changed)
            index = index.merged(update, removed=ids - set(update.ids.tolist()))
        if index.n != n:  # deleted, or inserted outside the time window: start over
            return _rebuilt(now)
        _state.update(index=index, checked=now)
        return index


def _rebuilt(now: datetime) -> FacetIndex:
    _pending.clear()
    index = build_index()
    _state.update(index=index, built=time.monotonic(), checked=now)
    return index


def mark_changed(space_id: int) -> None:
    """Queue a space for re-reading on the next `get_index()` (the signal receiver)."""
    with _lock:
        _pending.add(int(space_id))


def invalidate() -> None:
    """Drop the index: the next `get_index()` rebuilds it."""
    with _lock:
        _state.update(index=None, built=0.0, checked=None)
        _pending.clear()


def on_space_changed(sender: Any, space_id: int, **kwargs: Any) -> None:
    """Receiver of ``parks.signals.space_changed``: only marks the space for re-reading."""
    mark_changed(space_id)


def nulls_first() -> bool:
    """Whether the database sorts NULL before other values in ascending order."""
    return connection.vendor not in ("postgresql", "oracle")


def on_spaces_changed(sender: Any, space_ids: list[int], **kwargs: Any) -> None:
    with _lock:
        _pending.update(int(i) for i in space_ids)
