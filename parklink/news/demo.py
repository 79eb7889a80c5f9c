"""Demo data of the news area: the seed page ingested with a fixed fetch date."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

SEED_FILE = Path(__file__).resolve().parent / "data" / "seed" / "zgc-life-science-park-20-years.txt"
# The seed page says "6个月前 (11-03)"; the demo resolves it against this fetch date.
SEED_FETCHED_AT = "2025-05-03"


def load(stdout: TextIO) -> None:
    """Nothing yet: the news issue ingests SEED_FILE here."""
