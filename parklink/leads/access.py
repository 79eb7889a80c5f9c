"""Who may see and do what with a lead (data scopes and PIPL masking). Pure rules over a
user and a lead; the roles come from parklink.core.roles."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from parklink.core.roles import is_manager, is_operator
from parklink.zh.validators import mask_mobile


class LeadPermissionDenied(PermissionDenied):
    """The actor may not do this to this lead (message is bilingual)."""


def can_view(user: Any, lead: Any) -> bool:
    """Managers and admins see the team's leads; an agent sees own leads and the pool."""
    if is_manager(user):
        return True
    if not is_operator(user):
        return False
    return lead.owner_id is None or lead.owner_id == user.pk


def can_see_mobile(user: Any, lead: Any) -> bool:
    """The full mobile number: the lead's owner and managers only; others see it masked
    unless they deliberately reveal it (audit-logged)."""
    if is_manager(user):
        return True
    return bool(is_operator(user) and lead.owner_id is not None and lead.owner_id == user.pk)


def can_edit(user: Any, lead: Any) -> bool:
    return is_manager(user) or (is_operator(user) and lead.owner_id == user.pk)


def mobile_for(user: Any, lead: Any) -> str:
    return lead.mobile if can_see_mobile(user, lead) else mask_mobile(lead.mobile)


def require(
    allowed: bool, zh: str = "无权操作该线索", en: str = "not allowed for this lead"
) -> None:
    if not allowed:
        raise LeadPermissionDenied(f"{zh} / {en}")
