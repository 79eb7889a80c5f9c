"""Writes to the organisation register."""

from __future__ import annotations

from django.db import transaction

from parklink.orgs.models import Organization
from parklink.parks.dataset import ParkRecord
from parklink.parks.models import Park


@transaction.atomic
def org_dataset_load(*, records: list[ParkRecord]) -> dict[str, int]:
    """Upsert the companies and institutions the park dataset names (by name). Idempotent."""
    created = 0
    parks = {p.name: p for p in Park.objects.filter(name__in=[r.name for r in records])}
    for rec in records:
        for o in rec.orgs:
            sources = [s for s in o.sources if s]
            org, was_created = Organization.objects.get_or_create(
                name=o.name,
                defaults={"kind": o.kind, "park": parks.get(rec.name), "sources": sources},
            )
            if not was_created and org.park_id is None and rec.name in parks:
                org.park = parks[rec.name]
                org.save(update_fields=["park", "updated_at"])
            created += was_created
    return {"created": created}
