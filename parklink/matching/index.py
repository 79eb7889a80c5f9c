"""The per-process matching index, built from the database and kept fresh.

`get_index()` returns the process's `SpaceIndex` of available spaces (status 可租/可售):

- built on first use (and in full again every ``MATCHING_REBUILD_SECONDS``, default 600, which
  also picks up park changes and compacts removed rows);
- refreshed before each use from two sources of change: the ids queued by the
  ``parks.signals.space_changed`` receiver in this process, and, for changes made by other
  processes (gunicorn workers, the worker, imports), the spaces whose ``updated_at`` is newer
  than the newest one already indexed (one indexed query). Each changed space is re-read and
  upserted, or removed when it is no longer available.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from parklink.matching.columns import ParkTable, SpaceIndex, SpaceRow
from parklink.matching.parse import AliasTable
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
    "confirmed_at",
    "updated_at",
)

_lock = threading.RLock()
_state: dict[str, Any] = {"index": None, "built": 0.0, "watermark": None, "aliases": None}
_pending: set[int] = set()


def _f(value: Any) -> float | None:
    return None if value is None else float(value)


def _is_basement(floor: str) -> bool:
    f = (floor or "").strip().upper()
    return f.startswith(("地下", "负", "B", "-"))


def _row(v: dict[str, Any], fresh_after: Any) -> SpaceRow:
    divisible = v["letting"] != Letting.WHOLE and v["min_lettable_m2"] is not None
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
        basement=_is_basement(v["floor"]),
        public=v["confirmed_at"] >= fresh_after,
    )


def park_table() -> ParkTable:
    """All parks with districts, leading industries, tax minimums and aliases."""
    parks = list(Park.objects.prefetch_related("industries").order_by("id"))
    aliases: dict[str, str] = {}
    for p in parks:
        for name in p.all_names:
            aliases.setdefault(name.strip(), p.name)
    return ParkTable(
        ids=[p.pk for p in parks],
        names=[p.name for p in parks],
        districts=[p.district or "" for p in parks],
        industries=[tuple(i.name for i in p.industries.all()) for p in parks],
        min_tax=_min_tax(parks),
        aliases=aliases,
    )


def _min_tax(parks: list[Park]) -> Any:
    import numpy as np

    return np.array(
        [
            math.nan
            if p.min_annual_tax_yuan_per_m2 is None
            else float(p.min_annual_tax_yuan_per_m2)
            for p in parks
        ],
        dtype=np.float64,
    )


def _fresh_after() -> Any:
    return timezone.now() - timedelta(days=settings.PARKLINK["LISTING_STALE_DAYS"])


def build_index() -> SpaceIndex:
    """A new index of every available space (one query for parks, one streamed for spaces)."""
    parks = park_table()
    fresh_after = _fresh_after()
    qs = Space.objects.available().order_by().values(*_FIELDS)
    rows = [_row(v, fresh_after) for v in qs.iterator(chunk_size=5000)]
    return SpaceIndex.from_rows(parks, rows)


def _rebuild_seconds() -> float:
    """Full rebuild period. Under tests every use rebuilds (each test has its own rows)
    unless PARKLINK["MATCHING_REBUILD_SECONDS"] is set."""
    default = 0 if getattr(settings, "TESTING", False) else 600
    return float(settings.PARKLINK.get("MATCHING_REBUILD_SECONDS", default))


def _watermark() -> Any:
    return Space.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()


def get_index() -> SpaceIndex:
    """The process's index, fresh with every change committed so far."""
    with _lock:
        index = _state["index"]
        age = time.monotonic() - _state["built"]
        if index is None or age > _rebuild_seconds() or _rebuild_seconds() <= 0:
            mark = _watermark()
            index = build_index()
            _pending.clear()
            _state.update(
                index=index,
                built=time.monotonic(),
                watermark=mark,
                aliases=AliasTable.build(index.parks.aliases),
            )
            return index
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
            missing = ids - {v["id"] for v in newer}
            for sid in missing:  # deleted
                index.remove(sid)
        if newer:
            _apply(index, newer)
            latest = max(v["updated_at"] for v in newer)
            if mark is None or latest > mark:
                _state["watermark"] = latest
        return index


def _apply(index: SpaceIndex, values: Iterable[dict[str, Any]]) -> None:
    fresh_after = _fresh_after()
    for v in values:
        if v["status"] in AVAILABLE_STATUSES and v["park_id"] in index.parks.row_of:
            index.upsert(_row(v, fresh_after))
        else:
            index.remove(v["id"])
    # a space in a park created after the last build: rebuild on next use
    if any(v["park_id"] not in index.parks.row_of for v in values):
        _state["built"] = 0.0


def alias_table() -> AliasTable:
    """Park names and aliases → canonical names, from the same build as the index."""
    get_index()
    return _state["aliases"]


def mark_changed(space_id: int) -> None:
    """Queue a space for re-reading on the next `get_index()` (what receivers call)."""
    with _lock:
        _pending.add(int(space_id))


def invalidate() -> None:
    """Drop the index: the next `get_index()` rebuilds it (parks changed, tests)."""
    with _lock:
        _state.update(index=None, built=0.0, watermark=None, aliases=None)
        _pending.clear()
