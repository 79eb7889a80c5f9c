"""Writes of the news area: `article_ingest` takes pages into articles, mentions and facts.

Shaped like NetBox's DataSource.sync: a status guard (one run at a time), a run record with
counts and per-input errors, change detection by content hash (an input whose text did not
change is left alone), bulk writes of mentions and facts, a final status. Each input is
written in its own transaction, so a bad input never leaves half an article behind and the
batch goes on.
"""

from __future__ import annotations

import html
import logging
import operator
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from time import monotonic
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from parklink.news import fetch
from parklink.news.choices import ArticleStatus, EntityKind, ReviewStatus, RunStatus
from parklink.news.dedupe import (
    DedupeIndex,
    dedupe_text,
    minhash_bytes,
    minhash_from_bytes,
    shingles,
)
from parklink.news.entities import ORG, PARK, CatalogueName, Gazetteer, catalogue_names
from parklink.news.extract import NoArticle
from parklink.news.models import Article, Fact, IngestRun, Mention, Source
from parklink.news.pipeline import Analysed, analyse
from parklink.zh import segment

logger = logging.getLogger(__name__)

STALE_RUN = timedelta(hours=1)
# Analysed pages stored per transaction, and the longest a page waits for its batch (URLs
# come slowly: their results and progress should not lag far behind).
WRITE_BATCH = 50
WRITE_WAIT = 2.0
MAX_FACT_VALUE = Decimal("1e15")
# Fact kinds that a ParkFact knows (parks.choices.FactKind); others are stored as "other".
PARK_FACT_KINDS = {
    "planned_area",
    "building_area",
    "land_area",
    "occupancy",
    "enterprises",
    "founded",
    "output",
    "investment",
}


class IngestBusy(Exception):
    """Another ingest run is in progress."""


@dataclass
class IngestResult:
    ref: str
    status: str  # ok | duplicate | unchanged | failed
    error: str = ""
    analysed: Analysed | None = None
    article_id: int | None = None
    duplicate_of: int | str | None = None

    def as_json(self) -> dict[str, object]:
        if self.analysed is None:
            return {"source": self.ref, "error": self.error}
        return self.analysed.as_json(duplicate_of=self.duplicate_of)


@dataclass
class IngestReport:
    results: list[IngestResult] = field(default_factory=list)
    run_id: int | None = None
    dry_run: bool = False

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def ok(self) -> int:
        return sum(1 for r in self.results if r.status != "failed")

    @property
    def failed(self) -> int:
        return self.count("failed")

    @property
    def duplicates(self) -> int:
        return self.count("duplicate")

    def summary(self) -> str:
        return (
            f"成功 ok {self.ok}, 失败 failed {self.failed}, 重复 duplicates {self.duplicates}, "
            f"未变 unchanged {self.count('unchanged')}"
        )


# --- Catalogue as gazetteer ---------------------------------------------------------------


def _reference_names() -> list[CatalogueName]:
    """Names from the packaged park dataset: the gazetteer while the catalogue is empty
    (a fresh database, a dry run before `parklink demo`). Not linked: no ids."""
    from parklink.parks import dataset

    path = Path(__file__).resolve().parent.parent / "parks" / "data" / "beijing_parks.yaml"
    if not path.exists():
        return []
    records = dataset.load(path)
    return catalogue_names(
        [(None, r.name, list(r.aliases)) for r in records],
        [(None, o.name, []) for r in records for o in r.orgs],
    )


def catalogue_gazetteer() -> Gazetteer:
    """Parks and organisations of the catalogue (names and aliases) as a gazetteer; their
    names also become jieba user words so they stay one token."""
    from parklink.orgs.models import Organization
    from parklink.parks.models import Park

    try:
        parks = list(Park.objects.values_list("id", "name", "aliases"))
        orgs = list(Organization.objects.values_list("id", "name", "aliases"))
    except DatabaseError:  # no tables yet (dry run on a fresh install)
        parks, orgs = [], []
    names = catalogue_names(parks, orgs) if parks or orgs else _reference_names()
    segment_configure()
    segment.add_words(n.surface for n in names)
    return Gazetteer(names)


def segment_configure() -> None:
    segment.configure(tmp_dir=Path(settings.VAR_DIR) / "jieba")


# --- Inputs -------------------------------------------------------------------------------


