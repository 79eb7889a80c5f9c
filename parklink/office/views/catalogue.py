"""Back-office pages of the catalogue: edit parks, spaces and organisations, reconfirm
listings, see price/status history (import and export: views/exchange.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from parklink.core import exchange
from parklink.leads.forms import MultilineField
from parklink.leads.validation import pick
from parklink.office.access import operator_required
from parklink.orgs import services as org_services
from parklink.orgs.filters import OrgFilter
from parklink.orgs.models import Organization
from parklink.orgs.selectors import org_list as org_list_selector
from parklink.parks import selectors
from parklink.parks import services as park_services
from parklink.parks.choices import SpaceStatus
from parklink.parks.filters import ParkFilter, SpaceFilter
from parklink.parks.models import Park, Space

PER_PAGE = 50


# --- Forms (shape only; the services validate the rest) -----------------------------------


class _ListField(forms.CharField):
    """A list edited as one line, items separated by 、 or commas."""

    def prepare_value(self, value: Any) -> Any:
        return "、".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value) or ""
        return exchange.split_list(text)


# Every text area of the catalogue stores LF line breaks (see MultilineField).
MULTILINE = {"description": MultilineField}


class SpaceForm(forms.ModelForm):
    building_name = forms.CharField(label=_("楼栋"), max_length=100, required=False)
    photos = _ListField(label=_("图片"), required=False)

    class Meta:
        model = Space
        fields = list(park_services.SPACE_FIELDS)
        widgets = {"available_from": forms.DateInput(attrs={"type": "date"})}
        field_classes = MULTILINE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.building_id:
            self.initial["building_name"] = self.instance.building.name


class ParkForm(forms.ModelForm):
    aliases = _ListField(label=_("别名"), required=False)
    sources = _ListField(label=_("来源"), required=False)
    industry_names = _ListField(label=_("主导产业"), required=False)

    class Meta:
        model = Park
        fields = list(park_services.PARK_FIELDS)
        field_classes = MULTILINE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["industry_names"] = [i.name for i in self.instance.industries.all()]


class OrgForm(forms.ModelForm):
    aliases = _ListField(label=_("别名"), required=False)
    sources = _ListField(label=_("来源"), required=False)
    segments = _ListField(label=_("产业链环节"), required=False)

    class Meta:
        model = Organization
        fields = list(org_services.ORG_FIELDS)
        field_classes = MULTILINE


def _save(
    form: forms.ModelForm, request: HttpRequest, create, update, instance_kw: str, extra: dict
):
    """Call the create or update service; map its ValidationError back onto the form."""
    data = {name: form.cleaned_data[name] for name in form.Meta.fields}
    data.update(extra)
    try:
        if form.instance.pk:
            original = type(form.instance).objects.get(pk=form.instance.pk)
            changed = update(**{instance_kw: original}, data=data, actor=request.user)
            return original, changed
        return create(data=data, actor=request.user), ["created"]
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, [_half(e) for e in errors])
        else:
            form.add_error(None, [_half(e) for e in exc.messages])
        return None, []


_BILINGUAL = re.compile(r"\s*/\s+(?=[A-Za-z])")


def _half(message: str) -> str:
    """The active language's half of a service's "中文 / English" message (some validators
    write "中文(…)/ English"); other messages unchanged."""
    text = str(message)
    if " / " in text:
        return pick(text)
    parts = _BILINGUAL.split(text, maxsplit=1)
    return pick(f"{parts[0]} / {parts[1]}") if len(parts) == 2 else text


# --- Spaces ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    at: Any
    label: str
    old: str
    new: str
    actor: Any


def _history_value(field: Any, text: str) -> str:
    """A value as SpaceChange stored it (text), as people read it: choices by their label,
    numbers without trailing zeros, units where the field has one."""
    if text in ("", "None"):
        return "—"
    choices = dict(field.flatchoices or []) if field is not None else {}
    if text in choices:
        return str(choices[text])
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    plain = format(number.normalize(), "f") if number.is_finite() else text
    if field is not None and field.name == "area_m2":
        return _("%(n)s ㎡") % {"n": plain}
    return plain


def _history_rows(space: Space) -> list[HistoryRow]:
    """The price/status history of a listing with field labels, never field names."""
    rows = []
    for change in selectors.space_history(space):
        try:
            field = Space._meta.get_field(change.field)
        except FieldDoesNotExist:
            field = None
        label = str(field.verbose_name) if field is not None else _("其他")
        rows.append(
            HistoryRow(
                at=change.at,
                label=label,
                old=_history_value(field, change.old),
                new=_history_value(field, change.new),
                actor=change.actor,
            )
        )
    return rows


@operator_required
def space_list(request: HttpRequest) -> HttpResponse:
    filters = SpaceFilter.from_params(request.GET)
    stale = {"1": True, "0": False}.get(request.GET.get("stale", ""))
    qs = selectors.space_office_list(filters, stale=stale)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = filters.query()
    if stale is not None:
        query += ("&" if query else "") + f"stale={int(stale)}"
    return render(
        request,
        "office/catalogue/space_list.html",
        {
            "filters": filters,
            "page": page,
            "stale": stale,
            "query": query,
            "statuses": SpaceStatus.choices,
        },
    )


@operator_required
def space_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    space = (
        get_object_or_404(Space.objects.select_related("park", "building"), pk=pk) if pk else None
    )
    form = SpaceForm(request.POST or None, instance=space)
    if request.method == "POST" and form.is_valid():
        saved, changed = _save(
            form,
            request,
            park_services.space_create,
            park_services.space_update,
            "space",
            {"building": form.cleaned_data["building_name"] or None},
        )
        if saved is not None:
            messages.success(request, _("已保存") if changed else _("没有修改"))
            return redirect("office:catalogue-space-edit", pk=saved.pk)
    history = _history_rows(space) if space else []
    return render(
        request,
        "office/catalogue/space_form.html",
        {"form": form, "space": space, "history": history, "statuses": SpaceStatus.choices},
    )


@operator_required
@require_POST
def space_reconfirm(request: HttpRequest, pk: int) -> HttpResponse:
    space = get_object_or_404(Space, pk=pk)
    park_services.space_reconfirm(space=space, actor=request.user)
    messages.success(request, _("已确认房源仍然有效"))
    return redirect("office:catalogue-space-edit", pk=pk)


@operator_required
@require_POST
def space_status(request: HttpRequest, pk: int) -> HttpResponse:
    space = get_object_or_404(Space, pk=pk)
    try:
        park_services.space_status_change(
            space=space, status=request.POST.get("status", ""), actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("状态已更新"))
    return redirect("office:catalogue-space-edit", pk=pk)


# --- Parks -----------------------------------------------------------------------------------


@operator_required
def park_list(request: HttpRequest) -> HttpResponse:
    filters = ParkFilter.from_params(request.GET)
    page = selectors.paged_parks(
        Paginator(selectors.park_list(filters), PER_PAGE).get_page(request.GET.get("page"))
    )
    return render(
        request,
        "office/catalogue/park_list.html",
        {
            "filters": filters,
            "page": page,
            "districts": selectors.park_districts(),
            "query": filters.query(),
        },
    )


@operator_required
def park_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    park = get_object_or_404(Park, pk=pk) if pk else None
    form = ParkForm(request.POST or None, instance=park)
    if request.method == "POST" and form.is_valid():
        saved, changed = _save(
            form,
            request,
            park_services.park_create,
            park_services.park_update,
            "park",
            {"industries": form.cleaned_data["industry_names"]},
        )
        if saved is not None:
            messages.success(request, _("已保存") if changed else _("没有修改"))
            return redirect("office:catalogue-park-edit", pk=saved.pk)
    return render(request, "office/catalogue/park_form.html", {"form": form, "park": park})


# --- Organisations ---------------------------------------------------------------------------


@operator_required
def org_list(request: HttpRequest) -> HttpResponse:
    filters = OrgFilter.from_params(request.GET)
    page = Paginator(org_list_selector(filters), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "office/catalogue/org_list.html", {"filters": filters, "page": page})


@operator_required
def org_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    org = get_object_or_404(Organization, pk=pk) if pk else None
    form = OrgForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        saved, changed = _save(
            form, request, org_services.org_create, org_services.org_update, "org", {}
        )
        if saved is not None:
            messages.success(request, _("已保存") if changed else _("没有修改"))
            return redirect("office:catalogue-org-edit", pk=saved.pk)
    return render(request, "office/catalogue/org_form.html", {"form": form, "org": org})
