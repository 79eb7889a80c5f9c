"""Back-office views of the leads area: board, list, pool, detail with timeline, and the
pipeline actions. Thin: parse input, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parklink.core.hygiene import parse_id
from parklink.core.roles import is_manager
from parklink.leads import access, selectors, services
from parklink.leads.choices import Channel, ConsentBasis, Grade, Stage
from parklink.leads.forms import EraseForm, FollowUpForm, LeadEditForm, OfficeLeadForm, StageForm
from parklink.leads.humanize import value_text
from parklink.leads.intake import client_ip, user_agent
from parklink.leads.models import Lead
from parklink.leads.timeline import lead_inquiries, lead_timeline
from parklink.leads.validation import LeadDataError, pick
from parklink.leads.xlsx import leads_xlsx
from parklink.office.access import manager_required, operator_required


def _get(request: HttpRequest, pk: int) -> Lead:
    try:
        return selectors.lead_get(viewer=request.user, pk=pk)
    except Lead.DoesNotExist:
        raise Http404 from None


def _rows(request: HttpRequest, leads) -> list[tuple[Lead, str, bool]]:
    """(lead, mobile as the viewer may see it, whether it is masked) for a list page."""
    user = request.user
    return [
        (lead, access.mobile_for(user, lead), not access.can_see_mobile(user, lead))
        for lead in leads
    ]


def _filter_context(request: HttpRequest) -> dict[str, object]:
    return {
        "stages": Stage.choices,
        "grades": Grade.choices,
        "channels": Channel.choices,
        "operators": selectors.operators() if is_manager(request.user) else [],
        "params": request.GET,
    }


@operator_required
def lead_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.LeadFilter.from_params(request.GET)
    paginator = Paginator(selectors.lead_list(viewer=request.user, filters=filters), 50)
    # The total from the plain filtered rows: counting the annotated list would group every
    # lead with its inquiries first (a join over the whole table at 100,000 leads).
    paginator.count = selectors.lead_filtered(viewer=request.user, filters=filters).count()
    page = paginator.get_page(request.GET.get("page"))
    rows = _rows(request, page)
    services.lead_pii_viewed(leads=page, actor=request.user, where="office.list")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "office/leads/list.html",
        {"page": page, "rows": rows, "query": query.urlencode(), **_filter_context(request)},
    )


@operator_required
def lead_board(request: HttpRequest) -> HttpResponse:
    filters = selectors.LeadFilter.from_params(request.GET)
    columns = selectors.lead_board(viewer=request.user, filters=filters)
    return render(
        request,
        "office/leads/board.html",
        {"columns": columns, "today": timezone.localdate(), **_filter_context(request)},
    )


@operator_required
def lead_pool(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.lead_pool(viewer=request.user), 50).get_page(request.GET.get("page"))
    rows = _rows(request, page)
    return render(request, "office/leads/pool.html", {"page": page, "rows": rows})


@operator_required
def lead_create(request: HttpRequest) -> HttpResponse:
    form = OfficeLeadForm(request.POST or None, initial={"channel": Channel.PHONE})
    if request.method == "POST" and form.is_valid():
        try:
            lead = services.lead_submit(
                data=form.submission(),
                channel=form.cleaned_data["channel"],
                actor=request.user,
                ip=client_ip(request),
                user_agent=user_agent(request),
                consent_basis=ConsentBasis.ORAL,
            )
        except LeadDataError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("线索已保存:%(ref)s") % {"ref": lead.ref})
            return redirect("office:lead-detail", pk=lead.pk)
    return render(request, "office/leads/create.html", {"form": form})


@operator_required
def lead_export(request: HttpRequest) -> HttpResponse:
    filters = selectors.LeadFilter.from_params(request.GET)
    leads = selectors.lead_list(viewer=request.user, filters=filters)[:20000]
    content, rows, unmasked = leads_xlsx(leads, viewer=request.user)
    services.lead_export_audit(actor=request.user, count=rows, unmasked=unmasked, fmt="xlsx")
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="leads-{stamp}.xlsx"'
    return response


def _detail(request: HttpRequest, lead: Lead, *, revealed: bool = False, **forms) -> HttpResponse:
    user = request.user
    entitled = access.can_see_mobile(user, lead)
    if entitled and not revealed:
        services.lead_pii_viewed(leads=[lead], actor=user, where="office.detail")
    context = {
        "lead": lead,
        "mobile": lead.mobile if (entitled or revealed) else access.mobile_for(user, lead),
        "masked": not (entitled or revealed),
        "can_edit": access.can_edit(user, lead),
        "is_manager": is_manager(user),
        "timeline": lead_timeline(lead=lead),
        "inquiries": lead_inquiries(lead=lead),
        "qualifications": value_text("qualifications", lead.qualifications),
        "today": timezone.localdate(),
        "follow_up_form": forms.get("follow_up_form") or FollowUpForm(),
        "stage_form": forms.get("stage_form") or StageForm(initial=_stage_initial(lead)),
        "operators": selectors.operators() if is_manager(user) else [],
        "tags": ", ".join(t.name for t in lead.tags.all()),
    }
    return render(request, "office/leads/detail.html", context, status=forms.get("status", 200))


@operator_required
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get(request, pk))


@operator_required
@require_POST
def lead_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _get(request, pk)
    services.lead_reveal(lead=lead, actor=request.user, ip=client_ip(request))
    return _detail(request, lead, revealed=True)


def _action(request: HttpRequest, pk: int, call) -> HttpResponse:
    lead = _get(request, pk)
    try:
        call(lead)
    except PermissionDenied as exc:
        messages.error(request, pick(str(exc)))
    except ValidationError as exc:
        messages.error(request, " ".join(pick(m) for m in exc.messages))
    return redirect("office:lead-detail", pk=pk)


@operator_required
@require_POST
def lead_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _get(request, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_add(lead=lead, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for name, msgs in exc.message_dict.items():
                for m in msgs:
                    form.add_error(name if name in form.fields else None, pick(m))
        else:
            messages.success(request, _("跟进已记录"))
            return redirect("office:lead-detail", pk=pk)
    return _detail(request, lead, follow_up_form=form, status=422)


def _stage_initial(lead: Lead) -> dict[str, str]:
    return {"stage": lead.stage, "lost_reason": lead.lost_reason, "note": lead.lost_note}


def _unchanged(request: HttpRequest, pk: int) -> HttpResponse:
    messages.info(request, _("没有修改"))
    return redirect("office:lead-detail", pk=pk)


@operator_required
@require_POST
def lead_stage(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _get(request, pk)
    form = StageForm(request.POST, initial=_stage_initial(lead))
    if not form.is_valid():
        messages.error(request, _("阶段不正确"))
        return redirect("office:lead-detail", pk=pk)
    if not form.has_changed():
        return _unchanged(request, pk)
    return _action(
        request,
        pk,
        lambda lead: services.lead_stage_set(lead=lead, actor=request.user, **form.cleaned_data),
    )


@manager_required
@require_POST
def lead_assign(request: HttpRequest, pk: int) -> HttpResponse:
    owner_id = request.POST.get("owner", "")
    owner_pk = parse_id(owner_id)
    owner = selectors.operators().filter(pk=owner_pk).first() if owner_pk is not None else None
    if (owner.pk if owner else None) == _get(request, pk).owner_id:
        return _unchanged(request, pk)
    return _action(
        request, pk, lambda lead: services.lead_assign(lead=lead, actor=request.user, owner=owner)
    )


@operator_required
@require_POST
def lead_claim(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, lambda lead: services.lead_claim(lead=lead, actor=request.user))


@operator_required
@require_POST
def lead_release(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, lambda lead: services.lead_release(lead=lead, actor=request.user))


@operator_required
@require_POST
def lead_tags(request: HttpRequest, pk: int) -> HttpResponse:
    names = request.POST.get("tags", "").replace(",", ",").split(",")
    return _action(
        request,
        pk,
        lambda lead: services.lead_tags_set(lead=lead, actor=request.user, names=names),
    )


@operator_required
def lead_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _get(request, pk)
    if not access.can_edit(request.user, lead):
        raise PermissionDenied
    form = LeadEditForm(request.POST or None, initial=LeadEditForm.initial_for(lead))
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            return _unchanged(request, pk)
        data = dict(form.cleaned_data)
        try:
            services.lead_update(lead=lead, actor=request.user, data=data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("office:lead-detail", pk=pk)
    return render(request, "office/leads/edit.html", {"lead": lead, "form": form})


@manager_required
def lead_erase(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _get(request, pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ref = lead.ref
        services.lead_erase(lead=lead, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("线索 %(ref)s 的个人信息已删除,仅保留匿名统计") % {"ref": ref})
        return redirect("office:lead-list")
    return render(request, "office/leads/erase.html", {"lead": lead, "form": form})
