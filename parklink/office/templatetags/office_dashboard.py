"""Template tags of the manager's dashboard."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from parklink.portal.templatetags.portal_tags import display_name, record_label

register = template.Library()


@register.simple_tag(takes_context=True)
def chart_table_rows(context: template.Context, chart: Any) -> SafeString:
    """The ``<tr>`` rows of the table beside a chart: the first cell names the row
    (``record_label``), the others are numbers (``class="num"``), None is blank. Each value
    goes through the template's own rendering (localisation, escaping), so the HTML is what a
    ``{% for row %}{% for v in row %}`` loop wrote, without its ~3,000 per-cell template nodes
    on a cold dashboard (a fifth of the request's time at 100,000 leads)."""
    out = []
    for row in chart.shown_rows:
        cells = ["<tr>"]
        for i, value in enumerate(row):
            shown = record_label(value) if i == 0 else value
            text = "" if shown is None else render_value_in_context(shown, context)
            cells.append(f"<td>{text}</td>" if i == 0 else f'<td class="num">{text}</td>')
        cells.append("</tr>")
        out.append("".join(cells))
    return mark_safe("".join(out))  # every value was escaped by render_value_in_context


@register.simple_tag(takes_context=True)
def park_options(context: template.Context, parks: Any, selected: Any = None) -> SafeString:
    """The ``<option>`` of each park for the filter's select, ``selected`` marked: what a
    ``{% for p in parks %}`` loop over the ~300 parks wrote (value through the template's
    rendering, name through ``display_name``, escaped), without its per-park template
    nodes (~30 ms of a dashboard request at 300 parks)."""
    chosen = getattr(selected, "pk", None)
    out = []
    for park in parks:
        value = render_value_in_context(park.pk, context)
        mark = " selected" if chosen is not None and chosen == park.pk else ""
        out.append(f'<option value="{value}"{mark}>{conditional_escape(display_name(park))}</option>')
    return mark_safe("".join(out))  # values rendered and names escaped above