def _load(ref: str, fetcher: fetch.Fetcher) -> tuple[fetch.Fetched, list[str] | None]:
    """The input's bytes, or the article links when it is a feed or sitemap."""
    fetched = fetch.Fetcher.get(fetcher, ref) if fetch.is_url(ref) else fetch.read_file(ref)
    if fetch.is_url(ref) or fetched.data.lstrip()[:5] in (b"<?xml", b"<rss ", b"<feed"):
        links = fetch.feed_links(fetched.data, fetched.url or ref)
        if links is not None:
            return fetched, links
    return fetched, None


def _strip_markup(text: str) -> str:
    """Text fields never carry markup: whatever looks like HTML is removed by nh3."""
    if "<" not in text:
        return text
    return html.unescape(nh3.clean(text, tags=set()))


def _fetched_datetime(fetched_at: date | None) -> datetime:
    if fetched_at is None:
        return timezone.now()
    return timezone.make_aware(datetime.combine(fetched_at, time(12, 0)))


# --- The service ----------------------------------------------------------------------------


def article_ingest(
    *,
    refs: Sequence[str],
    fetched_at: date | None = None,
    dry_run: bool = False,
    actor: object | None = None,
    fetcher: fetch.Fetcher | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
    is_demo: bool = False,
    source_refs: Mapping[str, str] | None = None,
    source: Source | None = None,
) -> IngestReport:
    """Ingest pages (file paths or URLs; feeds and sitemaps expand to their articles).

    Returns one result per input; failed inputs carry one bilingual line. With `dry_run`
    nothing is written (no run record either) and duplicates within the batch point at the
    earlier input's ref. `source_refs` maps an input to the ref stored for it (the demo
    stores the seed's package path, not the machine's absolute path).

    Pages are fetched and analysed outside any transaction; the analysed pages are then
    stored in batches (up to WRITE_BATCH pages, or what WRITE_WAIT seconds gathered), one
    transaction per batch with a savepoint per article: a failed article is rolled back
    alone, and a batch that cannot commit is reported as failed as a whole.
    """
    source_refs = source_refs or {}
    report = IngestReport(dry_run=dry_run)
    run: IngestRun | None = None
    if not dry_run:
        run = _run_start(inputs=len(refs), actor=actor, source=source)
        report.run_id = run.pk
    own_fetcher = fetcher is None
    fetcher = fetcher or fetch.Fetcher()
    try:
        stored_refs = [source_refs.get(r, r) for r in refs]
        index, held = _dedupe_index(stored_refs)
        store = _Store(
            index=index,
            held=held,
            fetched_at=fetched_at,
            dry_run=dry_run,
            is_demo=is_demo,
            known=_KnownFacts(),
            refs=stored_refs,
        )
        gazetteer = catalogue_gazetteer()
        queue: list[str] = list(refs)
        seen: set[str] = set()
        pending: list[IngestResult | Analysed] = []
        since = monotonic()

        def flush() -> None:
            for result in store.batch(pending):
                report.results.append(result)
                if on_result is not None:
                    on_result(result)
            pending.clear()

        i = 0
        while i < len(queue):
            ref = queue[i]
            i += 1
            if ref in seen:
                continue
            seen.add(ref)
            prepared = _prepare(
                ref,
                fetcher=fetcher,
                gazetteer=gazetteer,
                fetched_at=fetched_at,
                queue=queue,
                stored_ref=source_refs.get(ref, ref),
            )
            if prepared is None:  # a feed: its links were queued
                continue
            if not pending:
                since = monotonic()
            pending.append(prepared)
            if len(pending) >= WRITE_BATCH or monotonic() - since >= WRITE_WAIT:
                flush()
        flush()
    except Exception:
        if run is not None:
            _run_finish(run, report, status=RunStatus.FAILED)
        raise
    finally:
        if own_fetcher:
            fetcher.close()
    if run is not None:
        _run_finish(run, report, status=RunStatus.DONE)
    return report


def _run_start(*, inputs: int, actor: object | None, source: Source | None = None) -> IngestRun:
    """The status guard: one run at a time; a run silent for an hour is marked failed."""
    from parklink.core.services import audit_record

    with transaction.atomic():
        cutoff = timezone.now() - STALE_RUN
        IngestRun.objects.filter(status=RunStatus.RUNNING, started_at__lt=cutoff).update(
            status=RunStatus.FAILED, finished_at=timezone.now()
        )
        if IngestRun.objects.select_for_update().filter(status=RunStatus.RUNNING).exists():
            raise IngestBusy("另一个导入正在进行 / another ingest run is in progress")
        user = actor if getattr(actor, "is_authenticated", False) else None
        run = IngestRun.objects.create(inputs=inputs, actor=user, source=source)
        audit_record(actor=actor, action="news.ingest.start", target=run, detail={"inputs": inputs})
    return run


