"""A small fixed-window rate limiter over the Django cache (per-IP lead submissions).

django-ratelimit would fit a view decorator, but the limit here is shared by the portal
form and the API and is configured at run time (PARKLINK_LEAD_RATE_LIMIT); ten lines of
cache arithmetic are clearer than adapting it. With several app servers set REDIS_URL so
the counters are shared; the local-memory cache counts per process.
"""

from __future__ import annotations

import time

from django.core.cache import cache

from parklink.leads import conf

_UNSET = object()


def hit(key: str, *, rate: conf.Rate | object | None = _UNSET, scope: str = "leads") -> bool:
    """Count one request for `key` (an IP hash); False when over the limit.

    The lead limit (PARKLINK_LEAD_RATE_LIMIT) applies unless another `rate` and `scope`
    are given (the public matching endpoint has its own)."""
    if rate is _UNSET:
        rate = conf.rate_limit()
    if rate is None:
        return True
    assert isinstance(rate, conf.Rate)
    window = int(time.time() // rate.seconds)
    cache_key = f"{scope}:rl:{key}:{rate.seconds}:{window}"
    cache.add(cache_key, 0, timeout=rate.seconds + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=rate.seconds + 5)
        count = 1
    return count <= rate.count
