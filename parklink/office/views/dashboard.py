"""The back-office landing page: the manager's dashboard (charts with their numbers, what
expires next, the rollover), its XLSX export and the weekly report download."""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from parklink.core.hygiene import parse_id
from parklink.core.roles import ROLE_AGENT, is_manager
from parklink.leases.selectors import parks_with_spaces, warnings_for
from parklink.office.access import manager_required, operator_required
from parklink.office.reports import dashboard as board
from parklink.office.reports.render_pdf import write_pdf
from parklink.office.reports.render_xlsx import write_xlsx
from parklink.office.reports.weekly import Week, WeekError, week_parse, weekly_report
from parklink.parks.models import Park

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_DAYS = 3 * 366


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text else None
    except ValueError:
        return None


def _filters(request: HttpRequest, today: date) -> board.Filters:
    default = board.default_filters(today)
    start = _day(request.GET.get("start")) or default.start
    end = _day(request.GET.get("end")) or default.end
    if end < start:
        start, end = end, start
    if (end - start).days > MAX_DAYS:
        start = end - timedelta(days=MAX_DAYS)
    pk = request.GET.get("park", "")
    park_id = parse_id(pk)
    park = Park.objects.filter(pk=park_id).first() if park_id is not None else None
    owner = None
    agent = parse_id(request.GET.get("agent"))
    if agent is not None and is_manager(request.user):
        owner = get_user_model().objects.filter(pk=agent).first()
    return board.Filters(start=start, end=end, park=park, owner=owner)


def _agents():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=ROLE_AGENT)
        .distinct()
        .order_by("username")
    )


@operator_required
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filters = _filters(request, today)
    data = board.dashboard_cached(viewer=request.user, filters=filters, today=today)
    warnings, unread = warnings_for(user=request.user, limit=8)
    this_week = Week(*today.isocalendar()[:2]).previous()
    return render(
        request,
        "office/dashboard.html",
        {
            "board": data,
            "filters": data.filters,
            # the filter's choices: what an option shows, not every park column
            "parks": parks_with_spaces().values("pk", "name", "english_name"),
            "agents": _agents() if is_manager(request.user) else [],
            "is_manager": is_manager(request.user),
            "warnings": warnings,
            "unread_warnings": unread,
            "report_week": this_week.label,
            "query": request.GET.urlencode(),
        },
    )


@operator_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    """The numbers of the charts (all, or ``?chart=KEY``) with the page's filters."""
    today = timezone.localdate()
    data = board.dashboard_cached(
        viewer=request.user, filters=_filters(request, today), today=today
    )
    only = request.GET.get("chart", "")
    if only and only not in {c.key for c in data.charts}:
        raise Http404
    buffer = io.BytesIO()
    board.write_xlsx(data, buffer, only=only)
    resp = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"dashboard-{only or 'all'}-{today:%Y%m%d}.xlsx"
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


@manager_required
def weekly_download(request: HttpRequest) -> HttpResponse:
    """The weekly 招商 report of ``?week=YYYY-Www`` as PDF or XLSX (``?format=``)."""
    today = timezone.localdate()
    try:
        week = week_parse(request.GET.get("week") or Week(*today.isocalendar()[:2]).label)
    except WeekError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    fmt = request.GET.get("format", "pdf")
    writers = {"pdf": (write_pdf, "application/pdf"), "xlsx": (write_xlsx, XLSX)}
    if fmt not in writers:
        return HttpResponse(
            "格式应为 pdf 或 xlsx / format must be pdf or xlsx",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    writer, content_type = writers[fmt]
    report = weekly_report(
        week=week, include_demo=request.GET.get("demo") == "1", viewer=request.user
    )
    buffer = io.BytesIO()
    writer(report, buffer)
    resp = HttpResponse(buffer.getvalue(), content_type=content_type)
    resp["Content-Disposition"] = f'attachment; filename="weekly-{week.label}.{fmt}"'
    return resp
