"""Import speed, and lead intake while a large import runs.

Generates its own data in a temporary directory (a fresh SQLite WAL database):
20 parks, then --spaces spaces and --leads leads as CSV files in the exchange format,
and times `parklink import` on each (wall time of the command, start-up included; rows/s
= rows / wall time). Then starts gunicorn (gthread 2×4) on 127.0.0.1 over the same
database and lets --clients threads submit leads to POST /api/v1/leads for as long as a
further import of --intake-spaces new spaces runs; afterwards the spool is drained (what
`parklink worker` does) and every acknowledged submission (201 stored, 202 spooled) is
looked up: *lost* must be 0. Load only ever goes to 127.0.0.1.

    .venv/bin/python bench/import.py                      # 30,000 + 30,000, intake 20,000
    .venv/bin/python bench/import.py --spaces 3000 --leads 3000 --intake-spaces 2000
    .venv/bin/python bench/import.py --write --label after  # update docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import resource
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
SECTION = "## Import speed and lead intake during an import"
PARKS = [f"压测产业园{i:02d}" for i in range(20)]
KINDS = ["厂房", "研发楼", "写字楼", "实验室", "仓库"]
DISTRICTS = ["昌平区", "海淀区", "大兴区", "顺义区", "通州区"]


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def spaces_csv(path: Path, n: int, prefix: str, rng: random.Random) -> None:
    header = ["编号", "所属园区", "楼栋", "类型", "租售", "面积(平方米)", "价格", "层高(米)",
              "承重(公斤/平方米)", "配电(kVA)", "GMP", "可入驻日期", "描述"]  # fmt: skip
    rows = []
    for i in range(n):
        kind = rng.choice(KINDS)
        rows.append(
            [
                f"{prefix}{i:06d}",
                rng.choice(PARKS),
                f"{rng.randint(1, 30)}号楼",
                kind,
                "出租",
                rng.randint(100, 20000),
                round(rng.uniform(0.8, 6.0), 2),
                round(rng.uniform(3.0, 12.0), 1),
                rng.choice([500, 800, 1000, 1500]),
                rng.choice([200, 500, 1000, 2000]),
                rng.choice(["是", "否"]),
                f"2027-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                f"{kind},交通便利,可办环评",
            ]
        )
    write_csv(path, header, rows)


def leads_csv(path: Path, n: int, rng: random.Random) -> None:
    header = ["编号", "公司", "联系人", "手机号", "需求", "载体类型", "租售",
              "最小面积(平方米)", "最大面积(平方米)", "意向区域", "行业", "统一社会信用代码"]  # fmt: skip
    rows = []
    for i in range(n):
        low = rng.randint(100, 5000)
        rows.append(
            [
                f"IMP{i:06d}",
                f"导入压测{i}号科技有限公司",
                "李女士",
                f"139{i:08d}",
                f"需要{low}平米{rng.choice(KINDS)}",
                rng.choice(KINDS),
                "出租",
                low,
                low + rng.randint(0, 3000),
                rng.choice(DISTRICTS),
                rng.choice(["生物医药", "集成电路", "人工智能", "新能源"]),
                "",
            ]
        )
    write_csv(path, header, rows)


CPU: dict[str, float] = {}  # file name → user+sys seconds of its import (workers included)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_import(env: dict[str, str], path: Path) -> float:
    """The wall time of `parklink import PATH`; its process CPU (user+sys of the command
    and the workers it forked, which it waits for) goes to ``CPU[path.name]``. Only the
    importer thread runs child processes while it is timed, so the delta is its own."""
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(
        [str(VENV_BIN / "parklink"), "import", str(path)], env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    CPU[path.name] = _children_cpu() - cpu
    if proc.returncode != 0:
        raise SystemExit(f"import of {path.name} failed:\n{proc.stderr[-2000:]}")
    return wall


def intake_during_import(
    env: dict[str, str], db: Path, tmp: Path, path: Path, clients: int, timeout: float
) -> dict[str, float]:
    answers: list[tuple[str, int, float]] = []
    lock = threading.Lock()
    done = threading.Event()
    import_wall = 0.0
    with gunicorn(env, cwd=tmp, start_timeout=240) as (_server, base):

        def client(n: int) -> None:
            with httpx.Client(base_url=base, timeout=timeout) as http:
                i = 0
                while not done.is_set():
                    i += 1
                    marker = f"imp-{n}-{i}"
                    body = {
                        "company": f"导入期间提交{n}-{i}有限公司",
                        "contact": "压测",
                        "mobile": f"172{n:02d}{i:06d}",
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

        def importer() -> None:
            nonlocal import_wall
            time.sleep(1.0)  # let the clients warm up
            try:
                import_wall = timed_import(env, path)
            finally:
                time.sleep(1.0)
                done.set()

        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=clients + 1) as pool:
            futures = [pool.submit(client, n) for n in range(clients)]
            pool.submit(importer).result()
            for f in futures:
                f.result()
        wall = time.perf_counter() - t0
    drain = "from parklink.leads import spool; spool.drain()"
    subprocess.run([str(VENV_BIN / "parklink"), "shell", "-c", drain], env=env, check=True)
    with sqlite3.connect(db) as conn:
        needs = {
            r[0].split(":", 1)[0]
            for r in conn.execute("SELECT json_extract(data, '$.need') FROM leads_inquiry")
            if r[0]
        }
    acked = [a for a in answers if a[1] in (201, 202)]
    latencies = [a[2] for a in acked]
    return {
        "import_s": import_wall,
        "requests": len(answers),
        "stored_now": sum(1 for a in acked if a[1] == 201),
        "spooled": sum(1 for a in acked if a[1] == 202),
        "unanswered": len(answers) - len(acked),
        "accepted_per_s": len(acked) / wall if wall else 0.0,
        "p99_ms": percentile(latencies, 99) * 1000,
        "max_ms": max(latencies, default=0.0) * 1000,
        "lost": sum(1 for a in acked if a[0] not in needs),
    }


def run(args: argparse.Namespace) -> dict[str, object]:
    rng = random.Random(9)
    tmp = Path(tempfile.mkdtemp(prefix="parklink-import-"))
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
    # As installed (pip compiles the package): the commands run from cached bytecode, not
    # from source every time. A shell with PYTHONDONTWRITEBYTECODE=1 (CI, containers) would
    # otherwise add ~0.5 s of compiling to every command's start-up; the first two
    # commands (migrate, import --help) write the cache.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([str(VENV_BIN / "parklink"), "migrate", "--verbosity", "0"], env=env, check=True)
    # Loads (and so caches the bytecode of) every module the import command needs, which
    # migrate does not: the start-up timed below is a start-up, not a first compilation.
    subprocess.run(
        [str(VENV_BIN / "parklink"), "import", "--help"], env=env, check=True, capture_output=True
    )
    parks = tmp / "parks.csv"
    write_csv(parks, ["园区名称", "区县"], [[p, rng.choice(DISTRICTS)] for p in PARKS])
    startup = timed_import(env, parks)  # 20 rows: the command's start-up, mostly
    load = os.getloadavg()[0]
    result: dict[str, object] = {"spaces": args.spaces, "leads": args.leads}
    result.update(startup_s=startup, startup_cpu_s=CPU[parks.name], load=load)
    print(
        f"start-up (20-park import): {startup:.1f} s, CPU {CPU[parks.name]:.1f} s; "
        f"load average {load:.1f}"
    )
    if args.spaces:
        spaces = tmp / "spaces.csv"
        spaces_csv(spaces, args.spaces, "BS", rng)
        wall = timed_import(env, spaces)
        cpu = CPU[spaces.name]
        result.update(spaces_s=wall, spaces_per_s=args.spaces / wall, spaces_cpu_s=cpu)
        print(
            f"spaces: {args.spaces} rows in {wall:.1f} s = {args.spaces / wall:.0f} rows/s "
            f"(CPU {cpu:.1f} s; load average {os.getloadavg()[0]:.1f})"
        )
    if args.leads:
        leads = tmp / "leads.csv"
        leads_csv(leads, args.leads, rng)
        wall = timed_import(env, leads)
        cpu = CPU[leads.name]
        result.update(leads_s=wall, leads_per_s=args.leads / wall, leads_cpu_s=cpu)
        print(
            f"leads: {args.leads} rows in {wall:.1f} s = {args.leads / wall:.0f} rows/s "
            f"(CPU {cpu:.1f} s, workers included; load average {os.getloadavg()[0]:.1f})"
        )
    if args.intake_spaces:
        more = tmp / "intake-spaces.csv"
        spaces_csv(more, args.intake_spaces, "IS", rng)
        r = intake_during_import(env, db, tmp, more, args.clients, args.timeout)
        result.update(intake=r, intake_spaces=args.intake_spaces, clients=args.clients)
        print(
            f"intake during a {args.intake_spaces}-space import ({r['import_s']:.1f} s), "
            f"{args.clients} clients: {r['requests']} requests, {r['stored_now']} stored, "
            f"{r['spooled']} spooled, {r['unanswered']} unanswered; "
            f"{r['accepted_per_s']:.0f} accepted/s, p99 {r['p99_ms']:.0f} ms, "
            f"max {r['max_ms']:.0f} ms; lost {r['lost']}"
        )
    return result


def table_row(label: str, r: dict[str, object]) -> str:
    cells = [label, commit()]
    cells.append(f"{r['spaces_per_s']:.0f} ({r['spaces']} in {r['spaces_s']:.1f} s)"
                 if "spaces_per_s" in r else "—")  # fmt: skip
    cells.append(f"{r['leads_per_s']:.0f} ({r['leads']} in {r['leads_s']:.1f} s)"
                 if "leads_per_s" in r else "—")  # fmt: skip
    i = r.get("intake")
    if isinstance(i, dict):
        cells += [
            f"{r['intake_spaces']} spaces, {i['import_s']:.1f} s, {r['clients']} clients",
            f"{i['requests']} ({i['stored_now']} stored, {i['spooled']} spooled, "
            f"{i['unanswered']} unanswered)",
            f"{i['accepted_per_s']:.0f}",
            f"{i['p99_ms']:.0f} ms",
            str(i["lost"]),
        ]
    else:
        cells += ["—"] * 5
    return "| " + " | ".join(cells) + " |"


def write_section(label: str, r: dict[str, object], note: str) -> None:
    path = REPO / "docs" / "benchmarks.md"
    text = path.read_text()
    header = [
        SECTION,
        "",
        "`bench/import.py` — generated CSV files imported with `parklink import` into a "
        "fresh SQLite WAL database (wall time of the command, start-up included), then 4 "
        "client threads submit leads through gunicorn (gthread 2×4, 127.0.0.1) for as long as "
        "a further space import runs; *lost* counts acknowledged submissions (201 stored, 202 "
        "spooled) missing after the spool drained.",
        "",
        "| run | commit | spaces rows/s | leads rows/s | import during intake | requests "
        "| accepted/s | p99 | lost |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    line = table_row(
        f"{label} ({datetime.now(tz=UTC).date().isoformat()}, {os.cpu_count()} vCPU, "
        f"Python {platform.python_version()}{', ' + note if note else ''})",
        r,
    )
    if SECTION in text:
        # The row goes under the section's first table (after its last row), not after
        # whatever prose follows the table.
        start = text.index(SECTION)
        end = text.find("\n## ", start + len(SECTION))
        end = len(text) if end == -1 else end + 1
        lines = text[start:end].split("\n")
        rows = [i for i, row in enumerate(lines) if row.startswith("|")]
        first_gap = next(
            (i for i in range(rows[0], len(lines)) if not lines[i].startswith("|")), len(lines)
        ) if rows else len(lines)  # fmt: skip
        lines.insert(first_gap, line)
        text = text[:start] + "\n".join(lines) + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join([*header, line]) + "\n"
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spaces", type=int, default=30000)
    parser.add_argument("--leads", type=int, default=30000)
    parser.add_argument("--intake-spaces", type=int, default=20000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=20, help="a client gives up after")
    parser.add_argument("--label", default="run")
    parser.add_argument("--note", default="", help="e.g. the machine's load")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    if max(args.spaces, args.leads, args.intake_spaces) > 200000 or args.clients > 64:
        raise SystemExit("bounded: at most 200,000 rows per file and 64 clients")
    r = run(args)
    if args.write:
        write_section(args.label, r, args.note)
        print("docs/benchmarks.md updated")


if __name__ == "__main__":
    main()
