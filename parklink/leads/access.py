"""Who may see and do what with a lead, derived from the one scope rule
(`parklink.leads.selectors.lead_scope_rule`, whose SQL form is `lead_scope(viewer=)`), and
PIPL masking. Stable API for other areas: `can_view(user, lead)`, `can_edit(user, lead)`,
`can_see_mobile(user, lead)`, `mobile_for(user, lead)`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from parklink.leads.selectors import lead_scope_rule
from parklink.zh.validators import mask_mobile


class LeadPermissionDenied(PermissionDenied):
    """The actor may not do this to this lead (message is bilingual)."""


def can_view(user: Any, lead: Any) -> bool:
    """The lead is in the user's scope: exactly the rows `lead_scope(viewer=user)` holds."""
    return lead_scope_rule(viewer=user).admits(lead)


def can_edit(user: Any, lead: Any) -> bool:
    """The owner, and the managers/admins whose scope holds the lead."""
    return lead_scope_rule(viewer=user).works(lead)


def can_see_mobile(user: Any, lead: Any) -> bool:
    """The full mobile number without asking: whoever works the lead (its owner, the
    managers whose scope holds it). Others in scope (an agent on a 公海 lead) see it masked
    and may reveal it deliberately (`lead_reveal`: audit-logged and rate limited)."""
    return can_edit(user, lead)


def can_reveal(user: Any, lead: Any) -> bool:
    return can_view(user, lead)


def mobile_for(user: Any, lead: Any) -> str:
    """The lead's mobile as `user` may see it: full or masked (138****2222, +49****4567)."""
    return lead.mobile if can_see_mobile(user, lead) else mask_mobile(lead.mobile)


def require(
    allowed: bool, zh: str = "无权操作该线索", en: str = "not allowed for this lead"
) -> None:
    if not allowed:
        raise LeadPermissionDenied(f"{zh} / {en}")
