"""Writes shared by every app: audit entries, API tokens, roles."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from parklink.core.models import ApiToken, AuditEntry
from parklink.core.roles import ALL_ROLES, is_admin


def ip_hash(ip: str | None) -> str:
    """A salted hash of an IP address: enough to rate-limit and spot abuse, not to identify."""
    if not ip:
        return ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()[:32]


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Write one audit entry. `actor` may be None (system) or an anonymous user."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=detail or {},
        ip_hash=ip_hash(ip),
    )


DEFAULT_TOKEN_DAYS = 90


def _token_days() -> int:
    value = getattr(settings, "PARKLINK_API_TOKEN_DAYS", None) or os.environ.get(
        "PARKLINK_API_TOKEN_DAYS", DEFAULT_TOKEN_DAYS
    )
    return max(1, int(value))


def api_token_create(*, user: Any, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token valid for `days` (PARKLINK_API_TOKEN_DAYS, 90); the clear key is
    returned once and never stored (only its SHA-256)."""
    if days is not None and not 1 <= days <= 3650:
        raise ValidationError({"days": "有效期应为1-3650天 / validity must be 1-3650 days"})
    name = (name or "").strip()[:100] or "token"
    key = ApiToken.new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            key_hash=ApiToken.hash_key(key),
            prefix=key[3:11],
            expires_at=timezone.now() + timedelta(days=days or _token_days()),
        )
        audit_record(
            actor=user,
            action="api_token.create",
            target=token,
            detail={"expires_at": token.expires_at.isoformat()},
        )
    return token, key


def api_token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    """Revoke a token at once (its owner, or an admin); revoking twice changes nothing."""
    if token.user_id != getattr(actor, "pk", None) and not is_admin(actor):
        raise PermissionDenied("无权撤销该令牌 / not allowed to revoke this token")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if not token.revoked:
            token.revoked = True
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked", "revoked_at"])
            audit_record(actor=actor, action="api_token.revoke", target=token)
    return token


@dataclass(frozen=True)
class TokenCheck:
    """The outcome of presenting a key: the user, or why not ("unknown", "expired",
    "revoked", "inactive")."""

    user: Any = None
    reason: str = "ok"


def api_token_check(key: str) -> TokenCheck:
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
        if key
        else None
    )
    if token is None:
        return TokenCheck(reason="unknown")
    if token.revoked:
        return TokenCheck(reason="revoked")
    if token.is_expired():
        return TokenCheck(reason="expired")
    if not token.user.is_active:
        return TokenCheck(reason="inactive")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return TokenCheck(user=token.user)


def api_token_authenticate(key: str) -> Any | None:
    """The active user behind a valid (known, unexpired, unrevoked) key, or None."""
    return api_token_check(key).user


def roles_ensure() -> list[Group]:
    """Create the three role groups (管理员, 招商经理, 招商专员) if missing."""
    return [Group.objects.get_or_create(name=name)[0] for name in ALL_ROLES]
