"""Every office and portal page at scale: server time with the demo data, then after growing
the database to --leads leads, --articles articles and --spaces spaces.

Works on a throwaway database (SQLite in a temporary directory, or an EMPTY PostgreSQL
scratch database with --database-url). Growth goes through the product's bulk paths where
they exist: the exchange import (`core.exchange.import_files`, all-or-nothing, validated) for a
sample of leads and spaces, then bulk inserts of the same rows for the bulk of the volume (a
validated import of a million rows would take hours on this machine and measures the
importer, not the pages), and `search_reindex` for the search index. Each page is then
requested --runs times in process through Django's test client (the whole request:
middleware, queries, template; no network), page cache off so every run renders; prints
p50/p95/max and the query count.

    .venv/bin/python bench/scale.py --leads 100000 --articles 200000 --spaces 1000000
    .venv/bin/python bench/scale.py --write     # also update docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECTION = "## Every page at scale (bench/scale.py)"


def setup_django(tmp: Path, database_url: str | None) -> None:
    os.environ["PARKLINK_VAR_DIR"] = str(tmp)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["PARKLINK_PAGE_CACHE_SECONDS"] = "0"  # every run renders
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parklink.settings")
    os.environ.setdefault("PARKLINK_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def load_demo() -> None:
    from django.core.management import call_command

    call_command("demo", "--no-migrate", "--quiet-credentials", stdout=io.StringIO())


def _import_sample(tmp: Path, n_leads: int, n_spaces: int) -> float:
    """The product's own bulk path: one exchange-format JSON file through the importer."""
    from parklink.core import exchange
    from parklink.office.management.commands.export import KINDS
    from parklink.parks.models import Park

    park = Park.objects.order_by("id").first()
    data = {
        "spaces": [
            {
                "ref": f"IMP-S{i:06d}",
                "park": park.name,
                "kind": "厂房",
                "deal": "出租",
                "area_m2": 500 + i % 4000,
                "price": 1.5 + (i % 50) / 10,
                "price_unit": "元/平方米/天",
                "status": "可租",
            }
            for i in range(n_spaces)
        ],
        "leads": [
            {
                "ref": f"IMP-L{i:06d}",
                "company": f"导入测试企业{i}有限公司",
                "contact": "李女士",
                "mobile": f"136{i:08d}",
                "need": f"昌平 {800 + i % 3000} 平米 厂房",
            }
            for i in range(n_leads)
        ],
    }
    path = tmp / "sample.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    t0 = time.perf_counter()
    exchange.import_files([exchange.InputFile.from_path(path)], KINDS, actor=None)
    return time.perf_counter() - t0


