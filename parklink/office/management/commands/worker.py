"""`parklink worker`: run background tasks (django-tasks database backend, or the Redis
queue of django-tasks-rq when REDIS_URL is set) and enqueue the periodic jobs when they are
due.

Periodic jobs are listed explicitly in PERIODIC (task, interval); each is idempotent, so
several workers enqueueing the same job at once do no harm. Between rounds the worker runs
every ready task (django_tasks_db's worker in batch mode) and then sleeps `--interval`.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from parklink.core.import_journal import import_recover
from parklink.leads.tasks import lead_pool_recycle, lead_spool_drain
from parklink.leases.tasks import dashboard_warm, lease_daily
from parklink.matching.tasks import match_digest
from parklink.news.tasks import feeds_poll

logger = logging.getLogger("parklink.worker")


@dataclass(frozen=True)
class Periodic:
    name: str
    task: Any
    every_seconds: int


# One line per periodic job (other areas add theirs here).
PERIODIC: tuple[Periodic, ...] = (
    Periodic("leads.pool_recycle", lead_pool_recycle, 3600),
    Periodic("leads.spool_drain", lead_spool_drain, 10),
    Periodic("matching.digest", match_digest, 86400),
    Periodic("news.feeds_poll", feeds_poll, 300),
    # Hourly, idempotent: a lease ending at midnight frees its space within the hour.
    Periodic("leases.daily", lease_daily, 3600),
    # The dashboard's default views kept built in the cache (shared with Redis).
    Periodic("leases.dashboard_warm", dashboard_warm, 120),
)


class Command(BaseCommand):
    help = "运行后台任务并按时排入周期任务 / run background tasks and periodic jobs"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--interval", type=float, default=2.0, help="seconds to sleep when idle (default 2)"
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="enqueue due periodic jobs, run every ready task, then exit",
        )
        parser.add_argument("--queue-name", default="default")

    def handle(self, *args, **options) -> None:
        backend = task_backends["default"]
        rq = type(backend).__name__ == "RQBackend"
        if not isinstance(backend, DatabaseBackend) and not rq:
            raise CommandError(
                "任务后端不需要 worker / the task backend needs no worker "
                f"({type(backend).__name__}); tasks run without one"
            )
        stop = threading.Event()

        def _stop(signum, frame) -> None:
            self.stderr.write("正在停止… / stopping after the current task")
            stop.set()

        if not options["once"]:
            signal.signal(signal.SIGTERM, _stop)
            signal.signal(signal.SIGINT, _stop)
        last_run: dict[str, float] = {}
        worker_id = get_random_string(32)
        self.stdout.write(
            f"worker {worker_id[:8]} 已启动 / started; periodic: "
            + ", ".join(f"{p.name} every {p.every_seconds}s" for p in PERIODIC)
        )
        while not stop.is_set():
            # An import killed mid-way is undone (parklink.core.import_journal).
            import_recover()
            self.enqueue_due(last_run)
            if rq:
                self.run_rq(options["queue_name"])
            else:
                self.run_db(options["queue_name"], worker_id)
            close_old_connections()
            if options["once"]:
                break
            stop.wait(options["interval"])

    def run_rq(self, queue_names: str) -> None:
        """Every queued job of the Redis queue, then back to the periodic check."""
        import django_rq
        from django_tasks_rq import Job

        worker = django_rq.get_worker(*queue_names.split(","), job_class=Job)
        worker.work(burst=True, with_scheduler=False, logging_level="WARNING")

    def run_db(self, queue_names: str, worker_id: str) -> None:
        """Every ready task of the database queue (django_tasks_db's worker in batch mode)."""
        Worker(
            queue_names=queue_names.split(","),
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        ).run()

    def enqueue_due(self, last_run: dict[str, float]) -> None:
        now = time.monotonic()
        for job in PERIODIC:
            if now - last_run.get(job.name, -job.every_seconds) >= job.every_seconds:
                job.task.enqueue()
                last_run[job.name] = now
                logger.info("periodic job enqueued", extra={"job": job.name})
