"""续约 deals and the leads' one visibility rule: a renewal copies a contact only from a lead
its viewer may see (the acting user; for the worker, the lease's agent), a tenant's open lead
another agent works keeps its agent and is never copied, ended leases are not renewed, and
the lease pages show a deal's ref and link only to those who may see the lead."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parklink.core.models import AuditEntry, Team
from parklink.leads import services as lead_services
from parklink.leads.choices import Channel, ConsentBasis, Stage
from parklink.leads.models import Inquiry, Lead
from parklink.leases import services
from parklink.leases.models import Lease
from tests.factories.parks import SpaceFactory

pytestmark = pytest.mark.django_db

TENANT = "续约隔离科技有限公司"
THEIR_MOBILE = "13911112222"
OWN_MOBILE = "13733334444"


def _lead(manager, *, owner=None, stage=None, mobile=THEIR_MOBILE, contact="赵女士") -> Lead:
    lead = lead_services.lead_submit(
        data={"company": TENANT, "contact": contact, "mobile": mobile, "need": "租办公室"},
        channel=Channel.OFFICE,
        actor=manager,
        consent_basis=ConsentBasis.CONTRACT,
    )
    if owner is not None:
        lead = lead_services.lead_assign(lead=lead, actor=manager, owner=owner)
    if stage is not None:
        lead = lead_services.lead_stage_set(lead=lead, actor=manager, stage=stage)
    return lead


@pytest.fixture
def lease(space, make_lease, agent):
    today = timezone.localdate()
    return make_lease(
        space,
        ref="RS-1",
        tenant=TENANT,
        start=today - timedelta(days=300),
        end=today + timedelta(days=60),
        owner=agent,
    )


def _post_renewal(client, lease):
    return client.post(reverse("office:lease-renewal", args=[lease.pk]), follow=True)


def _copies_of(mobile: str, *, besides: Lead) -> list[Lead]:
    return list(Lead.objects.filter(mobile=mobile).exclude(pk=besides.pk))


# --- the probe: an agent's renewal on a tenant another agent works ---------------------------


def test_an_agent_cannot_copy_another_agents_open_lead_by_renewing(
    agent_client, lease, manager, agent2
):
    theirs = _lead(manager, owner=agent2, stage=Stage.CONTACTED)
    leads_before, inquiries_before = Lead.objects.count(), Inquiry.objects.count()
    resp = _post_renewal(agent_client, lease)
    html = resp.content.decode()
    assert "其他专员跟进中" in html
    assert THEIR_MOBILE not in html and theirs.ref not in html
    # nothing was written: no copy, no merge, the lead keeps its agent
    assert Lead.objects.count() == leads_before and Inquiry.objects.count() == inquiries_before
    assert _copies_of(THEIR_MOBILE, besides=theirs) == []
    theirs.refresh_from_db()
    assert theirs.owner == agent2
    assert Lease.objects.get(pk=lease.pk).renewal_lead is None
    assert not AuditEntry.objects.filter(action="lease.renewal_open").exists()


def test_the_service_refuses_it_with_a_chinese_message(lease, manager, agent, agent2):
    _lead(manager, owner=agent2)
    with pytest.raises(services.RenewalRefused, match="其他专员跟进中"):
        services.renewal_open(lease=lease, actor=agent)


def test_a_closed_lead_of_another_agent_is_not_the_agents_record(
    agent_client, lease, manager, agent2
):
    theirs = _lead(manager, owner=agent2, stage=Stage.WON)
    html = _post_renewal(agent_client, lease).content.decode()
    assert "租户还没有招商记录" in html
    assert _copies_of(THEIR_MOBILE, besides=theirs) == []


def test_the_deal_copies_the_record_the_agent_may_see(agent_client, lease, manager, agent, agent2):
    own = _lead(manager, owner=agent, stage=Stage.WON, mobile=OWN_MOBILE, contact="钱先生")
    theirs = _lead(manager, owner=agent2, stage=Stage.WON)  # newer, but another agent's
    resp = _post_renewal(agent_client, lease)
    deal = Lease.objects.get(pk=lease.pk).renewal_lead
    assert resp.redirect_chain[-1][0] == deal.get_absolute_url()
    assert deal.pk not in (own.pk, theirs.pk)
    assert (deal.mobile, deal.contact, deal.owner) == (OWN_MOBILE, "钱先生", agent)
    assert _copies_of(THEIR_MOBILE, besides=theirs) == []
    entry = AuditEntry.objects.get(action="lease.renewal_open")
    assert entry.actor == agent and entry.detail == {"lead": deal.pk}


def test_a_pool_lead_is_taken_over_not_copied(agent_client, lease, manager, agent):
    pool = _lead(manager)  # unowned and open: the agent sees it masked
    assert pool.owner is None
    _post_renewal(agent_client, lease)
    deal = Lease.objects.get(pk=lease.pk).renewal_lead
    assert deal.pk == pool.pk and deal.owner == agent
    assert _copies_of(THEIR_MOBILE, besides=pool) == []


# --- the worker and the bulk proposals follow the same rule ---------------------------------


@pytest.mark.parametrize("stage", [Stage.CONTACTED, Stage.WON])
def test_the_worker_reads_the_leads_as_the_leases_agent(lease, manager, agent2, stage):
    theirs = _lead(manager, owner=agent2, stage=stage)
    inquiries = Inquiry.objects.filter(lead=theirs).count()
    done = services.expiry_warnings_send()
    assert done["deals"] == 0 and done["warnings"] >= 1
    assert _copies_of(THEIR_MOBILE, besides=theirs) == []
    theirs.refresh_from_db()
    assert theirs.owner == agent2
    assert Inquiry.objects.filter(lead=theirs).count() == inquiries
    assert Lease.objects.get(pk=lease.pk).renewal_lead is None


def test_bulk_proposals_leave_a_tenant_worked_outside_the_managers_teams(
    lease, manager, agent, agent2
):
    today = timezone.localdate()
    theirs = _lead(manager, owner=agent2, stage=Stage.CONTACTED)
    team = Team.objects.create(name="招商一组")
    team.members.add(manager, agent)  # agent2 is in no team of the manager
    manager = type(manager).objects.get(pk=manager.pk)  # no cached scope
    done = services.renewals_propose(
        first=today, last=today + timedelta(days=120), actor=manager, today=today
    )
    assert done == {"opened": 0, "existing": 0, "no_record": 0, "taken": 1}
    assert _copies_of(THEIR_MOBILE, besides=theirs) == []
    assert Lease.objects.get(pk=lease.pk).renewal_lead is None


def test_bulk_proposals_merge_into_a_lead_the_manager_works_and_it_keeps_its_agent(
    lease, manager, agent2
):
    today = timezone.localdate()
    theirs = _lead(manager, owner=agent2, stage=Stage.CONTACTED)
    done = services.renewals_propose(
        first=today, last=today + timedelta(days=120), actor=manager, today=today
    )
    assert done["opened"] == 1
    deal = Lease.objects.get(pk=lease.pk).renewal_lead
    assert deal.pk == theirs.pk and deal.owner == agent2
    assert _copies_of(THEIR_MOBILE, besides=theirs) == []


# --- ended leases are not renewed -------------------------------------------------------------


@pytest.mark.parametrize("ended", ["terminated", "expired"])
def test_no_renewal_on_an_ended_lease(agent_client, space, make_lease, manager, agent, ended):
    today = timezone.localdate()
    extra = {"terminated_on": today - timedelta(days=5)} if ended == "terminated" else {}
    end = today + timedelta(days=200) if ended == "terminated" else today - timedelta(days=1)
    lease = make_lease(
        space,
        ref="RS-END",
        tenant=TENANT,
        start=today - timedelta(days=400),
        end=end,
        owner=agent,
        **extra,
    )
    _lead(manager, owner=agent, stage=Stage.WON, mobile=OWN_MOBILE)
    leads_before = Lead.objects.count()
    html = _post_renewal(agent_client, lease).content.decode()
    assert "已到期或已退租" in html
    assert Lead.objects.count() == leads_before
    with pytest.raises(services.RenewalRefused):
        services.renewal_open(lease=lease, actor=manager)
    assert Lease.objects.get(pk=lease.pk).renewal_lead is None


def test_a_reserved_lease_may_be_renewed(agent_client, space, make_lease, manager, agent):
    today = timezone.localdate()
    lease = make_lease(
        space,
        ref="RS-FUT",
        tenant=TENANT,
        start=today + timedelta(days=10),
        end=today + timedelta(days=400),
        owner=agent,
    )
    _lead(manager, owner=agent, stage=Stage.WON, mobile=OWN_MOBILE)
    _post_renewal(agent_client, lease)
    assert Lease.objects.get(pk=lease.pk).renewal_lead.owner == agent


# --- the lease pages show a deal only to those who may see it --------------------------------


@pytest.fixture
def worked_by_agent2(lease, manager, agent2):
    """The lease's deal is a lead of agent2 (a manager merged the renewal into it)."""
    theirs = _lead(manager, owner=agent2, stage=Stage.CONTACTED)
    services.renewal_open(lease=lease, actor=manager)
    assert Lease.objects.get(pk=lease.pk).renewal_lead_id == theirs.pk
    services.expiry_warnings_send()
    return theirs


