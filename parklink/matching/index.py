"""The per-process matching index, built once from the database and kept fresh in place.

`get_index()` returns the process's `SpaceIndex` of available spaces (status 可租/可售),
shared by the process's threads (readers never lock; see `matching.columns`):

- built on first use, then never rebuilt on a timer: changes are applied incrementally;
- before each use it applies the ids queued by the ``parks.signals.space_changed`` receiver in
  this process, and, for writes made by other processes (gunicorn workers, the worker,
  imports), the spaces whose ``updated_at`` is newer than the newest one applied (one indexed
  query). Each changed space is re-read and upserted, or removed when it is no longer
  available. Park changes (a new park, its district, industries, tax minimum) refresh the
  small park table the same way (``Park.updated_at``);
- `apply_changes(ids)` and `remove(ids)` are the entry points the change feed
  (``core.changefeed``, Redis pub/sub, with ``REDIS_URL``) calls for writes of other
  processes and servers: `on_feed` below is the one place that wires the feed to the
  in-process indexes (this one and the faceted space index) and to the search sync;
  deletions made elsewhere without the feed are reconciled every
  ``MATCHING_RECONCILE_SECONDS`` (default 600) by comparing ids, which costs one query of
  ids and no rebuild.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.utils import timezone

from parklink.matching.columns import ParkTable, SpaceIndex, SpaceRow
from parklink.matching.grammar.places import AliasTable
from parklink.matching.grammar.specs import cleanroom_level
from parklink.parks.choices import AVAILABLE_STATUSES, Letting
from parklink.parks.models import Park, Space

_FIELDS = (
    "id",
    "ref",
    "park_id",
    "kind",
    "deal",
    "status",
    "area_m2",
    "unit_price",
    "letting",
    "min_lettable_m2",
    "ceiling_height_m",
    "floor_load_kg_m2",
    "power_kva",
    "dual_power",
    "gmp",
    "env_assessment",
    "cleanroom_class",
    "floor",
    "building__floors",
    "available_from",
    "confirmed_at",
    "updated_at",
)
_EPOCH = date(1970, 1, 1)

_lock = threading.RLock()
_state: dict[str, Any] = {
    "index": None,
    "watermark": None,
    "park_mark": None,
    "aliases": None,
    "reconciled": 0.0,
}
_pending: set[int] = set()


def _f(value: Any) -> float | None:
    return None if value is None else float(value)


def _is_basement(floor: str) -> bool:
    f = (floor or "").strip().upper()
    return f.startswith(("地下", "负", "B", "-"))


def _is_top_floor(floor: str, floors: int | None) -> bool:
    """On the top floor: "顶层", or the floor number of a building that says how many it has
    ("6" of 6; a range "5-6" when it reaches the top)."""
    f = (floor or "").strip()
    if "顶" in f:
        return True
    if not floors:
        return False
    numbers = [int(x) for x in re.findall(r"\d+", f)] if not _is_basement(f) else []
    return bool(numbers) and max(numbers) >= floors


def _row(v: dict[str, Any], fresh_after: Any, today: date) -> SpaceRow:
    divisible = v["letting"] != Letting.WHOLE and v["min_lettable_m2"] is not None
    free = v["available_from"]
    return SpaceRow(
        id=v["id"],
        ref=v["ref"],
        park_id=v["park_id"],
        kind=v["kind"],
        deal=v["deal"],
        area_m2=float(v["area_m2"]),
        unit_price=_f(v["unit_price"]),
        min_lettable_m2=_f(v["min_lettable_m2"]) if divisible else None,
        ceiling_height_m=_f(v["ceiling_height_m"]),
        floor_load_kg_m2=_f(v["floor_load_kg_m2"]),
        power_kva=_f(v["power_kva"]),
        dual_power=v["dual_power"],
        gmp=v["gmp"],
        env_assessment=v["env_assessment"],
        cleanroom=bool(v["cleanroom_class"]),
        cleanroom_iso=cleanroom_level(v["cleanroom_class"] or ""),
        basement=_is_basement(v["floor"]),
        top_floor=_is_top_floor(v["floor"], v["building__floors"]),
        public=v["confirmed_at"] >= fresh_after,
        available_day=float((free - _EPOCH).days) if free and free > today else None,
    )


def park_table(previous: ParkTable | None = None) -> ParkTable:
    """All parks with districts, leading industries, tax minimums, coordinates and aliases
    (Chinese and English names). Parks already in `previous` keep their rows, so the
    index's park column stays valid."""
    parks = {p.pk: p for p in Park.objects.prefetch_related("industries").order_by("id")}
    order = [pid for pid in (previous.ids if previous else []) if pid in parks]
    order += [pid for pid in parks if pid not in set(order)]
    if previous is not None:
        order += [pid for pid in previous.ids if pid not in parks]  # deleted: row kept
    aliases: dict[str, str] = {}
    rows = []
    for pid in order:
        p = parks.get(pid)
        rows.append(p)
        if p is None:
            continue
        for name in (*p.all_names, p.english_name):
            if name:
                aliases.setdefault(name.strip(), p.name)
    return ParkTable(
        ids=order,
        names=[p.name if p else f"#{pid}" for pid, p in zip(order, rows, strict=True)],
        districts=[(p.district or "") if p else "" for p in rows],
        industries=[tuple(i.name for i in p.industries.all()) if p else () for p in rows],
        min_tax=np.array(
            [
                math.nan
                if p is None or p.min_annual_tax_yuan_per_m2 is None
                else float(p.min_annual_tax_yuan_per_m2)
                for p in rows
            ]
        ),
        aliases=aliases,
        lat=np.array([_f(p.latitude) if p and p.latitude is not None else math.nan for p in rows]),
        lng=np.array(
            [_f(p.longitude) if p and p.longitude is not None else math.nan for p in rows]
        ),
    )


