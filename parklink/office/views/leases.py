"""Back-office pages of park operations: the 租控表 (stacking plan), leases, expiry
warnings and renewals, the contiguous-space finder, and the map of parks."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from parklink.core import exchange
from parklink.core.hygiene import NumberError, parse_decimal, parse_id
from parklink.core.roles import is_manager
from parklink.leases import selectors, services, terms
from parklink.leases.choices import LeaseStatus, UnitState
from parklink.leases.exchange import LEASES, grid_export, grid_import
from parklink.leases.models import Lease
from parklink.leases.terms import schedule
from parklink.office.access import manager_required, operator_required
from parklink.parks import services as park_services
from parklink.parks.choices import SpaceKind
from parklink.parks.models import Park

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _day(text: str | None, default: date) -> date:
    """A YYYY-MM-DD parameter; ``default`` when missing, malformed or outside the days the
    reads accept (``terms.day_error``: windows after 2999-12-31 would overflow)."""
    try:
        day = date.fromisoformat((text or "").strip()) if text else default
    except ValueError:
        return default
    return default if terms.day_error(day) else day


def _park(request: HttpRequest) -> Park | None:
    pk = request.GET.get("park", "")
    pk = parse_id(pk)
    return Park.objects.filter(pk=pk).first() if pk is not None else None


def _download(data: bytes, name: str, content_type: str = XLSX) -> HttpResponse:
    resp = HttpResponse(data, content_type=content_type)
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


# --- 租控表 ----------------------------------------------------------------------------------


@operator_required
def stacking_plan(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    on = _day(request.GET.get("on"), today)
    parks = list(selectors.parks_with_spaces())
    park = _park(request) or selectors.park_busiest() or (parks[0] if parks else None)
    building = request.GET.get("building", "")[:100]
    kind = request.GET.get("kind", "")
    state = request.GET.get("state", "")
    plans = (
        selectors.stacking_plan(
            park=park, on=on, viewer=request.user, building=building, kind=kind, state=state
        )
        if park is not None
        else []
    )
    if request.GET.get("format") == "xlsx" and park is not None:
        buffer = io.BytesIO()
        grid_export(plans=plans, park_name=park.name, on=on, out=buffer)
        return _download(buffer.getvalue(), f"zukong-{park.pk}-{on:%Y%m%d}.xlsx")
    return render(
        request,
        "office/leases/stacking_plan.html",
        {
            "parks": parks,
            "park": park,
            "plans": plans,
            "on": on,
            "building": building,
            "kind": kind,
            "state": state,
            "kinds": SpaceKind.choices,
            "states": [*UnitState.choices, ("expiring", _("即将到期(全部)"))],
            "legend": UnitState.choices,
            "buildings": sorted({p.name for p in plans}) if not building else [building],
        },
    )


class GridImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("租控表工作簿(.xlsx)"))
    dry_run = forms.BooleanField(label=gettext_lazy("只检查,不写入"), required=False)


@operator_required
def grid_upload(request: HttpRequest) -> HttpResponse:
    form = GridImportForm(request.POST or None, request.FILES or None)
    problems: list[exchange.Problem] = []
    counts = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > exchange.max_bytes():
            problems = [exchange.Problem(upload.name, "", None, "", "", _("文件过大,拒绝导入"))]
        else:
            try:
                counts = grid_import(
                    name=upload.name,
                    data=upload.read(),
                    actor=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                )
            except exchange.ImportFailed as failed:
                problems = failed.problems
    return render(
        request,
        "office/leases/grid_import.html",
        {"form": form, "problems": problems, "counts": counts},
    )


# --- leases ------------------------------------------------------------------------------


@operator_required
def lease_list(request: HttpRequest) -> HttpResponse:
    park = _park(request)
    status = request.GET.get("status", "")
    status = status if status in LeaseStatus.values else ""
    q = request.GET.get("q", "").strip()[:100]
    mine = request.GET.get("mine") == "1"
    qs = selectors.lease_list(park=park, owner=request.user if mine else None, status=status, q=q)
    if request.GET.get("format") in exchange.FORMATS:
        fmt = request.GET["format"]
        buffer = io.BytesIO()
        _RentRoll(_rows(qs)).write(fmt, buffer, actor=request.user)
        types = {"json": "application/json", "csv": "text/csv; charset=utf-8", "xlsx": XLSX}
        return _download(
            buffer.getvalue(), f"rent-roll-{timezone.localdate():%Y%m%d}.{fmt}", types[fmt]
        )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "office/leases/lease_list.html",
        {
            "page": page,
            "park": park,
            "parks": selectors.parks_with_spaces(),
            "status": status,
            "statuses": LeaseStatus.choices,
            "q": q,
            "mine": mine,
            "query": _without_page(request),
        },
    )


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()


def _rows(qs) -> list[dict[str, Any]]:
    from parklink.leases.exchange import lease_row

    return [lease_row(lease) for lease in qs]


class _RentRoll:
    """The rent roll: the filtered leases as the ``leases`` exchange kind."""

    name = LEASES.name
    sheet_names = LEASES.sheet_names
    columns = LEASES.columns

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows

    def export_rows(self):
        return iter(self.rows)

    def import_rows(self, rows, *, report, actor):  # pragma: no cover - export only
        raise NotImplementedError

    def write(self, fmt: str, out: Any, *, actor: Any = None) -> None:
        scope = exchange.ExportScope(viewer=actor, via="office")  # the audit entry's actor
        exchange.export_file([self], fmt, out, scope=scope)


@operator_required
def lease_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lease = get_object_or_404(
        Lease.objects.select_related("space__park", "tenant", "owner", "renewal_lead"), pk=pk
    )
    today = timezone.localdate()
    others = (
        Lease.objects.filter(space=lease.space)
        .exclude(pk=lease.pk)
        .select_related("tenant")
        .order_by("start")
    )
    return render(
        request,
        "office/leases/lease_detail.html",
        {
            "lease": lease,
            "state": lease.status_on(today),
            "days_left": (lease.last_day - today).days,
            "schedule": schedule(lease.as_terms()),
            "others": others,
            "can_manage": is_manager(request.user) or lease.owner_id == request.user.pk,
            "today": today,
        },
    )


@require_POST
@operator_required
def lease_terminate(request: HttpRequest, pk: int) -> HttpResponse:
    lease = get_object_or_404(Lease.objects.select_related("space", "tenant"), pk=pk)
    on = _day(request.POST.get("terminated_on"), date.min)
    if on == date.min:
        messages.error(request, _("请填写退租日(YYYY-MM-DD)"))
        return redirect(lease)
    try:
        services.lease_terminate(lease=lease, on=on, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("已登记退租"))
    return redirect(lease)


@require_POST
@operator_required
def lease_renewal(request: HttpRequest, pk: int) -> HttpResponse:
    lease = get_object_or_404(Lease, pk=pk)
    if not (is_manager(request.user) or lease.owner_id == request.user.pk):
        messages.error(request, _("无权为该租约发起续约"))
        return redirect(lease)
    try:  # the service refuses an ended lease and a tenant another agent works
        lead = services.renewal_open(lease=lease, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect(lease)
    if lead is None:
        messages.error(request, _("租户还没有招商记录(联系人),请先录入线索"))
        return redirect(lease)
    return redirect(lead)


# --- warnings and renewals ---------------------------------------------------------------


@operator_required
def warnings_page(request: HttpRequest) -> HttpResponse:
    warnings, unread = selectors.warnings_for(user=request.user, limit=200)
    if request.method == "POST":
        services.lease_warnings_read(user=request.user)
        return redirect("office:lease-warnings")
    return render(request, "office/leases/warnings.html", {"warnings": warnings, "unread": unread})


@manager_required
def renewals_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else request.GET
    first = _day(source.get("first"), today)
    last = _day(source.get("last"), today + timedelta(days=180))
    park_pk = source.get("park", "")
    park_id = parse_id(park_pk)
    park = Park.objects.filter(pk=park_id).first() if park_id is not None else None
    try:
        uplift = parse_decimal(
            source.get("uplift"), minimum=Decimal(-100), maximum=Decimal(1000)
        ) or Decimal(0)
    except NumberError as exc:
        messages.error(request, _("调租比例: %(error)s") % {"error": exc})
        uplift = Decimal(0)
        if request.method == "POST":  # never propose renewals at a rate nobody typed
            return redirect(request.path)
    if request.method == "POST":
        try:
            done = services.renewals_propose(
                first=first, last=last, park=park, uplift_pct=uplift, actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(
                request,
                _(
                    "已发起 %(opened)s 个续约商机;已有 %(existing)s 个;%(none)s 个租户无招商记录;"
                    "%(taken)s 个租户由其他专员跟进中"
                )
                % {
                    "opened": done["opened"],
                    "existing": done["existing"],
                    "none": done["no_record"],
                    "taken": done["taken"],
                },
            )
        return redirect(
            f"{reverse('office:lease-renewals')}?first={first}&last={last}&park={park_pk}&uplift={uplift}"
        )
    leases = (
        Lease.objects.active_on(today)
        .ending_between(first, last)
        .select_related("space__park", "tenant", "owner", "renewal_lead")
        .order_by("ends_on", "ref")
    )
    if park is not None:
        leases = leases.filter(space__park=park)
    rows = [
        {
            "lease": lease,
            "proposed_rent": (lease.rent * (1 + uplift / 100)).quantize(Decimal("0.01")),
        }
        for lease in leases[:500]
    ]
    return render(
        request,
        "office/leases/renewals.html",
        {
            "rows": rows,
            "first": first,
            "last": last,
            "park": park,
            "parks": selectors.parks_with_spaces(),
            "uplift": uplift,
        },
    )


# --- finder ------------------------------------------------------------------------------


@operator_required
def finder(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    blocks: list[Any] = []
    need = None
    raw = request.GET.get("need", "").strip()
    if raw:
        try:
            need = parse_decimal(raw)
        except NumberError as exc:
            messages.error(request, _("面积: %(error)s") % {"error": exc})
    free_from = _day(request.GET.get("from"), today)
    kind = request.GET.get("kind", "")
    park = _park(request)
    if need is not None and need > 0:
        blocks = selectors.contiguous_free(need_m2=need, free_from=free_from, park=park, kind=kind)
    return render(
        request,
        "office/leases/finder.html",
        {
            "blocks": blocks,
            "need": need,
            "free_from": free_from,
            "kind": kind,
            "kinds": SpaceKind.choices,
            "park": park,
            "parks": selectors.parks_with_spaces(),
        },
    )


# --- map ---------------------------------------------------------------------------------


@operator_required
def map_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    points = selectors.map_points(on=today)
    return render(
        request,
        "office/leases/map.html",
        {
            "points": points,
            "unplaced": [p for p in points if p["lat"] is None],
            "can_edit": is_manager(request.user),
        },
    )


@require_POST
@manager_required
def park_locate(request: HttpRequest, pk: int) -> JsonResponse:
    """Set a park's coordinates from a click on the map (WGS-84), through the catalogue's
    park update service (audited)."""
    park = get_object_or_404(Park, pk=pk)
    try:  # finite numbers only: NaN would pass no comparison and fail the quantize
        lat = parse_decimal(request.POST.get("lat"), minimum=None)
        lng = parse_decimal(request.POST.get("lng"), minimum=None)
    except NumberError:
        lat = lng = None
    if lat is None or lng is None:
        return JsonResponse({"error": _("坐标应为数字")}, status=400)
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return JsonResponse({"error": _("坐标超出范围")}, status=400)
    lat, lng = (v.quantize(Decimal("0.000001")) for v in (lat, lng))
    try:
        park_services.park_update(
            park=park, data={"latitude": lat, "longitude": lng}, actor=request.user
        )
    except ValidationError as exc:
        return JsonResponse({"error": "; ".join(exc.messages)}, status=400)
    return JsonResponse({"park": park.pk, "lat": float(lat), "lng": float(lng)})
