"""Load benchmark of the pages and the API under gunicorn (DEBUG off), SQLite or PostgreSQL.

Sets up a throwaway database with the demo data (`parklink demo`) — a temporary SQLite file,
or the PostgreSQL database given with --database-url (dropped and created anew) — starts
gunicorn (gthread, --workers × --threads, --preload) on 127.0.0.1 and drives each endpoint
in turn for --seconds with --concurrency connections, printing req/s, p50/p99 and errors:

- portal: home, a park page, an article page, the space search page (anonymous visitors
  keeping their cookies, as browsers do: the page cache serves them);
- office: the lead board and the lead list (a logged-in manager: never cached);
- API: GET /api/v1/search, POST /api/v1/match, POST /api/v1/leads (each lead distinct;
  afterwards every accepted lead is checked to be stored: zero lost).

Anonymous GETs and lead intake are driven by wrk when it is installed (`--client auto`,
the default; `--client python` forces the Python client): it costs a fraction of the
Python client's CPU on the shared cores, so the figures are closer to the server's own.

Why not locust: it needs gevent (a compiled event loop monkey-patching the process) and a
web UI for what is here a fixed, bounded scenario; the client below is a few processes of
plain threads with keep-alive httpx clients, its own overhead measured against /healthz.
The load generator shares the machine's cores with the server: figures are a floor.

    .venv/bin/python bench/load.py --seconds 8
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/bench_load
    .venv/bin/python bench/load.py --write      # also update docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import gunicorn

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SECTION = "## Pages and API under load (bench/load.py)"
USER, PASSWORD = "loadboss", "load-bench-pass-1"


@dataclass(frozen=True)
class Target:
    name: str
    method: str
    path: str
    who: str = "visitor"  # visitor | manager
    body: str = ""  # "match" | "lead"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))]


def _lead(i: int, worker: int) -> dict[str, object]:
    n = worker * 10_000_000 + i
    return {
        "company": f"负载测试科技有限公司{n}",
        "contact": "压测",
        "mobile": f"17{n % 10**9:09d}",
        "need": f"昌平 {500 + i % 3000} 平米 GMP 厂房",
        "kind": "厂房",
        "area_min_m2": 500 + i % 3000,
        "districts": ["昌平区"],
        "consent": True,
    }


MATCH = {"need": "昌平或大兴 2000平米左右 GMP厂房 层高8米 生物医药", "top": 10}


def _login(client: httpx.Client) -> None:
    page = client.get("/office/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    r = client.post(
        "/office/login/",
        data={"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": str(client.base_url) + "/office/login/"},
    )
    if r.status_code != 302:
        raise RuntimeError(f"login failed: {r.status_code}")


def _drive(args: tuple[str, Target, int, float, int, int, float]) -> dict[str, object]:
    """One client process: `threads` threads, each a keep-alive client, for `seconds`.
    With `period` > 0 (``--rate``) each thread sends one request every `period` seconds
    (open loop, phases spread over the threads) and a latency counts from the request's
    scheduled time, so a server that falls behind is charged for the wait it causes
    (no coordinated omission); otherwise each thread sends its next request as soon as
    the last is answered (closed loop)."""
    base, target, threads, seconds, worker, warm, period = args
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    accepted = [0]
    hits = [0]

    cookies = None
    if target.who == "manager":  # one login per process (password hashing is deliberate work)
        try:
            with httpx.Client(base_url=base, timeout=60) as first:
                _login(first)
                cookies = dict(first.cookies)
        except Exception as exc:
            errors[f"login {type(exc).__name__}"] = threads
            return {"latencies": [], "errors": errors, "accepted": 0, "hits": 0}

    def loop(tid: int) -> None:
        client = httpx.Client(base_url=base, timeout=30, cookies=cookies)
        mine: list[float] = []
        try:
            if target.method == "GET":
                for _ in range(warm):  # warm-up: caches, indexes, connections
                    client.get(target.path)
        except Exception as exc:  # a failed set-up counts as an error, never silently
            with lock:
                errors[f"setup {type(exc).__name__}"] = (
                    errors.get(f"setup {type(exc).__name__}", 0) + 1
                )
            client.close()
            return
        i = 0
        stop_at = time.monotonic() + seconds
        # each thread starts at its own phase of the period, so the requests are spread out
        due = time.perf_counter() + period * random.Random(worker * 1000 + tid).random()
        while time.monotonic() < stop_at:
            i += 1
            if period:
                wait = due - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                t0 = due
                due += period
            else:
                t0 = time.perf_counter()
            try:
                if target.body == "lead":
                    r = client.post(target.path, json=_lead(i, worker * 1000 + tid))
                elif target.body == "match":
                    r = client.post(target.path, json=MATCH)
                else:
                    r = client.get(target.path)
                status = r.status_code
                if r.headers.get("X-Page-Cache") == "hit":
                    hits[0] += 1
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            elapsed = time.perf_counter() - t0
            # 202: a lead accepted into the spool while the database was busy (stored later).
            if status in (200, 201, 202):
                mine.append(elapsed)
            else:
                with lock:
                    errors[str(status)] = errors.get(str(status), 0) + 1
        with lock:
            latencies.extend(mine)
            if target.body == "lead":
                accepted[0] += len(mine)
        client.close()

    pool = [threading.Thread(target=loop, args=(t,)) for t in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return {"latencies": latencies, "errors": errors, "accepted": accepted[0], "hits": hits[0]}


def server_cpu_seconds(master: int) -> float:
    """CPU time (user + system) of the gunicorn master and its workers, from /proc: the
    server's own cost per request, which other work on the machine does not inflate."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == master or ppid == master:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


