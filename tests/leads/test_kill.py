"""A real gunicorn server is SIGKILLed mid-burst while a long writer holds the database:
every submission it acknowledged (201 stored, 202 spooled) is in the database once the
spool drains, exactly once, and no lead is half-written. And `parklink import` is SIGKILLed
mid-import while clients submit leads: the import is undone (absent) by the next command,
every acknowledged submission is stored. SQLite (a WAL file like production's) and
PostgreSQL (the test database)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from django.db import connection
from django.utils import timezone

from parklink.leads import spool
from parklink.leads.models import Inquiry, Lead, LeadRefCounter

GUNICORN = Path(sys.executable).with_name("gunicorn")
PARKLINK = Path(sys.executable).with_name("parklink")
CLIENTS = 6


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _env(tmp_path: Path, spool_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "PARKLINK_VAR_DIR": str(tmp_path / "var"),
        "PARKLINK_LEAD_SPOOL": str(spool_path),
        "PARKLINK_LEAD_SPOOL_AFTER": "0.5",
        "PARKLINK_LEAD_RATE_LIMIT": "off",
        "PARKLINK_SPACE_SEARCH_INDEX": "0",
        "PARKLINK_LOG_LEVEL": "ERROR",
        "SECRET_KEY": "kill-test-secret",
    }
    env.pop("PARKLINK_TESTING", None)
    return env


@contextlib.contextmanager
def _server(tmp_path: Path, spool_path: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    port = _free_port()
    env = _env(tmp_path, spool_path)
    proc = subprocess.Popen(
        [
            str(GUNICORN),
            "parklink.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--threads",
            "4",
            "--timeout",
            "60",
        ],
        env=env,
        cwd=str(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: SIGKILL reaches every worker
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("gunicorn did not start")
            time.sleep(0.2)
        yield base, proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextlib.contextmanager
def _long_writer() -> Iterator[None]:
    """Another connection holding what lead creation needs, as a long import would."""
    if connection.vendor == "sqlite":
        holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("INSERT INTO core_team (name) VALUES ('held by a long writer')")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    import psycopg

    s = connection.settings_dict
    holder = psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s.get("PASSWORD") or None,
        dbname=s["NAME"],
    )
    try:
        # The day's reference counter row, locked: every new lead waits for it.
        holder.execute(
            "SELECT last FROM leads_leadrefcounter WHERE day = %s FOR UPDATE",
            [timezone.localdate()],
        )
        yield
    finally:
        holder.rollback()
        holder.close()


def _submitter(
    acked: dict[str, int],
    lock: threading.Lock,
    stop: threading.Event,
    tag: str,
    *,
    company: str = "强杀导入",
    mobile_prefix: str = "173",
):
    """A client loop posting leads until `stop`; each acknowledged one (201 stored, 202
    spooled) is recorded in `acked` under its marker. No answer is not an acknowledgement:
    the server may be gone."""

    def client(n: int, base: str) -> None:
        with httpx.Client(base_url=base, timeout=20) as http:
            i = 0
            while not stop.is_set():
                i += 1
                marker = f"{tag}-{n}-{i}"
                body = {
                    "company": f"{company}{n}{i}科技有限公司",
                    "contact": "测试",
                    "mobile": f"{mobile_prefix}{n:02d}{i:06d}",
                    "need": f"{marker}:需要600平米研发楼",
                    "consent": True,
                }
                try:
                    resp = http.post("/api/v1/leads", json=body)
                except httpx.HTTPError:
                    continue
                if resp.status_code in (201, 202):
                    with lock:
                        acked[marker] = resp.status_code

    return client


@pytest.mark.django_db(transaction=True)
def test_sigkill_mid_import_leaves_it_absent_and_loses_no_submission(
    real_database, settings, tmp_path
):
    if not GUNICORN.exists():
        pytest.skip("gunicorn not installed")
    import csv

    from parklink.core import import_journal
    from parklink.core.models import ImportRun, ImportUndo
    from parklink.parks.models import Park, Space

    spool_path = tmp_path / "spool" / "leads.sqlite3"
    settings.PARKLINK_LEAD_SPOOL = str(spool_path)
    Park.objects.create(name="强杀园区", district="昌平区")
    Space.objects.create(
        ref="KEEP-1", park=Park.objects.get(), kind="厂房", deal="出租", area_m2=500
    )
    path = tmp_path / "spaces.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["编号", "所属园区", "类型", "租售", "面积(平方米)", "楼栋"])
        w.writerow(["KEEP-1", "强杀园区", "厂房", "出租", 999, "9号楼"])  # an update
        for i in range(20000):
            w.writerow([f"K{i:06d}", "强杀园区", "厂房", "出租", 100 + i, f"{i % 20}号楼"])
    acked: dict[str, int] = {}
    lock = threading.Lock()
    stop = threading.Event()
    client = _submitter(acked, lock, stop, "imp")

    def wait_for(predicate, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while not predicate():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    with _server(tmp_path, spool_path) as (base, proc), ThreadPoolExecutor(CLIENTS) as pool:
        futures = [pool.submit(client, n, base) for n in range(CLIENTS)]
        assert wait_for(lambda: len(acked) >= 10, 60)
        importer = subprocess.Popen(
            [str(PARKLINK), "import", str(path)],
            env=_env(tmp_path, spool_path),
            cwd=str(tmp_path),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        # Mid-import: several batches committed (with their undo records).
        started = wait_for(lambda: importer.poll() is not None or Space.objects.count() > 2000, 300)
        finished_early = importer.poll() is not None
        importer.kill()
        importer.wait(timeout=10)
        assert started and not finished_early, importer.stderr.read().decode()[-2000:]
        assert Space.objects.count() > 1  # partly written before the kill
        time.sleep(0.5)
        os.killpg(proc.pid, signal.SIGKILL)  # and the server, mid-burst
        proc.wait(timeout=10)
        stop.set()
        for f in futures:
            f.result(timeout=60)

    # The next command (an import, `parklink worker`) undoes the killed run.
    assert import_journal.import_recover() == 1
    assert list(Space.objects.values_list("ref", flat=True)) == ["KEEP-1"]
    keep = Space.objects.get()
    assert keep.area_m2 == 500 and keep.building_id is None
    assert ImportRun.objects.get().status == ImportRun.Status.UNDONE
    assert not ImportUndo.objects.exists()
    spool.drain()
    stored = {n.split(":", 1)[0] for n in Inquiry.objects.values_list("data__need", flat=True)}
    missing = sorted(set(acked) - stored)
    assert not missing, f"{len(missing)} acknowledged submissions lost: {missing[:10]}"


@pytest.mark.django_db(transaction=True)
def test_sigkill_mid_burst_loses_no_acknowledged_submission(real_database, settings, tmp_path):
    if not GUNICORN.exists():
        pytest.skip("gunicorn not installed")
    spool_path = tmp_path / "spool" / "leads.sqlite3"
    settings.PARKLINK_LEAD_SPOOL = str(spool_path)
    LeadRefCounter.objects.get_or_create(day=timezone.localdate())
    acked: dict[str, int] = {}
    lock = threading.Lock()
    stop = threading.Event()

    client = _submitter(acked, lock, stop, "kill", company="强杀测试", mobile_prefix="171")

    def count(status: int) -> int:
        with lock:
            return sum(1 for s in acked.values() if s == status)

    def wait_for(predicate, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not predicate() and time.monotonic() < deadline:
            time.sleep(0.05)

    with _server(tmp_path, spool_path) as (base, proc), ThreadPoolExecutor(CLIENTS) as pool:
        futures = [pool.submit(client, n, base) for n in range(CLIENTS)]
        wait_for(lambda: count(201) >= 20, 60)  # the database takes them directly
        with _long_writer():
            wait_for(lambda: count(202) >= 10, 60)  # now they are spooled
            os.killpg(proc.pid, signal.SIGKILL)  # mid-burst, requests in flight
            proc.wait(timeout=10)
            stop.set()
            for f in futures:
                f.result(timeout=60)

    assert count(201) >= 20 and count(202) >= 10, acked
    spool.drain()
    assert spool.pending_count() == 0
    needs = list(Inquiry.objects.values_list("data__need", flat=True))
    stored = {need.split(":", 1)[0] for need in needs}
    missing = sorted(set(acked) - stored)
    assert not missing, f"{len(missing)} acknowledged submissions lost: {missing[:10]}"
    assert len(needs) == len(set(needs))  # exactly once
    # Nothing half-written: every lead has its inquiry.
    assert not Lead.objects.filter(inquiries__isnull=True).exists()
