"""Reads of the catalogue."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from parklink.parks.choices import AVAILABLE_STATUSES
from parklink.parks.models import Park


def park_list() -> QuerySet[Park]:
    """All parks with their industries and the number of available spaces."""
    return (
        Park.objects.prefetch_related("industries")
        .annotate(available_spaces=Count("spaces", filter=Q(spaces__status__in=AVAILABLE_STATUSES)))
        .order_by("district", "name")
    )