def _run_finish(run: IngestRun, report: IngestReport, *, status: str) -> None:
    run.status = status
    run.finished_at = timezone.now()
    run.inputs = len(report.results)
    run.ok = report.ok
    run.failed = report.failed
    run.duplicates = report.duplicates
    run.errors = [{"source": r.ref, "error": r.error} for r in report.results if r.error][:500]
    run.save(
        update_fields=["status", "finished_at", "inputs", "ok", "failed", "duplicates", "errors"]
    )


@dataclass(frozen=True)
class _Held:
    article_id: int
    content_hash: str
    duplicate_of: int | None


def _dedupe_index(refs: Iterable[str]) -> tuple[DedupeIndex, dict[str, _Held]]:
    """Every held article in the dedupe index; the held articles of these refs by ref."""

    def load_grams(key: Hashable) -> set[str]:
        if not isinstance(key, int):
            return set()
        body = Article.objects.filter(pk=key).values_list("body_simplified", flat=True).first()
        return shingles(dedupe_text(body or ""))

    index = DedupeIndex(load_grams=load_grams)
    held: dict[str, _Held] = {}
    wanted = set(refs)
    try:
        rows = Article.objects.values_list(
            "id", "content_hash", "minhash", "source_ref", "duplicate_of_id"
        ).order_by("id")
        for pk, chash, mh, source_ref, dup in rows.iterator(chunk_size=2000):
            if source_ref in wanted:
                held[source_ref] = _Held(pk, chash, dup)
            if mh and dup is None:  # only canonicals are duplicated against
                index.add(pk, content_hash=chash, minhash=minhash_from_bytes(mh))
    except DatabaseError:
        pass  # no tables yet: nothing held
    return index, held


def _prepare(
    ref: str,
    *,
    fetcher: fetch.Fetcher,
    gazetteer: Gazetteer,
    fetched_at: date | None,
    queue: list[str],
    stored_ref: str,
) -> IngestResult | Analysed | None:
    """Fetch and analyse one input (no database): the analysed page, a failed result, or
    None for a feed or sitemap (its links were queued)."""
    try:
        fetched, links = _load(ref, fetcher)
        ref = stored_ref
        if links is not None:
            if not links:
                raise fetch.FetchError("订阅源/站点地图为空 / feed or sitemap lists nothing")
            queue.extend(links)
            return None
        page = fetch.to_page(fetched)
        page.ref = ref
        page.text = page.text if page.is_html else _strip_markup(page.text)
        return analyse(page, gazetteer=gazetteer, fetched_at=fetched_at)
    except (fetch.FetchError, NoArticle) as exc:
        return IngestResult(stored_ref, "failed", error=str(exc))
    except (ValueError, LookupError, RecursionError, MemoryError) as exc:
        # Broken markup the parser cannot recover from, decoders giving up: one line.
        return IngestResult(
            stored_ref, "failed", error=f"无法解析 / cannot parse ({type(exc).__name__})"
        )


@dataclass
class _Store:
    """Dedupe decisions and writes for analysed pages, in input order."""

    index: DedupeIndex
    held: dict[str, _Held]
    fetched_at: date | None
    dry_run: bool
    is_demo: bool
    known: _KnownFacts
    refs: list[str]

    def batch(self, items: list[IngestResult | Analysed]) -> list[IngestResult]:
        if self.dry_run or not any(isinstance(x, Analysed) for x in items):
            return [x if isinstance(x, IngestResult) else self.one(x) for x in items]
        results: list[IngestResult] = []
        try:
            with transaction.atomic():
                for x in items:
                    results.append(x if isinstance(x, IngestResult) else self.one(x))
        except DatabaseError as exc:
            # Nothing of the batch was kept: its pages failed, and what dedupe learned
            # from them is read again from the database.
            logger.warning("ingest batch not committed error=%s", exc)
            self.index, self.held = _dedupe_index(self.refs)
            error = f"写入失败 / write failed ({type(exc).__name__})"
            return [
                x
                if isinstance(x, IngestResult) and x.status == "failed"
                else IngestResult(x.ref, "failed", error=error)
                for x in items
            ]
        return results

    def one(self, analysed: Analysed) -> IngestResult:
        ref = analysed.ref
        prior = self.held.get(ref)
        sig = analysed.signature
        if prior is not None and prior.content_hash == sig.content_hash:
            return IngestResult(
                ref,
                "unchanged",
                analysed=analysed,
                article_id=prior.article_id,
                duplicate_of=prior.duplicate_of,
            )
        match = self.index.find(sig)
        duplicate_of: int | str | None = None
        if match is not None and not (prior is not None and match.key == prior.article_id):
            duplicate_of = match.key if isinstance(match.key, int) else str(match.key)
        status = "duplicate" if duplicate_of is not None else "ok"
        if self.dry_run:
            if duplicate_of is None:
                self.index.add_signature(ref, sig)
            return IngestResult(ref, status, analysed=analysed, duplicate_of=duplicate_of)
        try:
            article = _write(
                analysed,
                prior=prior,
                duplicate_of=duplicate_of if isinstance(duplicate_of, int) else None,
                fetched_at=self.fetched_at,
                is_demo=self.is_demo,
                known=self.known,
            )
        except DatabaseError as exc:
            logger.warning("ingest write failed ref=%s error=%s", ref, exc)
            return IngestResult(
                ref, "failed", error=f"写入失败 / write failed ({type(exc).__name__})"
            )
        if duplicate_of is None:
            self.index.add_signature(article.pk, sig)
        self.held[ref] = _Held(article.pk, sig.content_hash, article.duplicate_of_id)
        return IngestResult(
            ref, status, analysed=analysed, article_id=article.pk, duplicate_of=duplicate_of
        )


