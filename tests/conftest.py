"""Shared fixtures: operator accounts per role, logged-in clients, the shared corpora."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from parklink.core.roles import ROLE_ADMIN, ROLE_AGENT, ROLE_MANAGER

REPO = Path(__file__).resolve().parent.parent
# Third-party corpora live beside the checkout, never inside it (PARKLINK_SHARED overrides).
SHARED = Path(os.environ.get("PARKLINK_SHARED", REPO.parent / "shared"))
GNE_DIR = SHARED / "corpora" / "gne"


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """`parklink demo`'s output, taken once per session (see tests/demo_snapshot.py)."""
    from tests import demo_snapshot as snapshots

    with django_db_blocker.unblock():
        return snapshots.take(tmp_path_factory.mktemp("demo-var"))


@pytest.fixture
def demo_data(demo_snapshot, settings, tmp_path):
    """The demo data set in the test database, as `parklink demo` leaves it, and its files
    in settings.VAR_DIR. Request it after `db` or `transactional_db` (or with the
    django_db mark)."""
    from tests import demo_snapshot as snapshots

    settings.VAR_DIR = tmp_path
    snapshots.restore(demo_snapshot, tmp_path)
    yield
    snapshots.clear_process_caches()


@pytest.fixture
def gne_dir() -> Path:
    if not GNE_DIR.is_dir():
        pytest.skip(f"GNE corpus not present at {GNE_DIR}")
    return GNE_DIR


def _make_user(django_user_model, username: str, role: str):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username=username,
        password="pw-" + username,
        first_name=username,
        email=f"{username}@example.test",
    )
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@pytest.fixture
def admin_user_role(db, django_user_model):
    return _make_user(django_user_model, "boss", ROLE_ADMIN)


@pytest.fixture
def manager(db, django_user_model):
    return _make_user(django_user_model, "manager1", ROLE_MANAGER)


@pytest.fixture
def agent(db, django_user_model):
    return _make_user(django_user_model, "agent1", ROLE_AGENT)


@pytest.fixture
def agent2(db, django_user_model):
    return _make_user(django_user_model, "agent2", ROLE_AGENT)


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


# The fixtures through which a test reaches the test database (directly or through another
# fixture: ``item.fixturenames`` is the closure).
_DB_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "live_server",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
    }
)


def _uses_database(item) -> bool:
    if item.get_closest_marker("django_db") is not None:
        return True
    return bool(_DB_FIXTURES.intersection(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    """``PARKLINK_TEST_DATABASE_ONLY=1`` (the second database's run in .ci/run): only the
    tests that use the test database. The others cannot reach it (pytest-django blocks
    database access outside those fixtures and marks), so they would run the same code a
    second time; the servers they start choose their database themselves (SQLite, or their
    own PostgreSQL database), whatever the suite's DATABASE_URL."""
    if os.environ.get("PARKLINK_TEST_DATABASE_ONLY") != "1":
        return
    keep = [item for item in items if _uses_database(item)]
    skipped = [item for item in items if not _uses_database(item)]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = keep