def grow(n_leads: int, n_articles: int, n_spaces: int, seed: int = 7) -> dict[str, float]:
    from django.contrib.auth import get_user_model
    from django.db.models import F
    from django.utils import timezone

    from parklink.core.roles import ROLE_AGENT
    from parklink.leads.choices import Channel, ConsentBasis, Stage
    from parklink.leads.models import Inquiry, Lead
    from parklink.news.choices import ArticleStatus
    from parklink.news.models import Article
    from parklink.parks.choices import Deal, PriceUnit, SpaceKind, SpaceStatus
    from parklink.parks.models import Building, Park, Space

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    agents = list(get_user_model().objects.filter(groups__name=ROLE_AGENT))
    times: dict[str, float] = {}

    t0 = time.perf_counter()
    stages = list(Stage.values)
    for start in range(0, n_leads, 10_000):
        batch = []
        for i in range(start, min(n_leads, start + 10_000)):
            stage = rng.choice(stages)
            batch.append(
                Lead(
                    ref=f"SL{i:07d}",
                    company=f"规模企业{i}有限公司",
                    company_key=f"规模企业{i}有限公司",
                    contact="王先生",
                    mobile=f"139{i:08d}",
                    need="需要1000平米厂房",
                    channel=rng.choice(Channel.values),
                    consent_basis=ConsentBasis.FORM,
                    stage=stage,
                    lost_reason="价格" if stage == Stage.LOST else "",
                    owner=rng.choice(agents) if agents and rng.random() < 0.8 else None,
                    next_follow_up=today + timedelta(days=rng.randint(-10, 10))
                    if rng.random() < 0.3
                    else None,
                    last_inquiry_at=now - timedelta(minutes=i),
                )
            )
        created = Lead.objects.bulk_create(batch, batch_size=2000)
        Inquiry.objects.bulk_create(
            [
                Inquiry(
                    lead=lead,
                    channel=lead.channel,
                    data={"need": lead.need},
                    digest=f"{lead.ref:0>64}",
                )
                for lead in created
            ],
            batch_size=2000,
        )
    times["leads"] = time.perf_counter() - t0
    print(f"  {n_leads:,} leads in {times['leads']:.0f} s", flush=True)

    t0 = time.perf_counter()
    categories = ["北京产业信息", "园区动态", "招商政策", "行业资讯"]
    words = ["生物医药", "集成电路", "人工智能", "智能制造", "新能源", "医疗器械", "创新药"]
    for start in range(0, n_articles, 10_000):
        batch = []
        for i in range(start, min(n_articles, start + 10_000)):
            w = words[i % len(words)]
            body = f"第{i}号园区{w}产业发布新动态。{w}企业入驻,建筑面积{1000 + i % 9000}平方米。"
            batch.append(
                Article(
                    title=f"{w}产业动态第{i}期",
                    author="编辑部",
                    published=date(2015, 1, 1) + timedelta(days=i % 4000),
                    category=categories[i % len(categories)],
                    body=body,
                    body_simplified=body,
                    source_ref=f"scale://article/{i}",
                    fetched_at=now,
                    content_hash=f"{i:064d}",
                    tokens="",
                    status=ArticleStatus.PUBLISHED,
                    views=i % 997,
                )
            )
        Article.objects.bulk_create(batch, batch_size=2000)
    times["articles"] = time.perf_counter() - t0
    print(f"  {n_articles:,} articles in {times['articles']:.0f} s", flush=True)

    t0 = time.perf_counter()
    districts = ["昌平区", "大兴区", "海淀区", "顺义区", "亦庄", "通州区", "房山区"]
    Park.objects.bulk_create(
        [Park(name=f"规模园区{i:04d}", district=districts[i % len(districts)]) for i in range(500)]
    )
    parks = list(Park.objects.filter(name__startswith="规模园区"))
    Building.objects.bulk_create([Building(park=p, name=f"{k}号楼") for p in parks for k in (1, 2)])
    buildings = list(Building.objects.filter(park__in=parks))
    kinds = [SpaceKind.FACTORY, SpaceKind.OFFICE, SpaceKind.RND, SpaceKind.LAB, SpaceKind.WAREHOUSE]
    statuses = [SpaceStatus.FOR_RENT] * 6 + [SpaceStatus.LEASED] * 3 + [SpaceStatus.WITHDRAWN]
    for start in range(0, n_spaces, 20_000):
        batch = []
        for i in range(start, min(n_spaces, start + 20_000)):
            b = buildings[i % len(buildings)]
            batch.append(
                Space(
                    ref=f"SS{i:07d}",
                    park_id=b.park_id,
                    building=b,
                    floor=str(i % 12 + 1),
                    kind=kinds[i % len(kinds)],
                    deal=Deal.RENT,
                    area_m2=Decimal(rng.randint(200, 8000)),
                    price=Decimal(str(round(rng.uniform(1, 8), 2))),
                    price_unit=PriceUnit.YUAN_M2_DAY,
                    status=statuses[i % len(statuses)],
                    confirmed_at=now - timedelta(days=i % 45),
                    ceiling_height_m=Decimal(str(4 + i % 9)),
                    gmp=i % 7 == 0,
                )
            )
        Space.objects.bulk_create(batch, batch_size=2000)
    Space.objects.filter(ref__startswith="SS", unit_price__isnull=True).update(
        unit_price=F("price")
    )
    times["spaces"] = time.perf_counter() - t0
    print(f"  {n_spaces:,} spaces in {times['spaces']:.0f} s", flush=True)
    return times


