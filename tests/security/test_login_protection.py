"""Login protection (django-axes): wrong passwords are throttled per IP and per user name on
/office/login/ and /admin/login/, with a clear Chinese (or English) page, and logged."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client

pytestmark = pytest.mark.django_db

LOGINS = ["/office/login/", "/admin/login/"]


def _try(client: Client, url: str, username: str, password: str):
    return client.post(url, {"username": username, "password": password})


@pytest.mark.parametrize("url", LOGINS)
def test_thirty_wrong_passwords_are_throttled(url, agent, settings):
    client = Client(REMOTE_ADDR="198.51.100.7")
    codes = [_try(client, url, agent.username, f"wrong-{i}").status_code for i in range(30)]
    limit = settings.AXES_FAILURE_LIMIT
    assert all(c == 200 for c in codes[: limit - 1])  # the form again, with its error
    assert codes[limit - 1 :] == [429] * (30 - limit + 1)
    # Locked: even the right password is refused now, with the Chinese message.
    resp = _try(client, url, agent.username, "pw-" + agent.username)
    assert resp.status_code == 429
    html = resp.content.decode()
    assert "登录已暂时锁定" in html and "分钟后再试" in html
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get(username=agent.username)
    assert attempt.failures_since_start >= limit


def test_lockout_per_ip_across_user_names(agent, agent2, settings):
    client = Client(REMOTE_ADDR="198.51.100.8")
    for i in range(settings.AXES_FAILURE_LIMIT):
        _try(client, LOGINS[0], f"guess{i}", "x")
    # Another, real account from the same address is refused too.
    assert _try(client, LOGINS[0], agent2.username, "pw-" + agent2.username).status_code == 429


def test_lockout_per_user_across_addresses(agent, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _try(Client(REMOTE_ADDR=f"203.0.113.{i + 1}"), LOGINS[0], agent.username, "x")
    fresh = Client(REMOTE_ADDR="203.0.113.200")
    assert _try(fresh, LOGINS[0], agent.username, "pw-" + agent.username).status_code == 429
    # A different user from that fresh address still logs in.
    other = _try(fresh, LOGINS[0], "nobody-else", "x")
    assert other.status_code == 200


def test_english_lockout_page(agent, settings):
    client = Client(REMOTE_ADDR="198.51.100.9")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        resp = _try(client, LOGINS[0], agent.username, "x")
    assert resp.status_code == 429
    assert "Login temporarily locked" in resp.content.decode()


def test_success_before_the_limit_resets_the_count(agent, settings):
    client = Client(REMOTE_ADDR="198.51.100.10")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(client, LOGINS[0], agent.username, "x")
    resp = _try(client, LOGINS[0], agent.username, "pw-" + agent.username)
    assert resp.status_code == 302 and client.session["_auth_user_id"] == str(agent.pk)


def test_lockout_is_logged(agent, settings, caplog):
    client = Client(REMOTE_ADDR="198.51.100.11")
    with caplog.at_level("WARNING", logger="parklink.security"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _try(client, LOGINS[1], agent.username, "x")
    record = next(r for r in caplog.records if r.getMessage() == "login locked out")
    assert record.username == agent.username and record.path == LOGINS[1]
    assert "198.51.100.11" not in str(record.__dict__)  # the IP only as a hash
