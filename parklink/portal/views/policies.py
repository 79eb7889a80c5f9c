"""Portal pages of the policies area: the policies in force, one policy, a park's policy page
(its admission rules and the policies that apply there) and the 政策自测 self-check, whose
answers become a lead (with consent) through the leads service."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_protect

from parklink.leads import intake, services
from parklink.leads.choices import Channel
from parklink.leads.forms import CONSENT_LABEL
from parklink.leads.validation import LeadDataError
from parklink.parks import selectors as park_selectors
from parklink.parks.models import Park
from parklink.parks.rules import has_rules
from parklink.policies import selectors
from parklink.policies.facts import LABELS, UNITS, FactsError, facts_from_data
from parklink.policies.forms import SelfCheckForm
from parklink.policies.industries import default_taxonomy
from parklink.policies.models import Policy
from parklink.zh.places import BEIJING_DISTRICTS

logger = logging.getLogger("parklink.policies")


def policy_index(request: HttpRequest) -> HttpResponse:
    region = request.GET.get("region", "")
    region = region if region in (*BEIJING_DISTRICTS, "北京市") else ""
    policies = list(selectors.policy_public_list(region=region))
    return render(
        request,
        "portal/policies/index.html",
        {
            "policies": policies,
            "region": region,
            "districts": BEIJING_DISTRICTS,
            "parks": list(selectors.parks_with_rules()),
        },
    )


def policy_detail(request: HttpRequest, ref: str) -> HttpResponse:
    try:
        policy = selectors.policy_get(ref)
    except Policy.DoesNotExist as exc:
        raise Http404 from exc
    info = selectors.policy_info(policy)
    return render(
        request,
        "portal/policies/detail.html",
        {"policy": policy, "conditions": info.all_conditions},
    )


def park_policies(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        park = park_selectors.park_get(pk)
    except Park.DoesNotExist as exc:
        raise Http404 from exc
    policies = list(selectors.park_policies(park=park))
    return render(
        request,
        "portal/policies/park.html",
        {
            "park": park,
            "rules": park.rules if has_rules(park.rules) else None,
            "policies": policies,
        },
    )


def _need_text(answers: dict[str, Any]) -> str:
    """The answers as the lead's need, in words an agent reads."""
    parts = []
    for name, value in answers.items():
        if name == "districts":
            parts.append(f"意向区域 {'、'.join(value)}")
            continue
        label = LABELS.get(name, (name, name))[0]
        unit = UNITS.get(name, "") if name != "founded_year" else ""
        parts.append(f"{label} {value}{unit}")
    return "政策自测:" + ";".join(parts)


CHECK_SESSION_KEY = "policy_self_check"


def self_check_result(request: HttpRequest) -> HttpResponse:
    """The policies the answers of the last 政策自测 may get (GET after the POST)."""
    stored = request.session.get(CHECK_SESSION_KEY)
    if not isinstance(stored, dict) or not isinstance(stored.get("answers"), dict):
        return redirect("portal:policy-check")
    try:
        facts = facts_from_data(stored["answers"])
    except FactsError:  # validated by lead_submit already; never expected
        logger.exception("self-check answers not read", extra={"lead": stored.get("lead")})
        facts = facts_from_data({})
    matches = selectors.policy_matches(facts=facts)
    return render(
        request,
        "portal/policies/check_result.html",
        {
            "matches": [m for m in matches if m.status != "ineligible"],
            "ineligible": [m for m in matches if m.status == "ineligible"],
            "facts": facts,
        },
    )


@csrf_protect
def self_check(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {
        "consent_label": CONSENT_LABEL,
        "industries": default_taxonomy().names,
    }
    if request.method != "POST":
        return render(request, "portal/policies/check.html", {**context, "form": SelfCheckForm()})
    refusal = intake.check(request)
    if refusal is not None:
        return render(
            request,
            "portal/policies/check.html",
            {**context, "form": SelfCheckForm(), "refusal": refusal.text},
            status=refusal.status,
        )
    form = SelfCheckForm(request.POST)
    if form.is_valid():
        if form.is_spam():
            logger.warning("self-check honeypot filled", extra={"path": request.path})
            return redirect("portal:lead-thanks")
        answers = form.answers()
        try:
            lead = services.lead_submit(
                data=form.submission(_need_text(answers)),
                channel=Channel.WEB,
                actor=request.user,
                ip=intake.client_ip(request),
                user_agent=intake.user_agent(request),
            )
        except LeadDataError as exc:
            form.add_service_errors(exc)
        else:
            # Post/Redirect/Get: the answers (project facts only, no contact) wait in the
            # session for the result page, so reloading it never submits the lead again.
            request.session[CHECK_SESSION_KEY] = {"answers": answers, "lead": lead.pk}
            return redirect("portal:policy-check-result")
    return render(request, "portal/policies/check.html", {**context, "form": form}, status=400)
