"""The review queue: accept, merge or reject proposed parks/organisations and facts, each
audited, with nothing else changed; takedown handling; the back-office pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from parklink.core.models import AuditEntry
from parklink.news import review
from parklink.news.choices import ArticleStatus, EntityKind, ReviewStatus
from parklink.news.models import Article, Fact, Mention, TakedownRequest
from parklink.orgs.models import Organization
from parklink.parks.models import Park, ParkFact
from tests.factories.news import (
    ArticleFactory,
    FactFactory,
    IngestRunFactory,
    MentionFactory,
    TakedownRequestFactory,
)
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import ParkFactory

pytestmark = pytest.mark.django_db


def _snapshot():
    """Everything a review decision could touch, to prove it touched only what it should."""
    return {
        "parks": sorted(
            (i, n, tuple(a)) for i, n, a in Park.objects.values_list("id", "name", "aliases")
        ),
        "orgs": sorted(
            (i, n, tuple(a), k)
            for i, n, a, k in Organization.objects.values_list("id", "name", "aliases", "kind")
        ),
        "park_facts": sorted(ParkFact.objects.values_list("id", "park_id", "kind", "value")),
        "mentions": sorted(Mention.objects.values_list("id", "status", "park_id", "org_id")),
        "facts": sorted(Fact.objects.values_list("id", "status", "park_id", "park_fact_id")),
        "articles": sorted(Article.objects.values_list("id", "status")),
    }


def _news_audit():
    """The review decision's own entries (the catalogue services audit their writes too)."""
    return AuditEntry.objects.filter(action__startswith="news.")


def _actions():
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def _changed(before, after):
    return {
        k: (sorted(set(before[k]) - set(after[k])), sorted(set(after[k]) - set(before[k])))
        for k in before
        if before[k] != after[k]
    }


@pytest.fixture
def queue():
    """Two articles proposing 保诺科技 (3 mentions), one proposing a park, one other org."""
    a1 = ArticleFactory(body="以百济神州、保诺科技等为代表的园区企业。保诺科技持续扩张。")
    a2 = ArticleFactory(body="保诺科技在北京生物医药基地设立研发中心。")
    ms = [
        MentionFactory(article=a1, kind=EntityKind.ORG, text="保诺科技", start=10),
        MentionFactory(article=a1, kind=EntityKind.ORG, text="保诺科技", start=20),
        MentionFactory(article=a2, kind=EntityKind.ORG, text="保诺科技", start=0),
    ]
    park_mention = MentionFactory(
        article=a2, kind=EntityKind.PARK, text="北京生物医药基地", start=5
    )
    other = MentionFactory(article=a1, kind=EntityKind.ORG, text="百济神州", start=1)
    return {"a1": a1, "a2": a2, "org_mentions": ms, "park_mention": park_mention, "other": other}


# --- Entities: services ---------------------------------------------------------------------


def test_accept_org_creates_it_links_every_mention_of_the_name_and_audits(queue, manager):
    OrganizationFactory(name="无关机构")
    before = _snapshot()
    org = review.mention_accept(mention=queue["org_mentions"][0], actor=manager)
    assert org.name == "保诺科技" and org.kind == "enterprise"
    assert org.sources == [queue["a1"].url]
    for m in Mention.objects.filter(pk__in=[m.pk for m in queue["org_mentions"]]):
        assert (m.status, m.org_id, m.park_id, m.reviewed_by) == (
            ReviewStatus.ACCEPTED,
            org.pk,
            None,
            manager,
        )
        assert m.reviewed_at is not None
    changed = _changed(before, _snapshot())
    assert set(changed) == {"orgs", "mentions"}
    assert len(changed["orgs"][1]) == 1 and len(changed["mentions"][1]) == 3
    assert _actions() == ["org.create", "news.entity.accept"]
    entry = _news_audit().get()
    assert (entry.action, entry.actor, entry.target_id) == (
        "news.entity.accept",
        manager,
        str(org.pk),
    )
    assert sorted(entry.detail["mentions"]) == sorted(m.pk for m in queue["org_mentions"])


def test_accept_with_a_fuller_name_keeps_the_mention_as_alias(queue, manager):
    org = review.mention_accept(
        mention=queue["org_mentions"][0], actor=manager, name="保诺科技(北京)有限公司"
    )
    assert org.name == "保诺科技(北京)有限公司" and org.aliases == ["保诺科技"]


