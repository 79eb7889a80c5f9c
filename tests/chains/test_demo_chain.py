"""``parklink chain`` on the demo data set: the JSON contract and the seed park's picture."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_data):
    pass


def _chain(*args: str) -> dict:
    out = io.StringIO()
    call_command("chain", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_life_science_park_chain_json_contract(demo):
    from parklink.parks.models import Park

    data = _chain("中关村生命科学园")
    assert set(data) == {"park", "template", "segments", "targets"}
    assert data["park"] == "中关村生命科学园" and data["template"] == "生物医药"
    for seg in data["segments"]:
        assert set(seg) == {"name", "stage", "orgs", "status"}
        assert seg["stage"] in {"上游", "中游", "下游", "公共服务平台"}
        assert seg["status"] == ("gap" if not seg["orgs"] else seg["status"])
        assert seg["status"] in {"strong", "weak", "gap"}
    segments = {s["name"]: s for s in data["segments"]}
    research = segments["基础研究/科研"]
    assert research["status"] == "strong"
    assert {
        "北京生命科学研究所",
        "生物芯片北京国家工程研究中心",
        "国家蛋白质科学中心(北京)",
    } <= set(research["orgs"])
    assert "迈瑞" in segments["医疗器械"]["orgs"]
    assert any(s["status"] == "gap" for s in data["segments"])

    own = set(
        Park.objects.get(name="中关村生命科学园").organizations.values_list("name", flat=True)
    )
    assert data["targets"]
    for t in data["targets"]:
        assert set(t) == {"segment", "org", "reason"}
        assert t["org"] not in own
        assert segments[t["segment"]]["status"] in {"weak", "gap"}
        assert t["reason"].startswith(("补链:", "强链:")) and t["org"] in t["reason"]

    # An alias finds the same park; --template overrides the choice.
    assert _chain("生命园") == data
    ic = _chain("生命园", "--template", "集成电路")
    assert ic["template"] == "集成电路" and ic["park"] == "中关村生命科学园"

    # The human-readable form names the chain, the statuses and the targets.
    out = io.StringIO()
    call_command("chain", "中关村生命科学园", stdout=out)
    text = out.getvalue()
    assert "生物医药" in text and "strong" in text and "北京生命科学研究所" in text
    assert data["targets"][0]["reason"] in text


def test_other_parks_get_their_own_chain(demo):
    assert _chain("中关村集成电路设计园")["template"] == "集成电路"
    assert _chain("中关村软件园")["template"] == "人工智能"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("无此园区",), "找不到园区“无此园区” / park not found"),
        (("中关村生命科学园", "--template", "养猪"), "unknown chain template: 养猪"),
        (("  ",), "park not found"),
    ],
)
def test_bad_input_is_one_bilingual_line(args, message):
    from tests.factories.parks import ParkFactory

    ParkFactory(name="中关村生命科学园")
    with pytest.raises(CommandError, match=message) as exc:
        call_command("chain", *args, stdout=io.StringIO())
    assert "\n" not in str(exc.value) and " / " in str(exc.value)
