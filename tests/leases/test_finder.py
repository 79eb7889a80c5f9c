"""The contiguous-space finder (pure): neighbouring free units on a floor, else floors."""

from decimal import Decimal

from parklink.leases.finder import FreeUnit, find_blocks


def _floor(building, floor, areas, taken=()):
    return [
        FreeUnit(
            space_id=hash((building, floor, i)) % 10_000,
            ref=f"{building}-{floor}{i:02d}",
            building=building,
            floor=str(floor),
            floor_number=floor,
            position=floor * 100 + i,
            area_m2=Decimal(a),
            free=i not in taken,
        )
        for i, a in enumerate(areas)
    ]


def test_smallest_run_on_one_floor():
    units = _floor("A", 3, [1000, 1200, 900, 2000], taken=())
    blocks = find_blocks(units, Decimal(3000))
    best = blocks[0]
    assert best.scope == "floor"
    # No two neighbours reach 3000 m² (900 + 2000 = 2900); of the three-unit stretches the
    # one with the least surplus wins.
    assert [u.ref for u in best.units] == ["A-300", "A-301", "A-302"]
    assert best.area_m2 == Decimal(3100)


def test_run_is_broken_by_a_leased_unit():
    units = _floor("A", 3, [1500, 1500, 1500, 1500], taken=(1,))
    blocks = find_blocks(units, Decimal(3000))
    assert [[u.ref for u in b.units] for b in blocks] == [["A-302", "A-303"]]


def test_no_floor_is_enough_then_consecutive_floors():
    units = (
        _floor("B", 1, [800, 800], taken=())
        + _floor("B", 2, [900], ())
        + _floor("B", 4, [5000], ())
    )
    blocks = find_blocks(units, Decimal(5000))
    assert blocks[0].floors == ("4",)  # one floor is enough in building B (floor 4)
    units = _floor("C", 1, [800, 800]) + _floor("C", 2, [900]) + _floor("C", 4, [1000])
    stacked = find_blocks(units, Decimal(2400))
    assert stacked[0].scope == "building"
    assert stacked[0].floors == ("1", "2")  # 1 and 2 follow each other; 4 does not
    assert stacked[0].area_m2 == Decimal(2500)


def test_nothing_when_too_little_is_free():
    units = _floor("A", 1, [100, 100], taken=(0,))
    assert find_blocks(units, Decimal(1000)) == []
