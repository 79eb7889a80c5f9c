"""The demo data set: what `parklink demo` loads, step by step.

Each domain contributes one step (a function taking `stdout`); steps are idempotent, so
running the demo twice changes nothing. Data files live in parklink/core/data/ (copied
from the project's shared data; nothing reads ../shared at run time).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from parklink.core.roles import ROLE_ADMIN, ROLE_AGENT, ROLE_MANAGER
from parklink.core.services import roles_ensure

DATA_DIR = Path(__file__).resolve().parent / "data"
PARKS_FILE = DATA_DIR / "beijing_parks.yaml"
SEED_FILE = DATA_DIR / "seed" / "zgc-life-science-park-20-years.txt"
# The seed page says "6个月前 (11-03)": it was saved in 2025 (see docs/demo.md).
SEED_FETCHED_AT = "2025-05-03"

DEMO_USERS = (
    # username, display name, role
    ("admin", "系统管理员", ROLE_ADMIN),
    ("manager", "王经理", ROLE_MANAGER),
    ("agent", "李专员", ROLE_AGENT),
    ("agent2", "张专员", ROLE_AGENT),
)


def credentials_path() -> Path:
    return Path(settings.VAR_DIR) / "demo-credentials.json"


def load_parks(stdout: TextIO) -> None:
    from parklink.orgs.services import org_dataset_load
    from parklink.parks import dataset
    from parklink.parks.services import park_dataset_load

    records = dataset.load(PARKS_FILE)
    parks = park_dataset_load(records=records)
    orgs = org_dataset_load(records=records)
    stdout.write(
        f"园区 parks: {len(records)} ({parks['created']} new, {parks['updated']} updated); "
        f"机构 orgs: {orgs['created']} new\n"
    )


def ensure_users(stdout: TextIO) -> dict[str, str]:
    """Demo operator accounts with generated passwords, kept in var/ (never in the repo)."""
    path = credentials_path()
    saved: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    groups = {g.name: g for g in roles_ensure()}
    User = get_user_model()
    with transaction.atomic():
        for username, display, role in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": display}
            )
            if created or username not in saved:
                saved[username] = secrets.token_urlsafe(9)
                user.set_password(saved[username])
            user.is_staff = role == ROLE_ADMIN
            user.is_superuser = role == ROLE_ADMIN
            if not user.email:
                user.email = f"{username}@parklink.local"
            user.save()
            user.groups.add(groups[role])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(saved, indent=1))
    path.chmod(0o600)
    return saved


def _steps() -> list[tuple[str, Callable[[TextIO], None]]]:
    # Explicit list: each domain adds its step here when it has demo data.
    return [
        ("parks", load_parks),
    ]


def run(stdout: TextIO) -> dict[str, str]:
    for name, step in _steps():
        stdout.write(f"[demo] {name} …\n")
        step(stdout)
    return ensure_users(stdout)
