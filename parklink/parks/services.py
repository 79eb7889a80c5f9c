"""Writes to the catalogue of parks and spaces.

Every write validates (``full_clean``), saves, records an audit entry with its actor, keeps
the price/status history (SpaceChange) and, for spaces, sends ``signals.space_changed``
after commit. Writes that change nothing save nothing (imports are idempotent).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parklink.core.bulk import bulk_insert, clean_new
from parklink.core.services import audit_record
from parklink.parks import photos
from parklink.parks.choices import Deal, SpaceStatus
from parklink.parks.dataset import ParkRecord
from parklink.parks.models import Building, Industry, Park, ParkFact, Space, SpaceChange
from parklink.parks.rules import has_rules, normalise_rules
from parklink.parks.signals import space_changed, spaces_changed

# Fields whose every change is kept in the space's history (SpaceChange).
HISTORY_FIELDS = ("price", "price_unit", "status", "area_m2")

PARK_FIELDS = (
    "name",
    "aliases",
    "english_name",
    "city",
    "district",
    "address",
    "latitude",
    "longitude",
    "planned_area_m2",
    "building_area_m2",
    "founded",
    "operator",
    "min_annual_tax_yuan_per_m2",
    "description",
    "sources",
    "is_demo",
    "agent_name",
    "agent_hotline",
    "agent_mobile",
    "agent_wechat",
)

SPACE_FIELDS = (
    "ref",
    "park",
    "title",
    "kind",
    "deal",
    "letting",
    "min_lettable_m2",
    "area_m2",
    "price",
    "price_unit",
    "floor",
    "ceiling_height_m",
    "floor_load_kg_m2",
    "power_kva",
    "dual_power",
    "column_spacing_m",
    "freight_lifts",
    "fire_class",
    "env_assessment",
    "gmp",
    "cleanroom_class",
    "available_from",
    "status",
    "description",
    "photos",
    "is_demo",
    "address",
    "property_fee",
    "min_lease_months",
)


def industries_ensure(names: Iterable[str]) -> list[Industry]:
    """The Industry rows for these names, created where missing."""
    return [Industry.objects.get_or_create(name=n.strip())[0] for n in names if n.strip()]


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is None and new is None
        return Decimal(old) == Decimal(new)
    return old == new


def _assign(obj: Any, data: dict[str, Any], allowed: Iterable[str]) -> list[str]:
    """Set the given fields that differ; return their names."""
    changed = []
    for name in allowed:
        if name not in data:
            continue
        value = data[name]
        if name in ("park", "building"):
            if getattr(obj, f"{name}_id") != (value.pk if value is not None else None):
                setattr(obj, name, value)
                changed.append(name)
            continue
        field = obj._meta.get_field(name)
        if value is None and not field.null:
            value = field.get_default() if field.has_default() else ""
        if not _same(getattr(obj, name), value):
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)[:100]


# --- Parks ---------------------------------------------------------------------------------


def _park_industries_changed(park: Park, names: list[str] | None) -> bool:
    if names is None:
        return False
    wanted = [n.strip() for n in names if n.strip()]
    current = sorted(i.name for i in park.industries.all()) if park.pk else []
    return sorted(set(wanted)) != current


@transaction.atomic
def park_create(*, data: dict[str, Any], actor: Any) -> Park:
    """Create a park; ``data`` holds model fields plus ``industries`` (names)."""
    park = Park()
    _assign(park, data, PARK_FIELDS)
    park.full_clean()
    park.save()
    if data.get("industries"):
        park.industries.set(industries_ensure(data["industries"]))
    audit_record(actor=actor, action="park.create", target=park, detail={"name": park.name})
    return park


@transaction.atomic
def park_update(*, park: Park, data: dict[str, Any], actor: Any) -> list[str]:
    """Change the given fields of a park; return the names of those that changed."""
    changed = _assign(park, data, PARK_FIELDS)
    industries = data.get("industries")
    if _park_industries_changed(park, industries):
        changed.append("industries")
    if not changed:
        return []
    park.full_clean()
    park.save()
    if "industries" in changed:
        park.industries.set(industries_ensure(industries or []))
    audit_record(actor=actor, action="park.update", target=park, detail={"fields": changed})
    return changed


def park_upsert(*, data: dict[str, Any], actor: Any) -> tuple[Park, str]:
    """Create or update the park named ``data["name"]``: ("created"|"updated"|"unchanged")."""
    park = Park.objects.filter(name=data["name"]).prefetch_related("industries").first()
    if park is None:
        return park_create(data=data, actor=actor), "created"
    changed = park_update(park=park, data=data, actor=actor)
    return park, "updated" if changed else "unchanged"


@transaction.atomic
def park_fact_add(*, park: Park, data: dict[str, Any], actor: Any) -> ParkFact:
    """Add a sourced fact to a park (provenance kept: source URL/title/sentence)."""
    fact = ParkFact(park=park, **data)
    fact.full_clean()
    fact.save()
    audit_record(actor=actor, action="park.fact_add", target=park, detail={"kind": fact.kind})
    return fact


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
            (f.kind, f.label, f.value_text, f.as_of, f.source_url, f.source_title)
            for f in park.facts.filter(origin="dataset")
        }
        wanted = {
            (
                f.kind,
                f.label[:200],
                f.value_text[:200],
                f.as_of[:10],
                f.source_url[:500],
                f.source_title[:300],
            ): f
            for f in rec.facts
        }
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


# --- Spaces --------------------------------------------------------------------------------


def _building(park: Park | None, value: Any) -> Building | None:
    """A Building of ``park`` from an instance or a name (created when new)."""
    if value is None or value == "":
        return None
    if isinstance(value, Building):
        return value
    if park is None:
        return None
    return Building.objects.get_or_create(park=park, name=str(value).strip()[:100])[0]


def _default_status(data: dict[str, Any]) -> None:
    if not data.get("status"):
        data["status"] = (
            SpaceStatus.FOR_SALE if data.get("deal") == Deal.SALE else (SpaceStatus.FOR_RENT)
        )


def _history(space: Space, before: dict[str, Any], fields: list[str], actor: Any) -> None:
    user = actor if getattr(actor, "is_authenticated", False) else None
    SpaceChange.objects.bulk_create(
        [
            SpaceChange(
                space=space,
                field=f,
                old=_text(before.get(f)),
                new=_text(getattr(space, f)),
                actor=user,
            )
            for f in fields
            if f in HISTORY_FIELDS
        ]
    )


def _notify(space_id: int, fields: list[str], created: bool) -> None:
    transaction.on_commit(
        lambda: space_changed.send(
            sender=Space, space_id=space_id, fields=list(fields), created=created
        )
    )


@transaction.atomic
def space_create(*, data: dict[str, Any], actor: Any) -> Space:
    """Create a listing. ``data`` holds model fields; ``park`` a Park, ``building`` a
    Building or a building name (created in the park when new)."""
    data = dict(data)
    _default_status(data)
    space = Space()
    _assign(space, data, SPACE_FIELDS)
    space.building = _building(space.park if space.park_id else None, data.get("building"))
    space.confirmed_at = timezone.now()
    space.full_clean()
    space.save()
    _history(space, {}, [f for f in HISTORY_FIELDS if getattr(space, f) not in (None, "")], actor)
    audit_record(actor=actor, action="space.create", target=space, detail={"ref": space.ref})
    _notify(space.pk, [f for f in SPACE_FIELDS if f in data], created=True)
    return space


@transaction.atomic
def space_update(*, space: Space, data: dict[str, Any], actor: Any) -> list[str]:
    """Change the given fields of a listing; return the names of those that changed.

    Price and status changes are kept in the history; an operator's edit also counts as a
    reconfirmation (the listing is fresh again)."""
    before = {f: getattr(space, f) for f in HISTORY_FIELDS}
    if "status" in data and not data["status"]:
        data = {**data, "deal": data.get("deal") or space.deal}
        _default_status(data)
    changed = _assign(space, data, SPACE_FIELDS)
    if "building" in data:
        building = _building(space.park, data["building"])
        if space.building_id != (building.pk if building else None):
            space.building = building
            changed.append("building")
    if not changed:
        return []
    space.confirmed_at = timezone.now()
    space.full_clean()
    space.save()
    _history(space, before, changed, actor)
    audit_record(actor=actor, action="space.update", target=space, detail={"fields": changed})
    _notify(space.pk, changed, created=False)
    return changed


def space_upsert(*, data: dict[str, Any], actor: Any) -> tuple[Space, str]:
    """Create or update the listing with ``data["ref"]``: ("created"|"updated"|"unchanged")."""
    space = Space.objects.select_related("park", "building").filter(ref=data["ref"]).first()
    if space is None:
        return space_create(data=data, actor=actor), "created"
    changed = space_update(space=space, data=data, actor=actor)
    return space, "updated" if changed else "unchanged"


@transaction.atomic
def space_reconfirm(*, space: Space, actor: Any) -> Space:
    """An operator confirms the listing is still valid: it is fresh (back in public search)."""
    space.confirmed_at = timezone.now()
    space.save(update_fields=["confirmed_at", "updated_at"])
    audit_record(actor=actor, action="space.reconfirm", target=space)
    _notify(space.pk, ["confirmed_at"], created=False)
    return space


@transaction.atomic
def space_status_change(*, space: Space, status: str, actor: Any) -> Space:
    """Move a listing to 可租/可售/已租/已售/下架 (validated against its deal)."""
    if status not in SpaceStatus.values:
        raise ValidationError({"status": "未知状态 / unknown status"})
    space_update(space=space, data={"status": status}, actor=actor)
    return space


@transaction.atomic
def space_price_change(
    *, space: Space, price: Decimal | None, price_unit: str, actor: Any
) -> Space:
    """Change the asking price (kept in the price history)."""
    space_update(space=space, data={"price": price, "price_unit": price_unit}, actor=actor)
    return space


# --- Photos ----------------------------------------------------------------------------------

MAX_PHOTOS = 12


def _photo_target(obj: Park | Space) -> tuple[str, str]:
    return ("spaces", "space") if isinstance(obj, Space) else ("parks", "park")


def photo_add(*, obj: Park | Space, data: bytes, actor: Any) -> str:
    """Add an uploaded photo to a park or a listing (checked, EXIF stripped, thumbnail made:
    parks.photos); returns its address. At most MAX_PHOTOS per record."""
    folder, noun = _photo_target(obj)
    if len(obj.photos) >= MAX_PHOTOS:
        raise ValidationError({"photo": f"最多 {MAX_PHOTOS} 张图片 / at most {MAX_PHOTOS} photos"})
    stored = photos.photo_store(data=data, folder=f"{folder}/{obj.pk}")
    try:
        with transaction.atomic():
            obj.photos = [*obj.photos, stored.url]
            obj.save(update_fields=["photos", "updated_at"])
            audit_record(actor=actor, action=f"{noun}.photo_add", target=obj)
            if isinstance(obj, Space):
                _notify(obj.pk, ["photos"], created=False)
    except Exception:
        photos.photo_delete(stored.url)
        raise
    return stored.url


@transaction.atomic
def photo_remove(*, obj: Park | Space, url: str, actor: Any) -> bool:
    """Remove one photo (and, after commit, its files) from a park or a listing."""
    if url not in obj.photos:
        return False
    _folder, noun = _photo_target(obj)
    obj.photos = [u for u in obj.photos if u != url]
    obj.save(update_fields=["photos", "updated_at"])
    audit_record(actor=actor, action=f"{noun}.photo_remove", target=obj)
    transaction.on_commit(lambda: photos.photo_delete(url))
    if isinstance(obj, Space):
        _notify(obj.pk, ["photos"], created=False)
    return True


def park_agent_photo_set(*, park: Park, data: bytes, actor: Any) -> str:
    """Set the photo of the park's 招商 agent (checked and cleaned like any photo)."""
    stored = photos.photo_store(data=data, folder=f"agents/{park.pk}")
    old = park.agent_photo
    try:
        with transaction.atomic():
            park.agent_photo = stored.thumb_url
            park.save(update_fields=["agent_photo", "updated_at"])
            audit_record(actor=actor, action="park.agent_photo", target=park)
    except Exception:
        photos.photo_delete(stored.url)
        raise
    if old:
        photos.photo_delete(old.replace(photos.THUMB_SUFFIX, ".jpg"))
    return stored.thumb_url


