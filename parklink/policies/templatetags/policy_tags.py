"""Template tags of the policies area: the evaluation and policy panels on a lead's
back-office page (office/partials/evaluation_panel.html)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from parklink.leads.models import Lead
from parklink.policies import selectors
from parklink.policies.eligibility import PolicyMatch
from parklink.policies.facts import ProjectFacts

register = template.Library()


@dataclass(frozen=True)
class DecisionPanel:
    facts: ProjectFacts
    evaluations: list[selectors.ParkEvaluation]
    policies: list[PolicyMatch]

    @property
    def open_policies(self) -> list[PolicyMatch]:
        return [m for m in self.policies if m.status != "ineligible"]

    @property
    def closed_count(self) -> int:
        return sum(1 for m in self.policies if m.status == "ineligible")


@register.simple_tag
def lead_decisions(lead: Lead) -> DecisionPanel:
    """The lead's evaluation against each shortlisted park and its policy matches (the lead
    was read through the viewer's scope by the page; nothing here is personal data)."""
    return DecisionPanel(
        facts=selectors.lead_facts(lead),
        evaluations=selectors.lead_evaluations(lead=lead),
        policies=selectors.lead_policy_matches(lead=lead),
    )


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
