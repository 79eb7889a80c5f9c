"""Template tags of the leads area: the lead block shown on every portal page and the
reminders panel of the back-office dashboard."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from parklink.leads import selectors
from parklink.leads.forms import CONSENT_LABEL, LeadForm

register = template.Library()


def _initial(park: Any = None, space: Any = None) -> dict[str, object]:
    initial: dict[str, object] = {}
    if space is not None:
        initial.update(space=getattr(space, "ref", ""), kind=getattr(space, "kind", ""))
        initial["deal"] = getattr(space, "deal", "")
        park = park or getattr(space, "park", None)
    if park is not None:
        initial["park"] = getattr(park, "pk", "")
    return initial


@register.inclusion_tag("portal/partials/lead_block.html", takes_context=True)
def lead_block(context, park=None, space=None, article=None) -> dict[str, object]:
    """The call to action "请说明您的需求、用途、税收、公司、联系人、手机号" with the compact
    lead form, pre-filled with the park or space the visitor is looking at; it posts to the
    lead page (portal:lead-create)."""
    return {
        "form": LeadForm(initial=_initial(park, space), auto_id="lb_%s"),
        "park": park,
        "space": space,
        "article": article,
        "consent_label": CONSENT_LABEL,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("office/leads/_dashboard_panel.html", takes_context=True)
def lead_dashboard_panel(context) -> dict[str, object]:
    """Follow-ups due today (and overdue) and the pipeline counts, for the dashboard."""
    user = context["request"].user
    today = timezone.localdate()
    reminders = list(selectors.lead_reminders(viewer=user, today=today)[:50])
    return {
        "reminders": reminders,
        "today": today,
        "counts": selectors.lead_counts(viewer=user),
        "request": context.get("request"),
    }
