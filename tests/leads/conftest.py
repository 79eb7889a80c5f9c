from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection, connections


@pytest.fixture
def valid_data():
    return {
        "company": "北京华康生物科技有限公司",
        "contact": "王先生",
        "mobile": "138 0013 8000",
        "need": "想在昌平租1000-2000平米GMP厂房,做生物制剂生产",
        "use": "生物制剂生产",
        "annual_tax_wan": "300",
        "kind": "厂房",
        "deal": "出租",
        "area_min_m2": 1000,
        "area_max_m2": 2000,
        "districts": ["昌平"],
        "industry": "生物医药",
        "consent": True,
    }


@pytest.fixture(autouse=True)
def _no_rate_limit_by_default(settings):
    settings.PARKLINK_LEAD_RATE_LIMIT = "off"
    # Tests drain the spool explicitly (test_spool.py tests the background drain).
    settings.PARKLINK_LEAD_SPOOL_AUTODRAIN = "off"
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def spool_file(settings, tmp_path):
    """A spool of the test's own (tests/leads/test_spool.py, test_intake_writer_turn.py):
    a submission waits at most 0.5 s for the database before it is spooled."""
    settings.PARKLINK_LEAD_SPOOL = str(tmp_path / "spool" / "leads.sqlite3")
    settings.PARKLINK_LEAD_SPOOL_AFTER = 0.5
    return tmp_path / "spool" / "leads.sqlite3"


@pytest.fixture
def real_database(tmp_path):
    """On SQLite, a migrated WAL file database like production's for the test's duration.

    Django's SQLite test database lives in shared-cache memory, where concurrent writers
    fail at once with "table is locked" instead of waiting on the busy timeout, so it
    cannot show how the product behaves. PostgreSQL is used as it is.
    """
    if connection.vendor != "sqlite":
        yield
        return
    original_settings = connections.settings["default"]
    original_wrapper = connections["default"]  # kept open: closing would drop the memory DB
    file_settings = {**original_settings, "NAME": str(tmp_path / "concurrency.sqlite3")}
    connections.settings["default"] = file_settings
    connections["default"] = original_wrapper.__class__(file_settings, "default")
    try:
        call_command("migrate", verbosity=0, interactive=False)
        yield
    finally:
        connections["default"].close()
        connections.settings["default"] = original_settings
        connections["default"] = original_wrapper
