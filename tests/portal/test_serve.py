"""`parklink serve` (what `make run` runs): server and worker together, DEBUG off, static
files served, the branded 404, and one SIGTERM stops both processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_serve_runs_server_and_worker_and_stops_both(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PYTEST"))}
    env.update(PARKLINK_VAR_DIR=str(tmp_path), PARKLINK_DEBUG="0", PARKLINK_TESTING="0")
    cli = [sys.executable, "-m", "parklink.cli"]
    subprocess.run([*cli, "migrate", "-v0"], env=env, check=True, timeout=300)
    port = _free_port()
    proc = subprocess.Popen([*cli, "serve", f"127.0.0.1:{port}"], env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _ = _get(f"http://127.0.0.1:{port}/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.5)
        status, html = _get(f"http://127.0.0.1:{port}/no/such/page/")
        assert status == 404 and "404 · 页面不存在" in html and "DEBUG = True" not in html
        status, css = _get(f"http://127.0.0.1:{port}/static/portal/site.css")
        assert status == 200 and ".lead-capture" in css
        children = _children(proc.pid)
        assert len(children) == 2  # runserver and worker
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    time.sleep(0.5)
    for pid in children:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()