def _source_for(url: str) -> Source | None:
    if not url:
        return None
    domain = (urlsplit(url).hostname or "").lower()
    if not domain:
        return None
    source, _ = Source.objects.get_or_create(
        domain=domain, defaults={"name": domain, "base_url": f"{urlsplit(url).scheme}://{domain}/"}
    )
    return source


@transaction.atomic
def _write(
    a: Analysed,
    *,
    prior: _Held | None,
    duplicate_of: int | None,
    fetched_at: date | None,
    is_demo: bool,
    known: _KnownFacts | None = None,
) -> Article:
    url = a.url or (a.ref if fetch.is_url(a.ref) else "")
    fields = {
        "title": a.title[:300],
        "author": a.author[:100],
        "published": a.published,
        "category": a.category[:50],
        "body": a.body,
        "body_simplified": a.body_simplified,
        "language": a.language,
        "source": _source_for(url),
        "source_ref": a.ref[:1000],
        "url": url[:1000],
        "fetched_at": _fetched_datetime(fetched_at),
        "views": a.views or 0,
        "content_hash": a.signature.content_hash,
        "minhash": minhash_bytes(a.signature.minhash),
        "tokens": a.tokens,
        "duplicate_of_id": duplicate_of,
        "related": [{"title": r.title, "excerpt": r.excerpt} for r in a.related],
        "copyright_line": a.copyright[:300],
        "outlet": a.outlet[:100],
        "status": ArticleStatus.HIDDEN if duplicate_of else ArticleStatus.PUBLISHED,
        "is_demo": is_demo,
    }
    if prior is not None:
        article = Article.objects.select_for_update().get(pk=prior.article_id)
        for k, v in fields.items():
            setattr(article, k, v)
        article.full_clean(exclude=["minhash"])
        article.save()
        # Ingestion's own proposals are replaced; what a reviewer decided stays.
        unreviewed = (ReviewStatus.LINKED, ReviewStatus.PROPOSED)
        article.mentions.filter(status__in=unreviewed).delete()
        article.facts.filter(status__in=unreviewed).delete()
    else:
        article = Article(**fields)
        article.full_clean(exclude=["minhash"])
        article.save()
    _insert_rows(Mention, _mentions(article, a))
    _insert_rows(Fact, _facts(article, a, known or _KnownFacts()))
    return article


# Field types whose Python values go to both databases as they are (ints, strings, None).
_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.IntegerField,  # incl. the positive and big variants
    models.ForeignKey,
    models.BooleanField,
)


def _adapter(field: models.Field) -> Callable[[object], object]:
    """The field's value preparation for this connection; a finite Decimal already is
    what a DecimalField prepares (Decimal(value)), so it passes straight through."""
    prep = field.get_db_prep_save
    if isinstance(field, models.DecimalField):
        return lambda v: v if type(v) is Decimal and v.is_finite() else prep(v, connection)
    return lambda v: prep(v, connection)


