"""The manager's dashboard (/office/) on a throwaway database: with the demo data, then with
100,000 leads and 50,000 leases added through bulk paths.

Generates everything itself in a temporary directory (SQLite by default; ``--database-url``
for PostgreSQL, which must point at an empty scratch database), loads `parklink demo`,
logs a manager in with Django's test client and times GET /office/ (server time: the whole
request in process, template included, no network), plus the query count. Prints p50, p95
and max per scenario, CPU time and the load average.

    .venv/bin/python bench/dashboard.py --leads 100000 --leases 50000 --runs 20
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path


def setup_django(tmp: Path, database_url: str | None) -> None:
    os.environ["PARKLINK_VAR_DIR"] = str(tmp)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parklink.settings")
    os.environ.setdefault("PARKLINK_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def load_demo() -> None:
    from django.core.management import call_command

    call_command("demo", "--no-migrate", "--quiet-credentials", stdout=io.StringIO())


def generate(n_leads: int, n_leases: int, seed: int = 11) -> None:
    """Bulk inserts (no per-row services): leads over the last 12 weeks in every stage and
    channel, owned by the demo agents; parks, buildings and spaces to hold the leases; and
    the leases (current, ending within the year, expired, future) with their derived
    annual rent and status computed as the services would."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from parklink.core.roles import ROLE_AGENT
    from parklink.leads.choices import Channel, ConsentBasis, Stage
    from parklink.leads.models import Lead
    from parklink.leases import terms
    from parklink.leases.models import Lease
    from parklink.orgs.models import Organization
    from parklink.parks.choices import Deal, PriceUnit, SpaceKind, SpaceStatus
    from parklink.parks.models import Building, Park, Space
    from parklink.zh.places import BEIJING_DISTRICTS

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    agents = list(get_user_model().objects.filter(groups__name=ROLE_AGENT))
    t0 = time.perf_counter()
    stages = [*Stage.values]
    leads = []
    for i in range(n_leads):
        stage = rng.choice(stages)
        leads.append(
            Lead(
                ref=f"BL{i:07d}",
                company=f"基准企业{i}有限公司",
                company_key=f"基准企业{i}有限公司",
                contact="王先生",
                mobile=f"139{i:08d}",
                need="需要厂房",
                channel=rng.choice(Channel.values),
                consent_basis=ConsentBasis.FORM,
                stage=stage,
                lost_reason="价格" if stage == Stage.LOST else "",
                owner=rng.choice(agents) if agents and rng.random() < 0.8 else None,
                next_follow_up=today + timedelta(days=rng.randint(-10, 10))
                if rng.random() < 0.5
                else None,
                last_inquiry_at=now,
            )
        )
    Lead.objects.bulk_create(leads, batch_size=2000)
    # created_at is auto_now_add: spread it over 12 weeks afterwards, in a few updates.
    ids = list(Lead.objects.filter(ref__startswith="BL").values_list("pk", flat=True))
    for week in range(12):
        chunk = ids[week::12]
        for j in range(0, len(chunk), 5000):
            Lead.objects.filter(pk__in=chunk[j : j + 5000]).update(
                created_at=now - timedelta(days=7 * week + rng.randint(0, 6))
            )
    t1 = time.perf_counter()
    n_spaces = max(1, n_leases // 2)
    n_parks = 300
    Park.objects.bulk_create(
        [
            Park(name=f"基准园区{i:04d}", district=BEIJING_DISTRICTS[i % len(BEIJING_DISTRICTS)])
            for i in range(n_parks)
        ]
    )
    parks = list(Park.objects.filter(name__startswith="基准园区"))
    Building.objects.bulk_create(
        [Building(park=p, name=f"{k}号楼") for p in parks for k in range(1, 6)]
    )
    buildings = list(Building.objects.filter(park__in=parks))
    kinds = [SpaceKind.FACTORY, SpaceKind.OFFICE, SpaceKind.RND, SpaceKind.LAB, SpaceKind.WAREHOUSE]
    spaces = []
    for i in range(n_spaces):
        b = buildings[i % len(buildings)]
        spaces.append(
            Space(
                ref=f"BS{i:07d}",
                park_id=b.park_id,
                building=b,
                floor=str(i % 12 + 1),
                kind=kinds[i % len(kinds)],
                deal=Deal.RENT,
                area_m2=Decimal(rng.randint(200, 5000)),
                price=Decimal(str(round(rng.uniform(1, 8), 2))),
                price_unit=PriceUnit.YUAN_M2_DAY,
                unit_price=None,
                status=SpaceStatus.FOR_RENT,
            )
        )
    Space.objects.bulk_create(spaces, batch_size=2000)
    Space.objects.filter(ref__startswith="BS").update(unit_price=models_f("price"))
    tenants = [
        Organization(
            name=f"基准租户{i}",
            industry=rng.choice(["生物医药", "集成电路", "人工智能", "智能制造", "物流", "软件"]),
        )
        for i in range(5000)
    ]
    Organization.objects.bulk_create(tenants, batch_size=2000)
    tenant_ids = list(
        Organization.objects.filter(name__startswith="基准租户").values_list("pk", flat=True)
    )
    space_rows = list(Space.objects.filter(ref__startswith="BS").values_list("pk", "area_m2"))
    leases = []
    for i in range(n_leases):
        space_id, area = space_rows[i // 2]
        if i % 2 == 0:  # the current (or future) lease
            end = today + timedelta(days=rng.randint(-30, 1500))
            start = end - timedelta(days=365 * rng.choice((2, 3, 5)))
        else:  # the one before it, expired
            end = today - timedelta(days=rng.randint(400, 900))
            start = end - timedelta(days=365 * 3)
        rent = Decimal(str(round(rng.uniform(1, 7), 2)))
        leases.append(
            Lease(
                ref=f"BLS{i:07d}",
                space_id=space_id,
                tenant_id=rng.choice(tenant_ids),
                start=start,
                end=end,
                area_m2=area,
                rent=rent,
                rent_unit="元/平方米/天",
                annual_rent_yuan=terms.annual_rent(rent, "元/平方米/天", area),
                status=terms.status_on(start, end, None, today),
                owner=rng.choice(agents) if agents else None,
            )
        )
    Lease.objects.bulk_create(leases, batch_size=2000)
    from django.db import connection

    if connection.vendor == "postgresql":
        # What autovacuum does within a minute of a bulk load: planner statistics and the
        # visibility map (index-only scans). Measured before it, PostgreSQL plans 100,000
        # rows as if the tables were empty. SQLite gets no ANALYZE: the app never runs one,
        # so its indexes must be chosen without statistics.
        with connection.cursor() as cursor:
            for table in (
                "leads_lead",
                "leases_lease",
                "parks_space",
                "parks_park",
                "orgs_organization",
                "core_auditentry",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")
    t2 = time.perf_counter()
    print(
        f"generated {n_leads:,} leads in {t1 - t0:.1f} s; {n_spaces:,} spaces and {n_leases:,} leases in {t2 - t1:.1f} s"
    )


def models_f(name: str):
    from django.db.models import F

    return F(name)


def measure(label: str, runs: int, path: str = "/office/", *, cold: bool = True) -> None:
    """Time ``runs`` requests; ``cold`` clears the cache before each (every figure is
    computed), otherwise the dashboard's built figures come from the cache."""
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username="manager"))
    client.get(path)  # warm: templates compiled, connections open
    wall, cpu = [], []
    from django.core.cache import cache

    for _ in range(runs):
        if cold:
            cache.clear()
        reset_queries()
        c0, w0 = time.process_time(), time.perf_counter()
        resp = client.get(path)
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert resp.status_code == 200, resp.status_code
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    if os.environ.get("BENCH_SLOWEST"):
        slow = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:6]
        for q in slow:
            print(f"    {float(q['time']) * 1000:7.1f} ms  {q['sql'][:160]}")
    wall.sort()
    cpu.sort()
    p95 = wall[max(0, int(len(wall) * 0.95) - 1)]
    print(
        f"{label:<44} p50 {statistics.median(wall):7.1f} ms  p95 {p95:7.1f} ms  "
        f"max {wall[-1]:7.1f} ms  CPU p50 {statistics.median(cpu):7.1f} ms  "
        f"queries {len(ctx.captured_queries)}"
    )


