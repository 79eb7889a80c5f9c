"""The chain engine: place organisations on a template's segments, rate each segment of a
park (strong / weak / gap), and rank the organisations elsewhere worth attracting.

Pure functions over frozen dataclasses (no Django, no database): ``selectors`` reads the
catalogue and the news into these inputs. Weights and thresholds live in ``ChainConfig``
(versioned); docs/chains.md explains each rule.

- 补链 (fill a gap): a segment with no local organisation → candidates placed on it elsewhere.
- 强链 (strengthen): a segment with fewer than ``strong_min`` local organisations → the same.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

from parklink.chains.definitions import Segment, Template

STRONG, WEAK, GAP = "strong", "weak", "gap"
FILL, STRENGTHEN = "补链", "强链"

# Organization.kind values in words (the reasons are Chinese whatever the UI language).
KIND_LABELS = {
    "enterprise": "企业",
    "institute": "科研机构",
    "university": "高校",
    "hospital": "医院",
    "investor": "投资机构",
    "government": "政府/事业单位",
    "platform": "服务平台",
    "other": "其他",
}

# Evidence rules, strongest first (the order reasons cite them in).
EXPLICIT, EXEMPLAR, NAME, GENERIC_NAME, INDUSTRY, DESCRIPTION, KIND, NEWS = (
    "explicit",
    "exemplar",
    "name",
    "generic_name",
    "industry",
    "description",
    "kind",
    "news",
)


@dataclass(frozen=True)
class ChainConfig:
    """Every weight and threshold of the engine, in one place, with a version."""

    version: str = "chains-2026.1"
    strong_min: int = 3  # local organisations for a segment to count as strong
    place_threshold: float = 0.5  # evidence score an organisation needs to sit on a segment
    weight_explicit: float = 1.0  # Organization.segments names the segment
    weight_exemplar: float = 0.9  # a known organisation of the segment (template exemplars)
    weight_name: float = 0.8  # name shape that only this segment has (…药业, …医院)
    weight_generic_name: float = 0.6  # name shape shared by chains (研究所), when relevant
    weight_industry: float = 0.7  # Organization.industry holds a segment keyword
    weight_description: float = 0.4  # per segment keyword in the description (two count)
    weight_kind: float = 0.4  # Organization.kind (institute, hospital …): weak alone
    weight_news_sentence: float = 0.25  # a news sentence naming it holds a segment keyword
    news_cap: float = 0.5  # news alone never outweighs the register
    gap_weight: float = 1.0  # a target on an empty segment (补链) …
    weak_weight: float = 0.7  # … ranks above one on a weak segment (强链)
    comention_bonus: float = 0.1  # per article shared with the park or its organisations
    comention_cap: float = 0.3
    same_district_bonus: float = 0.05
    max_targets_per_segment: int = 5
    max_targets: int = 30
    max_edges: int = 20  # co-mention pairs shown


DEFAULT_CONFIG = ChainConfig()


@dataclass(frozen=True)
class OrgInfo:
    """What the engine knows of one organisation."""

    id: int
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = ""
    industry: str = ""
    description: str = ""
    segments: tuple[str, ...] = ()  # set explicitly by an operator (Organization.segments)
    park_id: int | None = None
    park_name: str = ""
    district: str = ""
    park_industries: tuple[str, ...] = ()
    sentences: tuple[str, ...] = ()  # news sentences that name it

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class ParkInfo:
    id: int
    name: str
    district: str = ""
    industries: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    rule: str
    detail: str  # the word that matched (or the sentence, for news)
    weight: float

    @property
    def text(self) -> str:
        """The evidence in Chinese, as reasons cite it."""
        return {
            EXPLICIT: f"已标注环节“{self.detail}”",
            EXEMPLAR: f"该环节代表机构“{self.detail}”",
            NAME: f"名称含“{self.detail}”",
            GENERIC_NAME: f"名称含“{self.detail}”",
            INDUSTRY: f"行业含“{self.detail}”",
            DESCRIPTION: f"简介含“{self.detail}”",
            KIND: f"机构类型为{KIND_LABELS.get(self.detail, self.detail)}",
            NEWS: f"资讯提及“{self.detail}”",
        }[self.rule]


@dataclass(frozen=True)
class Placement:
    """An organisation on a segment, with the evidence that put it there."""

    org: OrgInfo
    segment: str
    score: float
    evidence: tuple[Evidence, ...]

    @property
    def main_evidence(self) -> Evidence:
        return max(self.evidence, key=lambda e: e.weight)


@dataclass(frozen=True)
class SegmentResult:
    segment: Segment
    status: str  # strong | weak | gap
    placements: tuple[Placement, ...]  # the park's organisations on it, best first

    @property
    def name(self) -> str:
        return self.segment.name

    @property
    def stage(self) -> str:
        return self.segment.stage


@dataclass(frozen=True)
class Target:
    """An organisation elsewhere placed on one of the park's gap or weak segments."""

    placement: Placement
    action: str  # 补链 | 强链
    local: tuple[str, ...]  # the park's organisations already on the segment
    score: float
    shared_articles: int = 0  # articles naming it together with the park or its organisations
    partners: tuple[str, ...] = ()  # the park's organisations it was named with

    @property
    def segment(self) -> str:
        return self.placement.segment

    @property
    def org(self) -> OrgInfo:
        return self.placement.org

    @property
    def location(self) -> str:
        org = self.org
        if org.park_name:
            where = f"位于{org.park_name}"
            return f"{where}({org.district})" if org.district else where
        return f"位于{org.district}" if org.district else "尚未落户园区"

    @property
    def reason(self) -> str:
        """Why, in one Chinese sentence: 补链:临床/医疗服务环节空白,X位于Y;依据:…"""
        if self.action == FILL:
            head = f"{FILL}:{self.segment}环节空白"
        else:
            head = f"{STRENGTHEN}:{self.segment}环节仅{len(self.local)}家({'、'.join(self.local)})"
        text = f"{head},{self.org.name}{self.location};依据:{self.placement.main_evidence.text}"
        if self.partners:
            text += f";与园区内{'、'.join(self.partners)}同见于{self.shared_articles}篇资讯"
        elif self.shared_articles:
            text += f";与本园区同见于{self.shared_articles}篇资讯"
        return text


