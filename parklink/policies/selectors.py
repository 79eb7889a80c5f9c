"""Reads of the policies area: project facts of a lead, evaluations against parks, policy
matches, the policy library and its review queue, the evaluation report's content.

Leads are handed in already read through the viewer's scope (``leads.selectors.lead_get``);
nothing here returns a lead's personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from parklink.leads.models import Lead
from parklink.matching import selectors as matching_selectors
from parklink.news.choices import ReviewStatus
from parklink.parks.models import Park
from parklink.policies.eligibility import (
    ConditionError,
    PolicyInfo,
    PolicyMatch,
    match_policies,
    normalise_conditions,
)
from parklink.policies.evaluation import Evaluation, ParkRules, evaluate, rank
from parklink.policies.facts import ProjectFacts, facts_from_data, read_text
from parklink.policies.models import Policy, PolicyProposal

logger = logging.getLogger("parklink.policies")

SHORTLIST = 5  # parks evaluated on a lead's page: those it names, then matching's best
EXPIRY_DAYS = 60  # a policy ending within this many days is flagged in the library


def expiry_days() -> int:
    return int(settings.PARKLINK.get("POLICY_EXPIRY_DAYS", EXPIRY_DAYS))


# --- Parks and their rules ------------------------------------------------------------------


def park_find(name: str) -> Park | None:
    """A park by its name or one of its aliases (surrounding spaces ignored)."""
    name = (name or "").strip()
    if not name:
        return None
    park = Park.objects.filter(name=name).first()
    if park is not None:
        return park
    for candidate in Park.objects.exclude(aliases=[]).only("id", "aliases"):
        if name in (str(a).strip() for a in candidate.aliases):
            return Park.objects.get(pk=candidate.pk)
    return None


def park_rules(park: Park) -> ParkRules:
    """The engine's view of a park's admission rules (its older minimum tax per m² applies
    when the rules set none)."""
    fallback = park.min_annual_tax_yuan_per_m2
    return ParkRules.from_rules(
        park.name,
        park.rules,
        tax_yuan_per_m2=float(fallback) if fallback is not None else None,
    )


# --- Project facts --------------------------------------------------------------------------


def _stated_area(lead: Lead) -> float | None:
    """The area the need text states, when the stored range holds it: the leads service
    widens a stated "1500平" into a search range (1200–1950) for matching; the per-亩
    figures use what was said."""
    if lead.area_min_m2 is None or lead.area_max_m2 is None or not lead.need:
        return None
    stated = read_text(lead.need).values.get("area_m2")
    if stated is None or not (float(lead.area_min_m2) <= stated <= float(lead.area_max_m2)):
        return None
    return stated


def lead_fact_data(lead: Lead) -> dict[str, Any]:
    """A lead's project facts in the exchange format (no personal data)."""
    stated = _stated_area(lead)
    return {
        "industry": lead.industry,
        "need": lead.need,
        "use": lead.use,
        "total_investment_wan": lead.total_investment_wan,
        "land_mu": lead.land_mu,
        "annual_tax_wan": lead.annual_tax_wan,
        "annual_output_wan": lead.annual_output_wan,
        "is_high_tech": lead.is_high_tech,
        "is_specialized": lead.is_specialized,
        "founded_year": lead.founded_year,
        "staff": lead.staff,
        "qualifications": lead.qualifications,
        "districts": lead.districts,
        "area_min_m2": lead.area_min_m2 if stated is None else None,
        "area_max_m2": lead.area_max_m2 if stated is None else None,
        "area_m2": stated,
    }


def lead_facts(lead: Lead) -> ProjectFacts:
    """What is known about the lead's project (stored fields, then its need text). Stored
    values passed the leads validation, so this does not fail."""
    return facts_from_data(lead_fact_data(lead))


# --- Evaluation -----------------------------------------------------------------------------


def evaluate_data(*, data: Mapping[str, Any], park: Park) -> Evaluation:
    """The evaluation of a lead given in the exchange format (FactsError names a bad field)."""
    return evaluate(facts_from_data(data), park_rules(park))


