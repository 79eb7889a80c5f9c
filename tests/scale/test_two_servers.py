"""Two app servers, one PostgreSQL database, one Redis: a space written through the back
office of one server shows in matching (POST /api/v1/match), in search (/api/v1/search) and
on the cached park page of the other within seconds, carried by the change feed (no task
worker runs: the search table is synced by the feed's listener).

Skipped when PostgreSQL or Redis is not reachable (TEST_PG_URL / TEST_REDIS_URL override the
local defaults)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG = os.environ.get("TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
WITHIN = 15.0  # seconds; typically well under one


def _reachable() -> str | None:
    try:
        import psycopg
        import redis

        psycopg.connect(PG, connect_timeout=2).close()
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except Exception as exc:
        return str(exc)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"server at {url} did not start")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    problem = _reachable()
    if problem:
        pytest.skip(f"PostgreSQL and Redis needed: {problem}")
    import psycopg

    name = f"parklink_feed_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    db_url = PG.rsplit("/", 1)[0] + "/" + name
    var = tmp_path_factory.mktemp("var")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "PARKLINK"))},
        "DATABASE_URL": db_url,
        "REDIS_URL": REDIS,
        "PARKLINK_VAR_DIR": str(var),
        "PARKLINK_DEBUG": "0",
        "PARKLINK_LOG_LEVEL": "WARNING",
        "PARKLINK_MATCH_RATE_LIMIT": "10000/m",
        "SECRET_KEY": "two-servers-test-only",
        "PARKLINK_CHANGE_FEED": os.environ.get("TEST_CHANGE_FEED", "1"),
    }
    run = {"env": env, "cwd": REPO, "check": True, "capture_output": True, "timeout": 600}
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    subprocess.run([BIN / "parklink", "migrate", "--noinput", "-v", "0"], **run)
    subprocess.run(
        [
            BIN / "parklink",
            "shell",
            "-c",
            "from django.contrib.auth.models import Group, User\n"
            "from parklink.core.roles import ROLE_MANAGER\n"
            "from parklink.parks.models import Park\n"
            "u = User.objects.create_user('feedboss', password='feed-pass-123')\n"
            "u.groups.add(Group.objects.get_or_create(name=ROLE_MANAGER)[0])\n"
            "Park.objects.create(name='双服务器测试园区', district='昌平区')\n",
        ],
        **run,
    )
    servers = []
    for _ in range(2):
        port = _free_port()
        proc = subprocess.Popen(
            [
                *(BIN / "gunicorn", "parklink.wsgi", "-w", "1", "--threads", "4"),
                *("-b", f"127.0.0.1:{port}", "--graceful-timeout", "2"),
            ],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        servers.append((proc, f"http://127.0.0.1:{port}"))
    try:
        for _, base in servers:
            _wait_http(base + "/healthz")
        yield [base for _, base in servers]
    finally:
        for proc, _ in servers:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc, _ in servers:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        with psycopg.connect(PG, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _create_space(base: str, ref: str, park_id: int) -> None:
    import httpx

    with httpx.Client(base_url=base, timeout=20, follow_redirects=False) as c:
        login = c.get("/office/login/")
        c.post(
            "/office/login/",
            data={
                "username": "feedboss",
                "password": "feed-pass-123",
                "csrfmiddlewaretoken": _csrf(login.text),
            },
            headers={"Referer": base + "/office/login/"},
        )
        form = c.get("/office/catalogue/spaces/new/")
        assert form.status_code == 200, form.status_code
        response = c.post(
            "/office/catalogue/spaces/new/",
            data={
                "csrfmiddlewaretoken": _csrf(form.text),
                "ref": ref,
                "park": str(park_id),
                "title": f"双服务器测试厂房 {ref}",
                "kind": "厂房",
                "deal": "出租",
                "letting": "整租",
                "area_m2": "4321",
                "price": "2.2",
                "price_unit": "元/平方米/天",
                "status": "可租",
                "description": "双服务器测试",
            },
            headers={"Referer": base + "/office/catalogue/spaces/new/"},
        )
        assert response.status_code == 302, re.findall(
            r'class="errorlist[^>]*>(.*?)</ul>', response.text, re.S
        )


def _match_refs(base: str) -> list[str]:
    import httpx

    r = httpx.post(
        base + "/api/v1/match",
        json={"kind": "厂房", "area_min_m2": 4000, "area_max_m2": 4500, "districts": ["昌平区"]},
        timeout=20,
    )
    assert r.status_code == 200, r.text
    return [row["ref"] for row in r.json()["results"]]


def _search_titles(base: str, ref: str) -> list[str]:
    import httpx

    r = httpx.get(base + "/api/v1/search", params={"q": "双服务器测试厂房"}, timeout=20)
    assert r.status_code == 200, r.text
    return [hit["title"] for hit in r.json()["results"] if hit["type"] == "space"]


def _eventually(check, within: float = WITHIN) -> float:
    start = time.monotonic()
    while True:
        if check():
            return time.monotonic() - start
        if time.monotonic() - start > within:
            raise AssertionError(f"not visible on the other server within {within} s")
        time.sleep(0.2)


def test_a_write_on_one_server_shows_on_the_other(cluster):
    import httpx

    writer, reader = cluster
    parks = httpx.get(reader + "/api/v1/parks", timeout=20).json()
    park_id = next(p["id"] for p in parks["items"] if p["name"] == "双服务器测试园区")
    park_page = f"{reader}/parks/{park_id}/"
    # The reader has built its indexes and cached the park page before the write.
    assert _match_refs(reader) == []
    assert _search_titles(reader, "x") == []
    assert httpx.get(park_page, timeout=20).status_code == 200
    assert httpx.get(park_page, timeout=20).headers.get("X-Page-Cache") == "hit"

    ref = f"FEED-{uuid.uuid4().hex[:6].upper()}"
    _create_space(writer, ref, park_id)

    _eventually(lambda: ref in _match_refs(reader))
    _eventually(lambda: any(ref in t for t in _search_titles(reader, ref)))
    _eventually(lambda: ref in httpx.get(park_page, timeout=20).text)
