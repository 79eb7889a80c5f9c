"""The table beside each dashboard chart: ``chart_table_rows`` writes the HTML the template's
per-cell loop wrote (first cell named through ``record_label``, numbers localised, None
blank, text escaped), in both UI languages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation

from parklink.office.reports import dashboard as board

LOOP = (
    "{% load portal_tags %}{% for row in chart.shown_rows %}<tr>{% for v in row %}"
    '<td{% if not forloop.first %} class="num"{% endif %}>{% if forloop.first %}'
    '{{ v|record_label|default_if_none:"" }}{% else %}{{ v|default_if_none:"" }}{% endif %}'
    "</td>{% endfor %}</tr>{% endfor %}"
)
TAG = "{% load office_dashboard %}{% chart_table_rows chart %}"


def _chart(rows):
    return board.Chart(key="k", title="t", columns=("a", "b", "c"), rows=tuple(rows), option={})


ROWS = [
    ("已签约", 3, Decimal("1234.50")),
    ("<b>园区&amp;</b>", None, 0.125),
    (None, Decimal("0"), "x<y"),
    ("生物医药", 12345678, Decimal("-2.00")),
]


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_tag_writes_what_the_loop_wrote(lang):
    engine = engines["django"]
    chart = _chart(ROWS)
    with translation.override(lang):
        loop = engine.from_string(LOOP).render({"chart": chart})
        tag = engine.from_string(TAG).render({"chart": chart})
    assert tag == loop
    assert "<b>" not in tag and "&lt;" in tag
    assert tag.count("<tr>") == len(ROWS)


def test_tag_shows_only_the_table_rows():
    rows = [(f"园区{i}", i, None) for i in range(board.TABLE_ROWS + 5)]
    html = engines["django"].from_string(TAG).render({"chart": _chart(rows)})
    assert html.count("<tr>") == board.TABLE_ROWS
    assert f"园区{board.TABLE_ROWS}<" not in html
