"""Foreign investors (issue 11): +1, +49 … numbers accepted through the portal and the API,
stored in E.164, merged on, and masked like mainland ones."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from parklink.leads.models import Inquiry, Lead

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("+1 (415) 555-2671", "+14155552671"), ("+49 171 1234567", "+491711234567")],
)
def test_api_accepts_foreign_mobile(client, valid_data, raw, stored):
    body = {**valid_data, "mobile": raw, "company": "Acme Biotech GmbH"}
    resp = client.post("/api/v1/leads", json.dumps(body), content_type="application/json")
    assert resp.status_code == 201
    assert Lead.objects.get().mobile == stored
    again = {**body, "mobile": stored, "need": "second inquiry"}
    client.post("/api/v1/leads", json.dumps(again), content_type="application/json")
    assert Lead.objects.count() == 1 and Inquiry.objects.count() == 2


def test_portal_accepts_foreign_mobile(client, valid_data):
    form = {**valid_data, "mobile": "+44 7911 123456", "consent": "on", "website": ""}
    resp = client.post(reverse("portal:lead-create"), form)
    assert resp.status_code == 302
    assert Lead.objects.get().mobile == "+447911123456"


def test_foreign_mobile_masked_for_agents_in_the_office(client, agent, valid_data):
    client.post(
        "/api/v1/leads",
        json.dumps({**valid_data, "mobile": "+49 171 1234567"}),
        content_type="application/json",
    )
    client.force_login(agent)
    html = client.get(reverse("office:lead-pool")).content.decode()
    assert "+491****4567" in html and "+491711234567" not in html
