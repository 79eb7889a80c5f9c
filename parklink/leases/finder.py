"""The contiguous-space finder, pure: given the units of a building (floor, position, area,
free or not from a date), find runs of neighbouring free units on one floor — or whole
stacks of neighbouring floors in one building — that reach the area a tenant needs.

Units are neighbours when they follow each other in the floor's order (their refs, the way
a 租控表 lays them out); floors are neighbours when their numbers follow each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

FINDER_VERSION = "1"


@dataclass(frozen=True)
class FreeUnit:
    space_id: int
    ref: str
    building: str
    floor: str
    floor_number: int | None
    position: int
    area_m2: Decimal
    free: bool


@dataclass(frozen=True)
class Block:
    """One proposal: units side by side (one floor) or floors one above the other."""

    building: str
    floors: tuple[str, ...]
    units: tuple[FreeUnit, ...]
    area_m2: Decimal

    @property
    def scope(self) -> str:
        return "floor" if len(self.floors) == 1 else "building"


def _runs(units: list[FreeUnit]) -> list[list[FreeUnit]]:
    """Maximal runs of consecutive free units."""
    runs: list[list[FreeUnit]] = []
    current: list[FreeUnit] = []
    for u in sorted(units, key=lambda u: u.position):
        if u.free:
            current.append(u)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _smallest_window(run: list[FreeUnit], need: Decimal) -> list[FreeUnit] | None:
    """The shortest stretch of ``run`` whose area reaches ``need`` (least area on a tie)."""
    best: list[FreeUnit] | None = None
    left = 0
    total = Decimal(0)
    for right, unit in enumerate(run):
        total += unit.area_m2
        while left < right and total - run[left].area_m2 >= need:
            total -= run[left].area_m2
            left += 1
        if total >= need:
            window = run[left : right + 1]
            if best is None or (len(window), sum(u.area_m2 for u in window)) < (
                len(best),
                sum(u.area_m2 for u in best),
            ):
                best = window
    return best


def find_blocks(units: list[FreeUnit], need: Decimal, *, limit: int = 20) -> list[Block]:
    """Blocks reaching ``need`` m²: first the single-floor runs (the smallest stretch of
    each run of free neighbours), then, where no floor of a building is enough, stacks of
    consecutive floors whose free area together reaches it. Least surplus first."""
    by_floor: dict[tuple[str, str], list[FreeUnit]] = {}
    for u in units:
        by_floor.setdefault((u.building, u.floor), []).append(u)
    blocks: list[Block] = []
    floor_found: set[str] = set()
    for (building, floor), floor_units in by_floor.items():
        for run in _runs(floor_units):
            window = _smallest_window(run, need)
            if window:
                blocks.append(
                    Block(
                        building,
                        (floor,),
                        tuple(window),
                        sum((u.area_m2 for u in window), Decimal(0)),
                    )
                )
                floor_found.add(building)
    # Stacks: floors numbered one after another, each contributing its free units.
    buildings: dict[str, dict[int, list[FreeUnit]]] = {}
    for u in units:
        if u.free and u.floor_number is not None:
            buildings.setdefault(u.building, {}).setdefault(u.floor_number, []).append(u)
    for building, floors in buildings.items():
        if building in floor_found:
            continue
        numbers = sorted(floors)
        best: Block | None = None
        for i in range(len(numbers)):
            total = Decimal(0)
            chosen: list[int] = []
            for n in numbers[i:]:
                if chosen and n != chosen[-1] + 1:
                    break
                chosen.append(n)
                total += sum((u.area_m2 for u in floors[n]), Decimal(0))
                if total >= need:
                    stack = [u for k in chosen for u in sorted(floors[k], key=lambda u: u.position)]
                    candidate = Block(
                        building, tuple(floors[k][0].floor for k in chosen), tuple(stack), total
                    )
                    if best is None or (len(chosen), total) < (len(best.floors), best.area_m2):
                        best = candidate
                    break
        if best is not None:
            blocks.append(best)
    blocks.sort(key=lambda b: (len(b.floors), b.area_m2 - need, b.building, b.floors))
    return blocks[:limit]
