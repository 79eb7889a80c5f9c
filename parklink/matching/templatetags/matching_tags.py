"""Template tags of the matching area: the match panel on a lead's back-office page."""

from __future__ import annotations

from django import template

from parklink.leads import access
from parklink.matching import selectors

register = template.Library()


@register.inclusion_tag("office/partials/match_panel.html", takes_context=True)
def match_panel(context, lead) -> dict[str, object]:
    """The spaces that fit this lead, best first, with reasons, "推荐给客户" and "不感兴趣"
    (spaces already recommended or refused are not shown again)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    result = selectors.lead_matches(lead, top=5, with_parks=True)
    return {
        "lead": lead,
        "result": result,
        "results": result.results,
        "can_edit": user is not None and access.can_edit(user, lead),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def unread_match_alerts(user) -> int:
    """Unread match alerts of the operator (for the nav badge)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return selectors.unread_alert_count(user)
