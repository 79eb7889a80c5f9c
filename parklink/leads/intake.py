"""Guards shared by the portal form and the public API before a submission reaches
`lead_submit`: request size and the per-IP rate limit."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from parklink.core.services import ip_hash
from parklink.leads import conf, ratelimit
from parklink.leads.validation import Message


@dataclass(frozen=True)
class Refusal(Message):
    """A whole submission refused (too large, too many): a bilingual message and its HTTP
    status. The UI shows `text` (the active language's half), the API both halves."""

    status: int = 400


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy
    # rewrites REMOTE_ADDR (configure the proxy, not this code).
    return request.META.get("REMOTE_ADDR", "") or ""


def user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]


def too_large(request: HttpRequest) -> Refusal | None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = conf.max_bytes()
    if length > limit:
        return Refusal(
            f"提交内容过大(上限 {limit} 字节)", f"request too large (limit {limit} bytes)", 413
        )
    return None


def check(request: HttpRequest) -> Refusal | None:
    """None when the submission may proceed; a Refusal (413/429) otherwise. Counts the
    request against the sender's IP."""
    refusal = too_large(request)
    if refusal is not None:
        return refusal
    if not ratelimit.hit(ip_hash(client_ip(request)) or "unknown"):
        return Refusal("提交过于频繁,请稍后再试", "too many submissions, try again later", 429)
    return None
