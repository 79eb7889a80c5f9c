"""The lead form on its own page (/inquiry/) and its thank-you page. The compact block on
other pages (templatetags/lead_tags.py) posts here."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_protect

from parklink.leads import intake, selectors
from parklink.leads.choices import Channel
from parklink.leads.forms import CONSENT_LABEL, LeadForm
from parklink.leads.validation import LeadDataError

logger = logging.getLogger("parklink.leads")


@csrf_protect
def lead_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # Size and rate first: a refused request's body is never parsed.
        refusal = intake.check(request)
        if refusal is not None:
            return render(
                request,
                "portal/leads/form.html",
                {"form": LeadForm(), "consent_label": CONSENT_LABEL, "refusal": refusal.text},
                status=refusal.status,
            )
    source = request.POST if request.method == "POST" else request.GET
    space, park = selectors.catalogue_context(
        space_ref=source.get("space", ""), park_id=source.get("park", "")
    )
    context = {"space": space, "park": park, "consent_label": CONSENT_LABEL}
    if request.method != "POST":
        initial: dict[str, object] = {}
        if space is not None:
            initial = {"space": space.ref, "kind": space.kind, "deal": space.deal}
        if park is not None:
            initial["park"] = park.pk
        if source.get("article", "").isdecimal():
            initial["article"] = source["article"]  # "填写更多信息" from an article's block
        return render(
            request, "portal/leads/form.html", {**context, "form": LeadForm(initial=initial)}
        )

    form = LeadForm(request.POST)
    if form.is_valid():
        if form.is_spam():
            logger.warning("lead honeypot filled", extra={"path": request.path})
            return redirect("portal:lead-thanks")
        try:
            intake.lead_receive(
                data=form.submission(),
                channel=Channel.WEB,
                actor=request.user,
                ip=intake.client_ip(request),
                user_agent=intake.user_agent(request),
            )
        except LeadDataError as exc:
            form.add_service_errors(exc)
        else:
            return redirect("portal:lead-thanks")
    return render(request, "portal/leads/form.html", {**context, "form": form}, status=400)


def lead_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/leads/thanks.html")
