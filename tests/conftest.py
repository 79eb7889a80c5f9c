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
