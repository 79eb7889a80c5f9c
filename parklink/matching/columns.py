"""The columnar store of available spaces and their parks (pure NumPy, no Django).

`SpaceIndex` holds one NumPy array per field of the available spaces (status 可租/可售) and
nothing per row in Python: references live in one byte buffer with offsets, the id → row
map is a direct-address int32 array. Changes are applied in place (`apply`, `remove`):
an update rewrites its row, a new space is appended, a removed one is flagged dead; when
dead or out-of-order rows pass a share of the index, `compact()` rewrites the arrays sorted
by (kind, deal, district) again, from memory, without the database.

Readers never lock: one process's threads share the arrays; a writer (the refresh under the
index lock) replaces an array only by assigning a new one, so a reader keeps the arrays it
started with. `ParkTable` holds the few hundred parks the spaces belong to.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from parklink.matching.requirement import DEALS, KINDS
from parklink.zh.places import district_point

KIND_CODE = {k: i for i, k in enumerate(KINDS)}
DEAL_CODE = {d: i for i, d in enumerate(DEALS)}
RENT = DEAL_CODE["出租"]
LAND = KIND_CODE["土地"]


@dataclass
class ParkTable:
    """The parks the spaces belong to (a few hundred rows: plain lists and small arrays)."""

    ids: list[int]
    names: list[str]
    districts: list[str]
    industries: list[tuple[str, ...]]
    min_tax: np.ndarray  # 元/㎡/年, NaN when the park sets no minimum
    aliases: dict[str, str] = field(default_factory=dict)
    lat: np.ndarray | None = None  # WGS-84, NaN when unknown
    lng: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.row_of = {pid: i for i, pid in enumerate(self.ids)}
        self.district_names = sorted(set(self.districts))
        self.district_code_of = {d: i for i, d in enumerate(self.district_names)}
        self.district_code = np.array(
            [self.district_code_of[d] for d in self.districts], dtype=np.int16
        )
        n = len(self.ids)
        lat = np.full(n, np.nan) if self.lat is None else np.asarray(self.lat, dtype=np.float64)
        lng = np.full(n, np.nan) if self.lng is None else np.asarray(self.lng, dtype=np.float64)
        # a park without coordinates stands at its district's seat (good to a few km)
        for i, d in enumerate(self.districts):
            if math.isnan(lat[i]) or math.isnan(lng[i]):
                pt = district_point(d)
                if pt is not None:
                    lat[i], lng[i] = pt
        self.lat, self.lng = lat, lng

    def __len__(self) -> int:
        return len(self.ids)

    def row_of_name(self, name: str) -> int | None:
        """Row of a park by name or alias."""
        cache = self.__dict__.get("_name_rows")
        if cache is None:
            cache = {n: i for i, n in enumerate(self.names)}
            self.__dict__["_name_rows"] = cache
        return cache.get(self.aliases.get(name, name))


@dataclass(frozen=True)
class SpaceRow:
    """One available space as the index stores it (units as in parks.Space)."""

    id: int
    ref: str
    park_id: int
    kind: str
    deal: str
    area_m2: float
    unit_price: float | None = None  # rent 元/㎡/天 or sale 元/㎡
    min_lettable_m2: float | None = None  # set when the space can be split
    ceiling_height_m: float | None = None
    floor_load_kg_m2: float | None = None
    power_kva: float | None = None
    dual_power: bool = False
    gmp: bool = False
    env_assessment: bool = False
    cleanroom: bool = False
    basement: bool = False
    top_floor: bool = False  # on the top floor of its building (when the building says)
    public: bool = True  # fresh enough for the public portal/API
    available_day: float | None = None  # days since 1970-01-01 it is free from; None: now
    cleanroom_iso: float | None = None  # ISO class of its cleanroom when stated


FLOAT_COLS = ("area", "minlet", "price", "height", "load", "power", "avail", "clean_iso")
BOOL_COLS = ("dual", "gmp", "env", "clean", "basement", "top", "public", "alive")
INT_COLS = (("id", np.int64, -1), ("park", np.int32, 0), ("district", np.int16, -1))
INT_COLS += (("kind", np.int8, -1), ("deal", np.int8, -1))


class StringColumn:
    """Short strings (space references) in one UTF-8 byte buffer with offsets and lengths:
    two NumPy arrays and a buffer instead of a million Python strings."""

    def __init__(self, capacity: int = 16) -> None:
        self.start = np.zeros(capacity, dtype=np.int64)
        self.length = np.zeros(capacity, dtype=np.int32)
        self.buf = np.zeros(max(capacity * 12, 64), dtype=np.uint8)
        self.used = 0

    def grow_rows(self, capacity: int) -> None:
        for name in ("start", "length"):
            old = getattr(self, name)
            new = np.zeros(capacity, dtype=old.dtype)
            new[: len(old)] = old[: min(len(old), capacity)]
            setattr(self, name, new)

    def set(self, row: int, value: str) -> None:
        data = value.encode("utf-8")
        if self.used + len(data) > len(self.buf):
            new = np.zeros(max(len(self.buf) * 2, self.used + len(data) + 64), dtype=np.uint8)
            new[: self.used] = self.buf[: self.used]
            self.buf = new
        self.buf[self.used : self.used + len(data)] = np.frombuffer(data, dtype=np.uint8)
        self.start[row] = self.used
        self.length[row] = len(data)
        self.used += len(data)

    def get(self, row: int) -> str:
        s = int(self.start[row])
        return self.buf[s : s + int(self.length[row])].tobytes().decode("utf-8")

    @classmethod
    def from_strings(cls, values: Sequence[str], capacity: int) -> StringColumn:
        col = cls(capacity)
        data = [v.encode("utf-8") for v in values]
        lengths = np.fromiter((len(d) for d in data), dtype=np.int32, count=len(data))
        col.length[: len(data)] = lengths
        col.start[: len(data)] = np.concatenate(([0], np.cumsum(lengths[:-1], dtype=np.int64)))
        joined = b"".join(data)
        col.buf = np.zeros(max(len(joined) * 2, 64), dtype=np.uint8)
        col.buf[: len(joined)] = np.frombuffer(joined, dtype=np.uint8)
        col.used = len(joined)
        return col

    def take(self, rows: np.ndarray, capacity: int) -> StringColumn:
        """A compacted copy holding the given rows in order."""
        return StringColumn.from_strings([self.get(int(r)) for r in rows], capacity)


class SpaceIndex:
    """Columnar store of available spaces; see the module docstring."""

    def __init__(self, parks: ParkTable, capacity: int = 1024) -> None:
        self.parks = parks
        self.n = 0
        self.dead = 0
        self.unsorted = 0  # rows appended after the last sort
        self.mirror32: dict[str, np.ndarray] = {}
        self.row_by_id = np.full(16, -1, dtype=np.int32)
        self.refs = StringColumn(16)
        self._alloc(max(capacity, 16))

    # --- storage -------------------------------------------------------------------------

    def _alloc(self, cap: int) -> None:
        def grow(name: str, dtype: type, fill: object) -> None:
            new = np.full(cap, fill, dtype=dtype)
            old = getattr(self, name, None)
            if old is not None:
                new[: self.n] = old[: self.n]
            setattr(self, name, new)

        for name, dtype, fill in INT_COLS:
            grow(name, dtype, fill)
        for name in FLOAT_COLS:
            grow(name, np.float64, np.nan)
        for name in BOOL_COLS:
            grow(name, np.bool_, False)
        # float32 copies of the float columns for the fast first pass (half the bandwidth)
        mirror = {}
        for name in FLOAT_COLS:
            new = np.full(cap, np.nan, dtype=np.float32)
            if name in self.mirror32:
                new[: self.n] = self.mirror32[name][: self.n]
            mirror[name] = new
        self.mirror32 = mirror
        self.refs.grow_rows(cap)
        self.capacity = cap

    def _map_ids(self, ids: np.ndarray, rows: np.ndarray) -> None:
        top = int(ids.max()) if len(ids) else 0
        if top >= len(self.row_by_id):
            new = np.full(max(top + 1, len(self.row_by_id) * 2), -1, dtype=np.int32)
            new[: len(self.row_by_id)] = self.row_by_id
            self.row_by_id = new
        self.row_by_id[ids] = rows

    # --- construction --------------------------------------------------------------------

    @classmethod
    def from_rows(cls, parks: ParkTable, rows: Iterable[SpaceRow]) -> SpaceIndex:
        rows = list(rows)
        index = cls(parks, capacity=len(rows) + 16)
        for row in rows:
            index.upsert(row)
        index.compact()
        return index

    @classmethod
    def from_arrays(cls, parks: ParkTable, refs: Sequence[str], **cols: np.ndarray) -> SpaceIndex:
        """Bulk construction (benchmarks, big rebuilds). Columns as in `FLOAT_COLS` etc.,
        plus id, park (row in `parks`), kind, deal codes."""
        n = len(cols["id"])
        index = cls(parks, capacity=n + 16)
        for name, values in cols.items():
            getattr(index, name)[:n] = np.asarray(values)
        index.alive[:n] = True
        if "public" not in cols:
            index.public[:n] = True
        index.district[:n] = parks.district_code[index.park[:n]]
        index.refs = StringColumn.from_strings(list(refs), n + 16)
        index.n = n
        index.compact()
        return index

    def compact(self) -> None:
        """Drop dead rows and sort by (kind, deal, district): the usual hard filters then
        select contiguous blocks that are scored as slices, without gathering columns."""
        n = self.n
        live = np.flatnonzero(self.alive[:n])
        order = live[
            np.lexsort((self.id[live], self.district[live], self.deal[live], self.kind[live]))
        ]
        m = len(order)
        cap = max(m + m // 8 + 16, 16)
        fresh: dict[str, np.ndarray] = {}
        for name, dtype, fill in INT_COLS:
            a = np.full(cap, fill, dtype=dtype)
            a[:m] = getattr(self, name)[order]
            fresh[name] = a
        for name in FLOAT_COLS:
            a = np.full(cap, np.nan)
            a[:m] = getattr(self, name)[order]
            fresh[name] = a
        for name in BOOL_COLS:
            a = np.zeros(cap, dtype=np.bool_)
            a[:m] = getattr(self, name)[order]
            fresh[name] = a
        refs = self.refs.take(order, cap)
        mirror = {name: fresh[name].astype(np.float32) for name in FLOAT_COLS}
        for name, a in fresh.items():
            setattr(self, name, a)
        self.mirror32 = mirror
        self.refs = refs
        self.n, self.capacity, self.dead, self.unsorted = m, cap, 0, 0
        self.row_by_id = np.full(max(int(self.id[:m].max()) + 1 if m else 16, 16), -1, np.int32)
        self._map_ids(self.id[:m], np.arange(m, dtype=np.int32))

    def needs_compaction(self) -> bool:
        return self.n > 1000 and (self.dead + self.unsorted) * 10 > self.n

    # --- changes -------------------------------------------------------------------------

    def __len__(self) -> int:
        return self.n - self.dead

    def upsert(self, row: SpaceRow) -> None:
        """Insert or update one space; a space whose park is unknown is removed."""
        prow = self.parks.row_of.get(row.park_id)
        if prow is None or row.kind not in KIND_CODE or row.deal not in DEAL_CODE:
            self.remove(row.id)
            return
        r = self.row(row.id)
        if r is None:
            if self.n == self.capacity:
                self._alloc(self.capacity * 2)
            r = self.n
            self.n += 1
            self.unsorted += 1
            self._map_ids(np.array([row.id]), np.array([r], dtype=np.int32))
        values = {
            "area": row.area_m2,
            "minlet": row.min_lettable_m2
            if row.min_lettable_m2 is not None and row.min_lettable_m2 < row.area_m2
            else row.area_m2,
            "price": _nan(row.unit_price),
            "height": _nan(row.ceiling_height_m),
            "load": _nan(row.floor_load_kg_m2),
            "power": _nan(row.power_kva),
            "avail": _nan(row.available_day),
            "clean_iso": _nan(row.cleanroom_iso),
        }
        self.refs.set(r, row.ref)
        self.id[r] = row.id
        self.park[r] = prow
        self.district[r] = self.parks.district_code[prow]
        self.kind[r] = KIND_CODE[row.kind]
        self.deal[r] = DEAL_CODE[row.deal]
        for name, value in values.items():
            getattr(self, name)[r] = value
            self.mirror32[name][r] = value
        self.dual[r] = row.dual_power
        self.gmp[r] = row.gmp
        self.env[r] = row.env_assessment
        self.clean[r] = row.cleanroom
        self.basement[r] = row.basement
        self.top[r] = row.top_floor
        self.public[r] = row.public
        self.alive[r] = True

    def apply(self, rows: Iterable[SpaceRow], removed: Iterable[int] = ()) -> None:
        """Apply a batch of changes: upsert every row, remove every id in `removed`."""
        for row in rows:
            self.upsert(row)
        self.remove_many(removed)
        if self.needs_compaction():
            self.compact()

    def remove(self, space_id: int) -> None:
        r = self.row(space_id)
        if r is not None:
            self.alive[r] = False
            self.row_by_id[space_id] = -1
            self.dead += 1

    def remove_many(self, ids: Iterable[int]) -> None:
        for sid in ids:
            self.remove(int(sid))

    def row(self, space_id: int) -> int | None:
        if not 0 <= space_id < len(self.row_by_id):
            return None
        r = int(self.row_by_id[space_id])
        return r if r >= 0 else None

    def rows_of(self, ids: Iterable[int]) -> np.ndarray:
        """Rows of the given space ids that are in the index."""
        arr = np.fromiter((int(i) for i in ids), dtype=np.int64)
        arr = arr[(arr >= 0) & (arr < len(self.row_by_id))]
        rows = self.row_by_id[arr]
        return rows[rows >= 0].astype(np.int64)

    def ref(self, r: int) -> str:
        return self.refs.get(int(r))

    def view(self, rows: Sequence[int]) -> SpaceIndex:
        """A small index holding copies of the given rows (reverse matching, alerts)."""
        sub = SpaceIndex(self.parks, capacity=len(rows) + 1)
        idx = np.asarray(rows, dtype=np.int64)
        for name in (*(c[0] for c in INT_COLS), *FLOAT_COLS, *BOOL_COLS):
            getattr(sub, name)[: len(rows)] = getattr(self, name)[idx]
        for name in FLOAT_COLS:
            sub.mirror32[name][: len(rows)] = self.mirror32[name][idx]
        sub.n = len(rows)
        sub.refs = StringColumn.from_strings([self.ref(r) for r in idx], len(rows) + 1)
        sub._map_ids(sub.id[: sub.n], np.arange(sub.n, dtype=np.int32))
        return sub

    def nbytes(self) -> int:
        """Memory held by the arrays (the whole index: there is nothing else per row)."""
        total = sum(getattr(self, c[0]).nbytes for c in INT_COLS)
        total += sum(getattr(self, c).nbytes for c in (*FLOAT_COLS, *BOOL_COLS))
        total += sum(a.nbytes for a in self.mirror32.values()) + self.row_by_id.nbytes
        return total + self.refs.start.nbytes + self.refs.length.nbytes + self.refs.buf.nbytes


def _nan(value: float | None) -> float:
    return math.nan if value is None else float(value)
