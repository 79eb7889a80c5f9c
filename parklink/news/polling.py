"""Feed polling: each active Source with a feed (RSS/Atom) or a list page is read when its
interval has passed; the article links it lists that are not held yet are ingested, with the
source's manners (robots.txt, minimum interval between requests) and a run record per poll
(IngestRun.source). `parklink worker` runs `news.tasks.feeds_poll` periodically.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

from django.db import transaction
from django.utils import timezone
from lxml import etree

from parklink.news import fetch
from parklink.news.models import Article, Source
from parklink.news.services import IngestBusy, article_ingest

logger = logging.getLogger(__name__)
MAX_LINKS_PER_POLL = 50
# A link on a list page that looks like an article: a path with a long number or a date in
# it, or ending in .html/.shtml/.htm (not an index, a tag or a section page).
_ARTICLE_PATH = re.compile(r"(\d{5,}|/20\d\d[-/]?\d\d|\.s?html?$)", re.I)
_NOT_ARTICLE = re.compile(r"(index|list|tag|category|search|login|about)[^/]*$", re.I)


@dataclass(frozen=True)
class PollResult:
    source: str
    status: str  # polled | skipped | failed
    listed: int = 0
    new: int = 0
    ok: int = 0
    failed: int = 0
    run_id: int | None = None
    error: str = ""


def sources_due(*, now=None) -> list[Source]:
    """Active sources with a feed whose interval has passed (or never polled), the longest
    waiting first. Sources are few: the interval is checked here, the same on every database."""
    now = now or timezone.now()
    sources = Source.objects.filter(active=True).exclude(feed_url="").order_by("id")
    due = [
        s
        for s in sources
        if s.last_polled_at is None or now - s.last_polled_at >= timedelta(seconds=s.poll_every_s)
    ]
    return sorted(due, key=lambda s: (s.last_polled_at is not None, s.last_polled_at or now))


def list_page_links(html: str, base_url: str) -> list[str]:
    """Article links of a list page on the same host, in page order, each once."""
    try:
        root = etree.fromstring(html, etree.HTMLParser())
    except (etree.ParserError, ValueError):
        return []
    if root is None:
        return []
    host = urlsplit(base_url).hostname
    out: list[str] = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = urljoin(base_url, href).split("#")[0]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.hostname != host:
            continue
        article_like = _ARTICLE_PATH.search(parts.path) and not _NOT_ARTICLE.search(parts.path)
        if article_like and url not in out and url.rstrip("/") != base_url.rstrip("/"):
            out.append(url)
    return out


def source_poll(*, source: Source, fetcher: fetch.Fetcher | None = None) -> PollResult:
    """Read the source's feed or list page and ingest the article links not held yet."""
    own = fetcher is None
    fetcher = fetcher or fetch.Fetcher(
        min_interval_s=source.min_interval_s, respect_robots=source.respect_robots
    )
    try:
        try:
            fetched = fetcher.get(source.feed_url)
        except fetch.FetchError as exc:
            _mark_polled(source)
            return PollResult(source.domain, "failed", error=str(exc))
        links = fetch.feed_links(fetched.data, fetched.url or source.feed_url)
        if links is None:  # not a feed: a list page
            page = fetch.to_page(fetched)
            links = list_page_links(page.text, fetched.url or source.feed_url)
        held = set(
            Article.objects.filter(source_ref__in=links).values_list("source_ref", flat=True)
        )
        new = [u for u in links if u not in held][:MAX_LINKS_PER_POLL]
        if not new:
            _mark_polled(source)
            return PollResult(source.domain, "polled", listed=len(links))
        try:
            report = article_ingest(refs=new, fetcher=fetcher, source=source)
        except IngestBusy as exc:
            return PollResult(source.domain, "skipped", listed=len(links), error=str(exc))
        _mark_polled(source)
        return PollResult(
            source.domain,
            "polled",
            listed=len(links),
            new=len(new),
            ok=report.ok,
            failed=report.failed,
            run_id=report.run_id,
        )
    except fetch.FetchError as exc:
        _mark_polled(source)
        return PollResult(source.domain, "failed", error=str(exc))
    finally:
        if own:
            fetcher.close()


def _mark_polled(source: Source) -> None:
    with transaction.atomic():
        Source.objects.filter(pk=source.pk).update(last_polled_at=timezone.now())


def feeds_poll_due() -> list[PollResult]:
    """Poll every due source, one after the other (each with its own manners)."""
    results = []
    for source in sources_due():
        result = source_poll(source=source)
        logger.info(
            "feed polled source=%s status=%s new=%s ok=%s failed=%s",
            result.source,
            result.status,
            result.new,
            result.ok,
            result.failed,
        )
        results.append(result)
    return results
