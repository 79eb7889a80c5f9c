"""Expiry warnings per space kind (in-app and mail, to the lease's agent and the managers),
the 续约 deal each expiring lease opens on the tenant's record, and bulk proposals."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from parklink.core.models import AuditEntry
from parklink.leads import services as lead_services
from parklink.leads.choices import Channel, ConsentBasis, Stage
from parklink.leads.models import Inquiry, Lead
from parklink.leases import conf, services
from parklink.leases.models import ExpiryWarning, Lease
from tests.factories.parks import ParkFactory, SpaceFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


@pytest.fixture
def spaces(db):
    park = ParkFactory(name="提醒园")
    return {
        "写字楼": SpaceFactory(ref="W-1", park=park, kind="写字楼", area_m2=Decimal(500)),
        "厂房": SpaceFactory(ref="F-1", park=park, kind="厂房", area_m2=Decimal(3000)),
    }


def _record(company: str, actor, owner=None) -> Lead:
    """The tenant's won lead (its record), owned by ``owner`` when given."""
    lead = lead_services.lead_submit(
        data={"company": company, "contact": "王先生", "mobile": "13800138000", "need": "入驻"},
        channel=Channel.OFFICE,
        actor=actor,
        consent_basis=ConsentBasis.CONTRACT,
    )
    if owner is not None:
        lead = lead_services.lead_assign(lead=lead, actor=actor, owner=owner)
    return lead_services.lead_stage_set(lead=lead, actor=actor, stage=Stage.WON)


@pytest.mark.parametrize(
    ("kind", "days_left", "warned"),
    [
        ("写字楼", 180, True),  # offices: warned 180 days ahead
        ("写字楼", 181, False),
        ("厂房", 150, False),  # factories: 120 days
        ("厂房", 120, True),
        ("厂房", 0, True),
    ],
)
def test_windows_per_space_kind(spaces, make_lease, manager, kind, days_left, warned):
    make_lease(
        spaces[kind], start=date(2024, 1, 1), end=TODAY + timedelta(days=days_left), today=TODAY
    )
    done = services.expiry_warnings_send(today=TODAY)
    assert (done["warnings"] > 0) == warned
    assert ExpiryWarning.objects.filter(recipient=manager).exists() == warned


def test_windows_are_configurable(spaces, make_lease, manager, monkeypatch):
    monkeypatch.setenv("PARKLINK_LEASE_WARNING_DAYS", "厂房=200, 写字楼=30")
    assert conf.warning_days()["厂房"] == 200 and conf.warning_days()["仓库"] == 90
    make_lease(
        spaces["厂房"],
        ref="F",
        start=date(2024, 1, 1),
        end=TODAY + timedelta(days=190),
        today=TODAY,
    )
    make_lease(
        spaces["写字楼"],
        ref="W",
        start=date(2024, 1, 1),
        end=TODAY + timedelta(days=60),
        today=TODAY,
    )
    services.expiry_warnings_send(today=TODAY)
    assert list(ExpiryWarning.objects.values_list("lease__ref", flat=True)) == ["F"]


