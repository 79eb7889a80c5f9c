"""Extension points a higher app fills at start-up (the import direction stays one way).

`need_parser(text) -> Requirement-like` reads a lead's free-text need; the matching app
registers its parser in `MatchingConfig.ready`. When nothing is registered, the need is
stored as text only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

need_parser: Callable[[str], Any] | None = None
