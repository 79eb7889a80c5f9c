"""Back-office import uploads and export downloads of the exchange format."""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parklink.core import exchange
from parklink.office.access import operator_required
from parklink.office.management.commands.export import KINDS


class ImportForm(forms.Form):
    file = forms.FileField(label=_("文件(.xlsx / .csv / .json)"))
    dry_run = forms.BooleanField(label=_("只检查,不写入"), required=False)


@operator_required
def exchange_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[exchange.Problem] = []
    result: exchange.ImportResult | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > exchange.max_bytes():
            problems = [
                exchange.Problem(
                    upload.name,
                    "",
                    None,
                    "",
                    "",
                    _("文件过大(%(size)s MB),拒绝导入 / file too large, refused")
                    % {"size": f"{upload.size / 1024 / 1024:.1f}"},
                    f"≤ {exchange.max_bytes() / 1024 / 1024:.1f} MB",
                )
            ]
        else:
            source = exchange.InputFile(name=upload.name, data=upload.read())
            try:
                result = exchange.import_files(
                    [source], KINDS, actor=request.user, dry_run=form.cleaned_data["dry_run"]
                )
            except exchange.ImportFailed as failed:
                problems = failed.problems
    return render(
        request,
        "office/catalogue/exchange.html",
        {
            "form": form,
            "problems": problems,
            "result": result,
            "kinds": list(KINDS),
            "formats": exchange.FORMATS,
        },
    )


@operator_required
def export_download(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "all")
    fmt = request.GET.get("format", "xlsx")
    lang = "en" if request.GET.get("headers") == "en" else "zh"
    kinds = list(KINDS.values()) if kind == "all" else [KINDS[kind]] if kind in KINDS else []
    if not kinds or fmt not in exchange.FORMATS or (fmt == "csv" and len(kinds) != 1):
        messages.error(request, _("请选择一种数据和格式(CSV 只能导出一种数据)"))
        return redirect("office:catalogue-exchange")
    buffer = io.BytesIO()
    # The same scope and masking as the lead list (an agent: own + 公海 leads, 公海 numbers
    # masked); export_file writes the audit entry (actor, rows, full numbers).
    scope = exchange.ExportScope(viewer=request.user, via="office")
    exchange.export_file(kinds, fmt, buffer, lang=lang, scope=scope)
    content_types = {
        "json": "application/json",
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    response = HttpResponse(buffer.getvalue(), content_type=content_types[fmt])
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="parklink-{kind}-{stamp}.{fmt}"'
    return response