def test_agent_and_managers_warned_once_in_app_and_by_mail(
    spaces, make_lease, manager, agent, agent2, django_capture_on_commit_callbacks
):
    lease = make_lease(
        spaces["写字楼"],
        start=date(2024, 1, 1),
        end=TODAY + timedelta(days=30),
        today=TODAY,
        owner=agent,
    )
    with django_capture_on_commit_callbacks(execute=True):
        done = services.expiry_warnings_send(today=TODAY)
    assert done["warnings"] == 2
    assert set(ExpiryWarning.objects.values_list("recipient__username", flat=True)) == {
        "agent1",
        "manager1",
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["agent1@example.test", "manager1@example.test"]
    assert all(lease.ref in m.body and "王先生" not in m.body for m in mail.outbox)
    # the next day: nothing new, no mail
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expiry_warnings_send(today=TODAY + timedelta(days=1))["warnings"] == 0
    assert mail.outbox == []
    # extended, then nearing the new end: warned again
    services.lease_update(
        lease=lease, data={"end": TODAY + timedelta(days=200)}, actor=manager, today=TODAY
    )
    assert services.expiry_warnings_send(today=TODAY + timedelta(days=40))["warnings"] == 2


def test_expiring_lease_opens_a_renewal_deal_on_the_tenants_record(spaces, make_lease, manager):
    _record("续约测试有限公司", manager)
    lease = make_lease(
        spaces["写字楼"],
        tenant="续约测试有限公司",
        start=date(2024, 1, 1),
        end=TODAY + timedelta(days=60),
        today=TODAY,
    )
    done = services.expiry_warnings_send(today=TODAY)
    assert done["deals"] == 1
    lease.refresh_from_db()
    deal = lease.renewal_lead
    assert deal.ref == f"RENEW-{lease.ref}"
    assert deal.stage == Stage.NEW and deal.company == "续约测试有限公司"
    assert deal.need.startswith("【续约】") and deal.spaces == ["W-1"]
    assert deal.mobile == "13800138000"  # the tenant's contact, from its record
    assert Inquiry.objects.filter(lead=deal, channel=Channel.OFFICE).count() == 1
    # idempotent: a second run opens nothing
    assert services.expiry_warnings_send(today=TODAY)["deals"] == 0
    assert Lead.objects.filter(ref__startswith="RENEW-").count() == 1


def test_no_deal_without_a_tenant_record_and_none_when_already_renewed(spaces, make_lease, manager):
    make_lease(
        spaces["写字楼"],
        ref="A",
        tenant="无记录公司",
        start=date(2024, 1, 1),
        end=TODAY + timedelta(days=60),
        today=TODAY,
    )
    _record("已续约公司", manager)
    make_lease(
        spaces["厂房"],
        ref="B",
        tenant="已续约公司",
        start=date(2024, 1, 1),
        end=TODAY + timedelta(days=60),
        today=TODAY,
        area_m2=Decimal(1000),
    )
    make_lease(
        spaces["厂房"],
        ref="B2",
        tenant="已续约公司",
        start=TODAY + timedelta(days=61),
        end=TODAY + timedelta(days=1000),
        today=TODAY,
        area_m2=Decimal(1000),
    )
    done = services.expiry_warnings_send(today=TODAY)
    assert done["deals"] == 0 and done["warnings"] == 2
    assert not Lead.objects.filter(ref__startswith="RENEW-").exists()


def test_bulk_renewal_proposals_are_assigned_to_the_leases_agent(
    spaces, make_lease, manager, agent
):
    for n, company in enumerate(("甲续约公司", "乙续约公司")):
        _record(company, manager)
        space = spaces["写字楼"] if n == 0 else spaces["厂房"]
        make_lease(
            space,
            ref=f"R{n}",
            tenant=company,
            start=date(2024, 1, 1),
            end=TODAY + timedelta(days=100 + n * 100),
            today=TODAY,
            owner=agent,
        )
    done = services.renewals_propose(
        first=TODAY,
        last=TODAY + timedelta(days=150),
        actor=manager,
        uplift_pct=Decimal(5),
        today=TODAY,
    )
    assert done == {"opened": 1, "existing": 0, "no_record": 0, "taken": 0}
    deal = Lease.objects.get(ref="R0").renewal_lead
    assert deal.owner == agent
    assert "3.15 元/平方米/天" in deal.need  # 3 × 1.05
    assert Lease.objects.get(ref="R1").renewal_lead is None
    again = services.renewals_propose(
        first=TODAY, last=TODAY + timedelta(days=365), actor=manager, today=TODAY
    )
    assert again == {"opened": 1, "existing": 1, "no_record": 0, "taken": 0}


def test_only_managers_propose_in_bulk(spaces, agent):
    with pytest.raises(ValidationError):
        services.renewals_propose(first=TODAY, last=TODAY, actor=agent)


def test_warnings_read(spaces, make_lease, manager):
    make_lease(
        spaces["写字楼"], start=date(2024, 1, 1), end=TODAY + timedelta(days=10), today=TODAY
    )
    services.expiry_warnings_send(today=TODAY)
    assert services.lease_warnings_read(user=manager) == 1
    assert services.lease_warnings_read(user=manager) == 0


def test_the_workers_renewal_deal_belongs_to_the_leases_agent(spaces, make_lease, manager, agent):
    _record("工人续约公司", manager, owner=agent)  # the worker reads the leads as the agent
    lease = make_lease(
        spaces["写字楼"],
        ref="W-OWN",
        tenant="工人续约公司",
        start=date(2024, 1, 1),
        end=TODAY + timedelta(days=30),
        today=TODAY,
        owner=agent,
    )
    done = services.expiry_warnings_send(today=TODAY)  # the worker: no actor
    assert done["deals"] == 1
    deal = Lease.objects.get(pk=lease.pk).renewal_lead
    assert deal.owner == agent and deal.ref == "RENEW-W-OWN"
    entry = AuditEntry.objects.filter(action="lead.assign", target_id=str(deal.pk)).latest("at")
    assert entry.detail["to"] == agent.pk and "W-OWN" in entry.detail["reason"]
