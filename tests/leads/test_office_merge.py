"""The office merge and split pages: candidates in scope only, every inquiry kept, query
counts bounded; the reveal cap on 公海 numbers; team-bound assignment."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parklink.core.models import AuditEntry, Team
from parklink.leads.models import Inquiry, Lead
from tests.factories.leads import InquiryFactory, LeadFactory

pytestmark = pytest.mark.django_db


def test_merge_page_lists_duplicates_and_merges(client, agent, django_assert_max_num_queries):
    lead = LeadFactory(owner=agent, company="北京华芯半导体有限公司")
    dups = [LeadFactory(owner=agent, company="華芯半導體") for _ in range(3)]
    for d in (lead, *dups):
        InquiryFactory(lead=d)
    client.force_login(agent)
    url = reverse("office:lead-merge", args=[lead.pk])
    with django_assert_max_num_queries(12):
        html = client.get(url).content.decode()
    assert all(d.ref in html for d in dups)
    resp = client.post(url, {"source": dups[0].ref})
    assert resp.status_code == 302
    assert Inquiry.objects.filter(lead=lead).count() == 2
    assert Lead.objects.get(pk=dups[0].pk).merged_into_id == lead.pk
    assert AuditEntry.objects.filter(action="lead.merge_manual", actor=agent).exists()


def test_merge_of_a_lead_out_of_scope_is_refused_like_missing(client, agent, agent2):
    lead = LeadFactory(owner=agent)
    theirs = LeadFactory(owner=agent2)
    client.force_login(agent)
    url = reverse("office:lead-merge", args=[lead.pk])
    by_ref = client.post(url, {"source": theirs.ref})
    missing = client.post(url, {"source": "L000000000"})
    assert by_ref.status_code == missing.status_code == 422
    assert Lead.objects.get(pk=theirs.pk).merged_into_id is None


def test_split_page(client, agent, django_assert_max_num_queries):
    lead = LeadFactory(owner=agent)
    keep = InquiryFactory(lead=lead, data={"contact": "王先生", "mobile": "13800001111"})
    move = InquiryFactory(
        lead=lead,
        data={"contact": "李女士", "mobile": "13900002222", "company": "另一家公司"},
    )
    client.force_login(agent)
    url = reverse("office:lead-split", args=[lead.pk])
    with django_assert_max_num_queries(10):
        html = client.get(url).content.decode()
    assert "139****2222" in html and "13900002222" not in html
    resp = client.post(url, {"inquiries": [str(move.pk)]})
    assert resp.status_code == 302
    new = Lead.objects.exclude(pk=lead.pk).get()
    assert new.mobile == "13900002222" and new.owner == agent
    assert list(lead.inquiries.values_list("pk", flat=True)) == [keep.pk]
    bad = client.post(url, {"inquiries": [str(keep.pk)]})  # the last one stays
    assert bad.status_code == 422 and lead.inquiries.count() == 1


def test_reveal_of_pool_numbers_is_capped_per_day(client, agent, settings):
    settings.PARKLINK_LEAD_REVEAL_LIMIT = "2/d"
    from django.core.cache import cache

    cache.clear()
    leads = [LeadFactory(mobile=f"1380000{i:04d}") for i in range(3)]
    client.force_login(agent)
    shown = [
        client.post(reverse("office:lead-reveal", args=[lead.pk])).content.decode()
        for lead in leads
    ]
    assert leads[0].mobile in shown[0] and leads[1].mobile in shown[1]
    assert leads[2].mobile not in shown[2]
    assert AuditEntry.objects.filter(action="lead.reveal").count() == 2


def test_team_manager_assigns_within_the_team_only(client, manager, agent, agent2):
    team = Team.objects.create(name="招商一组")
    team.members.add(manager, agent)
    lead = LeadFactory()
    client.force_login(manager)
    client.post(reverse("office:lead-assign", args=[lead.pk]), {"owner": agent2.pk})
    lead.refresh_from_db()
    assert lead.owner is None  # agent2 is in no team of the manager's
    client.post(reverse("office:lead-assign", args=[lead.pk]), {"owner": agent.pk})
    lead.refresh_from_db()
    assert lead.owner == agent
    other_team_lead = LeadFactory(owner=agent2)
    resp = client.get(reverse("office:lead-detail", args=[other_team_lead.pk]))
    assert resp.status_code == 404