def explain(path: str = "/office/", slower_than_ms: float = 2.0) -> None:
    """One cold request: each query slower than ``slower_than_ms``, its time and the plan
    the database chose (SQLite ``EXPLAIN QUERY PLAN``, PostgreSQL ``EXPLAIN (ANALYZE,
    BUFFERS)``, whose execution time can be well below Django's timing of the same query:
    the latter includes planning, sending the rows and reading them)."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username="manager"))
    client.get(path)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    total = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    print(f"  {len(ctx.captured_queries)} queries, {total:.1f} ms in SQL")
    prefix = (
        "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    )
    for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"])):
        ms = float(q["time"]) * 1000
        if ms < slower_than_ms:
            break
        print(f"  {ms:7.1f} ms  {q['sql'][:600]}")
        with connection.cursor() as cursor:
            cursor.execute(prefix + q["sql"])
            for row in cursor.fetchall():
                print("             ", row[-1])


def profile(path: str = "/office/", top: int = 30) -> None:
    """One cold request under cProfile: the functions with the most own time (SQL included:
    SQLite runs in process, so its time shows as the cursor's ``execute``/``fetchmany``)."""
    import cProfile
    import pstats

    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="manager"))
    client.get(path)
    cache.clear()
    prof = cProfile.Profile()
    prof.enable()
    client.get(path)
    prof.disable()
    stats = pstats.Stats(prof, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--leases", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--database-url", help="an EMPTY scratch database (default: SQLite in a temp dir)"
    )
    parser.add_argument(
        "--data-dir",
        help="keep the generated database in this directory and reuse it on the next run "
        "(generation is skipped when it already holds the bench rows; migrations still run, "
        "so a new index is measured on the same data)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="after the timings, print the slower queries of one cold request with their plans",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="after the timings, profile one cold request (cProfile: own and cumulative time)",
    )
    parser.add_argument(
        "--lead-index",
        action="store_true",
        help="also time with a covering index on leads (created_at, channel, stage, owner): "
        "the index the leads app would need for the cold case",
    )
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.data_dir:
            tmp = Path(args.data_dir)
            tmp.mkdir(parents=True, exist_ok=True)
        else:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="parklink-bench-")))
        setup_django(tmp, args.database_url)
        from django.db import connection

        from parklink.leads.models import Lead

        reuse = Lead.objects.filter(ref__startswith="BL").exists()

        print(f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f}")
        os.environ["PARKLINK_DASHBOARD_CACHE_SECONDS"] = "60"
        from parklink.office.reports import dashboard

        dashboard.CACHE_SECONDS = 60
        if not reuse:
            load_demo()
            measure("demo data, cold", args.runs)
            measure("demo data, figures cached", args.runs, cold=False)
            generate(args.leads, args.leases)
        big = f"+ {args.leads:,} leads + {args.leases:,} leases"
        measure(f"{big}, cold", args.runs)
        measure(f"{big}, figures cached", args.runs, cold=False)
        if args.explain:
            explain()
        if args.profile:
            profile()
        if args.lead_index:
            with connection.cursor() as cursor:
                cursor.execute(
                    "CREATE INDEX bench_lead_cover ON leads_lead "
                    "(created_at, channel, stage, owner_id)"
                )
            measure(f"{big}, cold, with the lead index", args.runs)
        print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