def test_accept_park_creates_a_park(queue, manager):
    before = _snapshot()
    park = review.mention_accept(mention=queue["park_mention"], actor=manager, district="大兴区")
    assert (park.name, park.district) == ("北京生物医药基地", "大兴区")
    m = Mention.objects.get(pk=queue["park_mention"].pk)
    assert (m.status, m.park_id, m.org_id) == (ReviewStatus.ACCEPTED, park.pk, None)
    assert set(_changed(before, _snapshot())) == {"parks", "mentions"}
    assert _actions() == ["park.create", "news.entity.accept"]


def test_accept_refuses_an_existing_name_and_writes_nothing(queue, manager):
    OrganizationFactory(name="保诺科技")
    before = _snapshot()
    with pytest.raises(ValidationError, match="已存在"):
        review.mention_accept(mention=queue["org_mentions"][0], actor=manager)
    assert _snapshot() == before
    assert AuditEntry.objects.count() == 0


def test_merge_links_to_the_chosen_record_and_adds_the_alias(queue, manager):
    target = OrganizationFactory(name="保诺科技(北京)有限公司", aliases=["保诺"])
    before = _snapshot()
    review.mention_merge(mention=queue["org_mentions"][1], actor=manager, org=target)
    target.refresh_from_db()
    assert target.aliases == ["保诺", "保诺科技"]
    statuses = set(
        Mention.objects.filter(pk__in=[m.pk for m in queue["org_mentions"]]).values_list(
            "status", "org_id"
        )
    )
    assert statuses == {(ReviewStatus.MERGED, target.pk)}
    assert set(_changed(before, _snapshot())) == {"orgs", "mentions"}
    assert _actions() == ["org.update", "news.entity.merge"]
    assert _news_audit().get().detail["alias_added"] is True


def test_merge_into_a_park_whose_names_already_cover_the_text_changes_no_alias(queue, manager):
    park = ParkFactory(name="北京生物医药产业基地", aliases=["北京生物医药基地"])
    review.mention_merge(mention=queue["park_mention"], actor=manager, park=park)
    park.refresh_from_db()
    assert park.aliases == ["北京生物医药基地"]
    assert Mention.objects.get(pk=queue["park_mention"].pk).park_id == park.pk
    assert AuditEntry.objects.get().detail["alias_added"] is False


def test_reject_marks_every_mention_of_the_name_and_nothing_else(queue, manager):
    before = _snapshot()
    n = review.mention_reject(mention=queue["org_mentions"][2], actor=manager, reason="不是机构")
    assert n == 3
    changed = _changed(before, _snapshot())
    assert set(changed) == {"mentions"}
    assert {row[1] for row in changed["mentions"][1]} == {ReviewStatus.REJECTED}
    assert Mention.objects.get(pk=queue["other"].pk).status == ReviewStatus.PROPOSED
    assert AuditEntry.objects.get().detail["reason"] == "不是机构"


def test_a_reviewed_mention_cannot_be_decided_twice(queue, manager):
    review.mention_reject(mention=queue["other"], actor=manager)
    again = Mention.objects.get(pk=queue["other"].pk)
    with pytest.raises(ValidationError):
        review.mention_accept(mention=again, actor=manager)
    assert AuditEntry.objects.count() == 1


# --- Facts: services ------------------------------------------------------------------------


@pytest.fixture
def fact():
    park = ParkFactory(name="中关村生命科学园")
    article = ArticleFactory(
        title="从“生命细胞”到创新网络中关村生命科学园二十载裂变",
        url="https://www.example-factory.test/news/1.html",
    )
    return FactFactory(article=article, park=park)


def test_accept_fact_creates_a_sourced_park_fact(fact, manager):
    FactFactory(article=fact.article)  # another proposed fact stays untouched
    before = _snapshot()
    pf = review.fact_accept(fact=fact, actor=manager)
    assert (pf.park, pf.kind, pf.value, pf.unit, pf.as_of) == (
        fact.park,
        "occupancy",
        Decimal("91"),
        "%",
        "2010",
    )
    assert (pf.origin, pf.article_id, pf.source_title, pf.source_url, pf.source_text) == (
        "article",
        fact.article_id,
        fact.article.title,
        fact.article.url,
        fact.text,
    )
    fact.refresh_from_db()
    assert (fact.status, fact.park_fact_id, fact.reviewed_by) == (
        ReviewStatus.ACCEPTED,
        pf.pk,
        manager,
    )
    changed = _changed(before, _snapshot())
    assert set(changed) == {"park_facts", "facts"} and len(changed["facts"][1]) == 1
    assert _actions() == ["park.fact_add", "news.fact.accept"]


