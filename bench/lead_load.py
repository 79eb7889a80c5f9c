"""Load benchmark of lead intake: POST /api/v1/leads under gunicorn on a throwaway database.

Starts gunicorn (gthread) on 127.0.0.1 against a fresh SQLite WAL file in a temporary
directory (or PostgreSQL with --database-url), with PARKLINK_LEAD_RATE_LIMIT=off, then
fires a bounded number of submissions from a thread pool (--concurrency) and measures
accepted requests per second and latency percentiles. One in five submissions repeats an
earlier mobile so the merge path is exercised. Afterwards it checks that every accepted
submission is stored (one Inquiry each). Load is only ever sent to 127.0.0.1 and stops at
--requests or --max-seconds, whichever comes first.

    .venv/bin/python bench/lead_load.py --requests 3000 --concurrency 32
    .venv/bin/python bench/lead_load.py --write   # also update docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import gunicorn

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SECTION = "## Lead intake (POST /api/v1/leads)"


def payload(i: int) -> dict[str, object]:
    n = i if i % 5 else max(i - 5, 0)  # every fifth repeats an earlier mobile: a merge
    return {
        "company": f"压测生物科技有限公司{n}",
        "contact": "压测",
        "mobile": f"171{n:08d}",
        "need": f"昌平 {500 + i % 3000} 平米 GMP 厂房",
        "kind": "厂房",
        "deal": "出租",
        "area_min_m2": 500 + i % 3000,
        "area_max_m2": 1000 + i % 3000,
        "annual_tax_wan": 100 + i % 900,
        "districts": ["昌平区"],
        "consent": True,
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def run(args: argparse.Namespace) -> dict[str, object]:
    tmp = Path(tempfile.mkdtemp(prefix="parklink-leadload-"))
    env = {
        **os.environ,
        "PARKLINK_VAR_DIR": str(tmp),
        "PARKLINK_LEAD_RATE_LIMIT": "off",
        "PARKLINK_DEBUG": "0",
        "PARKLINK_LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "parklink.settings",
    }
    env.pop("PARKLINK_TESTING", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    subprocess.run([str(VENV_BIN / "parklink"), "migrate", "--verbosity", "0"], env=env, check=True)
    if args.database_url:  # start from an empty lead table on a reused database
        subprocess.run(
            [
                str(VENV_BIN / "parklink"),
                "shell",
                "-c",
                "from parklink.leads.models import Lead; Lead.objects.all().delete()",
            ],
            env=env,
            check=True,
        )
    with gunicorn(env, cwd=tmp, workers=args.workers, threads=args.threads, start_timeout=30) as (
        _server,
        base,
    ):
        latencies: list[float] = []
        codes: dict[int, int] = {}
        lock = threading.Lock()
        local = threading.local()
        stop_at = time.monotonic() + args.max_seconds

        def one(i: int) -> None:
            if time.monotonic() > stop_at:
                return
            client = getattr(local, "client", None)
            if client is None:
                client = local.client = httpx.Client(base_url=base, timeout=30)
            body = json.dumps(payload(i), ensure_ascii=False).encode()
            start = time.perf_counter()
            try:
                status = client.post(
                    "/api/v1/leads", content=body, headers={"Content-Type": "application/json"}
                ).status_code
            except httpx.HTTPError:
                status = 0
            elapsed = time.perf_counter() - start
            with lock:
                codes[status] = codes.get(status, 0) + 1
                if status == 201:
                    latencies.append(elapsed)

        for i in range(min(50, args.requests)):  # warm-up, not counted
            httpx.post(base + "/api/v1/leads", json=payload(10_000_000 + i), timeout=30)
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            list(pool.map(one, range(args.requests)))
        wall = time.perf_counter() - t0

    accepted = codes.get(201, 0)
    stored = stored_inquiries(env, tmp, args) - min(50, args.requests)
    return {
        "database": "PostgreSQL" if args.database_url else "SQLite (WAL)",
        "requests": sum(codes.values()),
        "accepted": accepted,
        "stored": stored,
        "codes": codes,
        "wall_s": wall,
        "accepted_per_s": accepted / wall if wall else 0.0,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "mean_ms": statistics.fmean(latencies) * 1000 if latencies else 0.0,
        "concurrency": args.concurrency,
        "workers": args.workers,
        "threads": args.threads,
    }


def stored_inquiries(env: dict[str, str], tmp: Path, args: argparse.Namespace) -> int:
    if not args.database_url:
        with sqlite3.connect(tmp / "bench.sqlite3") as db:
            return db.execute("SELECT COUNT(*) FROM leads_inquiry").fetchone()[0]
    out = subprocess.run(
        [
            str(VENV_BIN / "parklink"),
            "shell",
            "-c",
            "from parklink.leads.models import Inquiry; print(Inquiry.objects.count())",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def table_row(r: dict[str, object]) -> str:
    return (
        f"| {r['database']} | {r['workers']}×{r['threads']} | {r['concurrency']} | "
        f"{r['requests']} | {r['accepted']} | {r['stored']} | "
        f"{r['accepted_per_s']:.0f} | {r['p50_ms']:.0f} ms | {r['p99_ms']:.0f} ms |"
    )


def write_section(results: list[dict[str, object]]) -> None:
    path = REPO / "docs" / "benchmarks.md"
    text = path.read_text()
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    end = len(text) if end == -1 else end
    body = [
        SECTION,
        "",
        f"`bench/lead_load.py` — {datetime.now(tz=UTC).date().isoformat()}, commit {commit()}, "
        f"{os.cpu_count()} vCPU, Python {platform.python_version()}. gunicorn gthread on "
        "127.0.0.1, load generator (httpx threads) on the same cores, "
        "`PARKLINK_LEAD_RATE_LIMIT=off`, one in five submissions merges into an earlier "
        "lead. *Stored* counts the Inquiry rows afterwards: every accepted submission is kept.",
        "",
        "| database | workers×threads | concurrency | requests | accepted (201) | stored | "
        "accepted/s | p50 | p99 |",
        "|---|---|---|---|---|---|---|---|---|",
        *[table_row(r) for r in results],
        "",
    ]
    path.write_text(text[:start] + "\n".join(body) + text[end:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--database-url", default="", help="PostgreSQL URL (default: a temporary SQLite file)"
    )
    parser.add_argument("--also-postgres", default="", help="run again on this PostgreSQL URL")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    if args.requests > 20000 or args.concurrency > 256:
        raise SystemExit("bounded: at most 20000 requests and 256 concurrent connections")
    results = [run(args)]
    if args.also_postgres:
        args.database_url = args.also_postgres
        results.append(run(args))
    for r in results:
        print(
            f"{r['database']}: {r['accepted']}/{r['requests']} accepted, {r['stored']} stored, "
            f"{r['accepted_per_s']:.0f} accepted/s, p50 {r['p50_ms']:.0f} ms, "
            f"p99 {r['p99_ms']:.0f} ms, codes {r['codes']}"
        )
    if args.write:
        write_section(results)
        print("docs/benchmarks.md updated")


if __name__ == "__main__":
    main()