def lead_shortlist(lead: Lead, *, limit: int = SHORTLIST) -> list[Park]:
    """The parks a lead's page evaluates: those the lead names, then the matching engine's
    best-ranked parks for it, at most `limit`."""
    named = [p for p in (park_find(n) for n in lead.parks or []) if p is not None]
    ids: list[int] = list(dict.fromkeys(p.pk for p in named))
    if len(ids) < limit:
        result = matching_selectors.lead_matches(lead, top=limit, with_parks=True)
        for match in result.parks:
            if match.park_id not in ids:
                ids.append(match.park_id)
    ids = ids[:limit]
    parks = {p.pk: p for p in Park.objects.filter(pk__in=ids)}
    return [parks[i] for i in ids if i in parks]


@dataclass(frozen=True)
class ParkEvaluation:
    park: Park
    evaluation: Evaluation
    policies: tuple[PolicyMatch, ...] = ()  # policies of the park's region, for this project

    @property
    def policies_open(self) -> tuple[PolicyMatch, ...]:
        return tuple(m for m in self.policies if m.status != "ineligible")


def lead_evaluations(
    *,
    lead: Lead,
    on: date | None = None,
    parks: list[Park] | None = None,
    infos: list[PolicyInfo] | None = None,
) -> list[ParkEvaluation]:
    """The lead evaluated against each shortlisted park, best first, each with the policies
    it may get there (the park's district as the project's district). `infos`: the policies
    in force on the day, when the caller has read them already."""
    facts = lead_facts(lead)
    day = on or timezone.localdate()
    if infos is None:
        infos = policy_infos(Policy.objects.valid_on(day))
    out: dict[int, ParkEvaluation] = {}
    evaluations = []
    for park in parks if parks is not None else lead_shortlist(lead):
        evaluation = evaluate(facts, park_rules(park))
        evaluations.append(evaluation)
        matches: list[PolicyMatch] = []
        if park.district:
            local = [i for i in infos if i.region in ("", park.city, park.district)]
            here = replace(facts, districts=(park.district,))
            matches = match_policies(here, local, on=day)
        out[id(evaluation)] = ParkEvaluation(park, evaluation, tuple(matches))
    return [out[id(e)] for e in rank(evaluations)]


# --- Policies -------------------------------------------------------------------------------


def _amount(value: Decimal | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def policy_info(policy: Policy) -> PolicyInfo:
    """The matcher's view of a stored policy (its conditions were validated on save)."""
    return PolicyInfo(
        ref=policy.ref,
        title=policy.title,
        region=policy.region,
        valid_from=policy.valid_from,
        valid_to=policy.valid_to,
        industries=tuple(policy.industries or ()),
        conditions=normalise_conditions(policy.conditions or []),
        amount_wan_max=_amount(policy.amount_wan_max),
        benefit=policy.benefit,
    )


def policy_infos(policies: Iterable[Policy] | None = None) -> list[PolicyInfo]:
    """The matcher's view of policies; one whose stored conditions no longer read (edited
    outside the services) is left out and logged, never breaking a page."""
    out = []
    for p in policies if policies is not None else Policy.objects.all():
        try:
            out.append(policy_info(p))
        except ConditionError:
            logger.warning("policy conditions unreadable", extra={"policy": p.ref})
    return out


def policy_matches(*, facts: ProjectFacts, on: date | None = None) -> list[PolicyMatch]:
    """Every policy in force on `on` (today), with the project's status, best first."""
    day = on or timezone.localdate()
    return match_policies(facts, policy_infos(Policy.objects.valid_on(day)), on=day)


def lead_policy_matches(*, lead: Lead, on: date | None = None) -> list[PolicyMatch]:
    return policy_matches(facts=lead_facts(lead), on=on)


@dataclass(frozen=True)
class LeadDecisions:
    """What a lead's page shows of this area: its facts, its evaluation against each
    shortlisted park and the policies it may get (policies read once)."""

    facts: ProjectFacts
    evaluations: list[ParkEvaluation]
    policies: list[PolicyMatch]

    @property
    def open_policies(self) -> list[PolicyMatch]:
        return [m for m in self.policies if m.status != "ineligible"]

    @property
    def closed_count(self) -> int:
        return sum(1 for m in self.policies if m.status == "ineligible")


def lead_decisions(*, lead: Lead, on: date | None = None) -> LeadDecisions:
    day = on or timezone.localdate()
    infos = policy_infos(Policy.objects.valid_on(day))
    facts = lead_facts(lead)
    return LeadDecisions(
        facts=facts,
        evaluations=lead_evaluations(lead=lead, on=day, infos=infos),
        policies=match_policies(facts, infos, on=day),
    )


@dataclass
class PolicyFilter:
    q: str = ""
    region: str = ""
    state: str = ""  # "", "current", "ending", "expired", "upcoming"

    @classmethod
    def from_params(cls, params: Any) -> PolicyFilter:
        return cls(
            q=(params.get("q") or "").strip()[:100],
            region=(params.get("region") or "").strip()[:20],
            state=params.get("state") or "",
        )


def policy_list(
    filters: PolicyFilter | None = None, *, today: date | None = None
) -> QuerySet[Policy]:
    """The library as the office lists it."""
    f = filters or PolicyFilter()
    day = today or timezone.localdate()
    qs = Policy.objects.all()
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(ref__iexact=f.q) | Q(issuer__icontains=f.q))
    if f.region:
        qs = qs.filter(region=f.region)
    if f.state == "current":
        qs = qs.valid_on(day)
    elif f.state == "ending":
        qs = qs.ending_between(day, day + timedelta(days=expiry_days()))
    elif f.state == "expired":
        qs = qs.filter(valid_to__lt=day)
    elif f.state == "upcoming":
        qs = qs.filter(valid_from__gt=day)
    return qs.order_by("valid_to", "ref")


