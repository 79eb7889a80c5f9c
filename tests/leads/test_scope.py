"""The one scope rule: `lead_scope(viewer=)` (SQL) and `access.can_view/can_edit/
can_see_mobile` (Python) agree for every viewer and every kind of lead, teams included."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from parklink.core.models import Team
from parklink.core.roles import ROLE_AGENT, ROLE_MANAGER
from parklink.leads import access
from parklink.leads.choices import Stage
from parklink.leads.selectors import lead_scope
from parklink.zh.validators import mask_mobile
from tests.factories.leads import LeadFactory

pytestmark = pytest.mark.django_db


def _user(django_user_model, name, role=None, superuser=False):
    user = django_user_model.objects.create_user(
        username=name, password="pw-" + name, is_superuser=superuser
    )
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@pytest.fixture
def world(django_user_model, agent, agent2, manager, admin_user_role):
    """Two teams: 一组 (manager1, agent1) and 二组 (lead2, agent3); agent2 in no team."""
    team_lead = _user(django_user_model, "lead2", ROLE_MANAGER)
    agent3 = _user(django_user_model, "agent3", ROLE_AGENT)
    outsider = _user(django_user_model, "visitor")
    inactive_role = _user(django_user_model, "super", superuser=True)
    one = Team.objects.create(name="招商一组")
    one.members.add(manager, agent)
    two = Team.objects.create(name="招商二组")
    two.members.add(team_lead, agent3)
    leads = []
    for owner, stage in itertools.product(
        [None, agent, agent2, agent3, manager], [Stage.NEW, Stage.NEGOTIATING, Stage.WON]
    ):
        leads.append(LeadFactory(owner=owner, stage=stage))
    target = LeadFactory(owner=agent)
    LeadFactory(owner=agent, merged_into=target)  # a tombstone: nobody sees it
    leads.append(target)
    viewers = {
        "anonymous": AnonymousUser(),
        "outsider": outsider,
        "agent1": agent,
        "agent2": agent2,
        "agent3": agent3,
        "manager1 (一组)": manager,
        "lead2 (二组)": team_lead,
        "admin": admin_user_role,
        "superuser": inactive_role,
    }
    return viewers, leads


def test_sql_and_python_forms_agree(world):
    viewers, _leads = world
    from parklink.leads.models import Lead

    everything = list(Lead.objects.all())
    for name, viewer in viewers.items():
        in_sql = set(lead_scope(viewer=viewer).values_list("pk", flat=True))
        in_python = {lead.pk for lead in everything if access.can_view(viewer, lead)}
        assert in_sql == in_python, name
        for lead in everything:
            # Working a lead (edit, full mobile) is only ever inside the scope.
            assert not access.can_edit(viewer, lead) or lead.pk in in_sql, name
            assert access.can_see_mobile(viewer, lead) == access.can_edit(viewer, lead)


def _visible(viewer):
    return {
        (lead.owner.username if lead.owner else None, lead.stage)
        for lead in lead_scope(viewer=viewer).select_related("owner")
    }


def test_who_sees_what(world):
    viewers, _leads = world
    open_pool = {(None, Stage.NEW), (None, Stage.NEGOTIATING)}
    all_pool = {*open_pool, (None, Stage.WON)}

    def owned(*names):
        return {(n, s) for n in names for s in (Stage.NEW, Stage.NEGOTIATING, Stage.WON)}

    assert _visible(viewers["anonymous"]) == set()
    assert _visible(viewers["outsider"]) == set()
    assert _visible(viewers["agent1"]) == owned("agent1") | open_pool
    assert _visible(viewers["agent2"]) == owned("agent2") | open_pool
    assert _visible(viewers["manager1 (一组)"]) == owned("agent1", "manager1") | all_pool
    assert _visible(viewers["lead2 (二组)"]) == owned("agent3") | all_pool
    everyone = owned("agent1", "agent2", "agent3", "manager1") | all_pool
    assert _visible(viewers["admin"]) == everyone
    assert _visible(viewers["superuser"]) == everyone


def test_manager_without_team_sees_every_lead(manager, agent2):
    lead = LeadFactory(owner=agent2)
    assert access.can_view(manager, lead) and access.can_edit(manager, lead)


@pytest.mark.parametrize(
    ("viewer", "owner", "full"),
    [
        ("agent", "agent", True),
        ("agent", None, False),  # 公海: masked for agents
        ("manager", "agent2", True),
        ("agent2", "agent", None),  # out of scope: not even masked
    ],
)
def test_mobile_for(request, viewer, owner, full):
    viewer = request.getfixturevalue(viewer)
    lead = LeadFactory(
        mobile="13800002222", owner=request.getfixturevalue(owner) if owner else None
    )
    if full is None:
        assert not access.can_view(viewer, lead)
        assert access.mobile_for(viewer, lead) == "138****2222"
    else:
        assert access.mobile_for(viewer, lead) == ("13800002222" if full else "138****2222")


def test_foreign_mobile_masked_like_mainland(agent, agent2):
    lead = LeadFactory(mobile="+491711234567", owner=agent2)
    shown = access.mobile_for(agent, lead)
    assert shown == mask_mobile("+491711234567") and "1711234567" not in shown
