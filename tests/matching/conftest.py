from __future__ import annotations

from decimal import Decimal

import pytest

from parklink.matching import index as match_index
from tests.factories.leads import LeadFactory
from tests.factories.parks import IndustryFactory, ParkFactory, SpaceFactory


@pytest.fixture(autouse=True)
def fresh_index():
    match_index.invalidate()
    yield
    match_index.invalidate()


@pytest.fixture
def catalogue(db):
    """Two biotech parks and a logistics park with a handful of spaces."""
    bio = IndustryFactory(name="生物医药")
    logistics = IndustryFactory(name="现代物流")
    daxing = ParkFactory(
        name="北京生物医药产业基地",
        aliases=["生物医药基地"],
        district="大兴区",
        min_annual_tax_yuan_per_m2=Decimal("800"),
    )
    daxing.industries.add(bio)
    zgc = ParkFactory(name="中关村生命科学园", aliases=["生命园"], district="昌平区")
    zgc.industries.add(bio)
    tongzhou = ParkFactory(name="通州物流园", district="通州区")
    tongzhou.industries.add(logistics)
    spaces = {
        "fit": SpaceFactory(
            ref="DX-1650",
            park=daxing,
            area_m2=Decimal("1650"),
            price=Decimal("2.8"),
            env_assessment=True,
            floor_load_kg_m2=1000,
            ceiling_height_m=Decimal("6"),
        ),
        "pricey": SpaceFactory(
            ref="DX-3000", park=daxing, area_m2=Decimal("3000"), price=Decimal("4.5")
        ),
        "leased": SpaceFactory(
            ref="DX-LEASED", park=daxing, area_m2=Decimal("1500"), status="已租"
        ),
        "zgc": SpaceFactory(ref="ZGC-1500", park=zgc, area_m2=Decimal("1500")),
        "office": SpaceFactory(ref="DX-OFF", park=daxing, kind="写字楼", area_m2=Decimal("1500")),
        "warehouse": SpaceFactory(ref="TZ-W", park=tongzhou, kind="仓库", area_m2=Decimal("5000")),
    }
    return {"parks": {"daxing": daxing, "zgc": zgc, "tongzhou": tongzhou}, "spaces": spaces}


SENTENCE = (
    "做体外诊断试剂的,想在亦庄或者大兴租一千五百平左右的厂房,要能办环评,"
    "楼板承重800公斤以上,租金每天不超过3块"
)


@pytest.fixture
def ivd_lead(catalogue, agent):
    return LeadFactory(need=SENTENCE, owner=agent)


@pytest.fixture
def operator_token(agent):
    from parklink.core.services import api_token_create

    _, key = api_token_create(user=agent, name="test")
    return key
