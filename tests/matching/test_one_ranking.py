"""One ranking everywhere: the lead panel, the match page, the API and `parklink match` rank
a lead identically (same function, same parsed requirement), for a lead taken in through
the real intake service (which stores the need's reading in the lead's fields)."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from parklink.leads.choices import Channel
from parklink.leads.selectors import lead_requirement_data
from parklink.leads.services import lead_submit
from tests.factories.parks import ParkFactory, SpaceFactory

pytestmark = pytest.mark.django_db

NEEDS = [
    "顺义优先,三四千平的厂房,每天不超过1块5,最好有双回路",
    "做体外诊断试剂的,想在亦庄或者大兴租一千五百平左右的厂房,要能办环评,租金每天不超过3块",
    "Looking to lease a 3,000-4,000 sqm factory near the airport, budget under RMB 1.5 per "
    "sqm per day, no basement",
]


@pytest.fixture
def spaces(db):
    shunyi = ParkFactory(name="顺义测试园", district="顺义区")
    tongzhou = ParkFactory(name="通州测试园", district="通州区")
    daxing = ParkFactory(name="大兴测试园", district="大兴区")
    rows = [
        ("SY-3500", shunyi, "3500", "1.4", True),
        ("SY-5000", shunyi, "5000", "1.2", False),
        ("TZ-3200", tongzhou, "3200", "1.3", True),
        ("TZ-3900", tongzhou, "3900", "1.9", False),
        ("DX-1600", daxing, "1600", "2.8", True),
        ("DX-3300", daxing, "3300", "1.5", False),
    ]
    for ref, park, area, price, dual in rows:
        SpaceFactory(
            ref=ref,
            park=park,
            area_m2=Decimal(area),
            price=Decimal(price),
            dual_power=dual,
            env_assessment=True,
        )


def submit(need: str):
    return lead_submit(
        data={
            "company": "测试科技有限公司",
            "contact": "王先生",
            "mobile": "13800138000",
            "need": need,
            "consent": True,
        },
        channel=Channel.WEB,
        actor=None,
        ip="10.0.0.1",
        user_agent="pytest",
    )


def panel_refs(html: str) -> list[str]:
    panel = html.split('id="match-panel"')[1].split("</section>")[0]
    return re.findall(r'<li class="match-result">\s*<strong>([^<]+)</strong>', panel)


def page_refs(html: str) -> list[str]:
    return re.findall(r"<tr><td>\d+</td><td>([^<]+)</td>", html)


@pytest.mark.parametrize("need", NEEDS, ids=["soft-zh", "ivd-zh", "english"])
def test_panel_page_api_and_command_rank_identically(
    need, spaces, agent, agent_client, operator_token, tmp_path, capsys
):
    lead = submit(need)
    lead.owner = agent
    lead.save()
    # 1. the lead page's panel
    panel = panel_refs(agent_client.get(lead.get_absolute_url()).content.decode())
    # 2. the match page, for the lead and for its sentence pasted
    by_lead = page_refs(agent_client.get("/office/matching/", {"lead": lead.pk}).content.decode())
    by_text = page_refs(agent_client.get("/office/matching/", {"q": need}).content.decode())
    # 3. the API: the lead's matches, and the public match of its sentence
    auth = {"HTTP_AUTHORIZATION": f"Bearer {operator_token}"}
    api_lead = agent_client.get(f"/api/v1/leads/{lead.pk}/matches?top=10", **auth).json()
    api_text = agent_client.post(
        "/api/v1/match", {"need": need, "top": 10}, content_type="application/json"
    ).json()
    # 4. the command, with the lead in the exchange format
    path = tmp_path / "lead.json"
    path.write_text(json.dumps(lead_requirement_data(lead), default=str, ensure_ascii=False))
    call_command("match", "--lead", str(path), "--json", "--top", "10")
    cli = json.loads(capsys.readouterr().out)

    assert panel, "the panel ranks something"
    ranked = [r["ref"] for r in api_lead["results"]]
    assert panel == ranked[: len(panel)]
    assert by_lead[:10] == by_text[:10] == ranked
    assert [r["ref"] for r in api_text["results"]] == ranked
    assert [r["ref"] for r in cli["results"]] == ranked
    scores = [r["score"] for r in api_lead["results"]]
    assert (
        [r["score"] for r in cli["results"]] == scores == [r["score"] for r in api_text["results"]]
    )
    assert cli["requirement"] == api_lead["requirement"] == api_text["requirement"]


def test_soft_district_keeps_other_districts_and_ranks_shunyi_first(spaces):
    from parklink.matching import selectors

    result = selectors.match_requirement(selectors.requirement_from_text(NEEDS[0]))
    refs = [m.ref for m in result.results]
    assert refs[0].startswith("SY-") and any(r.startswith("TZ-") for r in refs)


def test_public_match_explains_nothing_fits_with_relaxations(client, spaces):
    resp = client.post(
        "/api/v1/match",
        {"need": "海淀的三千平厂房,每天不超过1块5"},
        content_type="application/json",
    )
    data = resp.json()
    assert resp.status_code == 200 and data["results"] == [] and data["fits"] == 0
    first = data["relaxations"][0]
    assert first["criterion"] == "location" and first["count"] >= 1
    assert first["best"]["ref"] and "区域扩大到" in first["text"]
    assert "/" in data["explanation"]


def test_public_match_takes_an_english_need(client, spaces):
    resp = client.post(
        "/api/v1/match",
        {"need": "3,500 sqm factory in Shunyi, around RMB 1.4 per sqm per day"},
        content_type="application/json",
    )
    assert resp.status_code == 200
    assert resp.json()["results"][0]["ref"] == "SY-3500"
