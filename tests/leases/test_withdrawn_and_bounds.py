"""A withdrawn (下架) space keeps the operator's status through its leases and counts as
leasable only on the days a lease holds it; days outside 1900-01-01..2999-12-31 and
windows over 36500 days are refused (API 422, one command line), never a 500."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from parklink.core.services import api_token_create
from parklink.leases import selectors, services
from parklink.parks.choices import SpaceStatus
from parklink.parks.models import Space
from parklink.parks.services import space_status_change

pytestmark = pytest.mark.django_db

START, END = date(2026, 3, 1), date(2026, 8, 31)


@pytest.fixture
def withdrawn(space):
    space_status_change(space=space, status=SpaceStatus.WITHDRAWN, actor=None)
    return space


def _status(space) -> str:
    return Space.objects.get(pk=space.pk).status


def _leasable(space, on: date) -> int:
    row = next(r for r in selectors.occupancy(on=on, park=space.park))
    return row["spaces"]


def test_a_withdrawn_space_stays_withdrawn_before_during_and_after_its_lease(withdrawn, make_lease):
    lease = make_lease(withdrawn, start=START, end=END, today=START - timedelta(days=10))
    assert _status(withdrawn) == SpaceStatus.WITHDRAWN  # reserved, not held
    for day in (START, END, END + timedelta(days=1)):
        services.lease_statuses_refresh(today=day)
        assert _status(withdrawn) == SpaceStatus.WITHDRAWN, day
    services.lease_update(
        lease=lease, data={"terminated_on": START + timedelta(days=30)}, actor=None, today=START
    )
    services.lease_statuses_refresh(today=START + timedelta(days=40))
    assert _status(withdrawn) == SpaceStatus.WITHDRAWN


def test_a_space_for_rent_still_follows_its_leases(space, make_lease):
    make_lease(space, start=START, end=END, today=START)
    assert _status(space) == SpaceStatus.LEASED
    services.lease_statuses_refresh(today=END + timedelta(days=1))
    assert _status(space) == SpaceStatus.FOR_RENT


def test_withdrawal_while_leased_outlives_the_lease(space, make_lease):
    make_lease(space, start=START, end=END, today=START)
    space_status_change(space=Space.objects.get(pk=space.pk), status="下架", actor=None)
    services.lease_statuses_refresh(today=START + timedelta(days=1))
    assert _status(space) == SpaceStatus.WITHDRAWN
    services.lease_statuses_refresh(today=END + timedelta(days=1))
    assert _status(space) == SpaceStatus.WITHDRAWN


def test_occupancy_counts_a_withdrawn_space_only_while_a_lease_holds_it(withdrawn, make_lease):
    make_lease(withdrawn, start=START, end=END, today=START)
    services.lease_statuses_refresh(today=START)
    assert _leasable(withdrawn, START - timedelta(days=1)) == 0
    assert _leasable(withdrawn, START) == 1
    assert _leasable(withdrawn, END) == 1
    assert _leasable(withdrawn, END + timedelta(days=1)) == 0


def test_space_status_sync_keeps_its_signature(withdrawn, make_lease):
    make_lease(withdrawn, start=START, end=END, today=START)
    assert services.space_status_sync(space_ids=[withdrawn.pk, None], today=START) == 0
    assert services.space_status_sync(space_ids=[withdrawn.pk], actor=None) == 0


# --- bounded days ----------------------------------------------------------------------------


@pytest.fixture
def bearer(agent):
    _token, key = api_token_create(user=agent, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/occupancy?on=9999-12-31", "on"),
        ("/api/v1/occupancy?on=1899-12-31", "on"),
        ("/api/v1/leases/expiring?on=9999-12-01&days=3650", "on"),
        ("/api/v1/leases/expiring?on=2999-12-31&days=36501", "days"),
    ],
)
def test_the_api_answers_422_for_days_out_of_range(client, bearer, url, field):
    resp = client.get(url, **bearer)
    assert resp.status_code == 422, resp.content
    body = resp.json()
    assert body["error"] == "输入不合法 / invalid input"
    assert body["fields"][0]["field"] == field
    if field == "on":
        assert "日期超出范围" in body["fields"][0]["message"]
        assert "date out of range" in body["fields"][0]["message"]


@pytest.mark.parametrize(
    "url",
    ["/api/v1/occupancy?on=2999-12-31", "/api/v1/leases/expiring?on=2999-12-31&days=36500"],
)
def test_the_last_day_is_accepted(client, bearer, url):
    assert client.get(url, **bearer).status_code == 200


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["occupancy", "--on", "9999-12-31"], "日期超出范围"),
        (["leases", "--expiring", "30", "--on", "9999-12-31"], "date out of range"),
        (["leases", "--expiring", "36501"], "36500"),
        (["leases", "--expiring", "abc"], "36500"),
    ],
)
def test_commands_say_so_in_one_line(args, expected):
    with pytest.raises(CommandError) as exc:
        call_command(*args)
    message = str(exc.value)
    assert expected in message and "\n" not in message and "/" in message


def test_the_selectors_refuse_too(space):
    with pytest.raises(ValidationError):
        selectors.occupancy(on=date(9999, 12, 31))
    with pytest.raises(ValidationError):
        selectors.leases_expiring(days=10, on=date.max)
    assert selectors.leases_expiring(days=36500, on=date(2999, 12, 31)) == []


def test_office_pages_fall_back_to_today_for_days_out_of_range(manager_client, space):
    url = reverse("office:lease-plan")
    resp = manager_client.get(f"{url}?park={space.park.pk}&on=9999-12-31")
    assert resp.status_code == 200
