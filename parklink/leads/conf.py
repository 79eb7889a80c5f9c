"""Settings of the leads area, read at call time so tests and operators can change them.

Each is a Django setting when defined there (tests use pytest-django's `settings`), else an
environment variable, else the default:

- PARKLINK_LEAD_RATE_LIMIT: submissions per IP, e.g. `20/h`, `5/m`, `200/d`; `off` disables.
- PARKLINK_LEAD_MAX_BYTES: the largest lead submission accepted (bytes).
- PARKLINK_LEAD_POOL_DAYS: days without a follow-up before an owned lead returns to the 公海.
- PARKLINK_LEAD_MERGE_DAYS: a submission with the same mobile or company within this many
  days merges into the open lead.
- PARKLINK_LEAD_ASSIGNMENT: `pool` (new leads wait in the 公海), `round_robin` (to the agent
  who least recently received one) or `industry` (AssignmentRule rows, else the pool).
- PARKLINK_LEAD_SPOOL_AFTER: seconds a submission retries a busy database before it is
  written to the spool and acknowledged.
- PARKLINK_LEAD_SPOOL: the spool file (default <VAR_DIR>/spool/leads.sqlite3).
- PARKLINK_LEAD_SPOOL_AUTODRAIN: `on` (a server drains the spool in the background once
  the database takes submissions again) or `off` (only `parklink worker` drains it).
- PARKLINK_LEAD_REVEAL_LIMIT: deliberate reveals of masked numbers per user (`30/d`).
- PARKLINK_API_TOKEN_DAYS: days an API token is valid (90).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DEFAULTS = {
    "PARKLINK_LEAD_RATE_LIMIT": "20/h",
    "PARKLINK_LEAD_MAX_BYTES": "32768",
    "PARKLINK_LEAD_POOL_DAYS": "15",
    "PARKLINK_LEAD_MERGE_DAYS": "30",
    "PARKLINK_LEAD_ASSIGNMENT": "pool",
    "PARKLINK_LEAD_SPOOL_AFTER": "2",
    "PARKLINK_LEAD_SPOOL": "",
    "PARKLINK_LEAD_SPOOL_AUTODRAIN": "on",
    "PARKLINK_LEAD_REVEAL_LIMIT": "30/d",
    "PARKLINK_API_TOKEN_DAYS": "90",
}
ASSIGNMENT_MODES = ("pool", "round_robin", "industry")
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def get(name: str) -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, DEFAULTS[name])
    return str(value).strip()


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def rate_limit() -> Rate | None:
    """The per-IP limit, or None when switched off."""
    return parse_rate(get("PARKLINK_LEAD_RATE_LIMIT"))


def parse_rate(value: str) -> Rate | None:
    value = value.strip().lower()
    if value in {"off", "0", "none", "false", ""}:
        return None
    match = re.fullmatch(r"(\d+)\s*/\s*(\d*)\s*([smhd])", value)
    if not match:
        raise ValueError(
            f"PARKLINK_LEAD_RATE_LIMIT 格式应为 20/h 或 off / must look like 20/h or off: {value}"
        )
    count, mult, unit = int(match.group(1)), int(match.group(2) or 1), match.group(3)
    return Rate(count=count, seconds=mult * _PERIODS[unit])


def max_bytes() -> int:
    return int(get("PARKLINK_LEAD_MAX_BYTES"))


def pool_days() -> int:
    return int(get("PARKLINK_LEAD_POOL_DAYS"))


def merge_days() -> int:
    return int(get("PARKLINK_LEAD_MERGE_DAYS"))


def assignment_mode() -> str:
    mode = get("PARKLINK_LEAD_ASSIGNMENT")
    return mode if mode in ASSIGNMENT_MODES else "pool"


def spool_after() -> float:
    """Seconds of retrying a busy database before a submission goes to the spool."""
    return max(0.0, float(get("PARKLINK_LEAD_SPOOL_AFTER")))


def spool_path() -> Path:
    configured = get("PARKLINK_LEAD_SPOOL")
    if configured:
        return Path(configured)
    return Path(settings.VAR_DIR) / "spool" / "leads.sqlite3"


def reveal_limit() -> Rate | None:
    return parse_rate(get("PARKLINK_LEAD_REVEAL_LIMIT"))


def api_token_days() -> int:
    return max(1, int(get("PARKLINK_API_TOKEN_DAYS")))


def spool_autodrain() -> bool:
    return get("PARKLINK_LEAD_SPOOL_AUTODRAIN").lower() not in {"off", "0", "false", "no"}
