"""Back-office views of the matching area: the paste-a-sentence page, the match panel's
actions (推荐给客户, 不感兴趣), reverse matching for a space, the alert list. Thin: parse
input, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parklink.core.hygiene import parse_id
from parklink.leads import access as lead_access
from parklink.leads import selectors as lead_selectors
from parklink.leads.models import Lead
from parklink.leads.validation import localised, pick
from parklink.matching import selectors, services
from parklink.matching.parse import RequirementError
from parklink.office.access import operator_required
from parklink.parks.models import Space

MAX_TEXT = 10000


def _lead(request: HttpRequest, pk: int) -> Lead:
    try:
        return lead_selectors.lead_get(viewer=request.user, pk=pk)
    except Lead.DoesNotExist:
        raise Http404 from None


@operator_required
def match_page(request: HttpRequest) -> HttpResponse:
    """An agent pastes what the client said (or opens a lead: `?lead=ID`, ranked exactly as
    the lead page's panel ranks it); sees the parsed requirement, the results, and when
    nothing fits what to relax."""
    text = (request.GET.get("q") or "").strip()[:MAX_TEXT]
    context: dict[str, object] = {"q": text}
    lead_pk = parse_id(request.GET.get("lead"))
    if lead_pk is not None:
        lead = _lead(request, lead_pk)
        result = selectors.lead_matches(lead, top=20, with_parks=True)
        context.update(lead=lead, q=lead.need or "")
        if result.error:
            context["error"] = result.error
    elif text:
        try:
            req = selectors.requirement_from_text(text)
        except RequirementError as exc:
            context["error"] = localised(exc.zh, exc.en)
            return render(request, "office/matching/page.html", context)
        result = selectors.match_requirement(req, top=20, with_parks=True)
    else:
        return render(request, "office/matching/page.html", context)
    req = result.requirement
    context.update(requirement=req, req=req.to_dict(), result=result, defaults=set(req.defaults))
    return render(request, "office/matching/page.html", context)


def _space_action(request: HttpRequest, lead_pk: int, space_pk: int, action) -> HttpResponse:
    lead = _lead(request, lead_pk)
    space = get_object_or_404(Space.objects.select_related("park"), pk=space_pk)
    try:
        action(lead, space)
    except PermissionDenied:
        messages.error(request, _("只有线索负责人或经理可以操作"))
    except ValidationError as exc:
        messages.error(request, " ".join(pick(m) for m in exc.messages))
    return redirect(lead.get_absolute_url() + "#match-panel")


@operator_required
@require_POST
def match_recommend(request: HttpRequest, lead_pk: int, space_pk: int) -> HttpResponse:
    def act(lead: Lead, space: Space) -> None:
        score = request.POST.get("score")
        services.match_recommend(
            lead=lead, space=space, actor=request.user, score=float(score) if score else None
        )
        messages.success(request, _("已推荐 %(ref)s 给客户,并记入跟进") % {"ref": space.ref})

    return _space_action(request, lead_pk, space_pk, act)


@operator_required
@require_POST
def match_not_interested(request: HttpRequest, lead_pk: int, space_pk: int) -> HttpResponse:
    def act(lead: Lead, space: Space) -> None:
        services.match_not_interested(lead=lead, space=space, actor=request.user)
        messages.success(request, _("%(ref)s 已标记为不感兴趣,不再推荐") % {"ref": space.ref})

    return _space_action(request, lead_pk, space_pk, act)


@operator_required
def space_leads(request: HttpRequest, space_pk: int) -> HttpResponse:
    """Reverse matching: the open leads this space fits, for the agent to call."""
    space = get_object_or_404(Space.objects.select_related("park"), pk=space_pk)
    rows = [
        (lead, match)
        for lead, match in selectors.space_leads(space.pk, limit=100)
        if lead_access.can_view(request.user, lead)
    ]
    return render(request, "office/matching/space_leads.html", {"space": space, "rows": rows})


@operator_required
def alerts(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if "digest" in request.POST:
            services.alert_preference_set(
                user=request.user, daily_digest=request.POST.get("digest") == "1"
            )
            messages.success(request, _("提醒方式已更新"))
        else:
            services.match_alerts_mark_read(user=request.user)
            messages.success(request, _("已全部标为已读"))
        return redirect("office:match-alerts")
    pref = getattr(request.user, "match_alert_pref", None)
    return render(
        request,
        "office/matching/alerts.html",
        {
            "alerts": selectors.alerts_for(request.user),
            "daily_digest": bool(pref and pref.daily_digest),
        },
    )