def test_accept_fact_on_another_park_with_another_kind(fact, manager):
    other = ParkFactory(name="北京生命科学园孵化器")
    pf = review.fact_accept(
        fact=fact, actor=manager, park=other, kind="other", label="孵化器入住率"
    )
    assert (pf.park, pf.kind, pf.label) == (other, "other", "孵化器入住率")
    fact.refresh_from_db()
    assert fact.park == other


def test_accept_fact_without_a_park_is_refused(manager):
    orphan = FactFactory(park=None)
    with pytest.raises(ValidationError):
        review.fact_accept(fact=orphan, actor=manager)
    assert ParkFact.objects.count() == 0 and AuditEntry.objects.count() == 0
    assert Fact.objects.get(pk=orphan.pk).status == ReviewStatus.PROPOSED


def test_merge_fact_points_to_the_existing_park_fact_without_a_new_row(fact, manager):
    existing = ParkFact.objects.create(
        park=fact.park,
        kind="occupancy",
        value=Decimal("91"),
        unit="%",
        as_of="2010",
        origin="dataset",
    )
    before = _snapshot()
    review.fact_merge(fact=fact, actor=manager, park_fact=existing)
    fact.refresh_from_db()
    assert (fact.status, fact.park_fact_id) == (ReviewStatus.MERGED, existing.pk)
    assert set(_changed(before, _snapshot())) == {"facts"}
    assert AuditEntry.objects.get().action == "news.fact.merge"


def test_reject_fact_changes_only_its_status(fact, manager):
    before = _snapshot()
    review.fact_reject(fact=fact, actor=manager, reason="数字有误")
    assert Fact.objects.get(pk=fact.pk).status == ReviewStatus.REJECTED
    changed = _changed(before, _snapshot())
    assert set(changed) == {"facts"}
    assert AuditEntry.objects.get().action == "news.fact.reject"
    with pytest.raises(ValidationError):
        review.fact_accept(fact=fact, actor=manager)


# --- Back-office pages ---------------------------------------------------------------------


def test_queue_needs_an_operator(client, django_user_model):
    url = reverse("office:news-queue")
    assert client.get(url).status_code == 302
    client.force_login(django_user_model.objects.create_user("visitor", password="x"))
    assert client.get(url).status_code == 403


def test_queue_page_lists_proposals_with_query_count(
    agent_client, queue, fact, django_assert_max_num_queries
):
    FactFactory.create_batch(5, article=queue["a2"])
    with django_assert_max_num_queries(12):
        resp = agent_client.get(reverse("office:news-queue"))
    html = resp.content.decode()
    assert "保诺科技" in html and "北京生物医药基地" in html and "百济神州" in html
    assert reverse("office:news-fact", args=[fact.pk]) in html


def test_entity_page_accept_via_the_form(agent_client, agent, queue):
    url = reverse("office:news-entity", args=[queue["org_mentions"][0].pk])
    page = agent_client.get(url).content.decode()
    assert "<mark>保诺科技</mark>" in page
    resp = agent_client.post(url, {"action": "accept", "name": "保诺科技", "org_kind": ""})
    assert resp.status_code == 302
    org = Organization.objects.get(name="保诺科技")
    assert Mention.objects.filter(org=org, status=ReviewStatus.ACCEPTED).count() == 3
    assert _news_audit().get().actor == agent


def test_entity_page_merge_by_candidate_and_reject(agent_client, queue):
    target = OrganizationFactory(name="百济神州(北京)生物科技有限公司")
    url = reverse("office:news-entity", args=[queue["other"].pk])
    page = agent_client.get(url).content.decode()
    assert f'value="{target.pk}"' in page  # offered as a candidate
    agent_client.post(url, {"action": "merge", "target": str(target.pk)})
    assert Mention.objects.get(pk=queue["other"].pk).org == target
    url = reverse("office:news-entity", args=[queue["park_mention"].pk])
    agent_client.post(url, {"action": "reject", "reason": "误识别"})
    assert Mention.objects.get(pk=queue["park_mention"].pk).status == ReviewStatus.REJECTED
    assert _actions() == ["org.update", "news.entity.merge", "news.entity.reject"]


