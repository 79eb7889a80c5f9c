"""Portal page of a park's industrial chain: segments by stage, gaps and whom to attract."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from parklink.chains.selectors import (
    TemplateNotFound,
    chain_template_list,
    park_chain_get,
    park_get,
    park_network_get,
)
from parklink.parks.models import Park


def park_chain(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        park = park_get(pk)
    except Park.DoesNotExist as exc:
        raise Http404 from exc
    try:
        result = park_chain_get(park=park, template=request.GET.get("template") or None)
    except TemplateNotFound as exc:
        raise Http404 from exc
    stages: list[tuple[str, list]] = []
    for seg in result.segments:
        if not stages or stages[-1][0] != seg.stage:
            stages.append((seg.stage, []))
        stages[-1][1].append(seg)
    return render(
        request,
        "portal/chains/park_chain.html",
        {
            "park": park,
            "chain": result,
            "stages": stages,
            "templates": chain_template_list(),
            "network": park_network_get(park=park).as_dict(),
        },
    )
