"""Every office and portal page runs a number of queries that does not grow with the data:
each page is rendered with a small data set and again after the data has grown several times
over, and the two query counts must be equal (Saleor's and NetBox's query-count tests)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parklink.leads import services as lead_services
from parklink.leads.choices import Stage
from parklink.matching import index as match_index
from parklink.news.choices import ArticleStatus, ReviewStatus
from parklink.parks import facets
from parklink.parks.models import Space
from tests.factories.leads import FollowUpFactory, InquiryFactory, LeadFactory
from tests.factories.news import ArticleFactory, FactFactory, MentionFactory
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import BuildingFactory, IndustryFactory, ParkFactory, SpaceFactory

_seq = itertools.count()


class World:
    """A small world that grows: parks with buildings and spaces, organisations, articles
    that mention them, leads with inquiries, follow-ups and tags in every stage."""

    def __init__(self, owner) -> None:
        self.owner = owner
        self.first: dict[str, object] = {}

    def grow(self, n: int) -> None:
        today = timezone.localdate()
        industry = IndustryFactory(name="生物医药")
        for _ in range(n):
            k = next(_seq)
            park = ParkFactory(name=f"规模测试园区{k}", district="昌平区")
            park.industries.add(industry)
            building = BuildingFactory(park=park)
            spaces = [
                SpaceFactory(
                    park=park,
                    building=building,
                    area_m2=Decimal(800 + 100 * j),
                    confirmed_at=timezone.now(),
                    available_from=today + timedelta(days=j),
                )
                for j in range(3)
            ]
            org = OrganizationFactory(name=f"规模测试生物科技有限公司{k}", park=park)
            for j in range(3):
                article = ArticleFactory(
                    title=f"规模测试园区{k}资讯{j}",
                    body=f"规模测试园区{k}迎来新企业。规模测试生物科技有限公司{k}入驻。",
                    published=date(2024, 1, 1) + timedelta(days=k * 3 + j),
                    status=ArticleStatus.PUBLISHED,
                )
                MentionFactory(
                    article=article,
                    kind="park",
                    text=park.name,
                    park=park,
                    status=ReviewStatus.ACCEPTED,
                )
                FactFactory(article=article, subject=park.name, park=park)
            for stage in Stage.values:
                lead = LeadFactory(
                    owner=self.owner,
                    stage=stage,
                    lost_reason="价格" if stage == Stage.LOST else "",
                    next_follow_up=today,
                )
                InquiryFactory(lead=lead)
                FollowUpFactory(lead=lead, author=self.owner)
                lead_services.lead_tags_set(lead=lead, actor=self.owner, names=["重点", "医药"])
            self.first.setdefault("park", park)
            self.first.setdefault("space", spaces[0])
            self.first.setdefault("org", org)
            self.first.setdefault("article", article)
            self.first.setdefault("lead", lead)
        facets.invalidate()
        match_index.invalidate()


def _pk(name: str) -> Callable[[World], list[int]]:
    return lambda w: [w.first[name].pk]


PORTAL = [
    ("portal:home", None, {}),
    ("portal:park-list", None, {}),
    ("portal:park-detail", _pk("park"), {}),
    ("portal:park-chain", _pk("park"), {}),
    ("portal:space-search", None, {}),
    ("portal:space-search", None, {"district": "昌平区", "sort": "price"}),
    ("portal:space-detail", _pk("space"), {}),
    ("portal:org-detail", _pk("org"), {}),
    ("portal:news-list", None, {}),
    ("portal:news-list", None, {"page": "2"}),
    ("portal:article-detail", _pk("article"), {}),
    ("portal:search", None, {"q": "规模测试园区"}),
    ("portal:policy-index", None, {}),
]
OFFICE = [
    ("office:dashboard", None, {}),
    ("office:lead-list", None, {}),
    ("office:lead-list", None, {"page": "2"}),
    ("office:lead-list", None, {"tag": "重点"}),
    ("office:lead-board", None, {}),
    ("office:lead-pool", None, {}),
    ("office:lead-detail", _pk("lead"), {}),
    ("office:catalogue-spaces", None, {}),
    ("office:catalogue-parks", None, {}),
    ("office:catalogue-orgs", None, {}),
    ("office:news-queue", None, {}),
    ("office:match-alerts", None, {}),
    ("office:lease-list", None, {}),
    ("office:policy-list", None, {}),
]


def _count(client, url: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def _check(client, world: World, pages) -> None:
    world.grow(2)
    urls = [
        (reverse(name, args=args(world) if args else None), params) for name, args, params in pages
    ]
    for url, params in urls:
        _count(client, url, params)  # warm per-process caches (indexes, segmenter)
    small = {(u, tuple(p.items())): _count(client, u, p) for u, p in urls}
    world.grow(8)
    for url, params in urls:
        _count(client, url, params)
    large = {(u, tuple(p.items())): _count(client, u, p) for u, p in urls}
    grew = {k: (small[k], large[k]) for k in small if large[k] != small[k]}
    assert not grew, f"query counts grew with the data (small, large): {grew}"


@pytest.mark.django_db
def test_portal_pages_query_count_does_not_grow(client, manager):
    _check(client, World(manager), PORTAL)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "agent"])
def test_office_pages_query_count_does_not_grow(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    pages = OFFICE if role == "manager" else [p for p in OFFICE if p[0].startswith("office:lead")]
    _check(client, World(user), pages)


@pytest.mark.django_db
def test_board_loads_a_bounded_window_per_stage(client, manager):
    """The board shows the newest cards of each stage and the true totals."""
    from parklink.leads import selectors

    world = World(manager)
    world.grow(4)
    columns = selectors.lead_board(viewer=manager, per_column=3)
    for column in columns:
        assert column.total == 4
        assert len(column.leads) == 3
        times = [(lead.last_inquiry_at, lead.pk) for lead in column.leads]
        assert times == sorted(times, reverse=True)
        assert {lead.stage for lead in column.leads} == {column.stage}
    assert Space.objects.count() == 12