WRK_LEAD = r"""
local counter = 0
local next_id = 0
function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end
request = function()
  counter = counter + 1
  local n = tid * 100000000 + counter
  local body = string.format('{"company":"负载测试科技有限公司W%d","contact":"压测",'
    .. '"mobile":"13%09d","need":"昌平 800 平米 GMP 厂房","kind":"厂房",'
    .. '"districts":["昌平区"],"consent":true}', n, n % 1000000000)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
"""


WRK_THREADS = 2

WRK_PACED = r"""
-- Each connection waits a random think time (exponential, mean MEAN_MS) before each
-- request: --concurrency such visitors offer about concurrency / mean requests per second
-- (a little less: a connection's period also holds its response time). wrk times each
-- request from its send, so the think time is never counted as latency.
-- A browser sends its first request as soon as it has connected; wrk would think first,
-- and gunicorn's gthread worker gives a new connection a thread that waits for its first
-- bytes (up to 5 s), so thinking on a fresh connection pins a thread and queues the
-- requests of connections already open behind it: a start-up transient of several hundred
-- ms that a 10 s run reports as its p99. wrk asks for a delay once per connection as it
-- connects (before any response), so the first CONNS_PER_THREAD calls are those.
math.randomseed(os.time())
local fresh = CONNS_PER_THREAD
function delay()
  if fresh > 0 then
    fresh = fresh - 1
    return 0
  end
  return math.floor(-math.log(1 - math.random()) * MEAN_MS)
end
"""


def use_wrk(target: Target, args: argparse.Namespace) -> bool:
    """wrk (C, a fraction of the Python client's CPU on the shared cores) drives anonymous
    GETs and lead intake when it is installed; the office (a login) and match stay on the
    Python client."""
    if args.rate or args.client == "python" or target.who != "visitor" or target.body == "match":
        return False
    found = shutil.which("wrk") is not None
    if args.client == "wrk" and not found:
        raise SystemExit("--client wrk: wrk is not installed (apt-get install wrk)")
    return found


def _wrk_ms(text: str) -> float:
    """A wrk latency ("812.00us", "12.34ms", "1.02s", "1.00m") in ms; NaN for anything else
    (wrk prints "-nan" when no request completed)."""
    found = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text)
    if found is None:
        return math.nan
    number, unit = found.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def _wrk_percentile(out: str, q: int) -> float:
    """A percentile of wrk's "Latency Distribution" block (lines like "     99%   12.34ms"),
    never a figure ending in the same digits elsewhere (the stats table's "95.50%")."""
    found = re.search(rf"^\s*{q}%\s+(\S+)\s*$", out, re.M)
    return _wrk_ms(found.group(1)) if found else math.nan


