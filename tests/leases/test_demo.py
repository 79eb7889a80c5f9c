"""The demo's leases: real figures for the 租控表, warnings and dashboard; twice = once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from parklink.leads.models import Lead
from parklink.leases import selectors
from parklink.leases.models import ExpiryWarning, Lease
from parklink.parks.models import Park, Space, SpaceChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_data):
    pass


def test_demo_leases_give_real_figures(demo):
    today = timezone.localdate()
    assert Lease.objects.filter(is_demo=True).count() > 150
    assert set(Lease.objects.values_list("status", flat=True)) == {
        "生效",
        "已到期",
        "已退租",
        "待生效",
    }
    rows = {r["park"]: r for r in selectors.occupancy(on=today)}
    life = rows["中关村生命科学园"]
    assert 0.3 < life["occupancy"] < 1 and life["annual_rent_yuan"] > 0
    assert selectors.leases_expiring(days=90, on=today)
    assert ExpiryWarning.objects.filter(recipient__username="manager").exists()
    assert Lead.objects.filter(ref__startswith="RENEW-", owner__isnull=False).exists()
    assert Park.objects.exclude(latitude=None).count() == Park.objects.count()
    # every lease-held space is 已租, every listing still valid
    held = set(Lease.objects.active_on(today).values_list("space_id", flat=True))
    assert set(Space.objects.filter(pk__in=held).values_list("status", flat=True)) == {"已租"}
    for lease in Lease.objects.select_related("space"):
        lease.full_clean()


def test_demo_twice_changes_nothing(demo):
    before = (
        Lease.objects.count(),
        dict(Lease.objects.values_list("ref", "updated_at")),
        dict(Space.objects.values_list("ref", "updated_at")),
        SpaceChange.objects.count(),
        ExpiryWarning.objects.count(),
        Lead.objects.count(),
    )
    call_command("demo", "--no-migrate", "--quiet-credentials", stdout=io.StringIO())
    after = (
        Lease.objects.count(),
        dict(Lease.objects.values_list("ref", "updated_at")),
        dict(Space.objects.values_list("ref", "updated_at")),
        SpaceChange.objects.count(),
        ExpiryWarning.objects.count(),
        Lead.objects.count(),
    )
    assert after == before
