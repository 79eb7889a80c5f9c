"""Reads of the news area: what the portal publishes, what the review queue holds.

Published means status "published" and not a duplicate of another article: a repost
points to its canonical (`duplicate_of`) and is never listed twice.
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.db.models.functions import Substr

from parklink.news.choices import ArticleStatus, EntityKind, ReviewStatus
from parklink.news.models import Article, Fact, IngestRun, Mention, TakedownRequest
from parklink.orgs.models import Organization
from parklink.parks.models import Park

PAGE_SIZE = 20
LEAD_CHARS = 160  # characters of the body a list shows
# A mention counts as "recognised" (linked to a catalogue record) in these states.
RESOLVED_STATUSES = (ReviewStatus.LINKED, ReviewStatus.ACCEPTED, ReviewStatus.MERGED)


_TAG = re.compile(r"<[^>]*>")


def plain_excerpt(text: str, length: int = 120) -> str:
    """The first `length` characters of a body as one line of plain text (tags stripped)."""
    plain = re.sub(r"\s+", " ", _TAG.sub(" ", html.unescape(text or ""))).strip()
    return plain if len(plain) <= length else plain[:length].rstrip() + "…"


def article_published() -> QuerySet[Article]:
    """Articles the portal shows: published and not a duplicate."""
    return Article.objects.filter(status=ArticleStatus.PUBLISHED, duplicate_of__isnull=True)


def article_list(*, category: str | None = None) -> QuerySet[Article]:
    """Published articles, newest first, optionally of one category. The list columns only:
    bodies stay in the database."""
    qs = article_published()
    if category:
        qs = qs.filter(category=category)
    return (
        qs.select_related("source")
        .defer("body", "body_simplified", "tokens", "minhash", "related")
        .annotate(lead=Substr("body", 1, LEAD_CHARS))
        .order_by("-published", "-id")
    )


def article_page(
    *, category: str | None = None, page: int | str | None = 1, per_page: int = PAGE_SIZE
) -> Page:
    """One page of `article_list` (out-of-range and junk page numbers give the last/first)."""
    return Paginator(article_list(category=category), per_page).get_page(page)


def article_category_list() -> list[tuple[str, int]]:
    """Categories with their number of published articles, largest first."""
    rows = (
        article_published()
        .exclude(category="")
        .values("category")
        .annotate(n=Count("id"))
        .order_by("-n", "category")
    )
    return [(r["category"], r["n"]) for r in rows]


def article_get(*, article_id: int, public: bool = True) -> Article:
    """One article with its mentions (and their parks/orgs) and facts, in three queries.

    With `public`, only a published article is returned; a duplicate is returned too (the
    view redirects it to its canonical). Raises Article.DoesNotExist.
    """
    qs = Article.objects.select_related("source", "duplicate_of").prefetch_related(
        Prefetch(
            "mentions",
            queryset=Mention.objects.select_related("park", "org").order_by("start", "id"),
        ),
        Prefetch("facts", queryset=Fact.objects.select_related("park").order_by("start", "id")),
    )
    if public:
        qs = qs.filter(status=ArticleStatus.PUBLISHED)
    return qs.get(pk=article_id)


def article_hot_list(
    *, limit: int = 10, exclude_id: int | None = None, category: str | None = None
) -> list[Article]:
    """The most read published articles (views, then newest), optionally of one category."""
    qs = article_published().only("id", "title", "published", "views", "category")
    if category:
        qs = qs.filter(category=category)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return list(qs.order_by("-views", "-published", "-id")[:limit])


def _mentioning(*, limit: int, **mention_filter: int) -> list[Article]:
    ids = (
        Mention.objects.filter(status__in=RESOLVED_STATUSES, **mention_filter)
        .values("article_id")
        .distinct()
    )
    return list(
        article_published()
        .filter(pk__in=ids)
        .only("id", "title", "published", "views", "category")
        .order_by("-published", "-id")[:limit]
    )


def park_article_list(*, park: Park | int, limit: int = 6) -> list[Article]:
    """Published articles that mention a park (linked or reviewed mentions), newest first."""
    return _mentioning(park_id=park if isinstance(park, int) else park.pk, limit=limit)


def org_article_list(*, org: Organization | int, limit: int = 6) -> list[Article]:
    """Published articles that mention an organisation (linked or reviewed), newest first."""
    return _mentioning(org_id=org if isinstance(org, int) else org.pk, limit=limit)


# --- Related articles ------------------------------------------------------------------


@dataclass(frozen=True)
class RelatedScore:
    """Why an article is related: shared linked parks/orgs first, then shared terms."""

    article_id: int
    shared_entities: int
    term_score: float

    @property
    def key(self) -> tuple[int, float]:
        return (self.shared_entities, self.term_score)


# Single characters, digits and latin noise say nothing about what an article is about.
_TOKEN_OK = re.compile(r"^[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]+$")
_STOP = frozenset(
    [
        "我们",
        "他们",
        "这里",
        "那里",
        "一个",
        "一批",
        "已经",
        "以及",
        "进行",
        "通过",
        "不断",
        "积极",
        "成为",
        "发展",
        "建设",
        "方面",
        "其中",
        "同时",
        "目前",
        "表示",
        "工作",
        "相关",
        "有关",
        "开展",
        "推进",
        "实现",
        "提供",
        "打造",
        "形成",
        "作为",
        "这些",
        "这个",
        "可以",
        "没有",
        "还是",
        "因为",
        "所以",
        "如果",
        "但是",
        "而且",
        "并且",
        "对于",
        "关于",
        "以上",
        "以下",
        "之一",
        "更加",
    ]
)
RELATED_POOL = 200  # newest published articles considered by terms alone
RELATED_ENTITY_ROWS = 2000  # newest mentions of the shared parks/orgs considered
RELATED_MIN_TERM_SCORE = 0.05  # below this, two articles share words only by chance


def article_terms(article: Article) -> Counter[str]:
    """Content terms of an article: its jieba tokens (space-separated in `tokens`), or
    character bigrams of title and body when the article was stored without tokens."""
    if article.tokens:
        words = [w for w in article.tokens.split() if _TOKEN_OK.match(w) and w not in _STOP]
    else:
        text = re.sub(r"[^\u4e00-\u9fff]+", " ", f"{article.title} {article.body_simplified}")
        words = [c[i : i + 2] for c in text.split() for i in range(len(c) - 1)]
    return Counter(words)


_LOG_TF = [0.0, *(1 + math.log(n) for n in range(1, 256))]


def _weights(c: Counter[str], idf: dict[str, float]) -> tuple[dict[str, float], float]:
    """Log-tf × idf weights of a term vector and its Euclidean norm."""
    w = {t: (_LOG_TF[n] if n < 256 else 1 + math.log(n)) * idf.get(t, 1.0) for t, n in c.items()}
    return w, math.sqrt(sum(x * x for x in w.values()))


def term_similarity(a: Counter[str], b: Counter[str], idf: dict[str, float]) -> float:
    """Cosine of idf-weighted term frequencies (log-scaled), 0..1."""
    if not a or not b:
        return 0.0
    (wa, na), (wb, nb) = _weights(a, idf), _weights(b, idf)
    return _cosine(wa, na, wb, nb)


def _cosine(wa: dict[str, float], na: float, wb: dict[str, float], nb: float) -> float:
    if len(wb) < len(wa):
        wa, wb = wb, wa
    dot = sum(w * wb[t] for t, w in wa.items() if t in wb)
    return dot / (na * nb) if dot else 0.0


def related_rank(
    *,
    article_id: int,
    entities: dict[int, set[tuple[str, int]]],
    terms: dict[int, Counter[str]],
    limit: int,
) -> list[RelatedScore]:
    """Rank candidates against `article_id`: by the number of linked parks/orgs they share,
    then by idf-weighted term similarity. Candidates sharing neither an entity nor enough
    terms are dropped, so the list is never filled by chance."""
    own_entities = entities.get(article_id, set())
    own_terms = terms.get(article_id, Counter())
    n_docs = max(len(terms), 1)
    df: Counter[str] = Counter()
    for c in terms.values():
        df.update(c.keys())
    idf = {t: math.log((1 + n_docs) / (1 + d)) + 1 for t, d in df.items()}
    own_w, own_norm = _weights(own_terms, idf)
    scores = []
    for cid in set(terms) | set(entities):
        if cid == article_id:
            continue
        shared = len(own_entities & entities.get(cid, set()))
        other = terms.get(cid)
        sim = 0.0
        if other and own_w:
            wb, nb = _weights(other, idf)
            sim = _cosine(own_w, own_norm, wb, nb)
        if shared == 0 and sim < RELATED_MIN_TERM_SCORE:
            continue
        scores.append(RelatedScore(cid, shared, round(sim, 6)))
    scores.sort(key=lambda s: (-s.shared_entities, -s.term_score, -s.article_id))
    return scores[:limit]


def _entity_keys(mentions: Iterable[Mention]) -> set[tuple[str, int]]:
    keys: set[tuple[str, int]] = set()
    for m in mentions:
        if m.status not in RESOLVED_STATUSES:
            continue
        if m.park_id:
            keys.add(("park", m.park_id))
        if m.org_id:
            keys.add(("org", m.org_id))
    return keys


def article_related_list(*, article: Article, limit: int = 6) -> list[Article]:
    """Articles related to `article` by shared linked parks/orgs, then shared terms.

    Candidates: every published article sharing a linked entity, plus the newest
    RELATED_POOL published articles. Cached per article version for ten minutes.
    """
    key = f"news:related:{article.pk}:{article.updated_at.timestamp():.0f}:{limit}"
    ids = cache.get(key)
    if ids is None:
        ids = _related_ids(article=article, limit=limit)
        cache.set(key, ids, 600)
    by_id = {
        a.pk: a
        for a in article_published()
        .filter(pk__in=ids)
        .only("id", "title", "published", "views", "category")
    }
    return [by_id[i] for i in ids if i in by_id]


def _related_ids(*, article: Article, limit: int) -> list[int]:
    own = _entity_keys(article.mentions.all())
    entities: dict[int, set[tuple[str, int]]] = {article.pk: own}
    if own:
        parks = [i for k, i in own if k == "park"]
        orgs = [i for k, i in own if k == "org"]
        rows = (
            Mention.objects.filter(status__in=RESOLVED_STATUSES)
            .filter(Q(park_id__in=parks) | Q(org_id__in=orgs))
            .filter(article__status=ArticleStatus.PUBLISHED, article__duplicate_of__isnull=True)
            .exclude(article_id=article.pk)
            .order_by("-article_id")
            .values_list("article_id", "park_id", "org_id")[:RELATED_ENTITY_ROWS]
        )
        for aid, park_id, org_id in rows:
            s = entities.setdefault(aid, set())
            if park_id in parks:
                s.add(("park", park_id))
            if org_id in orgs:
                s.add(("org", org_id))
    pool_ids = list(
        article_published()
        .exclude(pk=article.pk)
        .order_by("-published", "-id")
        .values_list("id", flat=True)[:RELATED_POOL]
    )
    candidates = set(pool_ids) | set(entities)
    candidates.discard(article.pk)
    terms = {article.pk: article_terms(article)}
    for cand in Article.objects.filter(pk__in=candidates).only(
        "id", "title", "tokens", "body_simplified"
    ):
        terms[cand.pk] = article_terms(cand)
    return [
        s.article_id
        for s in related_rank(article_id=article.pk, entities=entities, terms=terms, limit=limit)
    ]


# --- Review queue (back office) ---------------------------------------------------------


REVIEWABLE_KINDS = (EntityKind.PARK, EntityKind.ORG)


@dataclass(frozen=True)
class ReviewCounts:
    parks: int
    orgs: int
    facts: int
    takedowns: int

    @property
    def total(self) -> int:
        return self.parks + self.orgs + self.facts


def review_counts() -> ReviewCounts:
    """What waits for an operator: proposed new parks/orgs (distinct names), proposed facts,
    unhandled takedown requests."""
    by_kind = dict(
        Mention.objects.filter(status=ReviewStatus.PROPOSED, kind__in=REVIEWABLE_KINDS)
        .values("kind")
        .annotate(n=Count("text", distinct=True))
        .values_list("kind", "n")
    )
    return ReviewCounts(
        parks=by_kind.get(EntityKind.PARK, 0),
        orgs=by_kind.get(EntityKind.ORG, 0),
        facts=Fact.objects.filter(status=ReviewStatus.PROPOSED).count(),
        takedowns=TakedownRequest.objects.filter(handled=False).count(),
    )


@dataclass(frozen=True)
class ProposedEntity:
    """One proposed new park or organisation: a name and every mention of it waiting."""

    kind: str
    text: str
    mentions: int
    articles: int
    first_mention_id: int


def proposed_entity_list(*, kind: str | None = None) -> list[ProposedEntity]:
    """Proposed new parks/orgs, one row per (kind, name), most mentioned first."""
    qs = Mention.objects.filter(status=ReviewStatus.PROPOSED, kind__in=REVIEWABLE_KINDS)
    if kind:
        qs = qs.filter(kind=kind)
    rows = (
        qs.values("kind", "text")
        .annotate(
            n=Count("id"),
            arts=Count("article", distinct=True),
            first=Min("id"),
        )
        .order_by("-n", "text")
    )
    return [ProposedEntity(r["kind"], r["text"], r["n"], r["arts"], r["first"]) for r in rows]


def mention_get(*, mention_id: int) -> Mention:
    return Mention.objects.select_related("article", "park", "org").get(pk=mention_id)


def mention_group_list(*, mention: Mention) -> QuerySet[Mention]:
    """Every proposed mention with the same kind and text: one decision covers them all."""
    return (
        Mention.objects.filter(status=ReviewStatus.PROPOSED, kind=mention.kind, text=mention.text)
        .select_related("article")
        .order_by("article_id", "start")
    )


def proposed_fact_list() -> QuerySet[Fact]:
    return (
        Fact.objects.filter(status=ReviewStatus.PROPOSED)
        .select_related("article", "park")
        .only(
            "id",
            "subject",
            "kind",
            "value",
            "value_text",
            "unit",
            "as_of",
            "text",
            "currency",
            "confidence",
            "park__id",
            "park__name",
            "article__id",
            "article__title",
        )
        # Most certain first: a reviewer clears the clear cases in bulk, then the doubtful.
        .order_by("-confidence", "article_id", "start", "id")
    )


def fact_get(*, fact_id: int) -> Fact:
    return Fact.objects.select_related("article", "park", "org").get(pk=fact_id)


def sentence_context(
    *, article: Article, start: int, end: int, width: int = 60
) -> tuple[str, str, str]:
    """The text around [start, end) of the body: (before, match, after), clipped to `width`."""
    body = article.body
    return (
        body[max(0, start - width) : start],
        body[start:end],
        body[end : end + width],
    )


def takedown_list(*, handled: bool | None = None) -> QuerySet[TakedownRequest]:
    qs = TakedownRequest.objects.select_related("article").only(
        "id",
        "name",
        "contact",
        "reason",
        "created_at",
        "handled",
        "article__id",
        "article__title",
        "article__status",
    )
    if handled is not None:
        qs = qs.filter(handled=handled)
    return qs.order_by("handled", "-created_at")


def ingest_run_list(*, limit: int = 50) -> list[IngestRun]:
    return list(IngestRun.objects.select_related("actor").order_by("-started_at")[:limit])