def policy_regions() -> list[str]:
    return sorted(r for r in Policy.objects.values_list("region", flat=True).distinct() if r)


def policies_ending_soon(*, today: date | None = None, days: int | None = None) -> QuerySet[Policy]:
    """Policies in force that end within `days` days (the library's expiry warning)."""
    day = today or timezone.localdate()
    window = expiry_days() if days is None else days
    return Policy.objects.ending_between(day, day + timedelta(days=window)).order_by("valid_to")


def policy_public_list(*, on: date | None = None, region: str = "") -> QuerySet[Policy]:
    """What the portal lists: policies in force."""
    qs = Policy.objects.valid_on(on or timezone.localdate())
    if region:
        qs = qs.filter(region__in=[region, "北京市", ""])
    return qs.order_by("region", "-amount_wan_max", "ref")


def parks_with_rules() -> QuerySet[Park]:
    """Parks that publish admission rules (the portal links their policy pages)."""
    return Park.objects.exclude(rules={}).only("id", "name", "district").order_by("name")


def policy_get(ref: str) -> Policy:
    return Policy.objects.get(ref=ref)


def park_policies(*, park: Park, on: date | None = None) -> QuerySet[Policy]:
    """The policies in force that apply in a park (its district's, the city's)."""
    qs = Policy.objects.valid_on(on or timezone.localdate())
    return qs.in_region(park.district, park.city).order_by("-amount_wan_max", "ref")


def proposal_queue(*, status: str = ReviewStatus.PROPOSED) -> QuerySet[PolicyProposal]:
    return PolicyProposal.objects.filter(status=status).select_related("policy", "reviewed_by")


def proposal_get(pk: int) -> PolicyProposal:
    return PolicyProposal.objects.get(pk=pk)


# --- The evaluation report -------------------------------------------------------------------


@dataclass
class LeadReport:
    """What the 项目研判报告 shows: no contact, no mobile."""

    ref: str
    company: str
    facts: ProjectFacts
    evaluations: list[ParkEvaluation]
    spaces: list[Any] = field(default_factory=list)  # matching.scoring.SpaceMatch
    policies: list[PolicyMatch] = field(default_factory=list)
    generated_at: Any = None
    config_version: str = ""


def lead_report(*, lead: Lead, on: date | None = None) -> LeadReport:
    evaluations = lead_evaluations(lead=lead, on=on)
    spaces = matching_selectors.lead_matches(lead, top=8).results
    return LeadReport(
        ref=lead.ref,
        company=lead.company,
        facts=lead_facts(lead),
        evaluations=evaluations,
        spaces=list(spaces),
        policies=lead_policy_matches(lead=lead, on=on),
        generated_at=timezone.now(),
        config_version=evaluations[0].evaluation.config_version if evaluations else "",
    )
