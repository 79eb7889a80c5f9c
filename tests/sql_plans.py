"""SQLite query plans of what a piece of code runs, for the tests that check an index is used
(SQLite has no statistics in tests, so its choice at 10 rows is the one at 100,000)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def query_plans(run: Callable[[], Any]) -> str:
    """Run ``run`` and return the plans of the queries it made, as one text."""
    with CaptureQueriesContext(connection) as ctx:
        run()
    out = []
    with connection.cursor() as cursor:
        for q in ctx.captured_queries:
            if q["sql"].startswith(("SAVEPOINT", "RELEASE")):
                continue
            cursor.execute("EXPLAIN QUERY PLAN " + q["sql"])
            out.append("\n".join(str(row[-1]) for row in cursor.fetchall()))
    return "\n".join(out)
