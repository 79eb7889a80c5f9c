"""The page cache of the public portal: whole rendered pages for anonymous visitors, with
their CSRF tokens put back per visitor, ETag/Last-Modified, and invalidation by generation.

How a page is kept fresh (docs/architecture.md, "Page cache"):

- every cache key holds the current *generation*, one integer in the cache
  (``pl:pages:gen``). Any committed write to public content bumps it: a ``post_save``,
  ``post_delete`` or ``m2m_changed`` of a model of the catalogue, news, chains, leases or
  policies apps (a price or status change is a ``Space`` save through
  ``parks.services.space_update``, the same write that sends ``space_changed``). With Redis the
  generation is shared, so a write on one server invalidates every server's pages at once;
  with the local-memory default each process has its own, bumped by its own writes and by
  the change feed (``core.changefeed``) when one runs;
- writes that send no signal (bulk imports, ``QuerySet.update``) show after
  ``PARKLINK["PAGE_CACHE_SECONDS"]`` at the latest (5 s with local memory, 60 s with Redis),
  plus the time of one render: an entry past its freshness is *stale*, kept as long again;
  the first request to find it stale takes a short renewal lock (``cache.add``) and renders
  the page, and the requests meanwhile get the stale copy instead of all rendering at once
  (the dogpile at every expiry, which the slowest 1 % of requests waited on). A stale entry
  is never served past twice the freshness, nor after a write (a new generation is a new key);
- only anonymous visitors without a session or flash messages get cached pages, so a page
  never carries another user's data; operators always get fresh pages;
- a page with a lead form carries a CSRF token: before storing, every token of the request
  (a masked form of its CSRF secret) is replaced by a placeholder, and each hit puts a fresh
  token of *that* visitor in its place (``get_token``, which also sets the cookie), so CSRF
  protection is unchanged;
- the ETag is the page's content hash (plus a hash of the visitor's CSRF secret where the
  page holds a token): a browser revalidating an unchanged page gets 304 with no body.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

GEN_KEY = "pl:pages:gen"
PREFIX = "pl:page:"
PLACEHOLDER = "\x00csrf\x00"
RENEW_SUFFIX = ":renewing"
# How long a renewal lock outlives a render that died (the next stale request renews then).
RENEW_LOCK_SECONDS = 10
_clock = time.time  # freshness clock (a test moves it)
# Apps whose rows appear on public pages: a write to any of their models bumps the generation.
PUBLIC_APPS = frozenset({"parks", "orgs", "news", "chains", "policies", "leases"})
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
_KEPT_HEADERS = ("Content-Type", "Content-Language")


def page_seconds() -> int:
    return int(settings.PARKLINK.get("PAGE_CACHE_SECONDS", 0))


def generation() -> int:
    value = cache.get(GEN_KEY)
    if value is None:
        cache.add(GEN_KEY, 1, None)
        value = cache.get(GEN_KEY) or 1
    return int(value)


def bump() -> None:
    """Invalidate every cached page (of every server sharing this cache)."""
    try:
        cache.incr(GEN_KEY)
    except ValueError:  # not set yet (or evicted)
        cache.set(GEN_KEY, 2, None)


def bump_after_commit(using: str = DEFAULT_DB_ALIAS) -> None:
    """Bump once the current transaction commits (once per transaction, however many rows
    it writes: an import of 10,000 rows costs one increment)."""
    if not registered(bump, using):
        transaction.on_commit(bump, using=using)


def registered(func: Callable[[], Any], using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether `func` already runs when the current transaction commits: registered under
    savepoints that are all still open (a callback of a rolled-back savepoint is dropped,
    and one under an enclosing savepoint shares the fate of the write being made now)."""
    conn = connections[using]
    if not conn.in_atomic_block:
        return False
    open_ids = set(conn.savepoint_ids)
    return any(f is func and set(sids) <= open_ids for sids, f, _ in conn.run_on_commit)


def on_public_write(sender: Any, **kwargs: Any) -> None:
    """``post_save``/``post_delete`` receiver (connected in core.apps for every model)."""
    if kwargs.get("raw") or page_seconds() <= 0:
        return
    meta = getattr(sender, "_meta", None)
    if meta is not None and meta.app_label in PUBLIC_APPS:
        bump_after_commit(kwargs.get("using") or DEFAULT_DB_ALIAS)


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    # A session or flash messages may make the page personal: never cached.
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request: HttpRequest) -> str:
    raw = "|".join(
        (
            request.scheme,
            request.get_host(),
            getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            request.get_full_path(),
        )
    )
    digest = hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()
    return f"{PREFIX}{generation()}:{digest}"


