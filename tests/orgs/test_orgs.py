"""Organisations: USCC validation, upsert, back-office editing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from parklink.orgs import services
from parklink.orgs.models import Organization
from parklink.zh.validators import uscc_check_char

BASE = "91110108MA01ABCDE"  # 17 characters; the 18th is computed


@pytest.fixture
def uscc() -> str:
    return BASE + uscc_check_char(BASE)


def test_org_uscc_is_normalised_and_validated(db, agent, uscc):
    org = services.org_create(data={"name": "某公司", "uscc": uscc.lower()}, actor=agent)
    assert org.uscc == uscc
    wrong = BASE + ("0" if uscc[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        services.org_create(data={"name": "另一家", "uscc": wrong}, actor=agent)
    assert "uscc" in exc.value.message_dict
    assert not Organization.objects.filter(name="另一家").exists()


def test_uscc_is_optional_and_unique_when_present(db, agent, uscc):
    services.org_create(data={"name": "甲"}, actor=agent)
    services.org_create(data={"name": "乙", "uscc": ""}, actor=agent)
    assert Organization.objects.filter(uscc__isnull=True).count() == 2
    services.org_create(data={"name": "丙", "uscc": uscc}, actor=agent)
    with pytest.raises(ValidationError):
        services.org_create(data={"name": "丁", "uscc": uscc}, actor=agent)


def test_org_upsert_by_name_is_idempotent(db, agent):
    data = {"name": "某研究所", "kind": "institute", "segments": ["研发"]}
    assert services.org_upsert(data=data, actor=agent)[1] == "created"
    assert services.org_upsert(data=data, actor=agent)[1] == "unchanged"
    assert services.org_upsert(data={**data, "industry": "生物医药"}, actor=agent)[1] == "updated"


def test_office_org_edit_validates(agent_client, db, uscc):
    resp = agent_client.post(
        "/office/catalogue/orgs/new/", {"name": "新公司", "kind": "enterprise", "uscc": "123"}
    )
    assert resp.status_code == 200 and "uscc" in resp.context["form"].errors
    assert not Organization.objects.exists()
    resp = agent_client.post(
        "/office/catalogue/orgs/new/", {"name": "新公司", "kind": "enterprise", "uscc": uscc}
    )
    assert resp.status_code == 302
    assert Organization.objects.get(name="新公司").uscc == uscc


def test_office_org_list(agent_client, db, django_assert_max_num_queries):
    services.org_create(data={"name": "甲"}, actor=None)
    with django_assert_max_num_queries(8):
        resp = agent_client.get("/office/catalogue/orgs/")
    assert resp.status_code == 200 and "甲" in resp.content.decode()