def _insert_rows(model: type[models.Model], rows: list[dict[str, object]]) -> None:
    """Insert rows given as {attname: value} with one executemany.

    No model instances: building them and preparing each value through its field cost more
    than the rest of the write (tens of mentions and facts per article). Missing fields get
    their default; only fields whose values need adapting (decimals, dates, JSON) go
    through Django's preparation. Same SQL on SQLite and PostgreSQL."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table),
        ", ".join(qn(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    defaults = {f.attname: f.get_default() for f in fields}
    ordered = operator.itemgetter(*defaults)  # C-level: the values in column order
    adapt = [(i, _adapter(f)) for i, f in enumerate(fields) if not isinstance(f, _PLAIN_FIELDS)]
    params = []
    for row in rows:
        values = list(ordered({**defaults, **row}))
        for i, fn in adapt:
            if values[i] is not None:
                values[i] = fn(values[i])
        params.append(values)
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _mentions(article: Article, a: Analysed) -> list[dict[str, object]]:
    article_id, linked_status, proposed = article.pk, _LINKED, _PROPOSED
    out = []
    for e in a.entities:
        linked = e.ref_id is not None
        # Places and people: nothing in the catalogue to review them against.
        reviewable = e.kind in (PARK, ORG) and not linked
        status = proposed if reviewable else linked_status
        out.append(
            {
                "article_id": article_id,
                "kind": e.kind if e.kind in _ENTITY_KINDS else _ORG_KIND,
                "text": e.name[:200],
                "start": e.start,
                "end": e.end,
                "park_id": e.ref_id if linked and e.kind == PARK else None,
                "org_id": e.ref_id if linked and e.kind == ORG else None,
                "status": status,
            }
        )
    return out


_LINKED, _PROPOSED = ReviewStatus.LINKED.value, ReviewStatus.PROPOSED.value
_ORG_KIND = EntityKind.ORG.value
_ENTITY_KINDS = frozenset(EntityKind.values)


class _KnownFacts:
    """The catalogue's park facts by (park, kind) → values, read once per park per run: a new
    fact that agrees with them (or about a known park and a kind the catalogue has no value
    for) is linked without review; one that contradicts them is proposed as a conflict."""

    def __init__(self) -> None:
        self._by_park: dict[int, dict[str, set[Decimal]]] = {}

    def values(self, park_ids: set[int]) -> dict[int, dict[str, set[Decimal]]]:
        from parklink.parks.models import ParkFact

        missing = park_ids - self._by_park.keys()
        if missing:
            for pid in missing:
                self._by_park[pid] = {}
            rows = ParkFact.objects.filter(park_id__in=missing).values_list(
                "park_id", "kind", "value"
            )
            for pid, kind, value in rows:
                if value is not None:
                    self._by_park[pid].setdefault(kind, set()).add(value.normalize())
        return {pid: self._by_park[pid] for pid in park_ids}


# Facts agreeing within this share of the catalogue's value are the same fact (rounding).
AGREE_TOLERANCE = Decimal("0.02")
AUTO_LINK_CONFIDENCE = 0.7


def _agrees(value: Decimal, known: set[Decimal]) -> bool:
    return any(abs(value - k) <= abs(k) * AGREE_TOLERANCE for k in known)


def fact_review_status(
    *,
    value: Decimal | None,
    kind: str,
    park_known: dict[str, set[Decimal]] | None,
    confidence: float,
) -> str:
    """linked (no review) for a confident fact about a known park that agrees with the
    catalogue or adds a kind it lacks; proposed for conflicts, new subjects, doubt."""
    if park_known is None or value is None or confidence < AUTO_LINK_CONFIDENCE:
        return _PROPOSED
    known = park_known.get(kind)
    if known is None or _agrees(value, known):
        return _LINKED
    return _PROPOSED


def _facts(article: Article, a: Analysed, known: _KnownFacts) -> list[dict[str, object]]:
    park_ids = {f.subject_ref_id for f in a.facts if f.subject_kind == PARK and f.subject_ref_id}
    by_park = known.values(park_ids) if park_ids else {}
    article_id = article.pk
    out = []
    for f in a.facts:
        if f.value is not None and abs(f.value) >= MAX_FACT_VALUE:
            continue
        park_id = f.subject_ref_id if f.subject_kind == PARK else None
        org_id = f.subject_ref_id if f.subject_kind == ORG else None
        status = fact_review_status(
            value=f.value.normalize() if f.value is not None else None,
            kind=f.kind,
            park_known=by_park.get(park_id) if park_id is not None else None,
            confidence=f.confidence,
        )
        out.append(
            {
                "article_id": article_id,
                "subject": f.subject[:200],
                "park_id": park_id,
                "org_id": org_id,
                "kind": f.kind[:32],
                "value": f.value,
                "value_text": f.value_text[:100],
                "unit": f.unit,
                "as_of": f.as_of[:10],
                "text": f.text,
                "start": f.start,
                "end": f.end,
                "currency": f.currency[:3],
                "confidence": f.confidence,
                "status": status,
            }
        )
    return out
