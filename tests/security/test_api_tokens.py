"""API tokens: stored hashed, expire (default 90 days, settable), revocable in the office;
expired and revoked keys get 401 with a bilingual message; the key is shown once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from parklink.core.models import ApiToken, AuditEntry
from parklink.core.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db
LEADS = "/api/v1/leads"


def _auth(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_key_stored_only_as_a_hash_with_default_expiry(agent):
    token, key = api_token_create(user=agent, name="crm")
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.key_hash == ApiToken.hash_key(key)
    days = (token.expires_at - timezone.now()).total_seconds() / 86400
    assert 89.9 < days <= 90


def test_expiry_is_settable(agent, settings):
    settings.PARKLINK_API_TOKEN_DAYS = 7
    token, _key = api_token_create(user=agent, name="short")
    assert (token.expires_at - timezone.now()).days == 6
    token, _key = api_token_create(user=agent, name="explicit", days=365)
    assert (token.expires_at - timezone.now()).days == 364


@pytest.mark.parametrize(
    ("state", "message"),
    [("expired", "the API token has expired"), ("revoked", "已撤销 / the API token")],
)
def test_expired_and_revoked_tokens_get_401_bilingual(client, agent, state, message):
    token, key = api_token_create(user=agent, name="t")
    assert client.get(LEADS, **_auth(key)).status_code == 200
    if state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(1))
    else:
        api_token_revoke(token=token, actor=agent)
    resp = client.get(LEADS, **_auth(key))
    assert resp.status_code == 401
    assert message in resp.json()["error"] and " / " in resp.json()["error"]


def test_unknown_token_generic_401(client):
    resp = client.get(LEADS, **_auth("pl_not-a-key"))
    assert resp.status_code == 401 and " / " in resp.json()["error"]


def test_office_page_creates_shows_once_lists_and_revokes(client, agent):
    client.force_login(agent)
    url = reverse("office:account-tokens")
    resp = client.post(url, {"name": "我的CRM", "days": 30})
    assert resp.status_code == 200
    key = re.search(r'id="token-key">(pl_[^<]+)<', resp.content.decode()).group(1)
    token = ApiToken.objects.get(name="我的CRM")
    assert token.key_hash == ApiToken.hash_key(key)
    assert (token.expires_at - timezone.now()).days == 29
    listing = client.get(url).content.decode()
    assert "我的CRM" in listing and key not in listing  # never shown again
    assert client.get(LEADS, **_auth(key)).status_code == 200
    resp = client.post(reverse("office:account-token-revoke", args=[token.pk]))
    assert resp.status_code == 302
    token.refresh_from_db()
    assert token.revoked and token.revoked_at is not None
    assert client.get(LEADS, **_auth(key)).status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoke", actor=agent).exists()


def test_office_page_refuses_bad_validity(client, agent):
    client.force_login(agent)
    resp = client.post(reverse("office:account-tokens"), {"name": "x", "days": 0})
    assert resp.status_code == 422 and not ApiToken.objects.exists()


def test_another_users_token_looks_missing(client, agent, agent2):
    token, _key = api_token_create(user=agent2, name="theirs")
    client.force_login(agent)
    assert "theirs" not in client.get(reverse("office:account-tokens")).content.decode()
    resp = client.post(reverse("office:account-token-revoke", args=[token.pk]))
    assert resp.status_code == 404
    missing = client.post(reverse("office:account-token-revoke", args=[token.pk + 999]))
    assert missing.status_code == 404
    token.refresh_from_db()
    assert not token.revoked


def test_admin_sees_and_revokes_every_token(client, admin_user_role, agent):
    token, _key = api_token_create(user=agent, name="agent-token")
    client.force_login(admin_user_role)
    assert "agent-token" in client.get(reverse("office:account-tokens")).content.decode()
    client.post(reverse("office:account-token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked


def test_token_create_command_days(agent, capsys):
    call_command("token_create", agent.username, "--days", "10")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(key))
    assert (token.expires_at - timezone.now()).days == 9