def _csrf_secret(request: HttpRequest) -> str:
    return request.META.get("CSRF_COOKIE") or ""


def _strip_tokens(content: str, secret: str) -> tuple[str, bool]:
    """Replace every CSRF token of this request (a masked form of `secret`) by the
    placeholder."""
    if not secret:
        return content, False
    found = False

    def repl(m: re.Match[str]) -> str:
        nonlocal found
        try:
            mine = _unmask_cipher_token(m.group(0)) == secret
        except Exception:  # not a token
            mine = False
        if mine:
            found = True
            return PLACEHOLDER
        return m.group(0)

    return _TOKEN.sub(repl, content), found


def _etag(body_hash: str, request: HttpRequest, personal: bool) -> str:
    if not personal:
        return f'"{body_hash}"'
    secret = hashlib.sha1(_csrf_secret(request).encode(), usedforsecurity=False).hexdigest()
    return f'"{body_hash}-{secret[:8]}"'


def _respond(request: HttpRequest, entry: dict[str, Any], state: str = "hit") -> HttpResponse:
    personal = entry["personal"]
    if personal:
        get_token(request)  # the visitor's own secret (a new cookie if it has none)
    etag = _etag(entry["hash"], request, personal)
    last_modified = entry["at"]
    conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if conditional is not None:
        return conditional
    content = entry["content"]
    if personal:
        content = content.replace(PLACEHOLDER, get_token(request))
    response = HttpResponse(content)
    for name, value in entry["headers"].items():
        response[name] = value
    response._cache_state = state  # type: ignore[attr-defined]
    _mark(response, etag, last_modified, personal)
    return response


def _mark(response: HttpResponse, etag: str, last_modified: int, personal: bool) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["X-Page-Cache"] = getattr(response, "_cache_state", "hit")  # hit, stale or miss
    if personal:  # holds this visitor's token: browsers may keep it, shared caches not
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, no_cache=True)


def public_page(
    view: Callable[..., HttpResponse] | None = None,
    *,
    on_hit: Callable[..., Any] | None = None,
) -> Any:
    """Cache a public page's whole response for anonymous visitors (see the module doc).

    `on_hit(request, *args, **kwargs)` runs when the page is served from the cache (the
    article page counts its views there)."""

    def decorate(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(func)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            seconds = page_seconds()
            if seconds <= 0 or not _cacheable_request(request):
                return func(request, *args, **kwargs)
            key = _key(request)
            entry = cache.get(key)
            renewing = False
            if entry is not None:
                fresh = _clock() < entry.get("fresh_until", 0)
                # Stale: one request renews (the lock's winner), the others are served
                # the copy they would have waited behind.
                if fresh or not cache.add(key + RENEW_SUFFIX, 1, RENEW_LOCK_SECONDS):
                    if on_hit is not None:
                        on_hit(request, *args, **kwargs)
                    return _respond(request, entry, "hit" if fresh else "stale")
                renewing = True
            try:
                return _render_and_store(func, request, args, kwargs, key, seconds)
            finally:
                if renewing:
                    cache.delete(key + RENEW_SUFFIX)

        return wrapped

    return decorate(view) if view is not None else decorate


def _render_and_store(
    func: Callable[..., HttpResponse],
    request: HttpRequest,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    key: str,
    seconds: int,
) -> HttpResponse:
    response = func(request, *args, **kwargs)
    session = getattr(request, "session", None)
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or (session is not None and session.modified)
        or response.has_header("Cache-Control")
    ):
        return response
    content = response.content.decode(response.charset)
    content, personal = _strip_tokens(content, _csrf_secret(request))
    body_hash = hashlib.sha1(content.encode(), usedforsecurity=False).hexdigest()[:20]
    entry = {
        "content": content,
        "headers": {h: response[h] for h in _KEPT_HEADERS if response.has_header(h)},
        "hash": body_hash,
        "personal": personal,
        "at": int(timezone.now().timestamp()),
        "fresh_until": _clock() + seconds,
    }
    cache.set(key, entry, seconds * 2)  # fresh for `seconds`, then stale as long again
    response._cache_state = "miss"  # type: ignore[attr-defined]
    _mark(response, _etag(body_hash, request, personal), entry["at"], personal)
    return response