# --- Admission rules (准入条件) ----------------------------------------------------------------


@transaction.atomic
def park_rules_set(*, park: Park, rules: Any, sources: list[str] | None = None, actor: Any) -> bool:
    """Replace a park's admission rules (parks/rules.py shape; Chinese keys accepted) and,
    when given, their sources. Returns whether anything changed (nothing is saved then).
    Raises ValidationError naming ``rules`` when they are malformed."""
    try:
        clean = normalise_rules(rules)
    except ValueError as exc:
        raise ValidationError({"rules": str(exc)}) from None
    stored = clean if has_rules(clean) else {}
    new_sources = park.rules_sources if sources is None else [s for s in sources if s]
    if stored == (park.rules or {}) and new_sources == park.rules_sources:
        return False
    park.rules = stored
    park.rules_sources = new_sources
    park.full_clean()
    park.save(update_fields=["rules", "rules_sources", "updated_at"])
    audit_record(
        actor=actor,
        action="park.rules",
        target=park,
        detail={"rules": stored, "sources": len(new_sources)},
    )
    return True


# --- Bulk writes (imports) -------------------------------------------------------------------


# The validated, unsaved instance of a new listing that ``space_check`` built, carried in
# the listing's data to ``space_bulk_upsert`` (which then neither builds nor assigns it again).
CHECKED = "_checked"


