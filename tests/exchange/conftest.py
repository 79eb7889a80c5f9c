from __future__ import annotations

import pytest

from tests.factories.parks import ParkFactory


@pytest.fixture
def park(db):
    return ParkFactory(name="中关村生命科学园", aliases=["生命园"], district="昌平区")


@pytest.fixture
def run_import():
    """`parklink import FILE...` as a function: (exit code, stdout, stderr)."""
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    def run(*files, **options):
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("import", *[str(f) for f in files], stdout=out, stderr=err, **options)
        except CommandError as exc:
            err.write(str(exc))
            return 1, out.getvalue(), err.getvalue()
        return 0, out.getvalue(), err.getvalue()

    return run
