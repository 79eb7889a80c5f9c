"""One Chinese full-text search over articles, parks, organisations and spaces.

The query is simplified (OpenCC) and segmented like the documents; all words must match
(AND over precise tokens), and when nothing matches any word may (OR), as tech-notes
advises. Ranking: bm25 on SQLite FTS5, ts_rank on PostgreSQL; same documents either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection

from parklink.search.models import SearchDocument
from parklink.search.services import configure_segmenter
from parklink.zh import normalise, segment

_WORD = re.compile(r"^[\w\u4e00-\u9fff]+$")
MAX_QUERY_CHARS = 200


@dataclass(frozen=True)
class SearchResult:
    type: str
    id: int
    title: str
    url: str
    snippet: str
    score: float


def query_terms(query: str, *, sub_words: bool = False) -> list[str]:
    """The query's words: simplified, segmented, deduplicated, punctuation dropped; with
    `sub_words`, also the sub-words the index holds."""
    configure_segmenter()
    text = normalise.to_simplified(query.strip())[:MAX_QUERY_CHARS]
    terms: list[str] = []
    for token in (segment.index_tokens if sub_words else segment.cut)(text):
        token = token.strip().lower()
        if token and _WORD.match(token) and token not in terms:
            terms.append(token)
    return terms


def _snippet(text: str, terms: list[str], width: int = 60) -> str:
    lower = text.lower()
    positions = [p for p in (lower.find(t) for t in terms) if p >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    piece = text[start : start + width].replace("\n", " ")
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def _sqlite_ids(terms: list[str], mode: str, types: list[str], public: bool, limit: int):
    joiner = " AND " if mode == "and" else " OR "
    match = joiner.join('"' + t.replace('"', "") + '"' for t in terms)
    sql = (
        "SELECT d.id, -bm25(search_fts) AS score FROM search_fts "
        "JOIN search_searchdocument d ON d.id = search_fts.rowid "
        "WHERE search_fts MATCH %s"
    )
    params: list[object] = [match]
    if public:
        sql += " AND d.public = 1"
    if types:
        sql += " AND d.type IN (" + ",".join(["%s"] * len(types)) + ")"
        params += types
    sql += " ORDER BY bm25(search_fts) LIMIT %s"
    params.append(limit)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _pg_ids(terms: list[str], mode: str, types: list[str], public: bool, limit: int):
    joiner = " & " if mode == "and" else " | "
    tsquery = joiner.join("'" + t.replace("'", "") + "'" for t in terms)
    sql = (
        "SELECT id, ts_rank(tsv, q) AS score FROM search_searchdocument, "
        "to_tsquery('simple', %s) q WHERE tsv @@ q"
    )
    params: list[object] = [tsquery]
    if public:
        sql += " AND public"
    if types:
        sql += " AND type IN (" + ",".join(["%s"] * len(types)) + ")"
        params += types
    sql += " ORDER BY score DESC, id LIMIT %s"
    params.append(limit)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def search(
    query: str, *, types: list[str] | None = None, limit: int = 20, public_only: bool = True
) -> list[SearchResult]:
    """Best matches first. An empty or punctuation-only query gives no results."""
    terms = query_terms(query)
    if not terms:
        return []
    run = _pg_ids if connection.vendor == "postgresql" else _sqlite_ids
    rows = run(terms, "and", types or [], public_only, limit)
    if not rows:
        # Any word may match, including the sub-words documents are indexed with
        # (生命科学园 as one query word still finds text indexed as 生命科学 + 学园).
        wider = list(dict.fromkeys([*terms, *query_terms(query, sub_words=True)]))
        if len(wider) > 1:
            rows = run(wider, "or", types or [], public_only, limit)
    docs = SearchDocument.objects.in_bulk([r[0] for r in rows])
    return [
        SearchResult(
            type=docs[i].type,
            id=docs[i].object_id,
            title=docs[i].title,
            url=docs[i].url,
            snippet=_snippet(docs[i].text, terms),
            score=round(float(score), 4),
        )
        for i, score in rows
        if i in docs
    ]