@dataclass(frozen=True)
class CoMention:
    a: OrgInfo
    b: OrgInfo
    articles: int


@dataclass(frozen=True)
class ChainAnalysis:
    park: ParkInfo
    template: Template
    config: ChainConfig
    segments: tuple[SegmentResult, ...]
    targets: tuple[Target, ...]
    unplaced: tuple[OrgInfo, ...]  # the park's organisations on no segment of this template
    network: tuple[CoMention, ...] = field(default=())

    def as_dict(self) -> dict:
        """The DESIGN contract of ``parklink chain --json``."""
        return {
            "park": self.park.name,
            "template": self.template.name,
            "segments": [
                {
                    "name": s.name,
                    "stage": s.stage,
                    "orgs": [p.org.name for p in s.placements],
                    "status": s.status,
                }
                for s in self.segments
            ],
            "targets": [
                {"segment": t.segment, "org": t.org.name, "reason": t.reason} for t in self.targets
            ],
        }


# --- Placement -------------------------------------------------------------------------------


def _has(text: str, word: str) -> bool:
    return bool(word) and word.casefold() in text.casefold()


def _first(texts: Iterable[str], words: Iterable[str]) -> str | None:
    texts = [t for t in texts if t]
    for w in words:
        if any(_has(t, w) for t in texts):
            return w
    return None


def relevant(org: OrgInfo, template: Template) -> bool:
    """Whether an organisation belongs to the template's field at all: a domain word in its
    names, industry or description, or it sits in a park whose industries fit the template."""
    if _first((*org.names, org.industry, org.description), template.domain):
        return True
    return any(_first((ind,), template.industries) for ind in org.park_industries)


def _explicit_match(value: str, segment: Segment) -> bool:
    value = value.strip()
    return bool(value) and (value == segment.name or value in segment.name.split("/"))