@pytest.mark.parametrize(
    "url", ["office:lease-detail", "office:lease-warnings", "office:dashboard"]
)
def test_pages_hide_a_deal_outside_the_viewers_scope(
    client, lease, worked_by_agent2, agent, manager, url
):
    args = [lease.pk] if url == "office:lease-detail" else []
    lead_url = reverse("office:lead-detail", args=[worked_by_agent2.pk])
    client.force_login(agent)
    html = client.get(reverse(url, args=args)).content.decode()
    assert lease.ref in html
    assert worked_by_agent2.ref not in html and lead_url not in html
    assert "其他专员跟进中" in html
    assert client.get(lead_url).status_code == 404  # what the hidden link would answer
    client.force_login(manager)
    html = client.get(reverse(url, args=args)).content.decode()
    assert lead_url in html


def test_the_warnings_page_asks_the_rule_without_a_query_per_row(
    client, space, make_lease, manager, agent, agent2
):
    today = timezone.localdate()

    def add(n: int) -> None:
        for i in range(n):
            company = f"隔离租户{len(Lease.objects.all())}有限公司"
            lead = lead_services.lead_submit(
                data={
                    "company": company,
                    "contact": "孙",
                    "mobile": f"1360000{i:04d}",
                    "need": "租办公室",
                },
                channel=Channel.OFFICE,
                actor=manager,
                consent_basis=ConsentBasis.CONTRACT,
            )
            lead_services.lead_assign(lead=lead, actor=manager, owner=agent2)
            unit = SpaceFactory(park=space.park)
            lease = make_lease(
                unit,
                ref=f"RQ-{unit.pk}",
                tenant=company,
                start=today - timedelta(days=30),
                end=today + timedelta(days=50),
                owner=agent,
            )
            services.renewal_open(lease=lease, actor=manager)
        services.expiry_warnings_send()

    client.force_login(agent)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("office:lease-warnings")).status_code == 200
        return len(ctx.captured_queries)

    add(2)
    small = count()
    add(6)
    assert count() == small
