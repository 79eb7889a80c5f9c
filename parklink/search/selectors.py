"""One Chinese full-text search over articles, parks, organisations and spaces.

A hybrid of two indexes (docs/search.md):

- the **term index** (jieba tokens): the query is simplified (OpenCC), segmented like the
  documents, and all its words must match (AND over precise tokens; when nothing matches,
  any word may: OR over words and sub-words, as tech-notes advises);
- the **trigram index** (FTS5 `tokenize=trigram` / pg_trgm): every part of the query of three
  or more characters is looked up as a phrase, so a substring of a long word or a phrase
  across word boundaries is found as it was typed.

Candidates come from each index per field (names and title first, then the body), the union
is scored in Python with fixed field weights (`RANKING`): an exact name or alias first, then
the query as a phrase in a name, all its words in a name, the phrase in a title, … down to
some words in the body; inside a tier, the order of the index (bm25 / ts_rank, else newest).
Queries with fewer than two characters of letters, digits or Han characters give nothing
(`too_short`): a single digit or character would match nearly every document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection

from parklink.search.models import SearchDocument
from parklink.search.services import configure_segmenter, tokens_for
from parklink.zh import normalise, segment

_WORD = re.compile(r"^[\w\u4e00-\u9fff]+$")
_SIGNIFICANT = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")
MAX_QUERY_CHARS = 200
MIN_QUERY_CHARS = 2  # letters, digits or Han characters
TRIGRAM = 3  # the trigram index cannot look up shorter parts
PER_PAGE = 20
MAX_PAGE = 50


@dataclass(frozen=True)
class Ranking:
    """Tier scores by field and kind of match (higher first); version with the weights."""

    version: int = 1
    exact_name: float = 1000.0
    phrase_name: float = 100.0
    terms_name: float = 80.0
    phrase_title: float = 60.0
    terms_title: float = 45.0
    phrase_body: float = 30.0
    terms_body: float = 15.0
    some_terms: float = 5.0
    # A phrase that covers more of the name or title scores up to this much more.
    coverage: float = 10.0
    # Inside a tier, the index's own order (bm25/ts_rank rank) adds up to this much.
    index_order: float = 1.0
    # Under 全部, each further result of the same type loses this much (at most
    # `same_type_cap`, less than the gap between tiers), so that types interleave: twenty
    # spaces whose titles carry the park's name do not push the article about it off the page.
    same_type_step: float = 0.75
    same_type_cap: float = 6.0


RANKING = Ranking()


@dataclass(frozen=True)
class SearchResult:
    type: str
    id: int
    title: str
    url: str
    snippet: str
    score: float


@dataclass(frozen=True)
class SearchPage:
    """One page of results; `message` says why there are none when the query is refused."""

    results: list[SearchResult]
    page: int
    per_page: int
    has_next: bool
    message: str = ""
    query: str = ""
    phrases: list[str] = field(default_factory=list)


def normalise_query(query: str) -> str:
    """Simplified, width-folded, lower-case, whitespace collapsed, at most 200 characters."""
    text = normalise.for_matching((query or "").strip()[:MAX_QUERY_CHARS])
    return " ".join(text.split()).lower()


def too_short(query: str) -> bool:
    return len(_SIGNIFICANT.findall(normalise_query(query))) < MIN_QUERY_CHARS


def query_terms(query: str, *, sub_words: bool = False) -> list[str]:
    """The query's words: simplified, segmented, deduplicated, punctuation dropped; with
    `sub_words`, also the sub-words the index holds."""
    configure_segmenter()
    text = normalise_query(query)
    terms: list[str] = []
    words = tokens_for(text).split() if sub_words else segment.cut(text, hmm=False)
    for token in words:
        token = token.strip().lower()
        if token and _WORD.match(token) and token not in terms:
            terms.append(token)
    return terms


def query_phrases(query: str) -> list[str]:
    """The parts of the query the trigram index can look up: whitespace-separated parts,
    punctuation at their ends removed; none when any part is shorter than three characters
    (that part is left to the term index, and the phrases alone would over-constrain)."""
    parts = []
    for raw in normalise_query(query).split(" "):
        part = re.sub(r"^[^\w]+|[^\w]+$", "", raw)
        if part:
            parts.append(part)
    if parts and all(len(p) >= TRIGRAM for p in parts):
        # Latin words belong together: "life science park" is one phrase.
        if all(re.fullmatch(r"[0-9a-z.\-&']+", p) for p in parts):
            return [" ".join(parts)]
        return list(dict.fromkeys(parts))
    return []


def _snippet(text: str, needles: list[str], width: int = 60) -> str:
    lower = text.lower()
    positions = [p for p in (lower.find(t) for t in needles) if p >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    piece = text[start : start + width].replace("\n", " ")
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


# --- candidates from the indexes ------------------------------------------------------


def _filters(alias: str, types: list[str], public: bool) -> tuple[str, list[object]]:
    sql, params = "", []
    if public:
        sql += f" AND {alias}.public" + (" = 1" if connection.vendor == "sqlite" else "")
    if types:
        sql += f" AND {alias}.type IN (" + ",".join(["%s"] * len(types)) + ")"
        params += types
    return sql, params


def _fetch(sql: str, params: list[object]) -> list[int]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [r[0] for r in cur.fetchall()]


def _fts_quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class _Sqlite:
    @staticmethod
    def terms(terms, mode, where, types, public, limit, ranked=True):
        joiner = " AND " if mode == "and" else " OR "
        expr = "(" + joiner.join(_fts_quote(t) for t in terms) + ")"
        columns = {"head": "{names_tokens title_tokens} : ", "body": "tokens : ", "all": ""}
        flt, params = _filters("d", types, public)
        order = "bm25(search_fts, 10.0, 4.0, 1.0)" if ranked else "search_fts.rowid DESC"
        sql = (
            "SELECT d.id FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid"
            f" WHERE search_fts MATCH %s{flt} ORDER BY {order} LIMIT %s"
        )
        return _fetch(sql, [columns[where] + expr, *params, limit])

    @staticmethod
    def phrase_head(phrases, types, public, limit):
        expr = " AND ".join(_fts_quote(p) for p in phrases)
        flt, params = _filters("d", types, public)
        sql = (
            "SELECT d.id FROM search_tri_head JOIN search_searchdocument d"
            " ON d.id = search_tri_head.rowid WHERE search_tri_head MATCH %s"
            f"{flt} ORDER BY bm25(search_tri_head, 10.0, 4.0) LIMIT %s"
        )
        return _fetch(sql, [expr, *params, limit])

    @staticmethod
    def phrase_body(phrases, types, public, limit):
        # detail=none: each trigram is a term; all must be present, then the phrase itself
        # is checked on the stored (lower-cased) text.
        grams = {p[i : i + TRIGRAM] for p in phrases for i in range(len(p) - TRIGRAM + 1)}
        expr = " AND ".join(_fts_quote(g) for g in sorted(grams))
        flt, params = _filters("d", types, public)
        checks = "".join(" AND instr(lower(d.text), %s) > 0" for _ in phrases)
        sql = (
            "SELECT d.id FROM search_tri JOIN search_searchdocument d ON d.id = search_tri.rowid"
            f" WHERE search_tri MATCH %s{checks}{flt} ORDER BY search_tri.rowid DESC LIMIT %s"
        )
        return _fetch(sql, [expr, *phrases, *params, limit])


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class _Postgres:
    @staticmethod
    def terms(terms, mode, where, types, public, limit, ranked=True):
        joiner = " & " if mode == "and" else " | "
        label = {"head": ":AB", "body": ":D", "all": ""}[where]
        tsquery = joiner.join(
            "'" + t.replace("'", "''").replace("\\", "") + "'" + label for t in terms
        )
        flt, params = _filters("d", types, public)
        order = "ts_rank(d.tsv, q) DESC, d.id DESC" if ranked else "d.id DESC"
        sql = (
            "SELECT d.id FROM search_searchdocument d, to_tsquery('simple', %s) q"
            f" WHERE d.tsv @@ q{flt} ORDER BY {order} LIMIT %s"
        )
        return _fetch(sql, [tsquery, *params, limit])

    @staticmethod
    def phrase_head(phrases, types, public, limit):
        cond = " AND ".join("(d.names ILIKE %s OR d.title ILIKE %s)" for _ in phrases)
        likes = [x for p in phrases for x in (_like(p), _like(p))]
        flt, params = _filters("d", types, public)
        sql = _index_driven(f"SELECT d.id FROM search_searchdocument d WHERE {cond}{flt}", "")
        return _fetch(sql, [*likes, *params, limit])

    @staticmethod
    def phrase_body(phrases, types, public, limit):
        cond = " AND ".join("d.text ILIKE %s" for _ in phrases)
        flt, params = _filters("d", types, public)
        # Newest first: the walk down the primary key meets the articles (the bulk of the
        # bodies, and the newest rows) first, so it stops early; a phrase found only in old
        # documents would read back to them (not materialised: measured 1 ms against 140 ms
        # for a common phrase at 1.2 M documents).
        sql = (
            f"SELECT d.id FROM search_searchdocument d WHERE {cond}{flt}"
            " ORDER BY d.id DESC LIMIT %s"
        )
        return _fetch(sql, [*(_like(p) for p in phrases), *params, limit])


def _index_driven(select: str, direction: str) -> str:
    """``select`` (of ``d.id``) in id order, limited, with its matches found through their
    index first. Given ``ORDER BY d.id LIMIT n`` PostgreSQL walks the primary key and
    filters each row when it expects many matches, which pays off only if matches lie near
    the start: at 1,000,000 spaces and 200,000 articles a name matching a few thousand
    articles (high ids) read a million rows first (520 ms). Materialised, the matches come
    from the trigram index (as SQLite's FTS5 query gives them) and only they are sorted."""
    return f"WITH m AS MATERIALIZED ({select}) SELECT id FROM m ORDER BY id {direction} LIMIT %s"


def _backend():
    return _Postgres if connection.vendor == "postgresql" else _Sqlite


# --- scoring --------------------------------------------------------------------------


def _coverage(needle_len: int, fields: list[str]) -> float:
    best = min((len(f) for f in fields), default=0)
    return min(1.0, needle_len / best) if best else 0.0


def _score(doc: SearchDocument, query: str, phrases: list[str], terms: list[str]) -> float:
    """The tier of one document for the query (RANKING), from its stored fields."""
    r = RANKING
    names = [n.lower() for n in doc.names.split("\n") if n]
    title = doc.title.lower()
    body = doc.text.lower()
    compact = query.replace(" ", "")
    if any(query == n or compact == n.replace(" ", "") for n in names):
        return r.exact_name
    head_text = "\n".join(names)
    if phrases:
        length = sum(len(p) for p in phrases)
        hit = [n for n in names if all(p in n for p in phrases)]
        if hit:
            return r.phrase_name + r.coverage * _coverage(length, hit)
        if all(p in title for p in phrases):
            return r.phrase_title + r.coverage * _coverage(length, [title])
    name_tokens = set(doc.names_tokens.lower().split())
    title_tokens = set(doc.title_tokens.lower().split())
    if terms and all(t in name_tokens or t in head_text for t in terms):
        return r.terms_name
    if terms and all(t in title_tokens or t in title for t in terms):
        return r.terms_title
    if phrases and all(p in body for p in phrases):
        return r.phrase_body
    if not terms:
        return 0.0
    everywhere = f"{head_text}\n{title}\n{body}"
    found = sum(1 for t in terms if t in everywhere)
    if found == len(terms):
        return r.terms_body
    return r.some_terms * found / len(terms)


# --- the search -----------------------------------------------------------------------


def search_page(
    query: str,
    *,
    types: list[str] | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    public_only: bool = True,
) -> SearchPage:
    """Page `page` (from 1) of the best matches, mixed types interleaved by score."""
    from django.utils.translation import gettext as _

    page = max(1, min(int(page), MAX_PAGE))
    norm = normalise_query(query)
    empty = SearchPage([], page, per_page, False, query=norm)
    if not norm or not _SIGNIFICANT.search(norm):
        return empty
    if too_short(norm):
        return SearchPage(
            [], page, per_page, False, _("请输入至少两个字或字母再搜索。"), query=norm
        )
    types = list(types or [])
    terms = query_terms(norm)
    phrases = query_phrases(norm)
    want = page * per_page + 1  # one more than this page ends at: is there a next page?
    db = _backend()
    ordered: dict[int, int] = {}  # document id → first position in an index's order

    def take(ids: list[int]) -> None:
        for i in ids:
            ordered.setdefault(i, len(ordered))

    if phrases:
        take(db.phrase_head(phrases, types, public_only, want))
    if terms:
        take(db.terms(terms, "and", "head", types, public_only, want))
    if phrases:
        take(db.phrase_body(phrases, types, public_only, want))
    if terms and len(ordered) < want:
        # Words anywhere: ranked by bm25 when nothing better was found, else newest first
        # (they score below every phrase hit; bm25 over thousands of matches is the slow
        # part of a search, tech-notes).
        take(db.terms(terms, "and", "all", types, public_only, want, ranked=not ordered))
    if not ordered and terms:
        wider = list(dict.fromkeys([*terms, *query_terms(norm, sub_words=True)]))
        if len(wider) > 1:
            take(db.terms(wider, "or", "all", types, public_only, want))
    docs = SearchDocument.objects.in_bulk(list(ordered))
    scored = []
    for doc_id, position in ordered.items():
        doc = docs.get(doc_id)
        if doc is None:
            continue
        tier = _score(doc, norm, phrases, terms)
        scored.append((tier + RANKING.index_order / (1 + position), position, doc))
    scored.sort(key=lambda x: (-x[0], x[1]))
    if len(types) != 1:
        seen: dict[str, int] = {}
        mixed = []
        for score, position, doc in scored:
            n = seen.get(doc.type, 0)
            seen[doc.type] = n + 1
            penalty = min(RANKING.same_type_cap, RANKING.same_type_step * n, score / 2)
            mixed.append((score - penalty, position, doc))
        scored = sorted(mixed, key=lambda x: (-x[0], x[1]))
    start = (page - 1) * per_page
    needles = phrases or terms
    results = [
        SearchResult(
            type=doc.type,
            id=doc.object_id,
            title=doc.title,
            url=doc.url,
            snippet=_snippet(doc.text or doc.names, needles),
            score=round(score, 4),
        )
        for score, _pos, doc in scored[start : start + per_page]
    ]
    return SearchPage(
        results, page, per_page, len(scored) > start + per_page, query=norm, phrases=phrases
    )


def search(
    query: str, *, types: list[str] | None = None, limit: int = 20, public_only: bool = True
) -> list[SearchResult]:
    """Best matches first (the first `limit`). An empty, punctuation-only or one-character
    query gives no results."""
    return search_page(query, types=types, per_page=limit, public_only=public_only).results


def warm_up_in_background(after: Callable[[], None] | None = None) -> None:
    """`warm_up` in a daemon thread, so a server answers (health checks, pages) while the
    dictionary loads; a search arriving meanwhile waits on the segmenter's lock instead of
    loading it again; then ``after`` (in the same thread). Fork-safe: a fork (gunicorn
    --preload) waits for the thread first, so no child inherits a half-loaded dictionary or
    a held lock."""
    import os
    import threading

    def work() -> None:
        warm_up()
        if after is not None:
            after()

    thread = threading.Thread(target=work, name="search-warm-up", daemon=True)
    thread.start()
    os.register_at_fork(before=lambda: thread.join() if thread.is_alive() else None)


def warm_up() -> None:
    """Load the segmenter, the catalogue's words and OpenCC now rather than in the first
    request (parklink/wsgi.py calls this at start; the first search took ~2 s otherwise).
    Never fails the start: without a database yet, the words load on the first search."""
    import logging

    from django.db import connections

    try:
        configure_segmenter()
    except Exception as exc:  # no database yet, or none allowed (a test): the first search
        logging.getLogger(__name__).warning("search warm-up skipped: %s", exc)
    segment.configure()
    segment.cut("中关村生命科学园", hmm=False)
    normalise.for_matching("園區")
    # No connection opened here may be shared by forked workers (gunicorn --preload).
    connections.close_all()
