"""Lead capture on every public page (pre-filled from what is on the page), branded error
pages in every mode, English names in the English UI and the API, photo uploads."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from PIL import Image

from parklink.core.roles import ROLE_AGENT
from parklink.parks.models import Park
from tests.factories.news import ArticleFactory
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import IndustryFactory, ParkFactory, SpaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    park = ParkFactory(
        name="中关村测试园", district="昌平区", agent_name="王经理", agent_hotline="400-000-0000 转 8",
        agent_wechat="wx-test-01", planned_area_m2=Decimal(150_000_000),
    )  # fmt: skip
    park.industries.add(IndustryFactory(name="生物医药"))
    space = SpaceFactory(park=park, kind="厂房", deal="出租", area_m2=Decimal(2500))
    org = OrganizationFactory(name="北京测试生物有限公司", park=park)
    article = ArticleFactory()
    return park, space, org, article


def _capture(html: str) -> str:
    m = re.search(r'<section class="lead-capture.*?</section>', html, re.S)
    assert m, "no lead capture on the page"
    return m.group(0)


def test_every_public_page_has_a_lead_form_and_a_call_link(client, catalogue):
    park, space, org, article = catalogue
    for url in ["/", "/parks/", park.get_absolute_url(), "/spaces/", space.get_absolute_url(),
                "/news/", article.get_absolute_url(), org.get_absolute_url(), "/search/?q=无此结果xyz",
                "/spaces/?kind=土地&area_min=99999999", f"/parks/{park.pk}/chain/", "/no/such/page/"]:  # fmt: skip
        resp = client.get(url)
        assert resp.status_code in (200, 404), url
        html = resp.content.decode()
        capture = _capture(html)
        assert 'action="/inquiry/"' in capture, url
        assert 'name="mobile"' in capture, url
        assert 'href="tel:' in html, url
        assert html.count('id="lead-capture"') == 1, url


def test_capture_is_prefilled_from_the_page(client, catalogue):
    park, space, _org, _article = catalogue
    html = client.get(space.get_absolute_url()).content.decode()
    cap = _capture(html)
    assert f'name="space" value="{space.ref}"' in cap and f'name="park" value="{park.pk}"' in cap
    assert re.search(r'<option value="厂房" selected>', cap)
    html = client.get("/spaces/?kind=实验室&district=大兴区&area_min=500&area_max=1000").content
    cap = _capture(html.decode())
    assert re.search(r'<option value="实验室" selected>', cap)
    assert 'value="500-1000"' in cap and "大兴区" in cap
    cap = _capture(client.get("/search/?q=GMP厂房 亦庄").content.decode())
    assert "GMP厂房 亦庄</textarea>" in cap


def test_park_page_contact_card_and_units(client, catalogue):
    park, *_ = catalogue
    html = client.get(park.get_absolute_url()).content.decode()
    assert "王经理" in html and 'href="tel:4000000000,8"' in html
    assert "data:image/svg+xml" in html and "wx-test-01" in html  # the WeChat QR, made here
    assert "150 平方公里" in html and "150000000" not in html


def test_lead_from_the_capture_is_stored(client, catalogue, settings):
    from parklink.leads.models import Inquiry, Lead

    settings.PARKLINK_LEAD_RATE_LIMIT = "off"
    park, *_ = catalogue
    resp = client.post("/inquiry/", {"need": "昌平 2000平米 厂房", "company": "测试公司",
        "contact": "张先生", "mobile": "17100000009", "park": park.pk, "consent": "on"})  # fmt: skip
    assert resp.status_code == 302
    assert Lead.objects.count() == 1 and Inquiry.objects.count() == 1


@pytest.mark.parametrize("debug", [True, False])
def test_unknown_urls_get_the_branded_404_in_every_mode(client, settings, debug):
    settings.DEBUG = debug
    resp = client.get("/no/such/page/")
    html = resp.content.decode()
    assert resp.status_code == 404
    assert "404 · 页面不存在" in html and "DEBUG = True" not in html


def test_a_crash_under_debug_shows_the_branded_500(client, settings):
    settings.DEBUG = True
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF="tests.portal.urls_crash"):
        resp = client.get("/crash/")
    assert resp.status_code == 500
    assert "500 · 服务器错误" in resp.content.decode()


@pytest.mark.parametrize("debug", [True, False])
def test_a_refusal_stays_a_403_in_every_mode(agent_client, settings, debug):
    """An agent on a manager's download is refused (403), not answered with a crash page,
    also under DEBUG (the developer mode of `make run`), with or without query strings."""
    settings.DEBUG = debug
    agent_client.raise_request_exception = False
    for url in ("/office/reports/weekly/", "/office/reports/weekly/?week=%C2%B2&format=xlsx"):
        resp = agent_client.get(url)
        assert resp.status_code == 403, url
        assert "500" not in resp.content.decode().split("<title>")[1].split("</title>")[0]


def test_english_ui_shows_english_names(client, catalogue):
    park, *_ = catalogue
    en = client.get(park.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Zhongguancun" in en and "Changping District" in en and "Biomedicine" in en
    listing = client.get("/parks/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Changping District" in listing


def test_parks_api_returns_name_en(client, catalogue):
    park, *_ = catalogue
    Park.objects.filter(pk=park.pk).update(english_name="ZGC Test Park")
    item = next(p for p in client.get("/api/v1/parks").json()["items"] if p["id"] == park.pk)
    assert item["name_en"] == "ZGC Test Park" and item["district_en"] == "Changping District"
    assert item["industries_en"] == ["Biomedicine"]


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (2400, 1200), "steelblue")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0132] = "2020:01:01 00:00:00"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_office_photo_upload_strips_exif_and_makes_a_thumbnail(client, catalogue, settings,
                                                               tmp_path, django_user_model):  # fmt: skip
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = tmp_path
    _park, space, *_ = catalogue
    user = django_user_model.objects.create_user("photo-agent", password="x-Pass-9137")
    user.groups.add(Group.objects.get_or_create(name=ROLE_AGENT)[0])
    client.force_login(user)
    url = f"/office/catalogue/spaces/{space.pk}/photos/"
    upload = io.BytesIO(_jpeg_with_exif())
    upload.name = "plant.jpg"
    assert client.post(url, {"action": "add", "photo": upload}).status_code == 302
    space.refresh_from_db()
    assert len(space.photos) == 1
    name = space.photos[0][len(settings.MEDIA_URL) :]
    with default_storage.open(name) as fh:
        stored = Image.open(fh)
        stored.load()
        assert max(stored.size) == 1600 and not stored.getexif()
    thumb = name.replace(".jpg", ".thumb.jpg")
    with default_storage.open(thumb) as fh:
        assert max(Image.open(fh).size) == 480
    # A file that is not an image is refused with one message, nothing stored.
    bad = io.BytesIO(b"MZ\x90\x00 not an image")
    bad.name = "photo.jpg"
    resp = client.post(url, {"action": "add", "photo": bad})
    assert resp.status_code == 400 and "无法识别的图片文件" in resp.content.decode()
    space.refresh_from_db()
    assert len(space.photos) == 1
    # The public page shows the thumbnail.
    html = client.get(space.get_absolute_url()).content.decode()
    assert ".thumb.jpg" in html
