"""Signals of the catalogue, sent after commit by the space write services.

``space_changed`` (kwargs: ``space_id: int``, ``fields: list[str]``, ``created: bool``) is
sent once per created or changed space, after the transaction commits. Receivers in higher
apps (matching's alerts) must only enqueue work: they run inside the writer's request.
"""

from __future__ import annotations

import django.dispatch

space_changed = django.dispatch.Signal()

# ``spaces_changed`` (kwargs: ``space_ids: list[int]``, ``created: bool``) is sent once per
# batch of a bulk write (an import batch of up to 500 listings) instead of one
# ``space_changed`` per listing; receivers enqueue one job for the batch.
spaces_changed = django.dispatch.Signal()