def space_check(*, data: dict[str, Any], existing: Space | None) -> list[str]:
    """Validate ``data`` as ``space_upsert`` would, writing nothing: raises ValidationError;
    returns the fields that would change (every given field for a new listing). The park
    and building are checked by the caller (they may be created by the same import).

    For a new listing the validated instance is left in ``data[CHECKED]`` (park and
    building not set) for ``space_bulk_upsert``."""
    data_in, data = data, dict(data)
    data.pop(CHECKED, None)
    space = Space(**_concrete(existing)) if existing is not None else Space()
    if existing is None:
        _default_status(data)
    elif "status" in data and not data["status"]:
        data = {**data, "deal": data.get("deal") or space.deal}
        _default_status(data)
    plain = {k: v for k, v in data.items() if k not in ("park", "building")}
    changed = _assign(space, plain, SPACE_FIELDS)
    # The building is found or created by name inside the listing's park when written: it
    # always belongs to it (and reading it here would cost a query per row).
    space.building_id = None
    if existing is None:  # fields not given hold their defaults: only the given are cleaned
        clean_new(space, [*plain, "status"], exclude=["park", "building"])
        data_in[CHECKED] = space
    else:
        space.full_clean(
            exclude=["park", "building"], validate_unique=False, validate_constraints=False
        )
    return changed if existing is not None else list(SPACE_FIELDS)