def measure_wrk(
    base: str, target: Target, args: argparse.Namespace, master: int = 0
) -> dict[str, object]:
    """One endpoint under wrk: closed loop, --concurrency connections on 2 threads; with
    --think-rate R each connection pauses a random think time before each request, so that
    the connections offer about R requests per second in all (the achieved rate is
    printed: it is the figure)."""
    script = ""
    lua = WRK_LEAD if target.body == "lead" else ""
    if args.think_rate:
        mean_ms = 1000.0 * args.concurrency / args.think_rate
        per_thread = math.ceil(args.concurrency / WRK_THREADS)
        lua += WRK_PACED.replace("MEAN_MS", f"{mean_ms:.3f}").replace(
            "CONNS_PER_THREAD", str(per_thread)
        )
    if lua:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(lua)
            script = f.name
    if target.body != "lead":
        for _ in range(3):  # warm-up: caches, indexes, connections
            httpx.get(base + target.path, timeout=30)
    command = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{args.concurrency}",
        f"-d{args.seconds:.0f}s",
        "--latency",
    ]
    command += ["-s", script] if script else []
    t0 = time.perf_counter()
    cpu0 = server_cpu_seconds(master) if master else 0.0
    load = os.getloadavg()[0]
    out = subprocess.run(
        [*command, base + target.path], capture_output=True, text=True, check=True
    ).stdout
    wall = time.perf_counter() - t0
    cpu = server_cpu_seconds(master) - cpu0 if master else 0.0
    if script:
        os.unlink(script)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    failed = int(bad.group(1)) if bad else 0
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = {"non-2xx": failed} if failed else {}
    if socket:
        # Each kind apart: a timeout (no answer within wrk's 2 s) is a slow server, a read
        # error mostly a kept-alive connection the server closed during a long think time.
        for kind, count in zip(
            ("connect", "read", "write", "timeout"), socket.groups(), strict=True
        ):
            if int(count):
                errors[f"socket {kind}"] = int(count)
    ok = total - failed
    return {
        "name": target.name,
        "ok": ok,
        "rps": ok / args.seconds,
        "p50_ms": _wrk_percentile(out, 50),
        "p99_ms": _wrk_percentile(out, 99),
        "errors": errors,
        "accepted": ok if target.body == "lead" else 0,
        "hit_ratio": float("nan"),  # wrk does not read headers
        "wall_s": wall,
        "cpu_ms": cpu * 1000 / max(1, total),
        "load": load,
        "client": "wrk",
    }


