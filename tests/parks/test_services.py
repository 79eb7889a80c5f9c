"""Space write services: history, audit, the space_changed signal, idempotence."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parklink.core.models import AuditEntry
from parklink.parks import services
from parklink.parks.models import Space, SpaceChange
from parklink.parks.signals import space_changed
from tests.factories.parks import ParkFactory


@pytest.fixture
def received():
    calls: list[dict] = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    space_changed.connect(receiver, dispatch_uid="test-receiver")
    yield calls
    space_changed.disconnect(dispatch_uid="test-receiver")


def _data(park, **kw):
    data = {
        "ref": "S-1",
        "park": park,
        "building": "1号楼",
        "kind": "厂房",
        "deal": "出租",
        "area_m2": Decimal(1000),
        "price": Decimal("2.5"),
        "price_unit": "元/平方米/天",
    }
    data.update(kw)
    return data


def test_create_records_history_audit_and_signals_after_commit(
    db, agent, received, django_capture_on_commit_callbacks
):
    park = ParkFactory()
    with django_capture_on_commit_callbacks(execute=True):
        space = services.space_create(data=_data(park), actor=agent)
    assert space.status == "可租" and space.building.name == "1号楼"
    assert space.unit_price == Decimal("2.5")
    assert AuditEntry.objects.filter(action="space.create", actor=agent).count() == 1
    assert {c.field for c in SpaceChange.objects.filter(space=space)} >= {"price", "status"}
    assert received == [
        {
            "signal": space_changed,
            "space_id": space.pk,
            "fields": received[0]["fields"],
            "created": True,
        }
    ]


def test_update_changes_only_what_differs(db, agent, received, django_capture_on_commit_callbacks):
    park = ParkFactory()
    space = services.space_create(data=_data(park), actor=agent)
    received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.space_update(space=space, data=_data(park), actor=agent) == []
    assert received == []
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.space_update(
            space=space, data={"price": Decimal(3), "title": "新标题"}, actor=agent
        )
    assert sorted(changed) == ["price", "title"]
    last = SpaceChange.objects.filter(space=space, field="price").first()
    assert (last.old, last.new, last.actor) == ("2.5", "3", agent)
    assert received[0]["fields"] == changed and received[0]["created"] is False


def test_invalid_update_writes_nothing(db, agent):
    park = ParkFactory()
    space = services.space_create(data=_data(park), actor=agent)
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        services.space_update(space=space, data={"status": "可售"}, actor=agent)
    assert Space.objects.get(pk=space.pk).status == "可租"
    assert AuditEntry.objects.count() == audits


def test_reconfirm_brings_a_stale_listing_back(
    db, agent, received, django_capture_on_commit_callbacks
):
    space = services.space_create(data=_data(ParkFactory()), actor=agent)
    Space.objects.filter(pk=space.pk).update(confirmed_at=timezone.now() - timedelta(days=365))
    assert not Space.objects.public().filter(pk=space.pk).exists()
    space.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.space_reconfirm(space=space, actor=agent)
    assert Space.objects.public().filter(pk=space.pk).exists()
    assert AuditEntry.objects.filter(action="space.reconfirm").exists()
    assert received[-1]["fields"] == ["confirmed_at"]


def test_status_change_is_validated_and_kept(db, agent):
    space = services.space_create(data=_data(ParkFactory()), actor=agent)
    services.space_status_change(space=space, status="已租", actor=agent)
    assert SpaceChange.objects.filter(space=space, field="status", new="已租").exists()
    with pytest.raises(ValidationError):
        services.space_status_change(space=space, status="不存在", actor=agent)


def test_upsert_is_idempotent(db, agent):
    park = ParkFactory()
    _s, first = services.space_upsert(data=_data(park), actor=agent)
    _s, second = services.space_upsert(data=_data(park), actor=agent)
    assert (first, second) == ("created", "unchanged")


def test_park_upsert_and_industries(db, agent):
    park, status = services.park_upsert(
        data={"name": "新园", "district": "昌平区", "industries": ["生物医药"]}, actor=agent
    )
    assert status == "created" and [i.name for i in park.industries.all()] == ["生物医药"]
    _p, status = services.park_upsert(
        data={"name": "新园", "district": "昌平区", "industries": ["生物医药"]}, actor=agent
    )
    assert status == "unchanged"
    _p, status = services.park_upsert(
        data={"name": "新园", "industries": ["医疗器械"]}, actor=agent
    )
    assert status == "updated"
