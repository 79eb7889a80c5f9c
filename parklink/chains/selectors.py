"""Reads for the chain map: the catalogue and the news turned into the engine's inputs.

A constant number of queries whatever the size of the register (parks, industries,
organisations, mentions, article bodies), then ``analysis.chain_analyse``.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from parklink.chains import analysis, network
from parklink.chains.analysis import ChainAnalysis, ChainConfig, OrgInfo, ParkInfo
from parklink.chains.definitions import Template, builtin_templates, template_find
from parklink.chains.network import ArticleMentions, Mentioned, Network, NetworkConfig, Node
from parklink.news.models import Article, Mention
from parklink.news.selectors import RESOLVED_STATUSES, article_published
from parklink.orgs.models import Organization
from parklink.parks.models import Park

# The news read for sentences and co-mentions: the most recent articles naming organisations.
MAX_ARTICLES = 500


class TemplateNotFound(LookupError):
    """No chain template by that name."""


def chain_template_list() -> tuple[Template, ...]:
    return builtin_templates()


def park_get(pk: int) -> Park:
    """The park whose chain is shown (raises Park.DoesNotExist)."""
    return Park.objects.get(pk=pk)


def park_find(name: str) -> Park | None:
    """A park by its name or one of its aliases (exact, surrounding spaces ignored)."""
    name = name.strip()
    if not name:
        return None
    park = Park.objects.filter(name=name).first()
    if park is not None:
        return park
    for candidate in Park.objects.exclude(aliases=[]).only("id", "name", "aliases"):
        if name in (str(a).strip() for a in candidate.aliases):
            return Park.objects.get(pk=candidate.pk)
    return None


def _park_industries() -> dict[int, tuple[str, ...]]:
    industries: dict[int, list[str]] = defaultdict(list)
    rows = Park.industries.through.objects.values_list("park_id", "industry__name")
    for park_id, name in rows.order_by("park_id", "industry__name"):
        industries[park_id].append(name)
    return {k: tuple(v) for k, v in industries.items()}


def _news() -> tuple[dict[int, set[int]], dict[int, list[str]]]:
    """(article id → organisation ids it names, organisation id → sentences naming it)."""
    articles = list(
        article_published()
        .filter(mentions__org__isnull=False, mentions__status__in=RESOLVED_STATUSES)
        .distinct()
        .order_by("-published", "-id")
        .values_list("id", "body")[:MAX_ARTICLES]
    )
    bodies = dict(articles)
    mentions = Mention.objects.filter(
        article_id__in=list(bodies), org__isnull=False, status__in=RESOLVED_STATUSES
    ).values_list("article_id", "org_id", "start", "end")
    article_orgs: dict[int, set[int]] = defaultdict(set)
    sentences: dict[int, list[str]] = defaultdict(list)
    for article_id, org_id, start, end in mentions.order_by("article_id", "start"):
        article_orgs[article_id].add(org_id)
        sentence = analysis.sentence_around(bodies[article_id], start, end)
        if sentence and sentence not in sentences[org_id]:
            sentences[org_id].append(sentence)
    return article_orgs, sentences


def org_info_list() -> tuple[list[OrgInfo], dict[int, set[int]]]:
    """Every organisation as the engine sees it (its park, the park's industries, the news
    sentences naming it), and which organisations each recent article names."""
    parks = {p["id"]: p for p in Park.objects.values("id", "name", "district")}
    park_industries = _park_industries()
    article_orgs, sentences = _news()
    rows = Organization.objects.order_by("name").values(
        "id", "name", "aliases", "kind", "industry", "description", "segments", "park_id"
    )
    return [_org_info(r, parks, park_industries, sentences) for r in rows], article_orgs


def _org_info(row, parks, park_industries, sentences) -> OrgInfo:
    park = parks.get(row["park_id"]) or {}
    return OrgInfo(
        id=row["id"],
        name=row["name"],
        aliases=tuple(str(a) for a in row["aliases"] or () if a),
        kind=row["kind"],
        industry=row["industry"] or "",
        description=row["description"] or "",
        segments=tuple(str(s) for s in row["segments"] or () if s),
        park_id=row["park_id"],
        park_name=park.get("name", ""),
        district=park.get("district", ""),
        park_industries=park_industries.get(row["park_id"], ()),
        sentences=tuple(sentences.get(row["id"], ())),
    )


def park_chain_get(
    *, park: Park, template: str | None = None, config: ChainConfig | None = None
) -> ChainAnalysis:
    """The chain map of one park: on ``template`` (name, file name or alias) or, without
    one, on the template that fits the park's industries. Raises TemplateNotFound."""
    config = config or analysis.DEFAULT_CONFIG
    templates = chain_template_list()
    chosen: Template | None = None
    if template:
        chosen = template_find(template, templates)
        if chosen is None:
            raise TemplateNotFound(template)

    orgs, article_orgs = org_info_list()
    park_info = ParkInfo(
        id=park.pk,
        name=park.name,
        district=park.district,
        industries=tuple(park.industries.order_by("name").values_list("name", flat=True)),
    )
    if chosen is None:
        own = [o for o in orgs if o.park_id == park.pk]
        chosen = analysis.template_choose(park_info, templates, own, config)
    park_articles = set(
        Mention.objects.filter(
            park_id=park.pk, status__in=RESOLVED_STATUSES, article_id__in=list(article_orgs)
        ).values_list("article_id", flat=True)
    )
    return analysis.chain_analyse(
        park=park_info,
        template=chosen,
        orgs=orgs,
        article_orgs=article_orgs,
        park_articles=park_articles,
        config=config,
    )


