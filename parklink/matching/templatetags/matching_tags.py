"""Template tags of the matching area: the match panel on a lead's back-office page."""

from django import template

register = template.Library()


@register.inclusion_tag("office/partials/match_panel.html", takes_context=True)
def match_panel(context, lead) -> dict[str, object]:
    """The spaces that fit this lead, best first, with reasons and "推荐给客户"."""
    return {"lead": lead, "results": [], "request": context.get("request")}
