"""Factories of the news area: articles with their mentions, facts and takedown requests.

They stand in for the ingestion engine in portal and review tests; the integration test
in tests/news_portal/test_seed_integration.py uses the real `article_ingest`.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from parklink.news.choices import ArticleStatus, EntityKind, ReviewStatus
from parklink.news.models import Article, Fact, IngestRun, Mention, Source, TakedownRequest


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("domain",)

    name = factory.Sequence(lambda n: f"测试资讯网{n}")
    domain = factory.Sequence(lambda n: f"news{n}.example.test")
    base_url = factory.LazyAttribute(lambda o: f"https://{o.domain}/")
    copyright_line = "版权声明:本文由测试资讯网发布,如需转载请注明出处。"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"测试资讯标题{n}")
    author = "admin"
    published = factory.LazyFunction(lambda: date(2024, 11, 3))
    category = "北京产业信息"
    body = "第一段正文。\n\n第二段正文。"
    body_simplified = factory.LazyAttribute(lambda o: o.body)
    source = factory.SubFactory(SourceFactory)
    source_ref = factory.Sequence(lambda n: f"https://news.example.test/a/{n}.html")
    url = factory.LazyAttribute(lambda o: o.source_ref if o.source_ref.startswith("http") else "")
    fetched_at = factory.LazyFunction(timezone.now)
    content_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.body.encode()).hexdigest())
    tokens = ""
    status = ArticleStatus.PUBLISHED


def mention_for(article: Article, text: str, *, occurrence: int = 0, **kwargs) -> Mention:
    """A mention of `text` at its real offsets in `article.body` (the n-th occurrence)."""
    start = -1
    for _ in range(occurrence + 1):
        start = article.body.index(text, start + 1)
    return MentionFactory(article=article, text=text, start=start, end=start + len(text), **kwargs)


class MentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mention

    article = factory.SubFactory(ArticleFactory)
    kind = EntityKind.ORG
    text = "示例机构"
    start = 0
    end = factory.LazyAttribute(lambda o: o.start + len(o.text))
    status = ReviewStatus.PROPOSED


class FactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fact

    article = factory.SubFactory(ArticleFactory)
    subject = "中关村生命科学园"
    kind = "occupancy"
    value = Decimal("91")
    value_text = "91%"
    unit = "%"
    as_of = "2010"
    text = "至2010年,其孵化器入住率已高达91%。"
    status = ReviewStatus.PROPOSED


class IngestRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IngestRun

    inputs = 3
    ok = 2
    failed = 1
    errors = factory.LazyFunction(lambda: [{"source": "bad.bin", "error": "二进制文件 / binary"}])


class TakedownRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TakedownRequest

    article = factory.SubFactory(ArticleFactory)
    name = "某权利人"
    contact = "rights@example.test"
    reason = "本文未经授权转载。"