# --- The innovation network -----------------------------------------------------------------

_INSTITUTE_KINDS = {"institute", "university", "hospital"}


def park_network_get(*, park: Park, config: NetworkConfig | None = None) -> Network:
    """The co-mention and relationship network around one park (chains/network.py), from
    the newest MAX_ARTICLES published articles naming the park or one of its organisations.
    Five queries whatever the size of the news."""
    own_orgs = list(Organization.objects.filter(park=park).values_list("id", flat=True))
    article_ids = list(
        article_published()
        .filter(
            Q(mentions__park=park) | Q(mentions__org_id__in=own_orgs),
            mentions__status__in=RESOLVED_STATUSES,
        )
        .distinct()
        .order_by("-published", "-id")
        .values_list("id", flat=True)[:MAX_ARTICLES]
    )
    rows = (
        Mention.objects.filter(article_id__in=article_ids, status__in=RESOLVED_STATUSES)
        .filter(Q(park__isnull=False) | Q(org__isnull=False))
        .values_list("article_id", "park_id", "org_id", "start", "end")
        .order_by("article_id", "start")
    )
    mentions: dict[int, list[Mentioned]] = defaultdict(list)
    park_ids, org_ids = {park.pk}, set(own_orgs)
    for article_id, park_id, org_id, start, end in rows:
        key = f"park:{park_id}" if park_id else f"org:{org_id}"
        (park_ids if park_id else org_ids).add(park_id or org_id)
        mentions[article_id].append(Mentioned(key, start, end))
    nodes: dict[str, Node] = {}
    for pk, name in Park.objects.filter(pk__in=park_ids).values_list("id", "name"):
        nodes[f"park:{pk}"] = Node(f"park:{pk}", name, network.PARK)
    for pk, name, kind in Organization.objects.filter(pk__in=org_ids).values_list(
        "id", "name", "kind"
    ):
        kind_out = network.INSTITUTE if kind in _INSTITUTE_KINDS else network.ORG
        nodes[f"org:{pk}"] = Node(f"org:{pk}", name, kind_out)
    articles = [
        ArticleMentions(pk, title, body, tuple(mentions.get(pk, ())))
        for pk, title, body in Article.objects.filter(pk__in=article_ids).values_list(
            "id", "title", "body"
        )
    ]
    return network.park_network(
        park=nodes[f"park:{park.pk}"],
        nodes=nodes,
        articles=articles,
        own=[f"org:{i}" for i in own_orgs],
        config=config or network.DEFAULT_CONFIG,
    )
