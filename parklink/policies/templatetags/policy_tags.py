"""Template tags of the policies area: the evaluation and policy panels on a lead's
back-office page (office/partials/evaluation_panel.html)."""

from __future__ import annotations

from django import template

from parklink.leads.models import Lead
from parklink.policies import selectors

register = template.Library()


@register.simple_tag
def lead_decisions(lead: Lead) -> selectors.LeadDecisions:
    """The lead's evaluation against each shortlisted park and its policy matches (the lead
    was read through the viewer's scope by the page; nothing here is personal data)."""
    return selectors.lead_decisions(lead=lead)


@register.filter
def figure(value: object) -> str:
    """A number as the panels show it (2 decimals at most, thousands separated)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(value)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    return f"{number:,.2f}".rstrip("0").rstrip(".")
