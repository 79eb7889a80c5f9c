"""`parklink serve [ADDR:PORT]`: the product as users see it, in one command — the web
server and the background worker side by side (`make run` calls it).

Both run as child processes; Ctrl-C or SIGTERM stops both, and when either ends the other
is stopped too, so nothing is left running. With DEBUG off (the default of `make run`)
the server does not reload code and static files come from WhiteNoise; PARKLINK_DEBUG=1
is developer mode (code reload; error pages stay branded unless
PARKLINK_TECHNICAL_ERRORS=1).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

STOP_GRACE_SECONDS = 10


class Command(BaseCommand):
    help = "Run the web server and the background worker together (Ctrl-C stops both)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-worker", action="store_true", help="serve pages only")

    def handle(self, *args: Any, **options: Any) -> None:
        base = [sys.executable, "-m", "parklink.cli"]
        server = [*base, "runserver", options["addrport"]]
        if not settings.DEBUG:
            server.append("--noreload")
        commands = [("server", server)]
        if not options["no_worker"]:
            commands.append(("worker", [*base, "worker"]))
        children: list[tuple[str, subprocess.Popen]] = []
        stopping = {"signal": 0}

        def on_signal(signum: int, _frame: Any) -> None:
            stopping["signal"] = signum

        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            for name, cmd in commands:
                # Own process group: stopping one also stops what it started (the reloader's
                # child under DEBUG).
                children.append((name, subprocess.Popen(cmd, start_new_session=True)))
            mode = "开发模式 developer mode (DEBUG)" if settings.DEBUG else "DEBUG off"
            self.stdout.write(
                f"服务已启动 / serving on http://{options['addrport']}/ "
                f"({mode}; {' + '.join(n for n, _p in children)}); Ctrl-C 停止 / to stop"
            )
            code = self._watch(children, stopping)
        finally:
            self._stop(children)
            for s, handler in previous.items():
                signal.signal(s, handler)
        if stopping["signal"]:
            self.stdout.write("已停止 / stopped")
            return
        if code:
            raise CommandError(f"子进程退出 / a process exited with code {code}")

    def _watch(self, children: list[tuple[str, subprocess.Popen]], stopping: dict) -> int:
        while not stopping["signal"]:
            for name, proc in children:
                code = proc.poll()
                if code is not None:
                    self.stderr.write(f"{name} 已退出 / {name} exited ({code}); stopping the rest")
                    return code
            time.sleep(0.3)
        return 0

    def _stop(self, children: list[tuple[str, subprocess.Popen]]) -> None:
        for _name, proc in children:
            if proc.poll() is None:
                _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for _name, proc in children:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait()


def _signal_group(proc: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signum)
