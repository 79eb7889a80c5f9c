"""The demo leads step (idempotent, flagged, fake mobiles) and `parklink token_create`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from parklink.core.models import ApiToken
from parklink.leads import demo
from parklink.leads.models import Inquiry, Lead

pytestmark = pytest.mark.django_db


def test_demo_leads_idempotent_flagged_fake_range():
    demo.load(io.StringIO())
    count, inquiries = Lead.objects.count(), Inquiry.objects.count()
    assert count == demo.COUNT and inquiries == demo.COUNT
    assert not Lead.objects.filter(is_demo=False).exists()
    assert all(m[:3] in ("170", "171") for m in Lead.objects.values_list("mobile", flat=True))
    stages = set(Lead.objects.values_list("stage", flat=True))
    assert {"新线索", "已联系", "已签约", "已流失"} <= stages
    assert Lead.objects.filter(owner__isnull=True).exists()
    assert Lead.objects.filter(owner__username="agent").exists()
    out = io.StringIO()
    demo.load(out)
    assert Lead.objects.count() == count and Inquiry.objects.count() == inquiries
    assert "unchanged" in out.getvalue()


def test_token_create(agent, django_user_model):
    out = io.StringIO()
    call_command("token_create", agent.username, "--name", "crm", stdout=out, stderr=io.StringIO())
    key = out.getvalue().strip()
    assert key.startswith("pl_")
    token = ApiToken.objects.get(user=agent)
    assert token.key_hash == ApiToken.hash_key(key)
    with pytest.raises(CommandError):
        call_command("token_create", "nobody", stdout=io.StringIO())
    django_user_model.objects.create_user("visitor")
    with pytest.raises(CommandError):
        call_command("token_create", "visitor", stdout=io.StringIO())
