"""Template tags of the leads area: the lead block shown on every portal page."""

from django import template

register = template.Library()


@register.inclusion_tag("portal/partials/lead_block.html", takes_context=True)
def lead_block(context, park=None, space=None, article=None) -> dict[str, object]:
    """The call to action "请说明您的需求、用途、税收、公司、联系人、手机号" with the lead form,
    pre-filled with the park or space the visitor is looking at."""
    return {"park": park, "space": space, "article": article, "request": context.get("request")}