def _fresh_after() -> Any:
    return timezone.now() - timedelta(days=settings.PARKLINK["LISTING_STALE_DAYS"])


def build_index() -> SpaceIndex:
    """A new index of every available space (one query for parks, one streamed for spaces)."""
    parks = park_table()
    fresh_after, today = _fresh_after(), timezone.localdate()
    qs = Space.objects.available().order_by().values(*_FIELDS)
    rows = [_row(v, fresh_after, today) for v in qs.iterator(chunk_size=5000)]
    return SpaceIndex.from_rows(parks, rows)


def _rebuild_every_use() -> bool:
    """Under tests each use rebuilds (every test has its own rows, rolled back after it)
    unless PARKLINK["MATCHING_REBUILD_SECONDS"] is set: then the index is kept and refreshed
    in place, as in production."""
    if not getattr(settings, "TESTING", False):
        return False
    return not settings.PARKLINK.get("MATCHING_REBUILD_SECONDS")


def _reconcile_seconds() -> float:
    return float(settings.PARKLINK.get("MATCHING_RECONCILE_SECONDS", 600))


def _watermark() -> Any:
    return Space.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()


def _park_mark() -> Any:
    return Park.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()


def get_index() -> SpaceIndex:
    """The process's index, fresh with every change committed so far."""
    with _lock:
        index = _state["index"]
        if index is None or _rebuild_every_use():
            mark, pmark = _watermark(), _park_mark()
            index = build_index()
            _pending.clear()
            _state.update(
                index=index,
                watermark=mark,
                park_mark=pmark,
                aliases=AliasTable.build(index.parks.aliases),
                reconciled=time.monotonic(),
            )
            return index
        _refresh_parks(index)
        ids = set(_pending)
        _pending.clear()
        mark = _state["watermark"]
        changed = Space.objects.order_by()
        if mark is not None:
            newer = list(changed.filter(updated_at__gt=mark).values(*_FIELDS))
        else:
            newer = list(changed.values(*_FIELDS)) if index.n == 0 else []
        if ids:
            seen = {v["id"] for v in newer}
            newer += list(changed.filter(id__in=ids - seen).values(*_FIELDS))
            gone = ids - {v["id"] for v in newer}
            index.remove_many(gone)  # deleted
        if newer:
            _apply(index, newer)
            latest = max(v["updated_at"] for v in newer)
            if mark is None or latest > mark:
                _state["watermark"] = latest
        if time.monotonic() - _state["reconciled"] > _reconcile_seconds():
            _reconcile(index)
        return index