def reindex() -> float:
    from parklink.matching import index as match_index
    from parklink.parks import facets
    from parklink.search.services import search_reindex

    t0 = time.perf_counter()
    done = [0, 0]  # documents written, the count last printed

    def progress(n: int) -> None:
        done[0] += n
        if done[0] - done[1] >= 50_000:
            done[1] = done[0]
            print(
                f"  search index: {done[0]:,} documents, {time.perf_counter() - t0:.0f} s",
                flush=True,
            )

    search_reindex(progress=progress)
    facets.invalidate()
    match_index.invalidate()
    return time.perf_counter() - t0


def analyze() -> float:
    """Statistics for the grown tables, as autovacuum gives them within minutes of a bulk
    load (PostgreSQL; SQLite is never analysed by the product, so neither here). Timed right
    after the load, PostgreSQL planned without them: home 365 ms, news list 595 ms p95."""
    from django.db import connection

    t0 = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - t0


def pages() -> list[tuple[str, str, str]]:
    """(label, path, who) for every page timed."""
    from parklink.leads.models import Lead
    from parklink.news.models import Article
    from parklink.orgs.models import Organization
    from parklink.parks.models import Park, Space

    park = Park.objects.order_by("id").first()
    space = Space.objects.filter(status="可租").order_by("-id").first()
    article = Article.objects.filter(status="published").order_by("-id").first()
    org = Organization.objects.order_by("id").first()
    lead = Lead.objects.order_by("-id").first()
    return [
        ("portal home", "/", "visitor"),
        ("portal park list", "/parks/", "visitor"),
        ("portal park page", f"/parks/{park.pk}/", "visitor"),
        ("portal space search", "/spaces/", "visitor"),
        (
            "portal space search, filtered",
            "/spaces/?district=昌平区&kind=厂房&sort=price",
            "visitor",
        ),
        ("portal space search, page 50", "/spaces/?page=50", "visitor"),
        ("portal space page", f"/spaces/{space.pk}/", "visitor"),
        ("portal org page", f"/orgs/{org.pk}/", "visitor"),
        ("portal news list", "/news/", "visitor"),
        ("portal news list, page 500", "/news/?page=500", "visitor"),
        ("portal article page", f"/news/{article.pk}/", "visitor"),
        ("portal search", "/search/?q=生物医药", "visitor"),
        ("office dashboard", "/office/", "manager"),
        ("office lead board", "/office/leads/board/", "manager"),
        ("office lead board (agent)", "/office/leads/board/", "agent"),
        ("office lead list", "/office/leads/", "manager"),
        ("office lead list, page 200", "/office/leads/?page=200", "manager"),
        ("office lead pool", "/office/leads/pool/", "manager"),
        ("office lead page", f"/office/leads/{lead.pk}/", "manager"),
        ("office catalogue spaces", "/office/catalogue/spaces/", "manager"),
        ("office catalogue parks", "/office/catalogue/parks/", "manager"),
        ("office news queue", "/office/news/", "manager"),
    ]