def measure(
    base: str, target: Target, args: argparse.Namespace, master: int = 0
) -> dict[str, object]:
    if use_wrk(target, args):
        return measure_wrk(base, target, args, master)
    procs = args.client_processes
    per = max(1, args.concurrency // procs)
    period = per * procs / args.rate if args.rate else 0.0
    jobs = [(base, target, per, args.seconds, w, 3, period) for w in range(procs)]
    t0 = time.perf_counter()
    cpu0 = server_cpu_seconds(master) if master else 0.0
    load = os.getloadavg()[0]
    with mp.get_context("spawn").Pool(procs) as pool:
        parts = pool.map(_drive, jobs)
    wall = time.perf_counter() - t0
    cpu = server_cpu_seconds(master) - cpu0 if master else 0.0
    latencies = [x for p in parts for x in p["latencies"]]
    errors: dict[str, int] = {}
    for p in parts:
        for k, v in p["errors"].items():
            errors[k] = errors.get(k, 0) + v
    return {
        "name": target.name,
        "ok": len(latencies),
        "rps": len(latencies) / args.seconds,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "errors": errors,
        "accepted": sum(p["accepted"] for p in parts),
        "hit_ratio": sum(p["hits"] for p in parts) / max(1, len(latencies)),
        "wall_s": wall,
        # Server CPU per request (warm-up requests included: a slight overestimate), and
        # what two idle cores would serve at that cost.
        "cpu_ms": cpu * 1000 / max(1, len(latencies) + 3 * args.concurrency),
        "load": load,
        "client": "python",
    }


def _manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    done = subprocess.run(
        [str(VENV_BIN / "parklink"), *args],
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )
    return (done.stdout or "").strip()


SETUP = f"""
from django.contrib.auth.models import Group, User
from parklink.core.roles import ROLE_MANAGER
from parklink.news.models import Article
from parklink.parks.models import Park
u, _ = User.objects.get_or_create(username={USER!r})
u.set_password({PASSWORD!r}); u.save()
u.groups.add(Group.objects.get_or_create(name=ROLE_MANAGER)[0])
park = Park.objects.order_by("id").first()
article = Article.objects.filter(status="published", duplicate_of__isnull=True).order_by("id").first()
print(park.pk, article.pk)
"""


def _fresh_postgres(url: str) -> None:
    import psycopg

    admin, name = url.rsplit("/", 1)
    with psycopg.connect(admin + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def run(args: argparse.Namespace) -> dict[str, object]:
    tmp = Path(tempfile.mkdtemp(prefix="parklink-load-"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PARKLINK")},
        "PARKLINK_VAR_DIR": str(tmp),
        "PARKLINK_LEAD_RATE_LIMIT": "off",
        "PARKLINK_MATCH_RATE_LIMIT": "1000000/m",
        "PARKLINK_DEBUG": "0",
        "PARKLINK_LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "parklink.settings",
    }
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    else:
        env.pop("REDIS_URL", None)
    if args.database_url:
        _fresh_postgres(args.database_url)
        env["DATABASE_URL"] = args.database_url
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    t0 = time.perf_counter()
    _manage(env, "demo")
    park_id, article_id = _manage(env, "shell", "-c", SETUP, capture=True).split()[-2:]
    print(f"demo data loaded in {time.perf_counter() - t0:.0f} s", flush=True)
    targets = [
        Target("/healthz (client floor)", "GET", "/healthz"),
        Target("portal home", "GET", "/"),
        Target("portal park page", "GET", f"/parks/{park_id}/"),
        Target("portal article page", "GET", f"/news/{article_id}/"),
        Target("portal space search", "GET", "/spaces/?district=%E6%98%8C%E5%B9%B3%E5%8C%BA"),
        Target("office lead board", "GET", "/office/leads/board/", who="manager"),
        Target("office lead list", "GET", "/office/leads/", who="manager"),
        Target("API search", "GET", "/api/v1/search?q=%E7%94%9F%E5%91%BD%E7%A7%91%E5%AD%A6"),
        Target("API match", "POST", "/api/v1/match", body="match"),
        Target("API lead intake", "POST", "/api/v1/leads", body="lead"),
    ]
    if args.only:
        targets = [t for t in targets if any(o in t.name for o in args.only.split(","))]
    results = []
    with gunicorn(
        env, cwd=tmp, workers=args.workers, threads=args.threads, extra=("--backlog", "2048")
    ) as (server, base):
        before = _count_leads(env)
        for target in targets:
            r = measure(base, target, args, server.pid)
            results.append(r)
            print(
                f"{r['name']:<26} {r['rps']:7.0f} req/s  p50 {r['p50_ms']:6.1f} ms  "
                f"p99 {r['p99_ms']:6.1f} ms  errors {r['errors'] or 0}  "
                f"server CPU {r['cpu_ms']:.2f} ms/req  cache hits {r['hit_ratio']:.0%}  "
                f"load {r['load']:.1f}  client {r['client']}",
                flush=True,
            )
    lost = None
    intake = next((r for r in results if r["name"] == "API lead intake"), None)
    if intake is not None:
        # Submissions accepted into the spool (202) while the database was busy are stored
        # by the worker's drain job: run it once, as the worker would.
        drain = "from parklink.leads.tasks import lead_spool_drain; lead_spool_drain.call()"
        _manage(env, "shell", "-c", drain, capture=True)
        stored = _count_leads(env) - before
        # wrk stops with up to --concurrency requests in flight: the server may still store
        # them though no client saw the answer, so stored can exceed accepted by that many.
        # Those are not lost; an accepted submission missing from the database is.
        lost = max(0, intake["accepted"] - stored)
        intake["stored"] = stored
        in_flight = max(0, stored - intake["accepted"])
        print(
            f"lead intake: {intake['accepted']} accepted, {stored} stored "
            f"({in_flight} of them answered after the client stopped), lost {lost}"
        )
    return {
        "database": "PostgreSQL" if args.database_url else "SQLite (WAL)",
        "cache": "Redis" if args.redis_url else "local memory",
        "results": results,
        "lost": lost,
    }


def _count_leads(env: dict[str, str]) -> int:
    """The submissions of this bench stored so far (its companies' Inquiry records; the
    demo data's are not counted)."""
    code = (
        "from parklink.leads.models import Inquiry; print(Inquiry.objects.filter("
        "lead__company__startswith='负载测试科技有限公司').count())"
    )
    return int(_manage(env, "shell", "-c", code, capture=True).splitlines()[-1])


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


def write_section(runs: list[dict[str, object]], args: argparse.Namespace) -> None:
    path = REPO / "docs" / "benchmarks.md"
    text = path.read_text()
    body = [
        SECTION,
        "",
        f"`bench/load.py` — {datetime.now(tz=UTC).date().isoformat()}, commit {commit()}, "
        f"{os.cpu_count()}-core VM, 24 GiB, shared with parallel work; Python "
        f"{platform.python_version()}. Demo data; gunicorn gthread {args.workers}×"
        f"{args.threads}, --preload, DEBUG off; {args.concurrency} connections from "
        f"{args.client_processes} client processes on the same cores, {args.seconds:.0f} s "
        "per endpoint. Portal visitors are anonymous and keep their cookies (the page cache "
        "serves them); office pages are a logged-in manager's (never cached).",
        "",
    ]
    for run_ in runs:
        body += [
            f"### {run_['database']}, cache {run_['cache']}",
            "",
            "| endpoint | client | req/s | p50 | p99 | errors | server CPU/req | "
            "2 cores ÷ CPU/req | load avg |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for r in run_["results"]:
            errors = ", ".join(f"{k}: {v}" for k, v in r["errors"].items()) or "0"
            capacity = 2000 / r["cpu_ms"] if r["cpu_ms"] else 0
            body.append(
                f"| {r['name']} | {r['client']} | {r['rps']:.0f} | {r['p50_ms']:.1f} ms | "
                f"{r['p99_ms']:.1f} ms | {errors} | {r['cpu_ms']:.2f} ms | {capacity:.0f}/s | "
                f"{r['load']:.1f} |"
            )
        if run_["lost"] is not None:
            body += ["", f"Lead intake: lost {run_['lost']} (accepted minus stored)."]
        body.append("")
    block = "\n".join(body)
    if SECTION in text:
        start = text.index(SECTION)
        end = text.find("\n## ", start + len(SECTION))
        end = len(text) if end == -1 else end + 1
        text = text[:start] + block + text[end:]
    else:
        text = text.rstrip() + "\n\n" + block
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--rate",
        type=float,
        default=0,
        help="open loop: this many requests per second in all (Python client, --concurrency "
        "threads sharing the schedule); latency from the scheduled send time",
    )
    parser.add_argument(
        "--think-rate",
        type=float,
        default=0,
        help="wrk: visitors with think time, offering about this many requests per second in "
        "all over --concurrency connections (e.g. --concurrency 64 --think-rate 330)",
    )
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (dropped, recreated)")
    parser.add_argument("--also-postgres", default="", help="run again on this PostgreSQL URL")
    parser.add_argument("--redis-url", default="", help="run with REDIS_URL (shared cache)")
    parser.add_argument(
        "--client",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator: wrk when installed (auto), or the Python client",
    )
    parser.add_argument("--only", default="", help="comma-separated parts of endpoint names")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    if args.concurrency > 256 or args.seconds > 120:
        raise SystemExit("bounded: at most 256 connections and 120 s per endpoint")
    runs = [run(args)]
    if args.also_postgres:
        args.database_url = args.also_postgres
        runs.append(run(args))
    print(json.dumps([{k: v for k, v in r.items() if k != "results"} for r in runs]))
    if args.write:
        write_section(runs, args)
        print("docs/benchmarks.md updated")


if __name__ == "__main__":
    main()