def place(
    org: OrgInfo, template: Template, config: ChainConfig = DEFAULT_CONFIG
) -> tuple[Placement, ...]:
    """The segments of ``template`` an organisation sits on, in template order.

    Explicit segments (Organization.segments) win outright when any names a segment of this
    template; otherwise each rule adds its weight and a segment needs ``place_threshold``.
    """
    explicit = [
        Placement(org, seg.name, config.weight_explicit, (Evidence(EXPLICIT, v, 1.0),))
        for seg in template.segments
        for v in org.segments
        if _explicit_match(v, seg)
    ]
    if explicit:
        seen: set[str] = set()
        return tuple(p for p in explicit if not (p.segment in seen or seen.add(p.segment)))

    # Shape words shared by chains (研究所), the kind, the description and the news count only
    # for organisations of this chain's field: an institute of life sciences is no 科研 node of
    # the IC chain.
    is_relevant = relevant(org, template)
    placements = []
    for seg in template.segments:
        evidence: list[Evidence] = []
        if hit := _first(org.names, seg.exemplars):
            evidence.append(Evidence(EXEMPLAR, hit, config.weight_exemplar))
        if hit := _first(org.names, seg.name_patterns):
            evidence.append(Evidence(NAME, hit, config.weight_name))
        if is_relevant and (hit := _first(org.names, seg.generic_patterns)):
            evidence.append(Evidence(GENERIC_NAME, hit, config.weight_generic_name))
        if hit := _first((org.industry,), seg.keywords):
            evidence.append(Evidence(INDUSTRY, hit, config.weight_industry))
        if is_relevant and org.description:
            # One keyword in a long description is a hint; two place the organisation.
            hits = [w for w in seg.keywords if _has(org.description, w)][:2]
            evidence.extend(Evidence(DESCRIPTION, w, config.weight_description) for w in hits)
        if is_relevant and org.kind and org.kind in seg.kinds:
            evidence.append(Evidence(KIND, org.kind, config.weight_kind))
        news = 0.0
        for sentence in org.sentences if is_relevant else ():
            if news >= config.news_cap:
                break
            if hit := _first((sentence,), seg.keywords):
                evidence.append(Evidence(NEWS, hit, config.weight_news_sentence))
                news += config.weight_news_sentence
        score = min(
            1.0, sum(e.weight for e in evidence if e.rule != NEWS) + min(news, config.news_cap)
        )
        if evidence and score >= config.place_threshold:
            placements.append(Placement(org, seg.name, round(score, 4), tuple(evidence)))
    return tuple(placements)


def segment_status(count: int, segment: Segment, config: ChainConfig = DEFAULT_CONFIG) -> str:
    """strong with at least ``strong_min`` organisations, weak with fewer, gap with none."""
    if count <= 0:
        return GAP
    return STRONG if count >= (segment.strong_min or config.strong_min) else WEAK


# --- Templates -------------------------------------------------------------------------------


def template_fit(park: ParkInfo, template: Template) -> int:
    """How many of the park's industries the template covers."""
    return sum(1 for ind in park.industries if _first((ind,), template.industries))


def template_choose(
    park: ParkInfo,
    templates: Iterable[Template],
    park_orgs: Iterable[OrgInfo] = (),
    config: ChainConfig = DEFAULT_CONFIG,
) -> Template:
    """The template that fits the park's industries best; ties (and parks without industries)
    go to the template placing most of the park's organisations, then to file order."""
    templates = list(templates)
    if not templates:
        raise ValueError("no chain templates")
    park_orgs = list(park_orgs)

    def key(indexed: tuple[int, Template]) -> tuple[int, int, int]:
        i, t = indexed
        placed = sum(1 for o in park_orgs if place(o, t, config))
        return (-template_fit(park, t), -placed, i)

    return min(enumerate(templates), key=key)[1]


# --- News ------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[。!?;!?;\n]")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` holding [start, end) (split at 。!?; and newlines)."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.start() if right_match else len(text)
    return text[left:right].strip()


