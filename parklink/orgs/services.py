"""Writes to the organisation register."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from parklink.core.services import audit_record
from parklink.orgs.models import Organization
from parklink.parks.dataset import ParkRecord
from parklink.parks.models import Park

ORG_FIELDS = (
    "name",
    "aliases",
    "kind",
    "uscc",
    "industry",
    "park",
    "segments",
    "description",
    "sources",
    "is_demo",
)


def _assign(org: Organization, data: dict[str, Any]) -> list[str]:
    changed = []
    for name in ORG_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "park":
            if org.park_id != (value.pk if value is not None else None):
                org.park = value
                changed.append(name)
            continue
        field = Organization._meta.get_field(name)
        if value is None and not field.null:
            value = field.get_default() if field.has_default() else ""
        if name == "uscc":
            value = (value or "").strip().upper() or None
        old = getattr(org, name)
        if isinstance(old, Decimal) or old != value:
            setattr(org, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def org_create(*, data: dict[str, Any], actor: Any) -> Organization:
    """Create an organisation (USCC validated with its GB 32100-2015 check character)."""
    org = Organization()
    _assign(org, data)
    org.full_clean()
    org.save()
    audit_record(actor=actor, action="org.create", target=org, detail={"name": org.name})
    return org


@transaction.atomic
def org_update(*, org: Organization, data: dict[str, Any], actor: Any) -> list[str]:
    """Change the given fields; return the names of those that changed."""
    changed = _assign(org, data)
    if not changed:
        return []
    org.full_clean()
    org.save()
    audit_record(actor=actor, action="org.update", target=org, detail={"fields": changed})
    return changed


def org_upsert(*, data: dict[str, Any], actor: Any) -> tuple[Organization, str]:
    """Create or update the organisation named ``data["name"]``."""
    org = Organization.objects.filter(name=data["name"]).first()
    if org is None:
        return org_create(data=data, actor=actor), "created"
    changed = org_update(org=org, data=data, actor=actor)
    return org, "updated" if changed else "unchanged"


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
