"""Back office: match page, match panel actions; alerts to lead owners."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail

from parklink.leads.models import FollowUp
from parklink.matching import services
from parklink.matching.models import FeedbackKind, MatchAlert, MatchFeedback
from parklink.parks import services as park_services
from parklink.parks.models import Space
from tests.factories.leads import LeadFactory
from tests.matching.conftest import SENTENCE

pytestmark = pytest.mark.django_db


def test_match_page_shows_parsed_requirement_and_results(agent_client, catalogue):
    resp = agent_client.get("/office/matching/", {"q": SENTENCE})
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "体外诊断试剂" in body and "大兴区" in body
    assert "DX-1650" in body and "面积 1,650㎡,在需求 1,200–1,950㎡ 内" in body
    assert "北京生物医药产业基地" in body


def test_match_page_shows_exclusions_wishes_and_floor_needs_it_read(agent_client, catalogue):
    sentence = "P2实验室500平,不考虑亦庄,不要化工,不要顶层,近地铁,便宜点"
    body = agent_client.get("/office/matching/", {"q": sentence}).content.decode()
    for shown in ("排除 亦庄", "化工", "生物安全 P2", "不要顶层", "近地铁", "价格越低越好"):
        assert shown in body, shown


def test_match_page_for_operators_only(client, catalogue):
    assert client.get("/office/matching/").status_code == 302


def test_lead_page_panel_recommend_records_follow_up_and_hides_space(agent_client, ivd_lead):
    space = Space.objects.get(ref="DX-1650")
    page = agent_client.get(ivd_lead.get_absolute_url()).content.decode()
    assert "推荐给客户" in page and "DX-1650" in page
    resp = agent_client.post(
        f"/office/matching/leads/{ivd_lead.pk}/spaces/{space.pk}/recommend/", {"score": "90"}
    )
    assert resp.status_code == 302
    assert MatchFeedback.objects.filter(
        lead=ivd_lead, space=space, kind=FeedbackKind.RECOMMENDED
    ).exists()
    (follow,) = FollowUp.objects.filter(lead=ivd_lead)
    assert "DX-1650" in follow.note
    panel = agent_client.get(ivd_lead.get_absolute_url()).content.decode()
    assert "DX-1650" not in panel.split('id="match-panel"')[1].split("</section>")[0]


def test_not_interested_hides_space_without_follow_up(agent_client, ivd_lead):
    space = Space.objects.get(ref="DX-3000")
    agent_client.post(f"/office/matching/leads/{ivd_lead.pk}/spaces/{space.pk}/not-interested/")
    assert MatchFeedback.objects.filter(kind=FeedbackKind.NOT_INTERESTED).count() == 1
    assert not FollowUp.objects.exists()


def test_other_agent_cannot_recommend(client, ivd_lead, agent2):
    client.force_login(agent2)
    space = Space.objects.get(ref="DX-1650")
    client.post(f"/office/matching/leads/{ivd_lead.pk}/spaces/{space.pk}/recommend/")
    assert not MatchFeedback.objects.exists()


def test_space_leads_page(agent_client, ivd_lead):
    space = Space.objects.get(ref="DX-1650")
    body = agent_client.get(f"/office/matching/spaces/{space.pk}/leads/").content.decode()
    assert ivd_lead.ref in body and ivd_lead.mobile not in body


def test_new_fitting_space_alerts_owner_once(
    ivd_lead, agent, catalogue, django_capture_on_commit_callbacks
):
    LeadFactory(need="通州仓库", owner=agent)  # does not fit a Daxing factory
    data = {
        "ref": "DX-NEW",
        "park": catalogue["parks"]["daxing"],
        "kind": "厂房",
        "deal": "出租",
        "area_m2": Decimal("1500"),
        "price": Decimal("2.5"),
        "price_unit": "元/平方米/天",
        "env_assessment": True,
        "floor_load_kg_m2": 1000,
    }
    with django_capture_on_commit_callbacks(execute=True):
        space = park_services.space_create(data=data, actor=agent)
    (alert,) = MatchAlert.objects.all()
    assert (alert.lead, alert.space, alert.owner) == (ivd_lead, space, agent)
    assert alert.score >= 70 and alert.reasons
    assert len(mail.outbox) == 1 and "DX-NEW" in mail.outbox[0].body
    assert ivd_lead.mobile not in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        park_services.space_update(space=space, data={"price": Decimal("2.4")}, actor=agent)
    assert MatchAlert.objects.count() == 1 and len(mail.outbox) == 1  # once


def test_no_alert_for_spaces_already_recommended_or_leased(ivd_lead, agent, catalogue):
    space = Space.objects.get(ref="DX-1650")
    services.match_not_interested(lead=ivd_lead, space=space, actor=agent)
    assert services.space_alerts_create(space_id=space.pk, fields=["price"], created=False) == []
    leased = Space.objects.get(ref="DX-LEASED")
    assert services.space_alerts_create(space_id=leased.pk, fields=[], created=True) == []
    assert (
        services.space_alerts_create(
            space_id=Space.objects.get(ref="DX-3000").pk, fields=["description"], created=False
        )
        == []
    )


def test_daily_digest(ivd_lead, agent, catalogue):
    services.alert_preference_set(user=agent, daily_digest=True)
    space = Space.objects.get(ref="DX-1650")
    (alert,) = services.space_alerts_create(space_id=space.pk, fields=["price"], created=False)
    assert mail.outbox == [] and alert.emailed_at is None
    assert services.match_digest_send() == 1
    assert len(mail.outbox) == 1 and "DX-1650" in mail.outbox[0].body
    assert services.match_digest_send() == 0  # idempotent


def test_alert_list_and_mark_read(agent_client, agent, ivd_lead):
    space = Space.objects.get(ref="DX-1650")
    services.space_alerts_create(space_id=space.pk, fields=["status"], created=False)
    body = agent_client.get("/office/matching/alerts/").content.decode()
    assert "DX-1650" in body and ivd_lead.ref in body
    agent_client.post("/office/matching/alerts/")
    assert not MatchAlert.objects.filter(read_at__isnull=True).exists()
