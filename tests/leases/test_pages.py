"""Office pages of park operations: permissions, content, downloads, query counts."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from parklink.leases import services
from parklink.leases.models import Lease
from parklink.parks.models import Park
from tests.factories.parks import BuildingFactory, ParkFactory, SpaceFactory

pytestmark = pytest.mark.django_db


def _populate(park, n: int, start: int = 0, make=None) -> None:
    building = BuildingFactory(park=park, name=f"{start}号楼")
    today = timezone.localdate()
    for i in range(start, start + n):
        space = SpaceFactory(
            ref=f"P-{i:03d}",
            park=park,
            building=building,
            floor=str(i % 5 + 1),
            area_m2=Decimal(500),
        )
        if i % 3:
            make(
                space,
                ref=f"L-{i:03d}",
                tenant=f"租户{i}",
                start=today - timedelta(days=100),
                end=today + timedelta(days=30 * (i % 15)),
            )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200, resp.status_code
    return len(ctx.captured_queries)


PAGES = [
    "office:lease-plan",
    "office:lease-list",
    "office:lease-warnings",
    "office:lease-finder",
    "office:map",
    "office:dashboard",
]


@pytest.mark.parametrize("name", PAGES)
def test_query_count_does_not_grow_with_the_data(manager_client, make_lease, name):
    park = ParkFactory(name="计数园")
    _populate(park, 6, make=make_lease)
    url = reverse(name) + (
        f"?park={park.pk}&need=800" if name in ("office:lease-plan", "office:lease-finder") else ""
    )
    small = _queries(manager_client, url)
    _populate(park, 30, start=100, make=make_lease)
    services.expiry_warnings_send()
    large = _queries(manager_client, url)
    assert large == small or (name == "office:lease-warnings" and large <= small + 1)
    assert large <= {"office:dashboard": 45}.get(name, 16), large


@pytest.mark.parametrize("name", [*PAGES, "office:lease-renewals"])
def test_pages_need_an_operator(client, name, django_user_model):
    resp = client.get(reverse(name))
    assert resp.status_code == 302 and "/office/login/" in resp["Location"]
    outsider = django_user_model.objects.create_user("outsider", password="x")
    client.force_login(outsider)
    assert client.get(reverse(name)).status_code == 403


def test_renewals_and_locating_parks_are_for_managers(agent_client):
    assert agent_client.get(reverse("office:lease-renewals")).status_code == 403
    park = ParkFactory()
    resp = agent_client.post(
        reverse("office:map-park-locate", args=[park.pk]), {"lat": 40, "lng": 116}
    )
    assert resp.status_code == 403


def test_plan_shows_units_coloured_with_term_rent_and_deals(
    manager_client, space, make_lease, manager
):
    today = timezone.localdate()
    lease = make_lease(space, start=today - timedelta(days=300), end=today + timedelta(days=60))
    other = SpaceFactory(ref="S-2", park=space.park, building=space.building, floor="3")
    make_lease(
        other,
        ref="FUT",
        tenant="预订公司",
        start=today + timedelta(days=10),
        end=today + timedelta(days=400),
    )
    from parklink.leads import services as lead_services
    from parklink.leads.choices import Channel

    lead_services.lead_submit(
        data={
            "contact": "李女士",
            "mobile": "13900139000",
            "need": "看房",
            "space": "S-2",
            "consent": True,
        },
        channel=Channel.WEB,
    )
    html = manager_client.get(
        reverse("office:lease-plan") + f"?park={space.park.pk}"
    ).content.decode()
    assert "st-expiring_90" in html and "st-reserved" in html
    assert "测试租户有限公司" in html
    assert f"{reverse('office:lease-detail', args=[lease.pk])}" in html
    assert "3 元/平方米/天" in html  # hover title carries the rent
    assert "1 个商机" in html
    assert "13900139000" not in html and "李女士" not in html
    xlsx = manager_client.get(reverse("office:lease-plan") + f"?park={space.park.pk}&format=xlsx")
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames == ["1号楼"]
    assert "测试租户有限公司" in wb["1号楼"]["B3"].value


def test_plan_filters_by_state(manager_client, space, make_lease):
    today = timezone.localdate()
    make_lease(space, start=today - timedelta(days=300), end=today + timedelta(days=600))
    SpaceFactory(ref="S-VAC", park=space.park, building=space.building, floor="2")
    url = reverse("office:lease-plan") + f"?park={space.park.pk}&state=vacant"
    html = manager_client.get(url).content.decode()
    assert "S-VAC" in html and ">S-1<" not in html


def test_rent_roll_download_and_lease_detail(manager_client, space, make_lease):
    lease = make_lease(
        space, start=date(2025, 1, 1), end=date(2027, 12, 31), escalation_pct=Decimal(5)
    )
    resp = manager_client.get(reverse("office:lease-list") + "?format=csv")
    assert resp.status_code == 200
    text = resp.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("合同编号,房源编号,租户")
    assert "LX,S-1,测试租户有限公司,2025-01-01,2027-12-31" in text
    html = manager_client.get(reverse("office:lease-detail", args=[lease.pk])).content.decode()
    html = html.replace(",", "")
    assert "1095000" in html and "1149750" in html  # 3×1000×365, then +5 %


def test_terminate_and_renewal_from_the_page(manager_client, space, make_lease):
    today = timezone.localdate()
    lease = make_lease(space, start=today - timedelta(days=30), end=today + timedelta(days=300))
    resp = manager_client.post(
        reverse("office:lease-terminate", args=[lease.pk]), {"terminated_on": today.isoformat()}
    )
    assert resp.status_code == 302
    assert Lease.objects.get(pk=lease.pk).terminated_on == today
    resp = manager_client.post(reverse("office:lease-renewal", args=[lease.pk]), follow=True)
    assert "租户还没有招商记录" in resp.content.decode()


def test_grid_upload_page(manager_client, space):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["楼层", "单元1"])
    ws.append(["3", "S-1\n上传租户\n2026-01-01~2026-12-31\n3元/平方米/天"])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "grid.xlsx"
    resp = manager_client.post(reverse("office:lease-grid-import"), {"file": buffer})
    assert resp.status_code == 200
    assert 'id="grid-problems"' not in resp.content.decode(), resp.content.decode()[-1500:]
    assert Lease.objects.get().tenant.name == "上传租户"


def test_map_locates_a_park_through_the_catalogue_service(manager_client):
    park = ParkFactory(name="待标注园")
    url = reverse("office:map-park-locate", args=[park.pk])
    resp = manager_client.post(url, {"lat": "40.0960", "lng": "116.2905"})
    assert resp.json() == {"park": park.pk, "lat": 40.096, "lng": 116.2905}
    park = Park.objects.get(pk=park.pk)
    assert (park.latitude, park.longitude) == (Decimal("40.096000"), Decimal("116.290500"))
    from parklink.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="park.update", target_id=str(park.pk)).exists()
    assert manager_client.post(url, {"lat": "100", "lng": "1"}).status_code == 400
    assert manager_client.post(url, {"lat": "x", "lng": "1"}).status_code == 400
    html = manager_client.get(reverse("office:map")).content.decode()
    assert "待标注园" in html and "beijing-districts.json" in html


def test_public_park_and_space_pages_show_the_location(client, space):
    Park.objects.filter(pk=space.park_id).update(
        latitude=Decimal("40.1"), longitude=Decimal("116.3")
    )
    for url in (space.park.get_absolute_url(), space.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "data-location" in html and 'data-lat="40.100000"' in html
        assert "WGS-84" in html
    Park.objects.filter(pk=space.park_id).update(latitude=None, longitude=None)
    assert "地图位置待标注" in client.get(space.park.get_absolute_url()).content.decode()


def test_finder_page_lists_blocks(manager_client, db):
    park = ParkFactory(name="连片园")
    building = BuildingFactory(park=park, name="A座")
    for i, area in enumerate((1200, 1000, 900)):
        SpaceFactory(ref=f"A3-{i}", park=park, building=building, floor="3", area_m2=Decimal(area))
    html = manager_client.get(reverse("office:lease-finder") + "?need=2000").content.decode()
    assert "A3-0" in html and "A3-1" in html


@pytest.mark.parametrize("lat,lng", [("NaN", "116.3"), ("40.1", "sNaN"), ("1e999999", "1"),
                                     ("abc", "1"), ("", ""), ("91", "116"), ("40", "-181")])  # fmt: skip
def test_locating_a_park_refuses_what_is_no_coordinate(manager_client, lat, lng):
    park = ParkFactory(latitude=None, longitude=None)
    url = reverse("office:map-park-locate", args=[park.pk])
    resp = manager_client.post(url, {"lat": lat, "lng": lng})
    assert resp.status_code == 400
    assert resp.json()["error"] in ("坐标应为数字", "坐标超出范围")
    park.refresh_from_db()
    assert park.latitude is None and park.longitude is None


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e999999", "-5", "abc"])
def test_finder_and_renewals_answer_hostile_numbers_with_a_message(manager_client, value):
    finder = manager_client.get(reverse("office:lease-finder"), {"need": value})
    assert finder.status_code == 200
    assert "面积" in finder.content.decode()
    renewals = manager_client.post(reverse("office:lease-renewals"), {"uplift": "NaN"})
    assert renewals.status_code == 302
    assert not Lease.objects.exists()