def _concrete(space: Space) -> dict[str, Any]:
    return {f.attname: getattr(space, f.attname) for f in space._meta.concrete_fields}


def space_bulk_upsert(
    *, items: list[dict[str, Any]], actor: Any, journal: Any = None
) -> dict[str, int]:
    """``space_upsert`` for many listings in a few queries (an import batch): one query for
    the existing rows, one for the buildings, bulk inserts and one bulk update, the history,
    one audit entry per listing and one ``space_changed`` per listing after commit.

    ``items`` hold already validated data (``space_check``) with ``park`` a Park. With a
    ``journal`` (``parklink.core.import_journal.Journal``) every created row and the prior
    state of every changed row is recorded so the caller can undo the import."""
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    existing = {s.ref: s for s in Space.objects.filter(ref__in=[d["ref"] for d in items])}
    wanted = {
        (d["park"].pk, str(d["building"]).strip()[:100])
        for d in items
        if d.get("building") not in (None, "") and not isinstance(d.get("building"), Building)
    }
    buildings: dict[tuple[int, str], Building] = {}
    if wanted:
        for b in Building.objects.filter(
            park_id__in={p for p, _n in wanted}, name__in={n for _p, n in wanted}
        ):
            buildings[(b.park_id, b.name)] = b
        missing = [
            Building(park_id=p, name=n) for p, n in sorted(wanted) if (p, n) not in buildings
        ]
        if missing:
            bulk_insert(missing)
            if journal is not None:
                journal.created(missing)
            for b in missing:
                buildings[(b.park_id, b.name)] = b

    def building_of(d: dict[str, Any]) -> Building | None:
        value = d.get("building")
        if value in (None, ""):
            return None
        if isinstance(value, Building):
            return value
        return buildings[(d["park"].pk, str(value).strip()[:100])]

    created: list[Space] = []
    updated: list[tuple[Space, dict[str, Any], list[str]]] = []
    unchanged = 0
    for d in items:
        data = dict(d)
        checked = data.pop(CHECKED, None)
        space = existing.get(data["ref"])
        if space is None:
            _default_status(data)
            if checked is not None and checked.pk is None:  # space_check built and cleaned it
                space = checked
                space.park = data["park"]
            else:
                space = Space()
                _assign(space, {k: v for k, v in data.items() if k != "building"}, SPACE_FIELDS)
            space.building = building_of(data)
            space.confirmed_at = now
            space.unit_price = space.compute_unit_price()
            created.append(space)
            continue
        before = {f: getattr(space, f) for f in HISTORY_FIELDS}
        snapshot = Space(**_concrete(space))
        if "status" in data and not data["status"]:
            data = {**data, "deal": data.get("deal") or space.deal}
            _default_status(data)
        changed = _assign(space, {k: v for k, v in data.items() if k != "building"}, SPACE_FIELDS)
        if "building" in data:
            building = building_of(data)
            if space.building_id != (building.pk if building else None):
                space.building = building
                changed.append("building")
        if not changed:
            unchanged += 1
            continue
        if journal is not None:
            journal.changed([snapshot])
        space.confirmed_at = now
        space.updated_at = now
        space.unit_price = space.compute_unit_price()
        updated.append((space, before, changed))

    if created:
        bulk_insert(created)
        if journal is not None:
            journal.created(created)
    if updated:
        fields = sorted(
            {f for _s, _b, ch in updated for f in ch} | {"confirmed_at", "updated_at", "unit_price"}
        )
        Space.objects.bulk_update([s for s, _b, _c in updated], fields)
    uid = user.pk if user is not None else None  # ids: no related-object caching per row
    history = [
        SpaceChange(space_id=s.pk, field=f, old="", new=_text(getattr(s, f)), actor_id=uid)
        for s in created
        for f in HISTORY_FIELDS
        if getattr(s, f) not in (None, "")
    ]
    history += [
        SpaceChange(
            space_id=s.pk, field=f, old=_text(b.get(f)), new=_text(getattr(s, f)), actor_id=uid
        )
        for s, b, changed in updated
        for f in changed
        if f in HISTORY_FIELDS
    ]
    if history:
        bulk_insert(history)
        if journal is not None:  # a created listing's history goes with it (cascade)
            kept = {s.pk for s, _b, _c in updated}
            journal.created([h for h in history if h.space_id in kept])
    if created or updated:  # one audit entry per batch, naming every listing
        entry = audit_record(
            actor=actor,
            action="space.import",
            detail={
                "created": [s.ref for s in created],
                "updated": {s.ref: changed for s, _b, changed in updated},
            },
        )
        if journal is not None:
            journal.created([entry])
    new_ids = [s.pk for s in created]
    changed_ids = [s.pk for s, _b, _c in updated]
    if new_ids or changed_ids:
        transaction.on_commit(lambda: _notify_many(new_ids, changed_ids))
    return {"created": len(created), "updated": len(updated), "unchanged": unchanged}


def _notify_many(new_ids: list[int], changed_ids: list[int]) -> None:
    """One ``spaces_changed`` per batch (receivers enqueue one job each, not one per row)."""
    if new_ids:
        spaces_changed.send(sender=Space, space_ids=new_ids, created=True)
    if changed_ids:
        spaces_changed.send(sender=Space, space_ids=changed_ids, created=False)