def comention_network(article_orgs: Mapping[int, Iterable[int]]) -> dict[tuple[int, int], int]:
    """Pairs of organisations (lower id first) and how many articles name both."""
    pairs: Counter[tuple[int, int]] = Counter()
    for orgs in article_orgs.values():
        for a, b in combinations(sorted(set(orgs)), 2):
            pairs[(a, b)] += 1
    return dict(pairs)


# --- The analysis ----------------------------------------------------------------------------


def chain_analyse(
    *,
    park: ParkInfo,
    template: Template,
    orgs: Iterable[OrgInfo],
    article_orgs: Mapping[int, Iterable[int]] | None = None,
    park_articles: Iterable[int] = (),
    config: ChainConfig = DEFAULT_CONFIG,
) -> ChainAnalysis:
    """Segments of ``park`` on ``template`` with their status, and ranked targets.

    ``orgs`` is every organisation known (the park's own and everyone else's);
    ``article_orgs`` maps an article id to the organisations it names and ``park_articles``
    lists the articles naming the park: together the co-mention signal.
    """
    orgs = list(orgs)
    by_id = {o.id: o for o in orgs}
    placed: dict[str, list[Placement]] = defaultdict(list)
    own_placed: set[int] = set()
    for org in orgs:
        for p in place(org, template, config):
            placed[p.segment].append(p)
            if org.park_id == park.id:
                own_placed.add(org.id)

    segments = []
    for seg in template.segments:
        local = sorted(
            (p for p in placed[seg.name] if p.org.park_id == park.id),
            key=lambda p: (-p.score, p.org.name),
        )
        segments.append(SegmentResult(seg, segment_status(len(local), seg, config), tuple(local)))

    # Co-mentions: which articles involve the park (it, or one of its organisations).
    article_orgs = {a: frozenset(ids) for a, ids in (article_orgs or {}).items()}
    own_ids = {o.id for o in orgs if o.park_id == park.id}
    local_articles = set(park_articles) | {a for a, ids in article_orgs.items() if ids & own_ids}
    articles_of: dict[int, set[int]] = defaultdict(set)
    for a, ids in article_orgs.items():
        for i in ids:
            articles_of[i].add(a)

    targets: list[Target] = []
    for result in segments:
        if result.status == STRONG:
            continue
        action, weight = (
            (FILL, config.gap_weight)
            if result.status == GAP
            else (
                STRENGTHEN,
                config.weak_weight,
            )
        )
        local_names = tuple(p.org.name for p in result.placements)
        candidates = []
        for p in placed[result.name]:
            if p.org.park_id == park.id:
                continue
            shared = articles_of[p.org.id] & local_articles
            partners = sorted(
                {by_id[i].name for a in shared for i in article_orgs[a] if i in own_ids}
            )
            score = p.score * weight + min(
                config.comention_cap, config.comention_bonus * len(shared)
            )
            if park.district and p.org.district == park.district:
                score += config.same_district_bonus
            candidates.append(
                Target(p, action, local_names, round(score, 4), len(shared), tuple(partners[:3]))
            )
        candidates.sort(key=lambda t: (-t.score, t.org.name))
        targets.extend(candidates[: config.max_targets_per_segment])
    order = {s.name: i for i, s in enumerate(template.segments)}
    targets.sort(key=lambda t: (-t.score, order[t.segment], t.org.name))

    network = []
    for (a, b), n in comention_network(article_orgs).items():
        if (a in own_ids or b in own_ids) and a in by_id and b in by_id:
            network.append(CoMention(by_id[a], by_id[b], n))
    network.sort(key=lambda e: (-e.articles, e.a.name, e.b.name))

    return ChainAnalysis(
        park=park,
        template=template,
        config=config,
        segments=tuple(segments),
        targets=tuple(targets[: config.max_targets]),
        unplaced=tuple(
            sorted((o for o in orgs if o.id in own_ids - own_placed), key=lambda o: o.name)
        ),
        network=tuple(network[: config.max_edges]),
    )
