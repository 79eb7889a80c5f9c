"""With REDIS_URL the background tasks go to a Redis queue (django-tasks-rq) and
`parklink worker` runs them; without it the database backend stays the default. Run in
subprocesses: the test settings run tasks immediately."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PARKLINK = Path(sys.executable).parent / "parklink"
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")

ENQUEUE = (
    "from django_tasks import task_backends\n"
    "from parklink.parks.models import Park\n"
    "from parklink.search.tasks import search_document_sync_task\n"
    "p = Park.objects.create(name='队列测试园区', district='昌平区')\n"
    "search_document_sync_task.enqueue('park', p.pk)\n"
    "print(type(task_backends['default']).__name__)\n"
)
COUNT = (
    "from parklink.search.models import SearchDocument\n"
    "print(SearchDocument.objects.filter(title='队列测试园区').count())\n"
)


def _env(tmp_path, redis: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "PARKLINK"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update({"PARKLINK_VAR_DIR": str(tmp_path), "PARKLINK_LOG_LEVEL": "WARNING"})
    if redis:
        env["REDIS_URL"] = redis
    return env


def _run(env, *args: str) -> str:
    done = subprocess.run(
        [PARKLINK, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def _redis_or_skip() -> None:
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except Exception as exc:
        pytest.skip(f"Redis needed: {exc}")


def test_tasks_go_through_redis_and_the_worker_runs_them(tmp_path):
    _redis_or_skip()
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    env = _env(tmp_path, REDIS)
    _run(env, "migrate", "--noinput", "-v", "0")
    assert _run(env, "shell", "-c", ENQUEUE) == "RQBackend"
    assert _run(env, "shell", "-c", COUNT) == "0"  # queued in Redis, not run yet
    _run(env, "worker", "--once")
    assert _run(env, "shell", "-c", COUNT) == "1"


def test_without_redis_the_database_backend_stays_the_default(tmp_path):
    env = _env(tmp_path, None)
    _run(env, "migrate", "--noinput", "-v", "0")
    assert _run(env, "shell", "-c", ENQUEUE) == "DatabaseBackend"
    _run(env, "worker", "--once")
    assert _run(env, "shell", "-c", COUNT) == "1"
