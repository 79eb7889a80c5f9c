"""The innovation network (创新网络): who is named with whom in the news, and how.

A graph (networkx) of parks, organisations and institutes: two of them are linked when an
article names both; the edge's weight counts the articles (``article_weight`` each) and the
sentences naming both (``sentence_weight`` each). When such a sentence says how they relate,
the edge carries the relation: 入驻 (one settles in the other), 合作 (co-operation),
投资 (investment), 孵化 (incubation); the relation said most often wins, ties in the order of
RELATIONS. A park's network is its ego graph: the park, everyone linked to it or to one of
its own organisations, and the edges among them.

Pure functions over frozen dataclasses (no Django): ``selectors.park_network_get`` reads the
mentions into ``ArticleMentions``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

PARK, ORG, INSTITUTE = "park", "org", "institute"
RELATIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("入驻", re.compile(r"入驻|落户|迁入|进驻|入园|搬入|扎根")),
    ("孵化", re.compile(r"孵化|加速器|创业苗圃")),
    ("投资", re.compile(r"投资|注资|领投|跟投|入股|融资|参股|收购")),
    ("合作", re.compile(r"合作|携手|联合|共建|签约|签署|战略协议|联手|协同")),
)
_SENTENCE = re.compile(r"[^。！？!?；;\n]+")


@dataclass(frozen=True)
class NetworkConfig:
    version: str = "network-2026.1"
    article_weight: float = 1.0
    sentence_weight: float = 0.5
    max_nodes: int = 60  # the park and its strongest neighbours
    max_articles_per_edge: int = 10


DEFAULT_CONFIG = NetworkConfig()


@dataclass(frozen=True)
class Node:
    key: str  # "park:3", "org:12"
    name: str
    kind: str  # park | org | institute


@dataclass(frozen=True)
class Mentioned:
    key: str
    start: int
    end: int


@dataclass(frozen=True)
class ArticleMentions:
    """One article: its id, title, body, and the catalogue records it names (offsets)."""

    id: int
    title: str
    body: str
    mentions: tuple[Mentioned, ...]


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    weight: float
    articles: tuple[int, ...]
    sentences: int
    relation: str | None


@dataclass(frozen=True)
class Network:
    park: Node
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    titles: dict[int, str] = field(default_factory=dict)
    config: NetworkConfig = DEFAULT_CONFIG

    def as_dict(self) -> dict[str, object]:
        """The contract of ``parklink network PARK --json`` and GET /parks/{id}/network."""
        return {
            "park": self.park.name,
            "nodes": [{"id": n.key, "name": n.name, "kind": n.kind} for n in self.nodes],
            "edges": [
                {
                    "source": e.source,
                    "target": e.target,
                    "weight": e.weight,
                    "relation": e.relation,
                    "articles": [{"id": a, "title": self.titles.get(a, "")} for a in e.articles],
                }
                for e in self.edges
            ],
        }


def relation_of(sentence: str) -> str | None:
    """The relation a sentence states between two names it holds, or None."""
    for name, pattern in RELATIONS:
        if pattern.search(sentence):
            return name
    return None


def _sentence_spans(body: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(body)]


def build_graph(
    articles: Iterable[ArticleMentions], config: NetworkConfig = DEFAULT_CONFIG
) -> nx.Graph:
    """Every co-mention in these articles as one undirected weighted graph."""
    g = nx.Graph()
    for art in articles:
        keys = sorted({m.key for m in art.mentions})
        if len(keys) < 2:
            continue
        spans = _sentence_spans(art.body)
        by_sentence: dict[int, set[str]] = defaultdict(set)
        for m in art.mentions:
            for i, (s, e) in enumerate(spans):
                if s <= m.start < e:
                    by_sentence[i].add(m.key)
                    break
        for a, b in combinations(keys, 2):
            data = g.get_edge_data(a, b) or {
                "articles": set(),
                "sentences": 0,
                "relations": Counter(),
            }
            data["articles"].add(art.id)
            g.add_edge(a, b, **data)
        for i, names in by_sentence.items():
            if len(names) < 2:
                continue
            s, e = spans[i]
            relation = relation_of(art.body[s:e])
            for a, b in combinations(sorted(names), 2):
                data = g[a][b]
                data["sentences"] += 1
                if relation:
                    data["relations"][relation] += 1
    for _a, _b, data in g.edges(data=True):
        data["weight"] = round(
            config.article_weight * len(data["articles"])
            + config.sentence_weight * data["sentences"],
            3,
        )
    return g


def _relation(counts: Counter[str]) -> str | None:
    if not counts:
        return None
    order = {name: i for i, (name, _p) in enumerate(RELATIONS)}
    return min(counts, key=lambda r: (-counts[r], order[r]))


def park_network(
    *,
    park: Node,
    nodes: dict[str, Node],
    articles: Iterable[ArticleMentions],
    own: Iterable[str] = (),
    config: NetworkConfig = DEFAULT_CONFIG,
) -> Network:
    """The network around ``park``: the park, its own organisations (``own``: node keys),
    everyone linked to them, the edges among these; strongest first, capped."""
    articles = list(articles)
    titles = {a.id: a.title for a in articles}
    g = build_graph(articles, config)
    centre = {park.key, *own} & set(g.nodes)
    members: dict[str, float] = {k: float("inf") for k in centre}
    for c in centre:
        for nb in g.neighbors(c):
            members[nb] = max(members.get(nb, 0.0), g[c][nb]["weight"])
    members.setdefault(park.key, float("inf"))
    ranked = sorted(members, key=lambda k: (-members[k], nodes[k].name if k in nodes else k))
    keep = [k for k in ranked if k in nodes][: config.max_nodes]
    sub = g.subgraph(keep)
    edges = []
    for a, b, data in sub.edges(data=True):
        source, target = sorted((a, b), key=lambda k: (k != park.key, nodes[k].name, k))
        edges.append(
            Edge(
                source=source,
                target=target,
                weight=data["weight"],
                articles=tuple(sorted(data["articles"], reverse=True))[
                    : config.max_articles_per_edge
                ],
                sentences=data["sentences"],
                relation=_relation(data["relations"]),
            )
        )
    edges.sort(key=lambda e: (-e.weight, nodes[e.source].name, nodes[e.target].name))
    node_list = [nodes[k] for k in keep]
    return Network(
        park=park, nodes=tuple(node_list), edges=tuple(edges), titles=titles, config=config
    )