def test_entity_page_merge_into_unknown_name_writes_nothing(agent_client, queue):
    before = _snapshot()
    url = reverse("office:news-entity", args=[queue["other"].pk])
    resp = agent_client.post(url, {"action": "merge", "target": "不存在的机构"})
    assert resp.status_code == 200 and "找不到" in resp.content.decode()
    assert _snapshot() == before and AuditEntry.objects.count() == 0


def test_fact_page_accept_merge_reject(agent_client, fact):
    url = reverse("office:news-fact", args=[fact.pk])
    page = agent_client.get(url).content.decode()
    assert fact.text in page
    resp = agent_client.post(
        url,
        {"action": "accept", "park": fact.park_id, "kind": "occupancy", "label": "孵化器入住率"},
    )
    assert resp.status_code == 302
    pf = ParkFact.objects.get()
    assert (pf.label, pf.origin, pf.article_id) == ("孵化器入住率", "article", fact.article_id)
    second = FactFactory(article=fact.article, park=fact.park)
    agent_client.post(
        reverse("office:news-fact", args=[second.pk]), {"action": "merge", "park_fact": pf.pk}
    )
    assert Fact.objects.get(pk=second.pk).park_fact_id == pf.pk
    third = FactFactory(article=fact.article, park=fact.park)
    agent_client.post(reverse("office:news-fact", args=[third.pk]), {"action": "reject"})
    assert Fact.objects.get(pk=third.pk).status == ReviewStatus.REJECTED
    assert ParkFact.objects.count() == 1


# --- Takedowns, runs, dashboard -------------------------------------------------------------


def test_takedown_handling_needs_a_manager_and_can_take_the_article_down(
    agent_client, client, manager
):
    req = TakedownRequestFactory()
    url = reverse("office:news-takedown-handle", args=[req.pk])
    assert req.article.title in agent_client.get(reverse("office:news-takedowns")).content.decode()
    assert agent_client.post(url, {"action": "take_down"}).status_code == 403
    client.force_login(manager)
    client.post(url, {"action": "take_down"})
    req.refresh_from_db()
    assert req.handled is True
    assert Article.objects.get(pk=req.article_id).status == ArticleStatus.TAKEN_DOWN
    assert client.get(req.article.get_absolute_url()).status_code == 404
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.detail["taken_down"]) == ("news.takedown.handle", True)


def test_takedown_kept_leaves_the_article_published(manager):
    req = TakedownRequestFactory()
    review.takedown_handle(takedown=req, actor=manager, take_down=False)
    assert Article.objects.get(pk=req.article_id).status == ArticleStatus.PUBLISHED
    assert TakedownRequest.objects.get(pk=req.pk).handled is True
    with pytest.raises(ValidationError):
        review.takedown_handle(takedown=req, actor=manager, take_down=True)
    assert Article.objects.get(pk=req.article_id).status == ArticleStatus.PUBLISHED


def test_runs_page_and_dashboard_panel(agent_client, queue, fact):
    IngestRunFactory()
    TakedownRequestFactory()
    runs = agent_client.get(reverse("office:news-runs")).content.decode()
    assert "bad.bin" in runs
    dash = agent_client.get(reverse("office:dashboard")).content.decode()
    assert "资讯审核" in dash
    panel = dash[dash.index('class="card news-panel"') :]
    # 1 park, 2 orgs (distinct names), 1 fact, 1 takedown
    strongs = [s.split("</strong>")[0] for s in panel.split("<strong>")[1:5]]
    assert strongs == ["1", "2", "1", "1"]


def test_takedown_buttons_only_for_managers(agent_client, client, manager):
    req = TakedownRequestFactory()
    handle = reverse("office:news-takedown-handle", args=[req.pk])
    assert handle not in agent_client.get(reverse("office:news-takedowns")).content.decode()
    client.force_login(manager)
    assert handle in client.get(reverse("office:news-takedowns")).content.decode()


def test_admin_lists_and_opens_news_records(admin_client, queue, fact):
    TakedownRequestFactory()
    IngestRunFactory()
    for model in ("source", "article", "mention", "fact", "ingestrun", "takedownrequest"):
        assert admin_client.get(f"/admin/news/{model}/").status_code == 200
    assert admin_client.get(f"/admin/news/article/{queue['a1'].pk}/change/").status_code == 200
