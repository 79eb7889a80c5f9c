"""Keeping the search index in step with the catalogue and the news.

Each searchable record becomes one SearchDocument with three weighted fields: names (name,
aliases, English name), title and body text, each stored as simplified text (for the
trigram index) and as jieba tokens (for the term index); the database's full-text indexes
follow by trigger (SQLite) or generated column and GIN indexes (PostgreSQL).

Entry points: `search_reindex` rebuilds everything, `search_document_sync` one record,
`apply_document_changes(kind, ids)` a batch of records changed elsewhere (another process,
a bulk import, the change feed), `search_documents_write` writes prepared `Doc`s in bulk
(the reindex and `bench/search.py` use it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jieba
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from parklink.news.choices import ArticleStatus
from parklink.news.models import Article
from parklink.orgs.models import Organization
from parklink.parks.english import english_name
from parklink.parks.models import Park, Space
from parklink.search.models import DocType, SearchDocument
from parklink.zh import normalise, segment

MAX_TEXT = 20000  # characters of a document that are indexed
BATCH = 500


@dataclass(frozen=True)
class Doc:
    """One record as the index sees it, before normalisation and segmentation."""

    type: str
    object_id: int
    title: str
    url: str
    text: str
    public: bool
    names: tuple[str, ...] = field(default=())


_vocabulary_lock = threading.Lock()
_vocabulary_loaded = False


def configure_segmenter() -> None:
    """jieba's cache in the app's folder, and (once per process) the catalogue's names and
    aliases as user words, so that documents and queries are cut the same way in every
    process (中关村生命科学园 stays one word at query time too)."""
    global _vocabulary_loaded
    if _vocabulary_loaded:
        return
    segment.configure(tmp_dir=Path(settings.VAR_DIR) / "jieba")
    with _vocabulary_lock:
        if _vocabulary_loaded:
            return
        names: list[str] = []
        for model in (Park, Organization):
            for name, aliases in model.objects.values_list("name", "aliases").iterator():
                names.append(name)
                names.extend(a for a in aliases or [] if isinstance(a, str))
        _words_added(normalise.to_simplified(n) for n in names)
        _vocabulary_loaded = True


_sub_words_cache: dict[str, tuple[str, ...]] = {}


def _sub_words(token: str) -> tuple[str, ...]:
    """The dictionary words of 2–4 characters inside `token` (生命科学 inside
    中关村生命科学园), cached per distinct token: a corpus repeats its words, and the
    n-gram loop was the largest Python cost of a full build. The cache is cleared when
    words are added to the dictionary (`_words_added`)."""
    found = _sub_words_cache.get(token)
    if found is None:
        freq = jieba.dt.FREQ
        found = tuple(
            dict.fromkeys(
                gram
                for n in range(2, min(len(token), 5))
                for i in range(len(token) - n + 1)
                if freq.get(gram := token[i : i + n])
            )
        )
        if len(_sub_words_cache) > 500_000:  # bounded: a long build sees many odd tokens
            _sub_words_cache.clear()
        _sub_words_cache[token] = found
    return found


def _words_added(names: Iterable[str]) -> None:
    """Add user words to the segmenter; a new word may be a sub-word of a cached token."""
    if segment.add_words(names):
        _sub_words_cache.clear()


def tokens_for(text: str) -> str:
    """Space-separated index tokens of simplified text, each once: jieba's precise tokens
    without HMM (rjieba where installed, ~30x faster, identical tokens) plus the dictionary
    sub-words of longer tokens (生命科学 inside 中关村生命科学园, which search mode misses).
    Queries are cut the same way (`selectors.query_terms`). Without HMM an unknown word falls
    apart into characters on both sides alike; phrases are the trigram index's job.
    Bodies keep their sub-words too: a two-character word (医药 inside 生物医药) is too short
    for the trigram index."""
    configure_segmenter()
    seen = dict.fromkeys(segment.cut(text.lower(), hmm=False))
    cached = _sub_words_cache.get
    extra = [g for t in seen if len(t) > 2 for g in (cached(t) or _sub_words(t))]
    if extra:
        seen.update(dict.fromkeys(extra))
    return " ".join(seen)


def _english(stored: str, name: str) -> str:
    return stored or english_name(name)


def _park_doc(p: Park) -> Doc:
    industries = " ".join(i.name for i in p.industries.all())
    text = " ".join(s for s in [p.district, p.address, industries, p.operator, p.description] if s)
    names = (p.name, *(a for a in p.aliases if a), _english(p.english_name, p.name))
    return Doc(DocType.PARK, p.pk, p.name, p.get_absolute_url(), text, True, names)


def _org_doc(o: Organization) -> Doc:
    text = " ".join(s for s in [o.industry, o.description] if s)
    names = (o.name, *(a for a in o.aliases if a), _english(o.name_en, o.name))
    return Doc(DocType.ORG, o.pk, o.name, o.get_absolute_url(), text, True, names)


def _space_doc(s: Space) -> Doc:
    kind, deal = s.get_kind_display(), s.get_deal_display()
    title = s.title or f"{s.park.name} {kind}{deal} {s.area_m2:.0f}㎡"
    text = " ".join(x for x in [s.park.name, s.park.district, kind, deal, s.description] if x)
    return Doc(DocType.SPACE, s.pk, title, s.get_absolute_url(), text, s.is_available)


def _article_doc(a: Article) -> Doc:
    public = a.status == ArticleStatus.PUBLISHED and a.duplicate_of_id is None
    body = a.body_simplified or a.body
    return Doc(DocType.ARTICLE, a.pk, a.title, a.get_absolute_url(), body, public)


def _iter_docs() -> Iterator[Doc]:
    for p in Park.objects.prefetch_related("industries").iterator(chunk_size=500):
        yield _park_doc(p)
    for o in Organization.objects.iterator(chunk_size=1000):
        yield _org_doc(o)
    for s in Space.objects.select_related("park").iterator(chunk_size=1000):
        yield _space_doc(s)
    for a in Article.objects.iterator(chunk_size=200):
        yield _article_doc(a)


_FIELDS = ("title", "url", "names", "text", "names_tokens", "title_tokens", "tokens", "public")


def _values(doc: Doc) -> tuple:
    """The stored columns of `doc`: type, object_id, then `_FIELDS` in order."""
    simplify = normalise.for_matching
    names = list(dict.fromkeys(n for n in (simplify(x).strip() for x in doc.names) if n))
    text = simplify(doc.text)[:MAX_TEXT]
    title = doc.title[:300]
    return (
        doc.type,
        doc.object_id,
        title,
        doc.url[:300],
        "\n".join(names),
        text,
        " ".join(dict.fromkeys(t for n in names for t in tokens_for(n).split())),
        tokens_for(simplify(title)),
        tokens_for(text),
        doc.public,
    )


def _row(doc: Doc) -> SearchDocument:
    return SearchDocument(**dict(zip(("type", "object_id", *_FIELDS), _values(doc), strict=True)))


def _insert(docs: list[Doc]) -> None:
    """One executemany for a batch of plain tuples on SQLite: model instances and the
    model's bulk_create cost more in Python than the rows on a full rebuild."""
    if connection.vendor != "sqlite":
        SearchDocument.objects.bulk_create([_row(d) for d in docs])
        return
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    columns = ("type", "object_id", *_FIELDS, "updated_at")
    sql = (
        f"INSERT INTO {SearchDocument._meta.db_table} ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cur:
        cur.executemany(sql, [(*_values(d), now) for d in docs])


def search_documents_write(
    docs: Iterable[Doc], *, progress: Callable[[int], None] | None = None
) -> int:
    """Insert prepared documents in batches (no existing row for them); returns the count.
    The caller holds the transaction."""
    count = 0
    batch: list[Doc] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= BATCH:
            _insert(batch)
            count += len(batch)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        _insert(batch)
        count += len(batch)
        if progress:
            progress(len(batch))
    return count


# The FTS5 tables over search_searchdocument (migration 0004). A bulk load turns automerge
# off while the rows go in and merges once at the end. (A larger in-memory buffer,
# 'hashsize', made the trigram rebuild slower: 4.5 s CPU at 1 MB, 9 s at 8 MB, 14 s at 64 MB
# for 10,000 articles.)
_FTS_TABLES = ("search_fts", "search_tri_head", "search_tri")
_DEFAULT_AUTOMERGE = 4


def _fts_config(cur, table: str, key: str, value: int) -> None:
    cur.execute(f"INSERT INTO {table}({table}, rank) VALUES (%s, %s)", [key, value])


def search_documents_replace(
    docs: Iterable[Doc], *, progress: Callable[[int], None] | None = None
) -> int:
    """Replace every document with `docs`; returns the count. The caller holds the
    transaction.

    On SQLite the index triggers are dropped for the load (a row through three triggers
    costs three FTS5 statements), the rows go in with one executemany per batch, then each
    FTS5 table is rebuilt from the rows in one statement with automerge off, merged into
    one segment ('optimize': queries read one b-tree instead of dozens), automerge is set
    back and the triggers are recreated as they were. PostgreSQL maintains its generated column and GIN indexes itself."""
    if connection.vendor != "sqlite":
        SearchDocument.objects.all().delete()
        return search_documents_write(docs, progress=progress)
    table = SearchDocument._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [table],
        )
        triggers = cur.fetchall()
        for name, _sql in triggers:
            cur.execute(f'DROP TRIGGER "{name}"')
        cur.execute(f"DELETE FROM {table}")
        count = search_documents_write(docs, progress=progress)
        for fts in _FTS_TABLES:
            _fts_config(cur, fts, "automerge", 0)
            cur.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
            cur.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")
            _fts_config(cur, fts, "automerge", _DEFAULT_AUTOMERGE)
        for _name, sql in triggers:
            cur.execute(sql)
    return count


