"""Requirement sentences as agents type them after a call (typos, mixed units, 亩/平/平米/㎡/
万平, 元/天/平, 万/年, English from foreign investors): the fields each one must be read into,
and, on the demo data set, the ranking a handful of them must give."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from parklink.matching import index as match_index
from parklink.matching.columns import ParkTable, SpaceIndex, SpaceRow
from parklink.matching.parse import parse_text
from parklink.matching.ranking import rank
from parklink.matching.selectors import match_requirement, requirement_from_text

TODAY = date(2026, 12, 1)
ALIASES = {
    "中关村生命科学园": "中关村生命科学园",
    "生命园": "中关村生命科学园",
    "北京经济技术开发区": "北京经济技术开发区",
    "经开区": "北京经济技术开发区",
    "中国药谷": "中关村大兴生物医药产业基地",
}
MU = 666.67

# (sentence, fields the reading must have; floats compared to 0.1 %)
CASES: list[tuple[str, dict]] = [
    # --- exclusions: an area is not its district ---
    (
        "客户做医疗器械的,要个厂房两千五百平左右,层高6米以上,不考虑亦庄",
        {
            "kinds": ["厂房"],
            "area_target_m2": 2500,
            "excluded_areas": ["亦庄"],
            "excluded_districts": [],
            "ceiling_height_m": 6,
            "profile": "医疗器械生产",
        },
    ),
    (
        "厂房要1万平方米上下,层高十米,承重3吨每平,不考虑亦庄和通州",
        {
            "area_target_m2": 10000,
            "excluded_areas": ["亦庄"],
            "excluded_districts": ["通州区"],
            "ceiling_height_m": 10,
            "floor_load_kg_m2": 3000,
        },
    ),
    (
        "大兴都可以 就是经开区不要,研发楼800平",
        {"kinds": ["研发楼"], "districts": ["大兴区"], "excluded_parks": ["北京经济技术开发区"]},
    ),
    (
        "don't want E-Town, factory 3000 sqm",
        {
            "kinds": ["厂房"],
            "area_target_m2": 3000,
            "excluded_areas": ["亦庄"],
            "excluded_districts": [],
        },
    ),
    (
        "亦庄就算了 厂房两千平",
        {"excluded_areas": ["亦庄"], "districts": [], "area_target_m2": 2000},
    ),
    (
        "不考虑经开区,厂房2000平",
        {
            "excluded_areas": ["亦庄"],
            "excluded_parks": ["北京经济技术开发区"],
            "excluded_districts": [],
        },
    ),
    ("Anywhere except Yizhuang, 2000 sqm factory", {"excluded_areas": ["亦庄"]}),
    # --- a space ends a wish in a typed list ---
    ("厂房2000平 经开区优先", {"preferred_parks": ["北京经济技术开发区"], "soft": [], "parks": []}),
    (
        "最好 顺义 厂房2000平",
        {"preferred_districts": ["顺义区"], "kinds": ["厂房"], "preferred_kinds": []},
    ),
    # --- exclusions of industries and districts, Chinese and English ---
    ("不要化工园区,厂房1000平", {"excluded_industries": ["化工"], "area_target_m2": 1000}),
    ("远离化工 研发楼500平米", {"excluded_industries": ["化工"], "kinds": ["研发楼"]}),
    (
        "no chemical industry nearby please, 1000 sqm lab",
        {"excluded_industries": ["化工"], "kinds": ["实验室"], "unparsed": []},
    ),
    ("avoid chemical parks, factory 3000 sqm", {"excluded_industries": ["化工"]}),
    (
        "Looking for a 2000 sqm factory, not in Daxing.",
        {"excluded_districts": ["大兴区"], "area_target_m2": 2000},
    ),
    (
        "Daxing is not an option, warehouse 5000 sqm",
        {"excluded_districts": ["大兴区"], "districts": [], "kinds": ["仓库"]},
    ),
    ("anywhere but Daxing, lab 300 sqm", {"excluded_districts": ["大兴区"], "districts": []}),
    (
        "We want to avoid Daxing and Tongzhou, 1000 sqm office",
        {"excluded_districts": ["大兴区", "通州区"], "kinds": ["写字楼"]},
    ),
    (
        "stay away from heavy industry, office 800 sqm",
        {"excluded_industries": ["重工业"], "area_target_m2": 800},
    ),
    # --- biosafety levels ---
    ("P3实验室500平", {"biosafety_level": 3, "kinds": ["实验室"], "unparsed": []}),
    ("P2级别的,实验室300平", {"biosafety_level": 2, "area_target_m2": 300, "unparsed": []}),
    ("BSL-2 lab 300 sqm", {"biosafety_level": 2, "kinds": ["实验室"]}),
    ("要个生物安全二级实验室 400平米", {"biosafety_level": 2, "area_target_m2": 400}),
    ("P2栋厂房1000平", {"biosafety_level": None, "kinds": ["厂房"]}),
    (
        "实验室200平,P2,租金3块左右,海淀昌平都行",
        {"biosafety_level": 2, "rent_max_yuan_m2_day": 3, "districts": ["海淀区", "昌平区"]},
    ),
    ("实验室在P2栋,300平", {"biosafety_level": None, "kinds": ["实验室"]}),
    # --- price as a soft wish ---
    ("便宜点,研发楼1000平", {"cheaper": True, "unparsed": [], "rent_max_yuan_m2_day": None}),
    ("预算有限,价格低一些,仓库2000平", {"cheaper": True, "unparsed": []}),
    (
        "Office 300 sqm near a subway station, cheap, in Chaoyang",
        {"cheaper": True, "access": ["metro"], "districts": ["朝阳区"]},
    ),
    # --- access to transport as a soft wish ---
    ("尽量靠近高速,厂房3000平", {"access": ["highway"], "unparsed": [], "districts": []}),
    ("近地铁,交通方便,写字楼500平", {"access": ["metro", "transport"], "unparsed": []}),
    (
        "仓库 0.8万平 高速口附近 租期5年 每天不超过1块",
        {
            "access": ["highway"],
            "area_target_m2": 8000,
            "lease_years": 5,
            "rent_max_yuan_m2_day": 1,
            "soft": [],
        },
    ),
    ("公司高速发展,厂房1000平", {"access": []}),
    (
        "厂房 要求高速口10分钟以内 5000平 不要太偏",
        {"access": ["transport", "highway"], "excludes": [], "area_target_m2": 5000},
    ),
    ("小型办公 100平 左右 价格实惠 地铁沿线", {"access": ["metro"], "cheaper": True}),
    ("厂房2000平 离地铁远点没关系", {"access": []}),
    ("need cleanroom class 10,000, 1500 sqm", {"cleanroom": True, "cleanroom_iso": 7}),
    # --- floors ---
    (
        "写字楼300平左右 不要顶层 不要地下室 近地铁 海淀",
        {"no_top_floor": True, "no_basement": True, "access": ["metro"], "districts": ["海淀区"]},
    ),
    ("顶楼不要,办公室200平", {"no_top_floor": True, "kinds": ["写字楼"], "unparsed": []}),
    (
        "avoid the basement and top floor, office 500 sqm",
        {"no_top_floor": True, "no_basement": True},
    ),
    # --- units and numbers as typed ---
    ("写字楼 月租8万 400平", {"rent_max_yuan_m2_day": 80000 * 12 / 400 / 365, "deal": "出租"}),
    ("仓库3000平 3块5一天", {"rent_max_yuan_m2_day": 3.5, "area_target_m2": 3000}),
    (
        "要个一千五左右的厂房 租金一块八",
        {"area_target_m2": 1500, "rent_max_yuan_m2_day": 1.8, "kinds": ["厂房"]},
    ),
    ("2个厂房都要看", {"area_target_m2": None, "kinds": ["厂房"]}),
    ("实验室 200平 左右 不要太贵", {"cheaper": True, "excludes": [], "area_target_m2": 200}),
    ("太贵的不考虑,研发楼800平", {"cheaper": True, "excludes": []}),
    (
        "厂方 2000平 大星 每天2块",
        {
            "kinds": ["厂房"],
            "districts": ["大兴区"],
            "rent_max_yuan_m2_day": 2,
            "area_target_m2": 2000,
        },
    ),
    (
        "研发搂500平放米,海定,层搞5米",
        {
            "kinds": ["研发楼"],
            "area_target_m2": 500,
            "districts": ["海淀区"],
            "ceiling_height_m": 5,
        },
    ),
    (
        "Looking for ~800 m² office near Wangjing, monthly rent under 150k RMB, subway access",
        {
            "near": ["望京"],
            "rent_max_yuan_m2_day": 150000 * 12 / 800 / 365,
            "total_max_wan": None,
            "access": ["metro"],
            "unparsed": [],
        },
    ),
    (
        "R&D space 1000-1500 sqm, must have dual power, budget tight",
        {"hard": ["dual_power"], "cheaper": True, "unparsed": [], "area_min_m2": 1000},
    ),
    (
        "warehouse 5000 sqm, annual rent below RMB 2 million",
        {"rent_max_yuan_m2_day": 2e6 / 5000 / 365, "deal": "出租"},
    ),
    (
        "研发楼 800-1000平米,海淀或昌平,租金3.5元/天/平以内",
        {
            "area_min_m2": 800,
            "area_max_m2": 1000,
            "rent_max_yuan_m2_day": 3.5,
            "districts": ["海淀区", "昌平区"],
            "deal": "出租",
        },
    ),
    (
        "食品加工 厂房1500平 要能办环评 每天1.2元/平以内 不去大兴",
        {
            "rent_max_yuan_m2_day": 1.2,
            "deal": "出租",
            "price_max_yuan_m2": None,
            "excluded_districts": ["大兴区"],
            "env_assessment": True,
        },
    ),
    (
        "找块地 30亩左右,工业用地,顺义优先,总价不超过9000万",
        {
            "kinds": ["土地"],
            "area_target_m2": 30 * MU,
            "total_max_wan": 9000,
            "preferred_districts": ["顺义区"],
            "districts": [],
        },
    ),
    (
        "十来亩地 亩均60万以内 平谷 密云都行",
        {"kinds": ["土地"], "price_max_yuan_m2": 600000 / MU, "districts": ["平谷区", "密云区"]},
    ),
    (
        "想买个独栋厂房,1.2万平,总价1亿以内,不要通州",
        {
            "deal": "出售",
            "area_target_m2": 12000,
            "total_max_wan": 10000,
            "excluded_districts": ["通州区"],
        },
    ),
    (
        "写字楼500平左右,国贸附近,月租金不超过15万",
        {"near": ["国贸"], "rent_max_yuan_m2_day": 150000 * 12 / 500 / 365, "districts": []},
    ),
    (
        "求租研发办公 600平 中关村附近 价格低一些",
        {"near": ["中关村"], "cheaper": True, "soft": [], "deal": "出租"},
    ),
    (
        "厂房三四千平,双回路,配电800kva,不要地下室,明年三月入驻",
        {
            "area_min_m2": 3000,
            "area_max_m2": 4000,
            "dual_power": True,
            "power_kva": 800,
            "no_basement": True,
            "move_in_by": "2027-03-31",
        },
    ),
    (
        "仓库5000㎡,承重1.5吨,近高速,预算有限",
        {"floor_load_kg_m2": 1500, "access": ["highway"], "cheaper": True},
    ),
    (
        "实验室 300平 P2 要能做细胞实验 最好在生命园附近",
        {"biosafety_level": 2, "near": ["中关村生命科学园"], "area_target_m2": 300},
    ),
    (
        "Looking for 2,000 sqm GMP plant, budget RMB 2 per sqm per day, move in Q2 2027",
        {"gmp": True, "rent_max_yuan_m2_day": 2, "move_in_by": "2027-06-30", "kinds": ["厂房"]},
    ),
    (
        "We need about 5 acres of industrial land, not in Daxing, ideally Shunyi",
        {
            "kinds": ["土地"],
            "excluded_districts": ["大兴区"],
            "preferred_districts": ["顺义区"],
            "area_target_m2": 5 * 4046.8564224,
        },
    ),
    (
        "BSL-3 lab around 600 sqm, Changping preferred, no chemical industry around",
        {
            "biosafety_level": 3,
            "preferred_districts": ["昌平区"],
            "excluded_industries": ["化工"],
            "area_target_m2": 600,
        },
    ),
]


@pytest.mark.django_db
def test_no_top_floor_refuses_the_top_floor_of_its_building():
    from tests.factories.parks import BuildingFactory, ParkFactory, SpaceFactory

    park = ParkFactory(name="甲园", district="海淀区")
    six = BuildingFactory(park=park, floors=6)
    unknown = BuildingFactory(park=park, floors=None)
    kw = {"park": park, "kind": "写字楼", "area_m2": Decimal("300")}
    SpaceFactory(ref="TOP", building=six, floor="6", **kw)
    SpaceFactory(ref="MID", building=six, floor="3", **kw)
    SpaceFactory(ref="ATTIC", building=unknown, floor="顶层", **kw)
    SpaceFactory(ref="ANY", building=unknown, floor="9", **kw)
    result = match_requirement(requirement_from_text("写字楼300平,不要顶层"), top=10)
    assert sorted(m.ref for m in result.results) == ["ANY", "MID"]
    reason = {r.criterion: r for r in result.results[0].reasons}["top_floor"]
    assert reason.ok is True and reason.hard
    plain = match_requirement(requirement_from_text("写字楼300平"), top=10)
    assert len(plain.results) == 4


@pytest.mark.django_db
def test_the_top_floor_follows_a_change_of_the_buildings_floor_count(
    settings, django_capture_on_commit_callbacks
):
    """The index is kept between uses (as in production): raising a building's floor count
    in the admin makes its former top floor an ordinary floor at the next match."""
    from tests.factories.parks import BuildingFactory, ParkFactory, SpaceFactory

    settings.PARKLINK = {**settings.PARKLINK, "MATCHING_REBUILD_SECONDS": 3600}
    park = ParkFactory(name="乙园", district="海淀区")
    tower = BuildingFactory(park=park, floors=6)
    SpaceFactory(ref="SIX", building=tower, floor="6", park=park, kind="写字楼", area_m2=300)
    req = requirement_from_text("写字楼300平,不要顶层")
    match_index.invalidate()
    assert match_requirement(req, top=10).results == []
    built = match_index.get_index()
    tower.floors = 12
    with django_capture_on_commit_callbacks(execute=True):
        tower.save()
    assert [m.ref for m in match_requirement(req, top=10).results] == ["SIX"]
    assert match_index.get_index() is built  # refreshed in place, not rebuilt


def _check(got: dict, want: dict) -> None:
    for key, value in want.items():
        if isinstance(value, float | int) and not isinstance(value, bool):
            assert got[key] == pytest.approx(value, rel=1e-3), key
        else:
            assert got[key] == value, key


@pytest.mark.parametrize(("text", "want"), CASES, ids=[c[0][:24] for c in CASES])
def test_agent_sentence_is_read_into_its_fields(text, want):
    _check(parse_text(text, aliases=ALIASES, today=TODAY).to_dict(), want)


def test_there_are_enough_sentences_of_both_languages():
    english = [t for t, _ in CASES if t.isascii()]
    assert len(CASES) >= 30 and len(english) >= 10


def test_a_stated_technical_need_outweighs_an_industry_default():
    """生物药生产 fills 承重/双回路/GMP… from its profile; 层高8米 is said: a space that only
    meets the said need outranks one that meets two of the defaults (承重, 双回路), which
    won when every need weighed the same."""
    parks = ParkTable(
        ids=[1], names=["甲园"], districts=["昌平区"], industries=[()], min_tax=np.array([np.nan])
    )
    req = parse_text("生物药生产厂房2000平,层高8米", today=TODAY)
    assert "ceiling_height_m" not in req.defaults and "floor_load_kg_m2" in req.defaults
    tall = SpaceRow(
        id=1,
        ref="TALL",
        park_id=1,
        kind="厂房",
        deal="出租",
        area_m2=2000,
        ceiling_height_m=9,
        floor_load_kg_m2=300,
        gmp=True,
    )
    strong = SpaceRow(
        id=2,
        ref="STRONG",
        park_id=1,
        kind="厂房",
        deal="出租",
        area_m2=2000,
        ceiling_height_m=4,
        floor_load_kg_m2=2000,
        dual_power=True,
        gmp=True,
    )
    index = SpaceIndex.from_rows(parks, [tall, strong])
    assert [m.ref for m in rank(index, req, top=2)] == ["TALL", "STRONG"]


def test_cheaper_wish_ranks_the_cheaper_listing_first():
    parks = ParkTable(
        ids=[1], names=["甲园"], districts=["昌平区"], industries=[()], min_tax=np.array([np.nan])
    )
    rows = [
        SpaceRow(
            id=i, ref=f"R{i}", park_id=1, kind="研发楼", deal="出租", area_m2=1000, unit_price=price
        )
        for i, price in ((1, 4.5), (2, 1.8), (3, 3.0))
    ]
    index = SpaceIndex.from_rows(parks, rows)
    plain = parse_text("研发楼1000平", today=TODAY)
    cheap = parse_text("研发楼1000平,便宜点", today=TODAY)
    assert len({m.score for m in rank(index, plain, top=3)}) == 1
    found = rank(index, cheap, top=3)
    assert [m.ref for m in found] == ["R2", "R3", "R1"]
    reason = {r.criterion: r for r in found[0].reasons}["cheaper"]
    assert reason.ok is True and "偏好" in reason.text and not reason.hard


# --- Ranking on the demo data set -----------------------------------------------------------


@pytest.fixture
def demo(db, demo_data):
    match_index.invalidate()


def _space(park, ref, **kw):
    from tests.factories.parks import SpaceFactory

    return SpaceFactory(ref=ref, park=park, **kw)


@pytest.mark.django_db
def test_demo_rankings_put_the_expected_space_first_and_never_show_the_forbidden(demo):
    from parklink.parks.models import Park

    etown = Park.objects.get(name="北京经济技术开发区")
    pharma = Park.objects.get(name="中关村大兴生物医药产业基地")
    life = Park.objects.get(name="中关村生命科学园")
    shunyi = Park.objects.get(name="中关村顺义园")
    perfect = {
        "area_m2": Decimal("2500"),
        "price": Decimal("1.6"),
        "ceiling_height_m": Decimal("9"),
        "floor_load_kg_m2": 1500,
        "dual_power": True,
        "env_assessment": True,
    }
    dx = _space(pharma, "T-DX", **perfect)
    et = _space(etown, "T-ET", **perfect)
    lab = _space(life, "T-LAB", kind="实验室", area_m2=Decimal("320"), price=Decimal("3"))
    sy = _space(shunyi, "T-SY", **{**perfect, "area_m2": Decimal("3500")})

    def ranked(text: str) -> tuple[set[str], list[str]]:
        """(refs at the top score — equally perfect demo spaces tie —, all refs shown)."""
        result = match_requirement(requirement_from_text(text), top=200)
        best = result.results[0].score
        return {m.ref for m in result.results if m.score == best}, [m.ref for m in result.results]

    first, shown = ranked("厂房2500平左右,层高8米以上,承重1吨,每天2块以内,不考虑亦庄")
    assert dx.ref in first and et.ref not in shown
    result = match_requirement(
        requirement_from_text("厂房2500平左右,层高8米以上,每天2块以内,不考虑亦庄"), top=200
    )
    parks_shown = {m.park for m in result.results}
    assert parks_shown.isdisjoint({etown.name, "北科建亦庄科创园"})
    # the rest of 大兴区 is still offered
    assert pharma.name in parks_shown

    first, shown = ranked(
        "factory about 2,500 sqm, not in Daxing, ceiling 8 m, under RMB 2/sqm/day"
    )
    assert dx.ref not in shown and et.ref not in shown
    assert all(
        Park.objects.get(name=p).district != "大兴区"
        for p in {
            m.park
            for m in match_requirement(
                requirement_from_text("factory about 2,500 sqm, not in Daxing"), top=200
            ).results
        }
    )
    first, shown = ranked("厂房3500平 顺义优先 每天不超过2块 层高8米 双回路 能办环评")
    assert sy.ref in first
    first, shown = ranked("P2实验室300平左右,生命园附近,便宜点")
    assert lab.ref in first


@pytest.mark.django_db
def test_an_area_said_as_the_place_to_be_ranks_its_parks_above_the_rest_of_the_district(demo):
    """ "在亦庄" filters by 大兴区 (亦庄's district) and ranks 亦庄's parks above the other
    parks of 大兴区: the airport zone, 30 km away, is in 大兴区 too. "亦庄优先" does not make
    every 大兴区 park preferred."""
    from parklink.parks.models import Park

    etown = Park.objects.get(name="北京经济技术开发区")
    airport = Park.objects.get(name="北京大兴国际机场临空经济区")
    same = {"area_m2": Decimal("3000"), "price": Decimal("1.5"), "env_assessment": True}
    et = _space(etown, "T-AREA-ET", **same)
    ap = _space(airport, "T-AREA-AP", **same)
    for text in (
        "在亦庄租三千平左右的厂房",
        "3,000 sqm factory in Yizhuang",
        "亦庄优先,厂房3000平",
    ):
        refs = [m.ref for m in match_requirement(requirement_from_text(text), top=200).results]
        assert et.ref in refs and ap.ref in refs, text
        assert refs.index(et.ref) < refs.index(ap.ref), text
    result = match_requirement(requirement_from_text("在亦庄租三千平左右的厂房"), top=200)
    districts = {Park.objects.get(name=m.park).district for m in result.results}
    assert districts == {"大兴区"}
    reasons = next(m for m in result.results if m.ref == et.ref).reasons
    assert any("亦庄" in r.text and r.ok for r in reasons)
