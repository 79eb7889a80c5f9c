"""The worker keeps the dashboard's default view of every scope built in the cache: a request
after `dashboard_warm` reads the figures (no aggregation), per scope (team, each agent)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from parklink.office.reports import dashboard

pytestmark = pytest.mark.django_db


def test_warmed_dashboard_is_served_without_building(client, manager, agent, monkeypatch):
    monkeypatch.setattr(dashboard, "CACHE_SECONDS", 60)
    cache.clear()
    assert dashboard.dashboard_warm() == 2  # the team (one manager) and the agent

    def refuse(**kwargs):
        raise AssertionError("the dashboard was built again")

    monkeypatch.setattr(dashboard, "dashboard_build", refuse)
    for user in (manager, agent):
        client.force_login(user)
        resp = client.get("/office/")
        assert resp.status_code == 200 and "board" in resp.context
    # another filter is not warmed: it is built on demand
    client.force_login(manager)
    with pytest.raises(AssertionError, match="built again"):
        client.get("/office/?start=2020-01-01&end=2020-03-01")
    cache.clear()