def measure(runs: int, only: str | None = None) -> list[dict[str, object]]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from parklink.core.roles import ROLE_AGENT

    users = get_user_model().objects
    clients = {"visitor": Client(), "manager": Client(), "agent": Client()}
    clients["manager"].force_login(users.get(username="manager"))
    clients["agent"].force_login(users.filter(groups__name=ROLE_AGENT).order_by("id").first())
    out = []
    for label, path, who in pages():
        if only and only not in label:
            continue
        client = clients[who]
        first = client.get(path)  # warm: templates, indexes, connections
        assert first.status_code == 200, (path, first.status_code)
        wall, cpu = [], []
        for _ in range(runs):
            c0, t0 = time.process_time(), time.perf_counter()
            client.get(path)
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        wall.sort()
        cpu.sort()
        row = {
            "page": label,
            "p50": wall[len(wall) // 2],
            "p95": wall[max(0, int(len(wall) * 0.95) - 1)],
            "max": wall[-1],
            "cpu": cpu[len(cpu) // 2],
            "queries": len(ctx.captured_queries),
        }
        out.append(row)
        print(
            f"{label:<34} p50 {row['p50']:7.1f} ms  p95 {row['p95']:7.1f} ms  "
            f"max {row['max']:7.1f} ms  CPU p50 {row['cpu']:7.1f} ms  queries {row['queries']}",
            flush=True,
        )
    return out


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "unknown"


def write_section(vendor: str, args: argparse.Namespace, demo, big, growth) -> None:
    path = REPO / "docs" / "benchmarks.md"
    text = path.read_text()
    sub = (
        f"### {vendor}: +{args.leads:,} leads, +{args.articles:,} articles, +{args.spaces:,} spaces"
    )
    lines = [
        sub,
        "",
        f"{datetime.now(tz=UTC).date().isoformat()}, commit {commit()}, 2-core VM, 24 GiB, "
        f"shared with parallel work (load average at start {os.getloadavg()[0]:.1f}). "
        f"Growth: {', '.join(f'{k} {v:.0f} s' for k, v in growth.items())}. "
        f"Server time in process, {args.runs} runs per page, page cache off.",
        "",
        "| page | demo p50 | demo p95 | queries | at scale p50 | at scale p95 | max | queries |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for d, b in zip(demo, big, strict=True):
        lines.append(
            f"| {d['page']} | {d['p50']:.1f} ms | {d['p95']:.1f} ms | {d['queries']} | "
            f"{b['p50']:.1f} ms | {b['p95']:.1f} ms | {b['max']:.1f} ms | {b['queries']} |"
        )
    block = "\n".join(lines) + "\n"
    if SECTION not in text:
        text = text.rstrip() + f"\n\n{SECTION}\n\n"
    start = text.index(SECTION) + len(SECTION)
    end = text.find("\n## ", start)
    end = len(text) if end == -1 else end
    section = text[start:end]
    if sub in section:
        s0 = section.index(sub)
        s1 = section.find("\n### ", s0 + len(sub))
        section = section[:s0] + block + ("" if s1 == -1 else section[s1 + 1 :])
    else:
        section = section.rstrip() + "\n\n" + block
    text = text[:start] + section + ("\n" if end < len(text) else "") + text[end:]
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--spaces", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--import-sample", type=int, default=500)
    parser.add_argument("--database-url", help="an EMPTY scratch PostgreSQL database")
    parser.add_argument(
        "--data-dir",
        help="keep the grown database in this directory (SQLite) and reuse it on the next run: "
        "demo timings and growth are skipped when it already holds the scale rows",
    )
    parser.add_argument("--only", help="time only the pages whose label contains this text")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.data_dir:
            tmp = Path(args.data_dir)
            tmp.mkdir(parents=True, exist_ok=True)
        else:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="parklink-scale-")))
        setup_django(tmp, args.database_url)
        from django.db import connection

        from parklink.leads.models import Lead

        print(f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f}", flush=True)
        cpu0 = time.process_time()
        grown = tmp / "grown"  # written once growth and the search index are complete
        if grown.exists() and Lead.objects.filter(ref__startswith="SL").exists():
            print("reusing the grown database (demo timings and growth skipped)", flush=True)
            demo, growth = [], {}
        else:
            t0 = time.perf_counter()
            load_demo()
            print(f"demo loaded in {time.perf_counter() - t0:.0f} s", flush=True)
            demo = measure(args.runs, args.only)
            growth = {"import sample": _import_sample(tmp, args.import_sample, args.import_sample)}
            growth.update(grow(args.leads, args.articles, args.spaces))
            growth["search reindex"] = reindex()
            growth["analyze"] = analyze()
            if args.data_dir:
                grown.write_text(json.dumps(growth))
            print("growth: " + ", ".join(f"{k} {v:.0f} s" for k, v in growth.items()), flush=True)
        big = measure(args.runs, args.only)
        print(
            f"process CPU {time.process_time() - cpu0:.0f} s; "
            f"load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        if not demo:
            return
        if args.write:
            write_section(connection.vendor, args, demo, big, growth)
            print("docs/benchmarks.md updated")


if __name__ == "__main__":
    main()
