"""Template tags of the news area: the latest-articles block on the portal home."""

from django import template

register = template.Library()


@register.inclusion_tag("portal/partials/latest_articles.html")
def latest_articles(limit: int = 8) -> dict[str, object]:
    return {"articles": []}
