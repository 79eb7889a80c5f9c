"""Lead intake while a long writer holds the database: nothing stalls, nothing is lost.

Starts gunicorn (gthread) on 127.0.0.1 against a fresh SQLite WAL file in a temporary
directory, lets --clients threads submit leads to POST /api/v1/leads for --seconds, and in
the middle holds the database's write lock for --hold seconds from another connection (what
one long import transaction does). Every answer's latency is measured; 201 is stored at
once, 202 spooled (leads/spool.py). Afterwards the spool is drained (what `parklink worker`
does) and every acknowledged submission is looked up: *lost* must be 0. Load only ever goes
to 127.0.0.1 and stops after --seconds.

    .venv/bin/python bench/intake_writer.py --clients 4 --seconds 30 --hold 20
    .venv/bin/python bench/intake_writer.py --write   # also update docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
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
from lead_load import commit, percentile
from serve import gunicorn

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SECTION = "## Lead intake under a long writer"


def run(args: argparse.Namespace) -> dict[str, object]:
    tmp = Path(tempfile.mkdtemp(prefix="parklink-intake-"))
    db = tmp / "bench.sqlite3"
    env = {
        **os.environ,
        "PARKLINK_VAR_DIR": str(tmp),
        "DATABASE_URL": f"sqlite:///{db}",
        "PARKLINK_LEAD_RATE_LIMIT": "off",
        "PARKLINK_LEAD_SPOOL": str(tmp / "spool.sqlite3"),
        "PARKLINK_DEBUG": "0",
        "PARKLINK_LOG_LEVEL": "ERROR",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("PARKLINK_TESTING", None)
    subprocess.run([str(VENV_BIN / "parklink"), "migrate", "--verbosity", "0"], env=env, check=True)
    answers: list[tuple[str, int, float]] = []  # (marker, status, seconds)
    lock = threading.Lock()
    with gunicorn(env, cwd=tmp) as (_server, base):
        stop_at = time.monotonic() + args.seconds

        def client(n: int) -> None:
            with httpx.Client(base_url=base, timeout=args.timeout) as http:
                i = 0
                while time.monotonic() < stop_at:
                    i += 1
                    marker = f"bench-{n}-{i}"
                    body = {
                        "company": f"长事务压测{n}-{i}有限公司",
                        "contact": "压测",
                        "mobile": f"171{n:02d}{i:06d}",
                        "need": f"{marker}:昌平800平米研发楼",
                        "consent": True,
                    }
                    start = time.perf_counter()
                    try:
                        status = http.post("/api/v1/leads", json=body).status_code
                    except httpx.HTTPError:
                        status = 0
                    with lock:
                        answers.append((marker, status, time.perf_counter() - start))

        def writer() -> None:
            time.sleep(max(0.0, (args.seconds - args.hold) / 2))
            conn = sqlite3.connect(db, isolation_level=None)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO core_team (name) VALUES ('bench: long writer')")
            time.sleep(args.hold)
            conn.execute("ROLLBACK")
            conn.close()

        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients + 1) as pool:
            pool.submit(writer)
            for f in [pool.submit(client, n) for n in range(args.clients)]:
                f.result()
        wall = time.perf_counter() - t0

    drain = (
        "from parklink.leads import spool; r = spool.drain(); print(r.stored, r.failed, r.pending)"
    )
    subprocess.run([str(VENV_BIN / "parklink"), "shell", "-c", drain], env=env, check=True)
    with sqlite3.connect(db) as conn:
        needs = {
            row[0].split(":", 1)[0]
            for row in conn.execute("SELECT json_extract(data, '$.need') FROM leads_inquiry")
        }
    acked = [a for a in answers if a[1] in (201, 202)]
    latencies = [a[2] for a in acked]
    return {
        "clients": args.clients,
        "hold_s": args.hold,
        "seconds": args.seconds,
        "requests": len(answers),
        "stored_now": sum(1 for a in acked if a[1] == 201),
        "spooled": sum(1 for a in acked if a[1] == 202),
        "unanswered": len(answers) - len(acked),
        "accepted_per_s": len(acked) / wall if wall else 0.0,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "max_ms": max(latencies, default=0.0) * 1000,
        "lost": sum(1 for a in acked if a[0] not in needs),
    }


def row(r: dict[str, object]) -> str:
    return (
        f"| {r['clients']} | {r['hold_s']:.0f} s of {r['seconds']:.0f} s | {r['requests']} | "
        f"{r['stored_now']} | {r['spooled']} | {r['unanswered']} | "
        f"{r['accepted_per_s']:.0f} | {r['p50_ms']:.0f} ms | {r['p99_ms']:.0f} ms | "
        f"{r['max_ms']:.0f} ms | {r['lost']} |"
    )


def write_section(r: dict[str, object], note: str) -> None:
    path = REPO / "docs" / "benchmarks.md"
    text = path.read_text()
    body = "\n".join(
        [
            SECTION,
            "",
            f"`bench/intake_writer.py` — {datetime.now(tz=UTC).date().isoformat()}, commit "
            f"{commit()}, {os.cpu_count()} vCPU, Python {platform.python_version()}. "
            "gunicorn gthread 2×4 on 127.0.0.1 over a SQLite WAL file; the clients submit "
            "continuously while another connection holds the write lock (`BEGIN IMMEDIATE`) "
            "for the time shown, as one long import transaction does. 201 = stored at once, "
            "202 = spooled and acknowledged; *lost* counts acknowledged submissions missing "
            f"after the spool drained. {note}",
            "",
            "| clients | lock held | requests | 201 | 202 | unanswered | acknowledged/s | p50 "
            "| p99 | max | lost |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
            row(r),
            "",
        ]
    )
    if SECTION in text:
        start = text.index(SECTION)
        end = text.find("\n## ", start + len(SECTION))
        end = len(text) if end == -1 else end + 1
        text = text[:start] + body + text[end:]
    else:
        anchor = text.index("## Matching")
        text = text[:anchor] + body + "\n" + text[anchor:]
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--hold", type=float, default=20)
    parser.add_argument("--timeout", type=float, default=20, help="a client gives up after")
    parser.add_argument("--note", default="", help="e.g. the machine's load")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    if args.clients > 64 or args.seconds > 600 or args.hold >= args.seconds:
        raise SystemExit("bounded: at most 64 clients, 600 s, and --hold < --seconds")
    r = run(args)
    print(
        f"{r['requests']} requests: {r['stored_now']} stored at once, {r['spooled']} spooled, "
        f"{r['unanswered']} unanswered; {r['accepted_per_s']:.0f} acknowledged/s, "
        f"p50 {r['p50_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms, max {r['max_ms']:.0f} ms; "
        f"lost {r['lost']}"
    )
    if args.write:
        write_section(r, args.note)
        print("docs/benchmarks.md updated")


if __name__ == "__main__":
    main()
