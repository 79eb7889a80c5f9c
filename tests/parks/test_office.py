"""Back office of the catalogue: editing with validation, reconfirm, history, import/export."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from parklink.parks.models import Space, SpaceChange


def test_operators_only(client, listings):
    assert client.get("/office/catalogue/spaces/").status_code == 302


def test_space_list_with_stale_filter(agent_client, listings, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        resp = agent_client.get("/office/catalogue/spaces/?stale=1")
    assert [s.ref for s in resp.context["page"]] == ["F"]


def test_space_edit_validates_and_keeps_history(agent_client, listings, agent):
    space = Space.objects.get(ref="A")
    resp = agent_client.get(f"/office/catalogue/spaces/{space.pk}/")
    form = resp.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "photos"}
    data.update(price="5.5", park=space.park_id, building_name="2号楼", gmp="on")
    data["area_m2"] = "-3"
    resp = agent_client.post(f"/office/catalogue/spaces/{space.pk}/", data)
    assert resp.status_code == 200 and "area_m2" in resp.context["form"].errors
    data["area_m2"] = "300"
    resp = agent_client.post(f"/office/catalogue/spaces/{space.pk}/", data)
    assert resp.status_code == 302
    space.refresh_from_db()
    assert str(space.price) == "5.5000" and space.building.name == "2号楼"
    change = SpaceChange.objects.get(space=space, field="price")
    assert change.actor == agent
    assert "5.5" in agent_client.get(f"/office/catalogue/spaces/{space.pk}/").content.decode()


def test_reconfirm_and_status_actions(agent_client, listings):
    space = Space.objects.get(ref="F")
    agent_client.post(f"/office/catalogue/spaces/{space.pk}/reconfirm/")
    space.refresh_from_db()
    assert space.confirmed_at > timezone.now() - timedelta(minutes=1)
    agent_client.post(f"/office/catalogue/spaces/{space.pk}/status/", {"status": "下架"})
    space.refresh_from_db()
    assert space.status == "下架"


def test_import_upload_reports_problems_and_writes_nothing(manager_client, listings):
    data = "编号,所属园区,类型,租售,面积\nN-1,不存在,厂房,出租,100\n".encode("gbk")
    resp = manager_client.post(
        "/office/catalogue/exchange/", {"file": SimpleUploadedFile("up.csv", data)}
    )
    # The report speaks the page's language: the row, the column as the file heads it.
    assert "第 2 行 · “所属园区”列:“不存在”园区不存在" in resp.content.decode()
    assert not Space.objects.filter(ref="N-1").exists()
    data = "编号,所属园区,类型,租售,面积\nN-1,生命园,厂房,出租,100\n".encode()
    resp = manager_client.post(
        "/office/catalogue/exchange/", {"file": SimpleUploadedFile("up.csv", data)}
    )
    assert Space.objects.filter(ref="N-1").exists()


def test_import_upload_refuses_large_files(agent_client, listings, settings):
    settings.PARKLINK = {**settings.PARKLINK, "IMPORT_MAX_BYTES": 10}
    resp = agent_client.post(
        "/office/catalogue/exchange/", {"file": SimpleUploadedFile("up.csv", b"x" * 100)}
    )
    assert "文件过大" in resp.content.decode()


def test_export_download(agent_client, listings):
    resp = agent_client.get("/office/catalogue/export/?kind=spaces&format=csv")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
    text = resp.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("编号,所属园区")
    assert len(text.splitlines()) == 1 + Space.objects.count()
