"""The columnar store of available spaces and their parks (pure NumPy, no Django).

`SpaceIndex` holds one array per field of the available spaces (status 可租/可售 only);
`ParkTable` the few hundred parks they belong to.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from parklink.matching.requirement import DEALS, KINDS

KIND_CODE = {k: i for i, k in enumerate(KINDS)}
DEAL_CODE = {d: i for i, d in enumerate(DEALS)}
RENT = DEAL_CODE["出租"]


@dataclass
class ParkTable:
    """The parks the spaces belong to (a few hundred rows: plain lists and small arrays)."""

    ids: list[int]
    names: list[str]
    districts: list[str]
    industries: list[tuple[str, ...]]
    min_tax: np.ndarray  # 元/㎡/年, NaN when the park sets no minimum
    aliases: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.row_of = {pid: i for i, pid in enumerate(self.ids)}
        self.district_names = sorted(set(self.districts))
        self.district_code_of = {d: i for i, d in enumerate(self.district_names)}
        self.district_code = np.array(
            [self.district_code_of[d] for d in self.districts], dtype=np.int16
        )

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
    public: bool = True  # fresh enough for the public portal/API


_FLOAT_COLS = ("area", "minlet", "price", "height", "load", "power")
_BOOL_COLS = ("dual", "gmp", "env", "clean", "basement", "public", "alive")


class SpaceIndex:
    """Columnar store of available spaces: appends and in-place updates are O(1) amortised,
    removals clear the `alive` flag (compacted on the next full rebuild)."""

    def __init__(self, parks: ParkTable, capacity: int = 1024) -> None:
        self.parks = parks
        self.n = 0
        self.row_of: dict[int, int] = {}
        self.refs: list[str] = []
        self._alloc(max(capacity, 16))

    def _alloc(self, cap: int) -> None:
        def grow(name: str, dtype: type, fill: object) -> None:
            new = np.full(cap, fill, dtype=dtype)
            old = getattr(self, name, None)
            if old is not None:
                new[: self.n] = old[: self.n]
            setattr(self, name, new)

        grow("id", np.int64, -1)
        grow("park", np.int32, 0)
        grow("district", np.int16, -1)
        grow("kind", np.int8, -1)
        grow("deal", np.int8, -1)
        for name in _FLOAT_COLS:
            grow(name, np.float64, np.nan)
        for name in _BOOL_COLS:
            grow(name, np.bool_, False)
        # float32 copies of the float columns for the fast first pass (half the bandwidth)
        old32 = getattr(self, "mirror32", {})
        self.mirror32 = {}
        for name in _FLOAT_COLS:
            new = np.full(cap, np.nan, dtype=np.float32)
            if name in old32:
                new[: self.n] = old32[name][: self.n]
            self.mirror32[name] = new
        self.capacity = cap

    @classmethod
    def from_rows(cls, parks: ParkTable, rows: Iterable[SpaceRow]) -> SpaceIndex:
        # Sorted by (kind, deal, district): the usual hard filters then select contiguous
        # blocks that are scored as slices, without gathering columns.
        rows = sorted(
            rows,
            key=lambda r: (
                KIND_CODE.get(r.kind, 99),
                DEAL_CODE.get(r.deal, 9),
                parks.districts[parks.row_of[r.park_id]] if r.park_id in parks.row_of else "",
            ),
        )
        index = cls(parks, capacity=len(rows) + 16)
        for row in rows:
            index.upsert(row)
        return index

    @classmethod
    def from_arrays(cls, parks: ParkTable, refs: Sequence[str], **cols: np.ndarray) -> SpaceIndex:
        """Bulk construction (benchmarks, big rebuilds). Columns as in `_FLOAT_COLS` etc.,
        plus id, park (row in `parks`), kind, deal codes."""
        n = len(cols["id"])
        index = cls(parks, capacity=n + 16)
        district = parks.district_code[np.asarray(cols["park"])]
        order = np.lexsort((district, cols["deal"], cols["kind"]))  # see from_rows
        refs = [refs[i] for i in order]
        for name, values in cols.items():
            getattr(index, name)[:n] = np.asarray(values)[order]
        for name in _FLOAT_COLS:
            index.mirror32[name][:n] = getattr(index, name)[:n]
        index.alive[:n] = True
        if "public" not in cols:
            index.public[:n] = True
        index.n = n
        index.refs = list(refs)
        index.row_of = {int(i): r for r, i in enumerate(index.id[:n])}
        index.district[:n] = parks.district_code[index.park[:n]]
        return index

    def __len__(self) -> int:
        return int(self.alive[: self.n].sum())

    def upsert(self, row: SpaceRow) -> None:
        """Insert or update one space; a space whose park is unknown is ignored."""
        prow = self.parks.row_of.get(row.park_id)
        if prow is None or row.kind not in KIND_CODE or row.deal not in DEAL_CODE:
            self.remove(row.id)
            return
        r = self.row_of.get(row.id)
        if r is None:
            if self.n == self.capacity:
                self._alloc(self.capacity * 2)
            r = self.n
            self.n += 1
            self.row_of[row.id] = r
            self.refs.append(row.ref)
        else:
            self.refs[r] = row.ref
        self.id[r] = row.id
        self.park[r] = prow
        self.district[r] = self.parks.district_code[prow]
        self.kind[r] = KIND_CODE[row.kind]
        self.deal[r] = DEAL_CODE[row.deal]
        self.area[r] = row.area_m2
        divisible = row.min_lettable_m2 is not None and row.min_lettable_m2 < row.area_m2
        self.minlet[r] = row.min_lettable_m2 if divisible else row.area_m2
        self.price[r] = _nan(row.unit_price)
        self.height[r] = _nan(row.ceiling_height_m)
        self.load[r] = _nan(row.floor_load_kg_m2)
        self.power[r] = _nan(row.power_kva)
        self.dual[r] = row.dual_power
        self.gmp[r] = row.gmp
        self.env[r] = row.env_assessment
        self.clean[r] = row.cleanroom
        self.basement[r] = row.basement
        self.public[r] = row.public
        self.alive[r] = True
        for name in _FLOAT_COLS:
            self.mirror32[name][r] = getattr(self, name)[r]

    def remove(self, space_id: int) -> None:
        r = self.row_of.pop(space_id, None)
        if r is not None:
            self.alive[r] = False

    def row(self, space_id: int) -> int | None:
        return self.row_of.get(space_id)

    def view(self, rows: Sequence[int]) -> SpaceIndex:
        """A small index holding copies of the given rows (reverse matching, alerts)."""
        sub = SpaceIndex(self.parks, capacity=len(rows) + 1)
        idx = np.asarray(rows, dtype=np.int64)
        for name in ("id", "park", "district", "kind", "deal", *_FLOAT_COLS, *_BOOL_COLS):
            getattr(sub, name)[: len(rows)] = getattr(self, name)[idx]
        for name in _FLOAT_COLS:
            sub.mirror32[name][: len(rows)] = self.mirror32[name][idx]
        sub.n = len(rows)
        sub.refs = [self.refs[r] for r in rows]
        sub.row_of = {int(sub.id[i]): i for i in range(sub.n)}
        return sub


def _nan(value: float | None) -> float:
    return math.nan if value is None else float(value)
