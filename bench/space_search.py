"""Faceted space search over N spaces on a throwaway SQLite database.

Generates parks and spaces into a temporary directory (DATABASE_URL / PARKLINK_VAR_DIR point
there), migrates, bulk-inserts, then times ``parks.selectors.space_search`` (one page of
results + every facet's counts, materialised as the portal renders them) over a fixed mix
of queries. Prints p50/p95/max per scenario and overall, wall and CPU time, and the load
average. By default the search runs on the columnar index (``parks.facets``): the index
build time is printed, every scenario's page, total and counts are checked against the SQL
search, and a write between runs measures a refresh. ``--sql`` times the SQL search alone.

    .venv/bin/python bench/space_search.py --spaces 100000 --runs 30 [--sql]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

SCENARIOS: list[tuple[str, dict[str, object]]] = [
    ("no filter", {}),
    ("kind", {"kind": "厂房"}),
    ("kind+district", {"kind": "厂房", "district": "昌平区"}),
    ("deal+price", {"deal": "出租", "price_min": "1", "price_max": "3"}),
    ("area range+sort", {"area_min": "1000", "area_max": "3000", "sort": "-area"}),
    ("specs", {"ceiling_min": "8", "load_min": "1000", "power_min": "500"}),
    ("gmp+kinds", {"gmp": "1", "kind": ["实验室", "厂房"]}),
    ("park", {"park": "PARK"}),
    (
        "everything",
        {
            "kind": "厂房",
            "deal": "出租",
            "district": "大兴区",
            "area_min": "500",
            "price_max": "4",
            "ceiling_min": "6",
            "gmp": "1",
            "sort": "price",
        },
    ),
    ("deep page", {"kind": "研发楼", "page": 40}),
]


def setup_django(tmp: Path) -> None:
    os.environ["PARKLINK_VAR_DIR"] = str(tmp)
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parklink.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def generate(n_spaces: int, n_parks: int, seed: int = 7) -> None:
    from django.db import connection
    from django.db.models import F
    from django.utils import timezone

    from parklink.parks.choices import Deal, PriceUnit, SpaceKind, SpaceStatus
    from parklink.parks.models import Park, Space
    from parklink.zh.places import BEIJING_DISTRICTS

    rng = random.Random(seed)
    Park.objects.bulk_create(
        [
            Park(name=f"基准园区{i:04d}", district=BEIJING_DISTRICTS[i % len(BEIJING_DISTRICTS)])
            for i in range(n_parks)
        ]
    )
    park_ids = list(Park.objects.values_list("pk", flat=True))
    kinds = SpaceKind.values
    now = timezone.now()
    batch: list[Space] = []
    for i in range(n_spaces):
        kind = rng.choice(kinds)
        deal = Deal.SALE if rng.random() < 0.2 else Deal.RENT
        area = Decimal(rng.randint(50, 20000))
        if deal == Deal.RENT:
            price, unit = Decimal(rng.randint(50, 1200)) / 100, PriceUnit.YUAN_M2_DAY
            status = SpaceStatus.LEASED if rng.random() < 0.1 else SpaceStatus.FOR_RENT
        else:
            price, unit = Decimal(rng.randint(5000, 60000)), PriceUnit.YUAN_M2
            status = SpaceStatus.SOLD if rng.random() < 0.1 else SpaceStatus.FOR_SALE
        confirmed = now - timedelta(days=rng.randint(0, 45))  # about a third are stale
        space = Space(
            ref=f"B{i:07d}",
            park_id=rng.choice(park_ids),
            kind=kind,
            deal=deal,
            area_m2=area,
            price=price,
            price_unit=unit,
            ceiling_height_m=Decimal(rng.randint(30, 140)) / 10,
            floor_load_kg_m2=rng.choice([300, 500, 800, 1000, 1500, 2000, 3000]),
            power_kva=rng.choice([50, 100, 200, 500, 800, 1000, 2000, 3000]),
            gmp=rng.random() < 0.15,
            status=status,
            confirmed_at=confirmed,
        )
        space.unit_price = space.compute_unit_price()
        batch.append(space)
        if len(batch) == 5000:
            Space.objects.bulk_create(batch)
            batch.clear()
    Space.objects.bulk_create(batch)
    # As the services leave them: last edited when last confirmed (not all this second).
    Space.objects.update(updated_at=F("confirmed_at"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _summary(result) -> tuple:
    return (
        result.total,
        result.page.number,
        [s.pk for s in result.page.object_list],
        [
            (f.name, [(v.label, v.count, v.selected, v.query) for v in f.values])
            for f in result.facets
        ],
    )


def run(runs: int, use_index: bool) -> dict[str, list[float]]:
    from django.db import connection, reset_queries

    from parklink.parks import facets
    from parklink.parks.filters import SpaceFilter
    from parklink.parks.models import Park, Space
    from parklink.parks.selectors import space_search

    park_id = str(Park.objects.order_by("pk").values_list("pk", flat=True)[5])
    timings: dict[str, list[float]] = {}
    if use_index:
        t0, c0 = time.perf_counter(), time.process_time()
        facets.get_index()
        print(
            f"index built in {(time.perf_counter() - t0) * 1000:.0f} ms "
            f"(cpu {(time.process_time() - c0) * 1000:.0f} ms)"
        )
    for name, params in SCENARIOS:
        params = {k: (park_id if v == "PARK" else v) for k, v in params.items()}
        page = params.pop("page", 1)
        if use_index:
            f = SpaceFilter.from_params(params)
            same = _summary(space_search(f, page=page)) == _summary(
                space_search(f, page=page, use_index=False)
            )
            if not same:
                raise SystemExit(f"{name}: index and SQL results differ")
        for i in range(runs + 2):
            reset_queries()
            t0, c0 = time.perf_counter(), time.process_time()
            result = space_search(SpaceFilter.from_params(params), page=page, use_index=use_index)
            # What the page renders: the results (with park and building) and every count.
            _ = [(s.ref, s.park.name) for s in result.page.object_list]
            _ = [(v.label, v.count) for f in result.facets for v in f.values]
            elapsed = (time.perf_counter() - t0) * 1000
            cpu = (time.process_time() - c0) * 1000
            if i >= 2:  # two warm-up runs
                timings.setdefault(name, []).append(elapsed)
                timings.setdefault(name + " (cpu)", []).append(cpu)
        timings[name + " (total)"] = [result.total]
    if use_index:
        # A write by another process (no signal here): the next search re-reads it.
        from django.utils import timezone

        space = Space.objects.order_by("pk")[10]
        Space.objects.filter(pk=space.pk).update(area_m2=777, updated_at=timezone.now())
        t0 = time.perf_counter()
        space_search(SpaceFilter.from_params({}))
        print(
            f"search after one write elsewhere (refresh included): {(time.perf_counter() - t0) * 1000:.1f} ms"
        )
    connection.close()
    return timings


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--spaces", type=int, default=100_000)
    parser.add_argument("--parks", type=int, default=300)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--sql", action="store_true", help="time the SQL search (no index)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="parklink-bench-") as tmp:
        setup_django(Path(tmp))
        import django.db

        t0 = time.perf_counter()
        generate(args.spaces, args.parks)
        print(
            f"generated {args.spaces} spaces in {args.parks} parks in {time.perf_counter() - t0:.1f}s"
        )
        timings = run(args.runs, use_index=not args.sql)
        # Wall time depends on what else runs on the machine; CPU time of this process
        # (SQLite runs in it) is what the search costs on an idle core.
        everything: list[float] = []
        everything_cpu: list[float] = []
        print(
            f"{'scenario':<18} {'matches':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
            f"{'cpu p50':>8} {'cpu p95':>8}"
        )
        for name, _params in SCENARIOS:
            values, cpu = timings[name], timings[name + " (cpu)"]
            everything += values
            everything_cpu += cpu
            total = int(timings[name + " (total)"][0])
            print(
                f"{name:<18} {total:>8} {statistics.median(values):>8.1f} "
                f"{pct(values, 95):>8.1f} {max(values):>8.1f} "
                f"{statistics.median(cpu):>8.1f} {pct(cpu, 95):>8.1f}"
            )
        print(
            f"{'all':<18} {'':>8} {statistics.median(everything):>8.1f} "
            f"{pct(everything, 95):>8.1f} {max(everything):>8.1f} "
            f"{statistics.median(everything_cpu):>8.1f} {pct(everything_cpu, 95):>8.1f}"
        )
        print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        django.db.connections.close_all()


if __name__ == "__main__":
    main()