def _refresh_parks(index: SpaceIndex) -> None:
    """A park added or changed since the last look: rebuild the small park table in place
    (rows keep their positions) and the districts of its spaces."""
    pmark = _park_mark()
    if pmark is None or pmark == _state["park_mark"]:
        return
    parks = park_table(index.parks)
    index.parks = parks
    n = index.n
    index.district[:n] = parks.district_code[index.park[:n]]
    _state.update(park_mark=pmark, aliases=AliasTable.build(parks.aliases))


def _apply(index: SpaceIndex, values: Iterable[dict[str, Any]]) -> None:
    fresh_after, today = _fresh_after(), timezone.localdate()
    rows, removed = [], []
    for v in values:
        if v["status"] in AVAILABLE_STATUSES and v["park_id"] in index.parks.row_of:
            rows.append(_row(v, fresh_after, today))
        else:
            removed.append(v["id"])
    index.apply(rows, removed)


def _reconcile(index: SpaceIndex) -> None:
    """Spaces deleted by another process leave no newer `updated_at`: compare ids."""
    live = np.fromiter(
        Space.objects.available()
        .order_by()
        .values_list("id", flat=True)
        .iterator(chunk_size=20000),
        dtype=np.int64,
    )
    ours = index.id[: index.n][index.alive[: index.n]]
    index.remove_many(np.setdiff1d(ours, live, assume_unique=True).tolist())
    _state["reconciled"] = time.monotonic()


def apply_changes(ids: Iterable[int]) -> None:
    """Re-read these spaces now and apply them (what a change feed calls for writes made on
    another server). Deleted or no longer available ones are removed."""
    wanted = {int(i) for i in ids}
    if not wanted:
        return
    with _lock:
        index = _state["index"]
        if index is None:
            return  # the first use builds from the database anyway
        values = list(Space.objects.order_by().filter(id__in=wanted).values(*_FIELDS))
        index.remove_many(wanted - {v["id"] for v in values})
        _apply(index, values)


def remove(ids: Iterable[int]) -> None:
    """Drop these spaces from the index (deleted, leased, sold or withdrawn elsewhere)."""
    with _lock:
        index = _state["index"]
        if index is not None:
            index.remove_many(int(i) for i in ids)


def alias_table() -> AliasTable:
    """Park names and aliases → canonical names, from the same build as the index."""
    get_index()
    return _state["aliases"]


def mark_changed(space_id: int) -> None:
    """Queue a space for re-reading on the next `get_index()` (what receivers call)."""
    with _lock:
        _pending.add(int(space_id))


def invalidate() -> None:
    """Drop the index: the next `get_index()` rebuilds it (tests, restores)."""
    with _lock:
        _state.update(index=None, watermark=None, park_mark=None, aliases=None)
        _pending.clear()


# --- the change feed ----------------------------------------------------------------------

_SEARCH_TYPES = {"space": "space", "park": "park", "article": "article", "org": "org"}


def on_feed(kind: str, ids: list[int], deleted: bool) -> None:
    """What every process does with a change-feed message (``core.changefeed``): the
    in-process indexes of this process follow at once; the shared search table is synced by
    one process per message (``changefeed.claim``)."""
    from parklink.core import changefeed
    from parklink.parks import facets
    from parklink.search.services import search_document_sync

    if kind == changefeed.CATCH_UP:
        get_index()  # follows updated_at since the last look
        return
    if kind == "space":
        if deleted:
            remove(ids)
        else:
            apply_changes(ids)
        for space_id in ids:
            facets.mark_changed(space_id)
    elif kind == "park":
        with _lock:
            _state["park_mark"] = None  # the next use re-reads the park table
    doc_type = _SEARCH_TYPES.get(kind)
    if doc_type and changefeed.claim("search"):
        for object_id in ids:
            search_document_sync(type=doc_type, object_id=object_id)


def _subscribe() -> None:
    from parklink.core import changefeed

    for kind in (*_SEARCH_TYPES, changefeed.CATCH_UP):
        changefeed.subscribe(kind, on_feed)


_subscribe()
