"""Lease states over time (Asia/Shanghai days) and the space status that follows them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parklink.core.models import AuditEntry
from parklink.leases import services
from parklink.leases.models import Lease
from parklink.leases.tasks import lease_daily
from parklink.parks.choices import SpaceStatus
from parklink.parks.models import Space, SpaceChange
from parklink.parks.signals import space_changed

pytestmark = pytest.mark.django_db


def _status(space) -> str:
    return Space.objects.get(pk=space.pk).status


def test_an_active_lease_makes_the_space_leased_at_once(space, make_lease):
    make_lease(space, start=date(2026, 1, 1), end=date(2026, 12, 31), today=date(2026, 3, 1))
    assert _status(space) == SpaceStatus.LEASED
    change = SpaceChange.objects.get(space=space, field="status")
    assert (change.old, change.new) == ("可租", "已租")
    assert AuditEntry.objects.filter(action="lease.create").count() == 1


def test_a_future_lease_leaves_the_space_vacant_until_it_starts(space, make_lease):
    lease = make_lease(space, start=date(2026, 9, 1), end=date(2027, 8, 31), today=date(2026, 6, 1))
    assert lease.status == "待生效"
    assert _status(space) == SpaceStatus.FOR_RENT
    services.lease_statuses_refresh(today=date(2026, 9, 1))
    assert _status(space) == SpaceStatus.LEASED
    assert Lease.objects.get(pk=lease.pk).status == "生效"


def test_end_crosses_midnight_in_shanghai_not_utc(space, make_lease):
    lease = make_lease(space, start=date(2025, 7, 1), end=date(2026, 6, 30), today=date(2026, 6, 1))
    before = datetime(2026, 6, 30, 15, 59, 59, tzinfo=UTC)  # 23:59:59 in Beijing
    after = datetime(2026, 6, 30, 16, 0, 0, tzinfo=UTC)  # 00:00 on 1 July in Beijing
    assert after.date() == date(2026, 6, 30)  # …still 30 June in UTC
    for moment, lease_status, space_status in (
        (before, "生效", SpaceStatus.LEASED),
        (after, "已到期", SpaceStatus.FOR_RENT),
    ):
        with mock.patch("django.utils.timezone.now", return_value=moment):
            lease_daily.call()
        assert Lease.objects.get(pk=lease.pk).status == lease_status
        assert _status(space) == space_status


def test_termination_frees_the_space_the_day_after_the_last_day(space, make_lease, manager):
    lease = make_lease(
        space, start=date(2025, 1, 1), end=date(2027, 12, 31), today=date(2026, 3, 1)
    )
    services.lease_terminate(
        lease=lease, on=date(2026, 3, 15), actor=manager, today=date(2026, 3, 1)
    )
    assert _status(space) == SpaceStatus.LEASED  # still held until the 15th
    services.lease_statuses_refresh(today=date(2026, 3, 15))
    assert _status(space) == SpaceStatus.LEASED
    services.lease_statuses_refresh(today=date(2026, 3, 16))
    lease.refresh_from_db()
    assert lease.status == "已退租" and lease.terminated_on == date(2026, 3, 15)
    assert _status(space) == SpaceStatus.FOR_RENT


def test_termination_today_in_the_past_frees_at_once(space, make_lease, manager):
    lease = make_lease(
        space, start=date(2025, 1, 1), end=date(2027, 12, 31), today=date(2026, 3, 1)
    )
    services.lease_terminate(
        lease=lease, on=date(2026, 2, 28), actor=manager, today=date(2026, 3, 1)
    )
    assert _status(space) == SpaceStatus.FOR_RENT


def test_the_space_stays_leased_while_another_lease_holds_it(space, make_lease):
    make_lease(
        space,
        ref="A",
        start=date(2025, 1, 1),
        end=date(2026, 6, 30),
        today=date(2026, 6, 1),
        area_m2=Decimal(400),
    )
    make_lease(
        space,
        ref="B",
        start=date(2025, 6, 1),
        end=date(2026, 12, 31),
        today=date(2026, 6, 1),
        area_m2=Decimal(600),
        tenant="另一租户",
    )
    services.lease_statuses_refresh(today=date(2026, 7, 1))
    assert _status(space) == SpaceStatus.LEASED
    services.lease_statuses_refresh(today=date(2027, 1, 1))
    assert _status(space) == SpaceStatus.FOR_RENT


def test_becoming_vacant_sends_space_changed_after_commit(
    space, make_lease, django_capture_on_commit_callbacks
):
    make_lease(space, start=date(2025, 1, 1), end=date(2026, 6, 30), today=date(2026, 6, 1))
    seen = []

    def receiver(sender, space_id, fields, created, **kwargs):
        seen.append((space_id, fields, created))

    space_changed.connect(receiver, dispatch_uid="test-leases")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            changed = services.lease_statuses_refresh(today=date(2026, 7, 1))
    finally:
        space_changed.disconnect(dispatch_uid="test-leases")
    assert changed["spaces"] == 1
    assert seen == [(space.pk, ["status"], False)]
    # Again the same day: nothing changes, nothing is sent.
    seen.clear()
    assert services.lease_statuses_refresh(today=date(2026, 7, 1)) == {"leases": 0, "spaces": 0}


def test_a_space_without_leases_keeps_the_status_typed_by_hand(db, space):
    Space.objects.filter(pk=space.pk).update(status=SpaceStatus.LEASED)
    services.lease_statuses_refresh(today=date(2026, 7, 1))
    assert _status(space) == SpaceStatus.LEASED


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"end": date(2024, 12, 31)}, "end"),
        ({"area_m2": Decimal(1001)}, "area_m2"),
        ({"terminated_on": date(2024, 1, 1)}, "terminated_on"),
    ],
)
def test_invalid_leases_are_refused_and_nothing_is_written(space, make_lease, extra, field):
    with pytest.raises(ValidationError) as exc:
        make_lease(space, start=date(2025, 1, 1), **{"end": date(2026, 1, 1), **extra})
    assert field in exc.value.message_dict
    assert not Lease.objects.exists()
    assert _status(space) == SpaceStatus.FOR_RENT


def test_overlapping_leases_may_not_exceed_the_space(space, make_lease):
    make_lease(space, ref="A", start=date(2025, 1, 1), end=date(2026, 12, 31), area_m2=Decimal(700))
    with pytest.raises(ValidationError):
        make_lease(
            space, ref="B", start=date(2026, 6, 1), end=date(2027, 5, 31), area_m2=Decimal(400)
        )
    # a renewal that starts after the current one ends is fine
    make_lease(space, ref="C", start=date(2027, 1, 1), end=date(2029, 12, 31))
    assert Lease.objects.count() == 2


def test_a_lease_on_a_space_for_sale_is_refused(db, make_lease):
    from tests.factories.parks import SpaceFactory

    sale = SpaceFactory(deal="出售", status="可售", price=Decimal(9000), price_unit="元/平方米")
    with pytest.raises(ValidationError) as exc:
        make_lease(sale)
    assert "space" in exc.value.message_dict


def test_agents_terminate_only_their_own_leases(space, make_lease, agent, manager):
    lease = make_lease(space, start=date(2025, 1, 1), end=date(2027, 12, 31))
    with pytest.raises(ValidationError):
        services.lease_terminate(lease=lease, on=date(2026, 1, 1), actor=agent)
    Lease.objects.filter(pk=lease.pk).update(owner=agent)
    lease.refresh_from_db()
    services.lease_terminate(lease=lease, on=date(2026, 1, 1), actor=agent)
    assert Lease.objects.get(pk=lease.pk).terminated_on == date(2026, 1, 1)


def test_localdate_is_the_service_default(space, make_lease):
    lease = make_lease(space, start=date(2020, 1, 1), end=date(2099, 12, 31))
    assert lease.status_on(timezone.localdate()) == "生效"


def test_an_invalid_listing_does_not_stop_the_daily_job(space, make_lease):
    from tests.factories.parks import SpaceFactory

    other = SpaceFactory(ref="S-OK", park=space.park, area_m2=Decimal(1000))
    make_lease(
        space, ref="A", start=date(2025, 1, 1), end=date(2026, 6, 30), today=date(2026, 6, 1)
    )
    make_lease(
        other, ref="B", start=date(2025, 1, 1), end=date(2026, 6, 30), today=date(2026, 6, 1)
    )
    # the first listing became invalid behind the services' back (a rent quoted per m²)
    Space.objects.filter(pk=space.pk).update(price_unit="元/平方米")
    done = services.lease_statuses_refresh(today=date(2026, 7, 1))
    assert done["spaces"] == 1
    assert _status(other) == SpaceStatus.FOR_RENT and _status(space) == SpaceStatus.LEASED


def test_a_space_freed_by_its_lease_is_matched_again_and_alerts_fire(
    space, make_lease, agent, django_capture_on_commit_callbacks
):
    from parklink.matching.models import MatchAlert
    from tests.factories.leads import LeadFactory

    today = timezone.localdate()
    LeadFactory(
        owner=agent,
        kind="厂房",
        deal="出租",
        area_min_m2=Decimal(800),
        area_max_m2=Decimal(1500),
        districts=["昌平区"],
        need="昌平800-1500平米厂房出租",
    )
    with django_capture_on_commit_callbacks(execute=True):
        make_lease(
            space,
            start=today - timedelta(days=400),
            end=today - timedelta(days=1),
            today=today - timedelta(days=2),
        )
    assert _status(space) == SpaceStatus.LEASED and not MatchAlert.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.lease_statuses_refresh(today=today)
    assert _status(space) == SpaceStatus.FOR_RENT
    alert = MatchAlert.objects.get()
    assert alert.space_id == space.pk and alert.owner == agent and "status" in alert.trigger
