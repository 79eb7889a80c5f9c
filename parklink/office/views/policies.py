"""Back-office pages of the policies area: the policy library (list, edit, expiry warnings),
the review queue of policies read from documents, parks' admission rules, and the lead's
printable 项目研判报告. Thin: parse input, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from parklink.core.roles import is_manager
from parklink.leads import selectors as lead_selectors
from parklink.leads.models import Lead
from parklink.news.fetch import FetchError, decode, looks_like_html
from parklink.office.access import manager_required, operator_required
from parklink.parks.models import Park
from parklink.parks.rules import RULE_KEYS, normalise_rules
from parklink.parks.services import park_rules_set
from parklink.policies import selectors, services
from parklink.policies.eligibility import ConditionError, normalise_condition
from parklink.policies.forms import (
    ConditionForm,
    ConditionFormSet,
    PolicyForm,
    ProposalUploadForm,
    RulesForm,
    conditions_data,
)
from parklink.policies.models import Policy, PolicyProposal
from parklink.policies.reader import html_to_text, read_policy
from parklink.policies.report import report_pdf

PER_PAGE = 50
EVIDENCE_WORDS = {
    "title": _lazy("政策名称"),
    "region": _lazy("适用地区"),
    "valid_from": _lazy("生效日期"),
    "valid_to": _lazy("截止日期"),
    "industry": _lazy("适用产业"),
    "condition": _lazy("申报条件"),
    "amount": _lazy("最高金额(万元)"),
}
MAX_UPLOAD = 5 * 1024 * 1024


def _policy_initial(policy: Policy) -> dict[str, Any]:
    return {
        "ref": policy.ref,
        "title": policy.title,
        "issuer": policy.issuer,
        "region": policy.region,
        "valid_from": policy.valid_from,
        "valid_to": policy.valid_to,
        "industries": policy.industries,
        "amount_wan_max": policy.amount_wan_max if policy.amount_wan_max is not None else "",
        "benefit": policy.benefit,
        "source": policy.source,
    }


def _conditions_formset(request: HttpRequest, conditions: list[dict[str, Any]]) -> Any:
    """The condition rows: prefilled when shown; when posted, every submitted row counts
    (a prefilled row left as it was is not dropped as "unchanged")."""
    if request.method == "POST":
        return ConditionFormSet(request.POST, prefix="cond")
    return ConditionFormSet(initial=conditions, prefix="cond")


def _policy_data(form: PolicyForm, formset: Any) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["conditions"] = conditions_data(formset)
    return data


# --- The library ------------------------------------------------------------------------------


@operator_required
def policy_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.PolicyFilter.from_params(request.GET)
    today = timezone.localdate()
    page = Paginator(selectors.policy_list(filters, today=today), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "office/policies/list.html",
        {
            "page": page,
            "filters": filters,
            "regions": selectors.policy_regions(),
            "ending": list(selectors.policies_ending_soon(today=today)),
            "expiry_days": selectors.expiry_days(),
            "queue_count": selectors.proposal_queue().count(),
            "today": today,
        },
    )


@operator_required
def policy_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    policy = None
    if pk is not None:
        policy = Policy.objects.filter(pk=pk).first()
        if policy is None:
            raise Http404
    initial = _policy_initial(policy) if policy else {}
    conditions = [ConditionForm.initial_for(c) for c in (policy.conditions if policy else [])]
    form = PolicyForm(request.POST or None, initial=initial)
    formset = _conditions_formset(request, conditions)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = _policy_data(form, formset)
        try:
            if policy is None:
                if Policy.objects.filter(ref=data["ref"]).exists():
                    raise ValidationError({"ref": "编号已存在 / this ref is taken"})
                policy, _status = services.policy_upsert(data=data, actor=request.user)
            else:
                services.policy_update(policy=policy, data=data, actor=request.user)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("政策已保存:%(ref)s") % {"ref": policy.ref})
            return redirect("office:policy-list")
    return render(
        request,
        "office/policies/form.html",
        {
            "form": form,
            "formset": formset,
            "policy": policy,
            "can_delete": is_manager(request.user),
        },
    )


@manager_required
@require_POST
def policy_delete(request: HttpRequest, pk: int) -> HttpResponse:
    policy = Policy.objects.filter(pk=pk).first()
    if policy is None:
        raise Http404
    services.policy_delete(policy=policy, actor=request.user)
    messages.success(request, _("政策已删除:%(ref)s") % {"ref": policy.ref})
    return redirect("office:policy-list")


# --- The review queue -------------------------------------------------------------------------


def _document_text(form: ProposalUploadForm) -> tuple[str, str]:
    """(source name, text) of the uploaded file or the pasted text; ValidationError when the
    file cannot be read as text."""
    upload = form.cleaned_data.get("file")
    if upload is None:
        return _("粘贴的文本"), form.cleaned_data["text"].strip()
    if upload.size > MAX_UPLOAD:
        raise ValidationError(_("文件超过 5 MB"))
    try:
        text, _encoding = decode(upload.read())
    except FetchError as exc:
        raise ValidationError(str(exc)) from None
    return upload.name, text


@operator_required
def review_queue(request: HttpRequest) -> HttpResponse:
    form = ProposalUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            name, text = _document_text(form)
        except ValidationError as exc:
            form.add_error("file", exc.messages[0])
        else:
            is_html = looks_like_html(text)
            plain = (html_to_text(text)[1] if is_html else text).strip()
            if not plain:
                form.add_error(None, _("文件中没有文字"))
            else:
                read = read_policy(text, is_html=is_html, today=timezone.localdate())
                proposal, created = services.proposal_submit(
                    source_name=name, text=plain, read=read, actor=request.user
                )
                if not created:
                    messages.info(request, _("该文本已在审核队列中"))
                return redirect("office:policy-review", pk=proposal.pk)
    queue = selectors.proposal_queue()
    return render(
        request,
        "office/policies/review_list.html",
        {"form": form, "proposals": list(queue[:100]), "count": queue.count()},
    )


def _proposal_initial(proposal: PolicyProposal) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    parsed = proposal.parsed or {}
    stamp = timezone.localdate().strftime("%Y%m%d")
    initial = {
        "ref": f"P{stamp}-{proposal.pk:04d}",
        "title": parsed.get("title", ""),
        "issuer": parsed.get("issuer", ""),
        "region": parsed.get("region", ""),
        "valid_from": parsed.get("valid_from"),
        "valid_to": parsed.get("valid_to"),
        "industries": parsed.get("industries", []),
        "amount_wan_max": parsed.get("amount_wan_max") or "",
        "benefit": parsed.get("benefit", ""),
        "source": proposal.source_name,
    }
    conditions = [ConditionForm.initial_for(c) for c in parsed.get("conditions", [])]
    return initial, conditions


@operator_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = PolicyProposal.objects.select_related("policy").filter(pk=pk).first()
    if proposal is None:
        raise Http404
    initial, conditions = _proposal_initial(proposal)
    form = PolicyForm(request.POST or None, initial=initial)
    formset = _conditions_formset(request, conditions)
    if request.method == "POST":
        if request.POST.get("decision") == "reject":
            try:
                services.proposal_reject(proposal=proposal, actor=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("已驳回"))
            return redirect("office:policy-review-queue")
        if form.is_valid() and formset.is_valid():
            try:
                policy = services.proposal_accept(
                    proposal=proposal, data=_policy_data(form, formset), actor=request.user
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("已采纳为政策:%(ref)s") % {"ref": policy.ref})
                return redirect("office:policy-list")
    return render(
        request,
        "office/policies/review.html",
        {
            "proposal": proposal,
            "form": form,
            "formset": formset,
            "evidence": _evidence(proposal),
        },
    )


def _evidence(proposal: PolicyProposal) -> list[tuple[str, str, str]]:
    """(what, value in words, sentence) for each proposed field."""
    rows = []
    for p in proposal.proposals or []:
        value = p.get("value")
        if p.get("what") == "condition" and isinstance(value, dict):
            try:
                value = normalise_condition(value).text
            except ConditionError:
                value = str(value)
        rows.append(
            (EVIDENCE_WORDS.get(p.get("what", ""), p.get("what", "")), value, p["sentence"])
        )
    return rows


# --- Parks' admission rules -------------------------------------------------------------------


@operator_required
def park_rules_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Park.objects.order_by("name"), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "office/policies/park_rules_list.html", {"page": page})


@operator_required
def park_rules_edit(request: HttpRequest, pk: int) -> HttpResponse:
    park = Park.objects.filter(pk=pk).first()
    if park is None:
        raise Http404
    initial: dict[str, Any] = {k: (park.rules or {}).get(k) for k in RULE_KEYS}
    initial["rules_sources"] = park.rules_sources
    form = RulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _rules_unchanged(park, form):
            # A park imported with only some keys ({"min_tax_wan_per_mu": 1}) reads back the
            # same: saving the form unchanged writes nothing and logs nothing.
            messages.success(request, _("没有修改"))
            return redirect("office:policy-park-rules", pk=park.pk)
        try:
            changed = park_rules_set(
                park=park,
                rules=form.rules(),
                sources=form.cleaned_data["rules_sources"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("准入条件已保存") if changed else _("没有修改"))
            return redirect("office:policy-park-rules", pk=park.pk)
    return render(request, "office/policies/park_rules.html", {"park": park, "form": form})


def _rules_unchanged(park: Park, form: RulesForm) -> bool:
    """Whether the form says what the park already has (both read the canonical way)."""
    try:
        posted = normalise_rules(form.rules())
        stored = normalise_rules(park.rules or {})
    except ValueError:
        return False  # the service names what is wrong
    sources = [s for s in form.cleaned_data["rules_sources"] if s]
    return posted == stored and sources == list(park.rules_sources or [])


# --- The lead's 项目研判报告 --------------------------------------------------------------------


@operator_required
def lead_report(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        lead = lead_selectors.lead_get(viewer=request.user, pk=pk)
    except Lead.DoesNotExist:
        raise Http404 from None
    report = selectors.lead_report(lead=lead)
    content = report_pdf(report)
    services.evaluation_report_audit(
        lead=lead,
        actor=request.user,
        parks=[e.park.name for e in report.evaluations],
        where="office.pdf",
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="evaluation-{lead.ref}.pdf"'
    return response
