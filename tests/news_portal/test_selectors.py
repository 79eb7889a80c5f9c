"""Reads of the news area: lists, related ranking, hot list, park articles, review counts."""

from __future__ import annotations

from collections import Counter

import pytest

from parklink.news import selectors
from parklink.news.choices import ArticleStatus, EntityKind, ReviewStatus
from tests.factories.news import (
    ArticleFactory,
    FactFactory,
    MentionFactory,
    TakedownRequestFactory,
)
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import ParkFactory

pytestmark = pytest.mark.django_db

BIO = "生物医药 创新 孵化器 园区 企业 研发 临床 生命科学 蛋白质 药物"
CHIP = "集成电路 芯片 设计 封装 测试 晶圆 园区 企业"


def test_article_list_is_published_non_duplicates_newest_first_by_category():
    old = ArticleFactory(published="2023-01-01", category="政策")
    new = ArticleFactory(published="2024-06-01", category="北京产业信息")
    ArticleFactory(duplicate_of=new)
    for status in (ArticleStatus.HIDDEN, ArticleStatus.TAKEN_DOWN, ArticleStatus.DRAFT):
        ArticleFactory(status=status)
    assert list(selectors.article_list()) == [new, old]
    assert list(selectors.article_list(category="政策")) == [old]
    assert selectors.article_category_list() == [("北京产业信息", 1), ("政策", 1)]


def test_article_page_paginates_and_tolerates_bad_page_numbers():
    ArticleFactory.create_batch(5)
    assert len(selectors.article_page(page=1, per_page=2).object_list) == 2
    assert selectors.article_page(page="junk", per_page=2).number == 1
    assert selectors.article_page(page=99, per_page=2).number == 3


def test_related_ranks_shared_entities_before_shared_terms_and_drops_chance():
    park = ParkFactory(name="中关村生命科学园")
    org = OrganizationFactory(name="百济神州")
    article = ArticleFactory(tokens=BIO)
    MentionFactory(
        article=article, kind=EntityKind.PARK, text=park.name, park=park, status=ReviewStatus.LINKED
    )
    MentionFactory(
        article=article, kind=EntityKind.ORG, text=org.name, org=org, status=ReviewStatus.ACCEPTED
    )
    both = ArticleFactory(tokens=CHIP)  # different words, same park and org
    MentionFactory(
        article=both, kind=EntityKind.PARK, text=park.name, park=park, status=ReviewStatus.LINKED
    )
    MentionFactory(
        article=both, kind=EntityKind.ORG, text=org.name, org=org, status=ReviewStatus.MERGED
    )
    one = ArticleFactory(tokens=CHIP)
    MentionFactory(
        article=one, kind=EntityKind.ORG, text=org.name, org=org, status=ReviewStatus.LINKED
    )
    words = ArticleFactory(tokens=BIO + " 静思湖")  # no shared entity, shares the words
    proposed_only = ArticleFactory(tokens="足球 比赛 冠军 奥运会 选手")
    # A proposed (unreviewed) mention with a park set does not count as shared.
    MentionFactory(article=proposed_only, kind=EntityKind.PARK, text=park.name, park=park)
    unrelated = ArticleFactory(tokens="足球 比赛 冠军 奥运会 选手 金牌")
    hidden = ArticleFactory(tokens=BIO, status=ArticleStatus.HIDDEN)
    article = selectors.article_get(article_id=article.pk)
    related = selectors.article_related_list(article=article, limit=10)
    assert related == [both, one, words]
    assert unrelated not in related and hidden not in related and proposed_only not in related


def test_related_falls_back_to_character_bigrams_without_tokens():
    a = ArticleFactory(title="生命科学园孵化器入住率", body="生命科学园孵化器入住率高达百分之九十")
    b = ArticleFactory(title="生命科学园孵化器扩建", body="生命科学园孵化器将扩建二期")
    ArticleFactory(title="风电光伏装机", body="我国风电光伏发电装机超过煤电装机")
    a = selectors.article_get(article_id=a.pk)
    assert selectors.article_related_list(article=a) == [b]


def test_related_rank_is_a_pure_function_of_entities_and_terms():
    terms = {1: Counter(BIO.split()), 2: Counter(BIO.split()), 3: Counter(CHIP.split())}
    entities = {1: {("park", 9)}, 3: {("park", 9)}}
    ranked = selectors.related_rank(article_id=1, entities=entities, terms=terms, limit=5)
    assert [r.article_id for r in ranked] == [3, 2]
    assert ranked[0].shared_entities == 1 and ranked[1].shared_entities == 0
    assert ranked[1].term_score == pytest.approx(1.0)


def test_hot_list_orders_by_views_and_skips_unpublished_and_duplicates():
    low = ArticleFactory(views=3)
    high = ArticleFactory(views=300)
    mid = ArticleFactory(views=30)
    ArticleFactory(views=10_000, status=ArticleStatus.TAKEN_DOWN)
    ArticleFactory(views=10_000, duplicate_of=low)
    assert selectors.article_hot_list(limit=3) == [high, mid, low]
    assert selectors.article_hot_list(limit=2, exclude_id=high.pk) == [mid, low]


def test_park_article_list_counts_linked_and_reviewed_mentions_only():
    park = ParkFactory()
    other = ParkFactory()
    linked = ArticleFactory(published="2024-01-01")
    accepted = ArticleFactory(published="2024-05-01")
    MentionFactory(article=linked, kind=EntityKind.PARK, park=park, status=ReviewStatus.LINKED)
    MentionFactory(article=linked, kind=EntityKind.PARK, park=park, status=ReviewStatus.LINKED)
    MentionFactory(article=accepted, kind=EntityKind.PARK, park=park, status=ReviewStatus.ACCEPTED)
    MentionFactory(kind=EntityKind.PARK, park=park, status=ReviewStatus.REJECTED)
    MentionFactory(kind=EntityKind.PARK, park=other, status=ReviewStatus.LINKED)
    MentionFactory(
        article=ArticleFactory(status=ArticleStatus.HIDDEN),
        kind=EntityKind.PARK,
        park=park,
        status=ReviewStatus.LINKED,
    )
    assert selectors.park_article_list(park=park) == [accepted, linked]
    assert selectors.park_article_list(park=park.pk, limit=1) == [accepted]


def test_review_counts_count_distinct_proposed_names():
    MentionFactory.create_batch(3, kind=EntityKind.ORG, text="保诺科技")
    MentionFactory(kind=EntityKind.ORG, text="新时代集团")
    MentionFactory(kind=EntityKind.PARK, text="北京生物医药基地")
    MentionFactory(kind=EntityKind.PLACE, text="昌平区")  # places are not reviewed
    MentionFactory(kind=EntityKind.ORG, text="迈瑞", status=ReviewStatus.LINKED)
    FactFactory.create_batch(2)
    FactFactory(status=ReviewStatus.ACCEPTED)
    TakedownRequestFactory()
    TakedownRequestFactory(handled=True)
    counts = selectors.review_counts()
    assert (counts.parks, counts.orgs, counts.facts, counts.takedowns) == (1, 2, 2, 1)
    rows = selectors.proposed_entity_list()
    assert (rows[0].text, rows[0].mentions) == ("保诺科技", 3)
    assert {r.text for r in selectors.proposed_entity_list(kind=EntityKind.PARK)} == {
        "北京生物医药基地"
    }
