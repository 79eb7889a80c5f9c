"""`parklink leases --expiring` and `parklink occupancy`: exact figures from a known
fixture (tests/leases/conftest.py: FIXTURE)."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.leases.conftest import ON

pytestmark = pytest.mark.django_db


def _json(*args: str) -> dict:
    out = StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_expiring_within_90_days(known):
    doc = _json("leases", "--expiring", "90", "--on", ON.isoformat())
    assert doc == {
        "on": "2026-06-01",
        "leases": [
            {
                "ref": "L-1",
                "space": "T-101",
                "park": "租控测试园",
                "tenant": "甲科技有限公司",
                "end": "2026-07-01",
                "days_left": 30,
                "area_m2": 1000,
                "annual_rent_yuan": 1825000,
            },
            {
                # terminated early: it ends on its termination day
                "ref": "L-2",
                "space": "T-102",
                "park": "租控测试园",
                "tenant": "乙生物有限公司",
                "end": "2026-08-30",
                "days_left": 90,
                "area_m2": 300,
                "annual_rent_yuan": 540000,
            },
        ],
    }


@pytest.mark.parametrize(
    ("days", "on", "refs"),
    [
        ("29", "2026-06-01", []),
        ("30", "2026-06-01", ["L-1"]),
        ("89", "2026-06-01", ["L-1"]),
        ("400", "2026-06-01", ["L-1", "L-2", "L-5"]),
        ("0", "2026-07-01", ["L-1"]),  # its last day
        ("400", "2026-07-02", ["L-2", "L-5"]),
        ("3650", "2026-09-01", ["L-5", "L-4"]),  # the reservation is active from 09-01
        ("3650", "2026-05-31", ["L-3", "L-1", "L-2", "L-5"]),
    ],
)
def test_expiring_windows_and_days(known, days, on, refs):
    doc = _json("leases", "--expiring", days, "--on", on)
    assert [r["ref"] for r in doc["leases"]] == refs
    assert doc["on"] == on


def test_occupancy_figures(known):
    doc = _json("occupancy", "--on", ON.isoformat())
    assert doc == {
        "on": "2026-06-01",
        "parks": [
            {
                "park": "租控测试园",
                # for rent: T-101, T-102, T-201, T-F1 (T-X is withdrawn, T-S for sale)
                "spaces": 4,
                "leased_spaces": 3,
                "area_m2": 5300,
                "leased_area_m2": 4300,  # 1000 + 300 + 3000 (T-201's lease ended 05-31)
                "occupancy": 0.8113,
                "vacant_area_m2": 1000,
                "expiring_90d_area_m2": 1300,  # L-1 and L-2
                "annual_rent_yuan": 3965000,  # 1825000 + 540000 + 1600000
            }
        ],
    }


def test_occupancy_of_one_park_by_alias_and_of_an_empty_park(known):
    doc = _json("occupancy", "--park", "租控园", "--on", "2026-09-01")
    (row,) = doc["parks"]
    assert row["park"] == "租控测试园"
    assert row["leased_spaces"] == 2  # L-1 and L-2 gone; L-4 began, L-5 holds on
    assert row["leased_area_m2"] == 3800
    doc = _json("occupancy", "--park", "空园", "--on", "2026-09-01")
    assert doc["parks"] == [
        {
            "park": "空园",
            "spaces": 0,
            "leased_spaces": 0,
            "area_m2": 0,
            "leased_area_m2": 0,
            "occupancy": 0.0,
            "vacant_area_m2": 0,
            "expiring_90d_area_m2": 0,
            "annual_rent_yuan": 0,
        }
    ]


def test_text_output(known):
    out = StringIO()
    call_command("leases", "--expiring", "90", "--on", ON.isoformat(), stdout=out)
    assert "L-1" in out.getvalue() and "30天" in out.getvalue()
    out = StringIO()
    call_command("occupancy", "--on", ON.isoformat(), stdout=out)
    assert "81.1%" in out.getvalue()


@pytest.mark.parametrize(
    "args",
    [
        ("leases", "--expiring", "abc"),
        ("leases", "--expiring", "-1"),
        ("leases", "--expiring", "30", "--on", "2026-13-01"),
        ("leases", "--expiring", "30", "--park", "不存在的园区"),
        ("leases",),
        ("occupancy", "--on", "昨天"),
        ("occupancy", "--park", "不存在的园区"),
    ],
)
def test_bad_arguments_are_one_clear_bilingual_line(db, args):
    with pytest.raises(CommandError) as exc:
        call_command(*args)
    assert " / " in str(exc.value)


def test_the_console_command_prints_no_traceback(tmp_path):
    env = {
        "PARKLINK_VAR_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
    }
    done = subprocess.run(
        [sys.executable, "-m", "parklink.cli", "leases", "--expiring", "x"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr


def test_api_gives_the_command_figures_to_operators_only(known, client, agent):
    from parklink.core.services import api_token_create

    _token, key = api_token_create(user=agent, name="t")
    url = f"/api/v1/leases/expiring?days=90&on={ON.isoformat()}"
    assert client.get(url).status_code == 401
    doc = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert doc == _json("leases", "--expiring", "90", "--on", ON.isoformat())
    doc = client.get(f"/api/v1/occupancy?on={ON.isoformat()}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert doc.json() == _json("occupancy", "--on", ON.isoformat())
    missing = client.get("/api/v1/occupancy?park=无此园", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert missing.status_code == 404
