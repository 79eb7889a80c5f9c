"""Duplicates in the back office: merge another lead into this one, split inquiries off
into a new lead (parklink.leads.services.lead_merge / lead_split). Both leads must be in
the viewer's scope; out of scope is answered exactly like missing (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from parklink.core.hygiene import parse_id, parse_ids
from parklink.leads import access, selectors, services
from parklink.leads.models import Lead
from parklink.leads.validation import pick
from parklink.office.access import operator_required
from parklink.zh.validators import mask_mobile


def _get(request: HttpRequest, pk: int) -> Lead:
    try:
        return selectors.lead_get(viewer=request.user, pk=pk)
    except Lead.DoesNotExist:
        raise Http404 from None


def _find(request: HttpRequest, value: str) -> Lead | None:
    value = value.strip()[:64]
    scope = selectors.lead_scope(viewer=request.user)
    if parse_id(value) is not None:
        found = scope.filter(pk=parse_id(value)).first()
        if found is not None:
            return found
    return scope.filter(ref=value).first() if value else None


@operator_required
def lead_merge(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _get(request, pk)
    if not access.can_edit(request.user, lead):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        source = _find(request, request.POST.get("source", ""))
        if source is None:
            error = _("未找到该线索(编号或ID),或无权查看")
        else:
            try:
                services.lead_merge(target=lead, source=source, actor=request.user)
            except PermissionDenied as exc:
                error = pick(str(exc))
            except ValidationError as exc:
                error = " ".join(pick(m) for m in exc.messages)
            else:
                messages.success(
                    request, _("已将 %(source)s 合并到本线索") % {"source": source.ref}
                )
                return redirect("office:lead-detail", pk=lead.pk)
    candidates = [
        (dup, access.mobile_for(request.user, dup))
        for dup in services.lead_duplicates(lead=lead, viewer=request.user)
    ]
    return render(
        request,
        "office/leads/merge.html",
        {"lead": lead, "candidates": candidates, "error": error},
        status=422 if error else 200,
    )


@operator_required
def lead_split(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _get(request, pk)
    if not access.can_edit(request.user, lead):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        ids = parse_ids(request.POST.getlist("inquiries"))
        try:
            new = services.lead_split(lead=lead, actor=request.user, inquiry_ids=ids)
        except ValidationError as exc:
            error = " ".join(pick(m) for m in exc.messages)
        else:
            messages.success(request, _("已拆分为新线索 %(ref)s") % {"ref": new.ref})
            return redirect("office:lead-detail", pk=new.pk)
    inquiries = [
        (inquiry, mask_mobile(str(inquiry.data.get("mobile") or "")))
        for inquiry in lead.inquiries.order_by("received_at", "pk")
    ]
    return render(
        request,
        "office/leads/merge_split.html",
        {"lead": lead, "inquiries": inquiries, "error": error},
        status=422 if error else 200,
    )
