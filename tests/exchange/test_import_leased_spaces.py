"""A space's status follows its leases right after an import of spaces: the plan gives a
leased listing the status its leases give (so re-importing an unchanged catalogue changes
nothing), and each batch re-derives it with ``leases.services.space_status_sync``."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parklink.core import exchange
from parklink.core.models import AuditEntry
from parklink.leases import services as lease_services
from parklink.office.management.commands.export import KINDS
from parklink.parks.models import Space, SpaceChange
from tests.factories.parks import ParkFactory, SpaceFactory

pytestmark = pytest.mark.django_db

ABSENT = object()


def _lease(space, *, ref: str, days: tuple[int, int]):
    today = timezone.localdate()
    tenant = lease_services.tenant_ensure(name=f"租户{ref}", park=space.park, actor=None)
    return lease_services.lease_create(
        data={
            "ref": ref,
            "space": space,
            "tenant": tenant,
            "start": today + timedelta(days=days[0]),
            "end": today + timedelta(days=days[1]),
            "rent": Decimal(3),
            "rent_unit": "元/平方米/天",
        },
        actor=None,
    )


HELD = (-100, 100)
ENDED = (-400, -10)
FUTURE = (30, 400)


def _row(space: Space, status=ABSENT) -> dict:
    row = {
        "ref": space.ref,
        "park": space.park.name,
        "kind": space.kind,
        "deal": space.deal,
        "area_m2": float(space.area_m2),
        "price": float(space.price),
        "price_unit": space.price_unit,
    }
    if status is not ABSENT:
        row["status"] = status
    return row


def _import(rows: list[dict], **kw):
    doc = json.dumps({"spaces": rows}, ensure_ascii=False).encode()
    return exchange.import_files([exchange.InputFile(name="spaces.json", data=doc)], KINDS, **kw)


@pytest.fixture
def park(db):
    return ParkFactory(name="租态园")


def _space(park, ref: str, lease: tuple[int, int] | None = None, status: str = "可租") -> Space:
    space = SpaceFactory(ref=ref, park=park, status=status)
    if lease is not None:
        _lease(space, ref=f"L-{ref}", days=lease)
    space.refresh_from_db()
    return space


@pytest.mark.parametrize(
    "status", [ABSENT, "可租", "已租", ""], ids=["absent", "可租", "已租", "empty"]
)
@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
def test_reimporting_a_held_space_changes_nothing(park, status, dry_run):
    held = _space(park, "H-1", HELD)
    assert held.status == "已租"
    history, audits = SpaceChange.objects.count(), AuditEntry.objects.count()
    result = _import([_row(held, status)], dry_run=dry_run)
    assert (result.counts["spaces"].updated, result.counts["spaces"].unchanged) == (0, 1)
    held.refresh_from_db()
    assert held.status == "已租"  # the lease wins over the status cell
    assert (SpaceChange.objects.count(), AuditEntry.objects.count()) == (history, audits)


def test_a_held_space_left_vacant_by_hand_is_leased_again_by_the_import(park):
    held = _space(park, "H-1", HELD)
    Space.objects.filter(pk=held.pk).update(status="可租")  # the lease job has not run yet
    result = _import([_row(held)])
    assert result.counts["spaces"].updated == 1
    held.refresh_from_db()
    assert held.status == "已租"
    assert list(SpaceChange.objects.filter(space=held, field="status").values_list("new"))[-1] == (
        "已租",
    )


def test_a_space_whose_leases_ended_is_vacant_even_if_the_file_says_leased(park):
    ended = _space(park, "E-1", ENDED)
    assert ended.status == "可租"
    result = _import([_row(ended, "已租")])
    assert result.counts["spaces"].unchanged == 1
    ended.refresh_from_db()
    assert ended.status == "可租"


@pytest.mark.parametrize(
    "lease", [None, HELD, ENDED, FUTURE], ids=["none", "held", "ended", "future"]
)
@pytest.mark.parametrize(
    "status", [ABSENT, "", "可租", "已租", "下架"], ids=["absent", "empty", "可租", "已租", "下架"]
)
@pytest.mark.parametrize("before", ["可租", "已租", "下架"])
def test_the_plan_gives_the_status_that_space_status_sync_leaves(
    park, monkeypatch, lease, status, before
):
    """Whatever the file says and the leases hold, the status the plan writes is the one the
    leases app's rule keeps: the sync after the batch changes nothing, so every import writes
    a listing's status once (at most one history row), and a second import is unchanged."""
    space = _space(park, "M-1", lease)
    Space.objects.filter(pk=space.pk).update(status=before)
    space.refresh_from_db()
    real = lease_services.space_status_sync
    synced = []

    def sync(**kw):
        synced.append(changed := real(**kw))
        return changed

    monkeypatch.setattr(lease_services, "space_status_sync", sync)
    history = SpaceChange.objects.filter(space=space, field="status").count()
    _import([_row(space, status)])
    assert synced == ([0] if lease is not None else [])
    assert SpaceChange.objects.filter(space=space, field="status").count() - history <= 1
    # The leases app's own rule has nothing left to change either.
    assert real(space_ids=[space.pk]) == 0
    assert _import([_row(space, status)]).counts["spaces"].unchanged == 1


def test_leased_spaces_cost_the_same_queries_however_many(park):
    few = [_space(park, f"Q-{i}", HELD) for i in range(3)]
    many = [_space(park, f"R-{i}", HELD) for i in range(30)]
    few_rows, many_rows = [_row(s, "可租") for s in few], [_row(s, "可租") for s in many]
    with CaptureQueriesContext(connection) as small:
        _import(few_rows)
    with CaptureQueriesContext(connection) as large:
        _import(many_rows)
    assert len(large) == len(small), (len(small), len(large))


def test_a_space_without_leases_keeps_the_status_of_the_file(park):
    space = _space(park, "N-1")
    result = _import([_row(space, "下架")])
    assert result.counts["spaces"].updated == 1
    space.refresh_from_db()
    assert space.status == "下架"


def test_what_the_sync_changes_is_undone_with_the_import(park, monkeypatch):
    """The sync's writes are journaled after the batch's own: a failure in a later batch
    restores the listing as it was before the import, not as the batch left it."""
    from parklink.parks import exchange as parks_exchange

    space = _space(park, "U-1", HELD)
    Space.objects.filter(pk=space.pk).update(status="下架", area_m2=Decimal(700))
    space.refresh_from_db()
    other = _space(park, "U-2")
    # Without the plan's prediction the batch writes 可租 and the sync then 已租.
    monkeypatch.setattr(parks_exchange, "_lease_status", lambda *a, **kw: None)
    monkeypatch.setattr(parks_exchange.SPACES, "batch_size", 1)
    real, calls = parks_exchange.SPACES.write, []

    def failing(chunk, *, actor, journal):
        calls.append(chunk)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(chunk, actor=actor, journal=journal)

    monkeypatch.setattr(parks_exchange.SPACES, "write", failing)
    history = SpaceChange.objects.count()
    with pytest.raises(RuntimeError):
        _import([{**_row(space, "可租"), "area_m2": 800}, _row(other, "下架")])
    space.refresh_from_db()
    assert (space.status, space.area_m2) == ("下架", Decimal(700))
    assert SpaceChange.objects.count() == history
