"""The platform foundation: health, portal home, API schema, admin, demo, errors."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from parklink.orgs.models import Organization
from parklink.parks.models import Park, ParkFact


@pytest.fixture
def demo(db, demo_data):
    pass


def test_healthz_answers_ok_when_database_is_up(client, db):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json()["status"] == "ok"


def test_demo_loads_sourced_parks(demo):
    park = Park.objects.get(name="中关村生命科学园")
    assert park.district == "昌平区"
    assert "生命园" in park.aliases
    assert park.planned_area_m2 == 7190000
    occupancy = ParkFact.objects.get(park=park, kind="occupancy")
    assert occupancy.value == 91 and occupancy.as_of == "2010"
    assert Park.objects.count() == 31
    assert Organization.objects.filter(name="北京生命科学研究所", park=park).exists()


def test_demo_twice_changes_nothing(demo):
    counts = (Park.objects.count(), ParkFact.objects.count(), Organization.objects.count())
    stamps = list(Park.objects.order_by("pk").values_list("updated_at", flat=True))
    call_command("demo", "--no-migrate", "--quiet-credentials", stdout=io.StringIO())
    assert (Park.objects.count(), ParkFact.objects.count(), Organization.objects.count()) == counts
    assert list(Park.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_demo_credentials_are_generated_not_committed(demo, settings):
    import json

    from parklink.demo import credentials_path

    creds = json.loads(credentials_path().read_text())
    assert set(creds) >= {"admin", "manager", "agent"}
    assert all(len(p) >= 10 for p in creds.values())


def test_home_lists_demo_parks(client, demo):
    resp = client.get("/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "中关村生命科学园" in body
    assert 'lang="zh-hans"' in body


def test_openapi_schema_served(client, db):
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200
    schema = resp.json()
    assert schema["info"]["title"] == "ParkLink API"
    assert "/api/v1/parks" in schema["paths"]


def test_api_parks_lists_demo_parks(client, demo):
    names = {p["name"] for p in client.get("/api/v1/parks?per_page=100").json()["items"]}
    assert "中关村生命科学园" in names


def test_admin_login_page_is_chinese(client, db):
    resp = client.get("/admin/login/")
    assert resp.status_code == 200
    assert "用户名" in resp.content.decode()


def test_404_page_is_chinese(client, db):
    resp = client.get("/no-such-page/")
    assert resp.status_code == 404
    assert "页面不存在" in resp.content.decode()


def test_english_is_available(client, db):
    resp = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="en"' in resp.content.decode()


def _clean_env(extra: dict[str, str] | None) -> dict[str, str]:
    # The browser tests allow sync ORM calls under Playwright's loop; a deployment must not.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**env, **(extra or {})}


def _parklink(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "parklink.cli", *args],
        capture_output=True,
        text=True,
        env=_clean_env(env),
        timeout=120,
    )


def test_check_deploy_clean_in_production():
    result = _parklink(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "PARKLINK_ENV": "production",
            "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-key-for-tests-0123456789",
            "ALLOWED_HOSTS": "parklink.example.com",
            "PARKLINK_TESTING": "",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_cli_error_is_one_line_without_traceback():
    result = _parklink("no-such-command")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr


def test_dataset_aliases_drop_editorial_notes_and_district_is_first_named():
    from pathlib import Path

    from parklink.parks import dataset

    records = {
        r.name: r
        for r in dataset.load(Path(dataset.__file__).parent / "data" / "beijing_parks.yaml")
    }
    aliases = [a for r in records.values() for a in r.aliases]
    assert not [a for a in aliases if " (" in a or "former" in a]
    assert "中关村(京西)人工智能科技园" in aliases  # a bracket that is part of the name stays
    assert records["北京经济技术开发区"].district == "大兴区"
