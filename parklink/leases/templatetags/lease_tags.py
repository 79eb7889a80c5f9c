"""Template helpers of the lease pages."""

from __future__ import annotations

from typing import Any

from django import template

from parklink.leads.access import can_view

register = template.Library()


@register.filter
def lead_visible(lead: Any, user: Any) -> bool:
    """The lead (a lease's 续约 deal) is in ``user``'s scope (``access.can_view``, from the
    leads' one rule): only then do its ref and link show. No query per row: the rule is
    computed once per request and the lead comes with the lease (select_related)."""
    return lead is not None and can_view(user, lead)
