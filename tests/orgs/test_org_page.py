"""The organisation page: what the register knows, where it sits, what the news says."""

from __future__ import annotations

import pytest

from parklink.news.choices import ReviewStatus
from tests.factories.news import ArticleFactory, MentionFactory
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import ParkFactory

pytestmark = pytest.mark.django_db


def test_org_page_shows_register_park_and_articles(client, django_assert_max_num_queries):
    park = ParkFactory(name="中关村生命科学园")
    org = OrganizationFactory(name="百济神州", park=park, industry="生物医药", aliases=["BeiGene"])
    article = ArticleFactory(title="百济神州扩建研发中心")
    MentionFactory(
        article=article, org=org, kind="org", text="百济神州", status=ReviewStatus.LINKED
    )
    ArticleFactory(title="无关的文章")
    with django_assert_max_num_queries(8):
        resp = client.get(org.get_absolute_url())
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "百济神州" in body and "生物医药" in body and "BeiGene" in body
    assert park.get_absolute_url() in body
    assert "百济神州扩建研发中心" in body
    assert "无关的文章" not in body


def test_unknown_org_is_404(client):
    assert client.get("/orgs/999999/").status_code == 404


def test_park_page_links_its_organisations(client):
    park = ParkFactory(name="中关村软件园")
    org = OrganizationFactory(name="广联达", park=park)
    body = client.get(park.get_absolute_url()).content.decode()
    assert f'href="{org.get_absolute_url()}"' in body


def test_sitemap_lists_organisation_pages(client):
    import xml.etree.ElementTree as ET

    org = OrganizationFactory(name="北京生命科学研究所")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.fromstring(client.get("/sitemap.xml").content)
    locs = [e.text for e in root.findall("s:url/s:loc", ns)]
    assert f"http://testserver{org.get_absolute_url()}" in locs


def test_admin_edit_of_an_organisation_is_audited(admin_client):
    from parklink.core.models import AuditEntry

    org = OrganizationFactory(name="保诺科技", industry="")
    resp = admin_client.post(
        f"/admin/orgs/organization/{org.pk}/change/",
        {
            "name": "保诺科技",
            "kind": "enterprise",
            "industry": "医药研发外包",
            "aliases": "[]",
            "segments": "[]",
            "sources": "[]",
            "description": "",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:500]
    entry = AuditEntry.objects.get(action="organization.admin_update")
    assert entry.target_id == str(org.pk) and "industry" in entry.detail["fields"]
