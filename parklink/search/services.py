"""Keeping the search index in step with the catalogue and the news.

Each searchable record becomes one SearchDocument (title, simplified text, jieba tokens);
the database's full-text index follows it by trigger (SQLite) or generated column
(PostgreSQL). `search_reindex` rebuilds everything; `search_document_sync` one record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from parklink.news.choices import ArticleStatus
from parklink.news.models import Article
from parklink.orgs.models import Organization
from parklink.parks.models import Park, Space
from parklink.search.models import DocType, SearchDocument
from parklink.zh import normalise, segment

MAX_TEXT = 20000  # characters of a document that are indexed


@dataclass(frozen=True)
class Doc:
    type: str
    object_id: int
    title: str
    url: str
    text: str
    public: bool


def configure_segmenter() -> None:
    segment.configure(tmp_dir=Path(settings.VAR_DIR) / "jieba")


def tokens_for(text: str) -> str:
    """Space-separated index tokens (precise + sub-words) of simplified text."""
    configure_segmenter()
    return " ".join(segment.index_tokens(text))


def _park_doc(p: Park) -> Doc:
    industries = " ".join(i.name for i in p.industries.all())
    text = " ".join(
        s
        for s in [p.name, *p.aliases, p.district, p.address, industries, p.operator, p.description]
        if s
    )
    return Doc(DocType.PARK, p.pk, p.name, p.get_absolute_url(), text, True)


def _org_doc(o: Organization) -> Doc:
    text = " ".join(s for s in [o.name, *o.aliases, o.industry, o.description] if s)
    return Doc(DocType.ORG, o.pk, o.name, "", text, True)


def _space_doc(s: Space) -> Doc:
    title = s.title or f"{s.park.name} {s.kind}{s.deal} {s.area_m2:.0f}㎡"
    text = " ".join(
        x for x in [title, s.park.name, s.park.district, s.kind, s.deal, s.description] if x
    )
    return Doc(DocType.SPACE, s.pk, title, s.get_absolute_url(), text, s.is_available)


def _article_doc(a: Article) -> Doc:
    text = f"{a.title}\n{a.body_simplified or a.body}"
    public = a.status == ArticleStatus.PUBLISHED and a.duplicate_of_id is None
    return Doc(DocType.ARTICLE, a.pk, a.title, a.get_absolute_url(), text, public)


def _iter_docs() -> Iterator[Doc]:
    for p in Park.objects.prefetch_related("industries").iterator(chunk_size=500):
        yield _park_doc(p)
    for o in Organization.objects.iterator(chunk_size=1000):
        yield _org_doc(o)
    for s in Space.objects.select_related("park").iterator(chunk_size=1000):
        yield _space_doc(s)
    for a in Article.objects.iterator(chunk_size=200):
        yield _article_doc(a)


def _row(doc: Doc) -> SearchDocument:
    text = normalise.to_simplified(doc.text)[:MAX_TEXT]
    return SearchDocument(
        type=doc.type,
        object_id=doc.object_id,
        title=doc.title[:300],
        url=doc.url[:300],
        text=text,
        tokens=tokens_for(text),
        public=doc.public,
    )


def search_reindex(*, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index in one transaction; returns the number of documents."""
    count = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        batch: list[SearchDocument] = []
        for doc in _iter_docs():
            batch.append(_row(doc))
            if len(batch) >= 500:
                SearchDocument.objects.bulk_create(batch)
                count += len(batch)
                if progress:
                    progress(len(batch))
                batch = []
        if batch:
            SearchDocument.objects.bulk_create(batch)
            count += len(batch)
            if progress:
                progress(len(batch))
    return count


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


@transaction.atomic
def search_document_sync(*, type: str, object_id: int) -> None:
    """Bring one record's document up to date (deleted when the record is gone)."""
    doc = _LOADERS[type](object_id)
    if doc is None:
        SearchDocument.objects.filter(type=type, object_id=object_id).delete()
        return
    row = _row(doc)
    SearchDocument.objects.update_or_create(
        type=type,
        object_id=object_id,
        defaults={f: getattr(row, f) for f in ("title", "url", "text", "tokens", "public")},
    )