def search_reindex(*, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index in one transaction; returns the number of documents."""
    global _vocabulary_loaded
    _vocabulary_loaded = False  # names may have changed since the process started
    configure_segmenter()
    with transaction.atomic():
        return search_documents_replace(_iter_docs(), progress=progress)


def search_document_count_expected() -> int:
    return (
        Park.objects.count()
        + Organization.objects.count()
        + Space.objects.count()
        + Article.objects.count()
    )


_LOADERS: dict[str, Callable[[int], Doc | None]] = {
    DocType.PARK: lambda pk: (
        _park_doc(p)
        if (p := Park.objects.prefetch_related("industries").filter(pk=pk).first())
        else None
    ),
    DocType.ORG: lambda pk: (
        _org_doc(o) if (o := Organization.objects.filter(pk=pk).first()) else None
    ),
    DocType.SPACE: lambda pk: (
        _space_doc(s) if (s := Space.objects.select_related("park").filter(pk=pk).first()) else None
    ),
    DocType.ARTICLE: lambda pk: (
        _article_doc(a) if (a := Article.objects.filter(pk=pk).first()) else None
    ),
}


def _store(type: str, object_id: int, doc: Doc | None) -> None:
    if doc is None:
        SearchDocument.objects.filter(type=type, object_id=object_id).delete()
        return
    _words_added(normalise.to_simplified(n) for n in doc.names)
    row = _row(doc)
    SearchDocument.objects.update_or_create(
        type=type, object_id=object_id, defaults={f: getattr(row, f) for f in _FIELDS}
    )


@transaction.atomic
def search_document_sync(*, type: str, object_id: int) -> None:
    """Bring one record's document up to date (deleted when the record is gone)."""
    configure_segmenter()
    _store(type, object_id, _LOADERS[type](object_id))


_BULK_LOADERS: dict[str, Callable[[list[int]], Iterator[Doc]]] = {
    DocType.PARK: lambda ids: map(
        _park_doc, Park.objects.prefetch_related("industries").filter(pk__in=ids)
    ),
    DocType.ORG: lambda ids: map(_org_doc, Organization.objects.filter(pk__in=ids)),
    DocType.SPACE: lambda ids: map(
        _space_doc, Space.objects.select_related("park").filter(pk__in=ids)
    ),
    DocType.ARTICLE: lambda ids: map(_article_doc, Article.objects.filter(pk__in=ids)),
}


def apply_document_changes(kind: str, ids: Iterable[int]) -> int:
    """Bring the documents of records `ids` of `kind` (park, org, space, article) up to date:
    rewritten when the record exists, deleted when it is gone. For changes made by another
    process or a bulk write that sent no signal (the change feed calls this). Idempotent;
    returns how many documents were written or deleted."""
    if kind not in _BULK_LOADERS:
        raise ValueError(f"未知的文档类型 / unknown document kind: {kind!r}")
    wanted = sorted({int(i) for i in ids})
    configure_segmenter()
    done = 0
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        with transaction.atomic():
            docs = {d.object_id: d for d in _BULK_LOADERS[kind](chunk)}
            for object_id in chunk:
                _store(kind, object_id, docs.get(object_id))
                done += 1
    return done
