"""Receivers of catalogue signals. They only enqueue: the index re-reads the space on next
use, and the alert job runs in the worker."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)


def on_space_changed(
    sender: Any, space_id: int, fields: list[str], created: bool, **kwargs: Any
) -> None:
    from parklink.matching import index  # on first use: NumPy out of every start-up

    index.mark_changed(space_id)
    from parklink.matching.services import ALERT_FIELDS
    from parklink.matching.tasks import space_alerts

    if not created and not ALERT_FIELDS.intersection(fields):
        return
    try:
        space_alerts.enqueue(space_id, list(fields), created)
    except Exception:  # never break the catalogue write that sent the signal
        logger.exception("match alert not enqueued", extra={"space": space_id})


def on_spaces_changed(sender: Any, space_ids: list[int], created: bool, **kwargs: Any) -> None:
    """A bulk write (an import batch): the index re-reads them; one alert job per batch."""
    from parklink.matching import index

    for space_id in space_ids:
        index.mark_changed(space_id)
    from parklink.matching.tasks import spaces_alerts

    try:
        spaces_alerts.enqueue(list(space_ids), created)
    except Exception:
        logger.exception("match alerts not enqueued", extra={"spaces": len(space_ids)})


def on_building_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A building's floor count decides which of its spaces are on the top floor (不要顶层):
    when a building changes, its spaces are re-read after the commit."""
    if created:
        return
    from django.db import transaction

    from parklink.parks.models import Space

    def queue() -> None:
        from parklink.core import changefeed
        from parklink.matching import index

        ids = list(Space.objects.filter(building=instance.pk).values_list("id", flat=True))
        for space_id in ids:
            index.mark_changed(space_id)
        changefeed.publish("space", ids)  # the other processes' indexes (with REDIS_URL)

    transaction.on_commit(queue)
