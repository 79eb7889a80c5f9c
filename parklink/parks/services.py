"""Writes to the catalogue of parks and spaces."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from parklink.parks.dataset import ParkRecord
from parklink.parks.models import Industry, Park, ParkFact


def industries_ensure(names: Iterable[str]) -> list[Industry]:
    """The Industry rows for these names, created where missing."""
    return [Industry.objects.get_or_create(name=n.strip())[0] for n in names if n.strip()]


@transaction.atomic
def park_dataset_load(*, records: list[ParkRecord]) -> dict[str, int]:
    """Upsert parks (by name) and replace their dataset facts from the sourced dataset.

    Idempotent: loading the same records twice changes nothing. Facts from other origins
    (articles, manual entry) are left alone.
    """
    created = updated = facts = 0
    for rec in records:
        park, was_created = Park.objects.get_or_create(name=rec.name)
        fields = {
            "aliases": rec.aliases,
            "english_name": rec.english_name,
            "district": rec.district,
            "address": rec.address,
            "founded": rec.founded,
            "operator": rec.operator,
            "planned_area_m2": rec.planned_area_m2,
            "building_area_m2": rec.building_area_m2,
            "description": rec.description,
            "sources": rec.sources,
        }
        changed = [k for k, v in fields.items() if getattr(park, k) != v]
        for k in changed:
            setattr(park, k, fields[k])
        if changed:
            park.full_clean()
            park.save()
        park.industries.set(industries_ensure(rec.industries))
        existing = {
            (f.kind, f.label, f.value_text, f.as_of) for f in park.facts.filter(origin="dataset")
        }
        wanted = {(f.kind, f.label, f.value_text, f.as_of): f for f in rec.facts}
        if existing != set(wanted):
            park.facts.filter(origin="dataset").delete()
            ParkFact.objects.bulk_create(
                [
                    ParkFact(
                        park=park,
                        kind=f.kind,
                        label=f.label[:200],
                        value=f.value,
                        value_text=f.value_text[:200],
                        unit=f.unit,
                        as_of=f.as_of[:10],
                        source_url=f.source_url[:500],
                        source_title=f.source_title[:300],
                        origin="dataset",
                        uncertain=f.uncertain,
                    )
                    for f in rec.facts
                ]
            )
            facts += len(rec.facts)
        created += was_created
        updated += bool(changed) and not was_created
    return {"created": created, "updated": updated, "facts": facts}
