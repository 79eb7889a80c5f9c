"""Dates round-trip in every UI language: the first input format (what forms render) is ISO,
which is all `<input type="date">` accepts; every date field of the office forms renders it."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms
from django.conf import settings
from django.utils import formats, translation

from parklink.leads.forms import FollowUpForm, LeadEditForm, MultilineField
from parklink.office.views.catalogue import OrgForm, ParkForm, SpaceForm

OFFICE_FORMS = [LeadEditForm, FollowUpForm, SpaceForm, ParkForm, OrgForm]
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_first_input_format_is_iso_in_every_language(lang):
    with translation.override(lang):
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d"
        assert formats.get_format("DATETIME_INPUT_FORMATS")[0] == "%Y-%m-%d %H:%M:%S"
        # What people typed before still parses.
        assert forms.DateField().clean("2026-12-09") == date(2026, 12, 9)


def test_chinese_still_accepts_slashes_and_chinese_dates():
    with translation.override("zh-hans"):
        field = forms.DateField()
        assert field.clean("2026/12/09") == date(2026, 12, 9)
        assert field.clean("2026年12月9日") == date(2026, 12, 9)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("form_class", OFFICE_FORMS, ids=lambda f: f.__name__)
def test_every_office_date_field_renders_iso(form_class, lang):
    date_fields = [n for n, f in form_class.base_fields.items() if isinstance(f, forms.DateField)]
    with translation.override(lang):
        form = form_class(initial={name: date(2026, 12, 9) for name in date_fields})
        for name in date_fields:
            html = str(form[name])
            assert 'type="date"' in html
            assert 'value="2026-12-09"' in html, html


def test_text_areas_store_lf_whatever_the_browser_sends():
    assert MultilineField().clean("一行\r\n两行\r三行") == "一行\n两行\n三行"
    areas = [
        (form_class.__name__, name)
        for form_class in OFFICE_FORMS
        for name, field in form_class.base_fields.items()
        if isinstance(field.widget, forms.Textarea)
    ]
    assert areas  # the office has text areas: each one normalises line breaks
    for form_class_name, name in areas:
        form_class = next(f for f in OFFICE_FORMS if f.__name__ == form_class_name)
        assert isinstance(form_class.base_fields[name], MultilineField), (form_class_name, name)
