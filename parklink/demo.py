"""The demo data set: what `parklink demo` loads, step by step.

Project level (like urls.py): each domain contributes one step, a function `load(stdout)`
in its `demo.py`; steps are idempotent, so running the demo twice changes nothing. Data
files live in each app's data/ folder (copied from the project's shared data; nothing
reads ../shared at run time).
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
from parklink.leads import demo as leads_demo
from parklink.leases import demo as leases_demo
from parklink.news import demo as news_demo
from parklink.parks import demo as parks_demo
from parklink.policies import demo as policies_demo
from parklink.search.services import search_reindex

DEMO_USERS = (
    # username, display name, role
    ("admin", "系统管理员", ROLE_ADMIN),
    ("manager", "王经理", ROLE_MANAGER),
    ("agent", "李专员", ROLE_AGENT),
    ("agent2", "张专员", ROLE_AGENT),
)


def credentials_path() -> Path:
    return Path(settings.VAR_DIR) / "demo-credentials.json"


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


def _reindex(stdout: TextIO) -> None:
    count = search_reindex()
    stdout.write(f"搜索索引 search index: {count} documents\n")


def _steps() -> list[tuple[str, Callable[[TextIO], None]]]:
    # Explicit, ordered: parks before the spaces, leads and articles that refer to them.
    return [
        ("parks", parks_demo.load),
        ("leads", leads_demo.load),
        ("leases", leases_demo.load),
        ("news", news_demo.load),
        ("policies", policies_demo.load),
        ("search", _reindex),
    ]


def run(stdout: TextIO) -> dict[str, str]:
    for name, step in _steps():
        stdout.write(f"[demo] {name} …\n")
        step(stdout)
    return ensure_users(stdout)
