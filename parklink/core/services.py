"""Writes shared by every app: audit entries, API tokens, roles."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone

from parklink.core.models import ApiToken, AuditEntry
from parklink.core.roles import ALL_ROLES


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


def api_token_create(*, user: Any, name: str) -> tuple[ApiToken, str]:
    """Create a token; the clear key is returned once and never stored."""
    key = ApiToken.new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, key_hash=ApiToken.hash_key(key), prefix=key[3:11]
        )
        audit_record(actor=user, action="api_token.create", target=token)
    return token, key


def api_token_authenticate(key: str) -> Any | None:
    """The active user behind a key, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked=False, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def roles_ensure() -> list[Group]:
    """Create the three role groups (管理员, 招商经理, 招商专员) if missing."""
    return [Group.objects.get_or_create(name=name)[0] for name in ALL_ROLES]
