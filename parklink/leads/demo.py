"""Demo data of the leads area (generated leads, flagged as demo)."""

from __future__ import annotations

from typing import TextIO


def load(stdout: TextIO) -> None:
    """Nothing yet: the leads issue adds demo leads here."""
