"""gunicorn for the benchmarks: started on a free 127.0.0.1 port, waited for until /healthz
answers, stopped on exit. One place for what every load script needs.

    with gunicorn(env, cwd=tmp, workers=2, threads=4) as (server, base):
        httpx.get(base + "/")
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(server: subprocess.Popen, timeout: float = 15) -> None:
    server.terminate()
    try:
        server.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.kill()


@contextmanager
def gunicorn(
    env: dict[str, str],
    *,
    cwd: Path,
    workers: int = 2,
    threads: int = 4,
    extra: Sequence[str] = (),
    start_timeout: float = 60,
) -> Iterator[tuple[subprocess.Popen, str]]:
    """gunicorn (gthread, --preload) serving parklink.wsgi; yields the process and base URL.

    Exits with a message when the server does not answer /healthz within `start_timeout`
    seconds (a loaded machine starts it slowly) or dies first."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "parklink.wsgi",
            *("--bind", f"127.0.0.1:{port}", "--worker-class", "gthread"),
            *("--workers", str(workers), "--threads", str(threads)),
            *("--preload", "--log-level", "warning", *extra),
        ],
        env=env,
        cwd=cwd,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.2)
        yield server, base
    finally:
        stop(server)
