"""The requirement grammar, one table per phrasing class, Chinese and English sentences as
agents type them after a call. Each row: sentence → the parsed fields that must hold."""

from datetime import date

import pytest

from parklink.matching.parse import AliasTable, parse_lead, parse_text

TODAY = date(2026, 12, 1)
ALIASES = AliasTable.build(
    {
        "中关村生命科学园": "中关村生命科学园",
        "生命园": "中关村生命科学园",
        "Zhongguancun Life Science Park": "中关村生命科学园",
        "北京生物医药产业基地": "北京生物医药产业基地",
        "生物医药基地": "北京生物医药产业基地",
    }
)


def parsed(text: str) -> dict:
    return parse_text(text, aliases=ALIASES, today=TODAY).to_dict()


def check(text: str, expected: dict) -> None:
    got = parsed(text)
    for key, value in expected.items():
        if isinstance(value, float):
            assert got[key] == pytest.approx(value, rel=1e-3), (text, key, got[key])
        elif isinstance(value, list):
            assert sorted(got[key]) == sorted(value), (text, key, got[key])
        else:
            assert got[key] == value, (text, key, got[key])


SOFT_AND_HARD = [
    # a wish scores, never filters
    ("顺义优先,两千平厂房", {"districts": [], "preferred_districts": ["顺义区"]}),
    ("最好在顺义或者通州,租厂房", {"districts": [], "preferred_districts": ["顺义区", "通州区"]}),
    # an area wished for scores by distance (not all of 大兴区: the airport zone is 40 km away)
    ("优先考虑亦庄,3000平", {"near": ["亦庄"], "preferred_districts": [], "districts": []}),
    # said as the place to be, its district filters and the area still ranks
    ("在亦庄租3000平厂房", {"districts": ["大兴区"], "near": ["亦庄"]}),
    ("3,000 sqm factory in Yizhuang", {"districts": ["大兴区"], "near": ["亦庄"]}),
    ("顺义优先,通州也行", {"preferred_districts": ["顺义区"], "districts": ["通州区"]}),
    ("最好在顺义租2000平厂房", {"preferred_districts": ["顺义区"], "kinds": ["厂房"]}),
    ("最好有双回路", {"dual_power": True, "soft": ["dual_power"]}),
    ("有GMP更好", {"gmp": True, "soft": ["gmp"]}),
    ("尽量是厂房,研发楼也可以", {"preferred_kinds": ["厂房"], "kinds": ["研发楼"]}),
    # near a place: scored by distance
    ("生命园附近", {"near": ["中关村生命科学园"], "parks": []}),
    ("亦庄附近的厂房", {"near": ["亦庄"], "districts": []}),
    ("机场附近找仓库", {"near": ["首都机场", "大兴机场"]}),
    ("靠近大兴机场", {"near": ["大兴机场"]}),
    # a must filters
    ("层高必须8米以上", {"ceiling_height_m": 8.0, "hard": ["ceiling_height_m"]}),
    ("一定要在顺义", {"districts": ["顺义区"]}),
    ("只考虑大兴的厂房", {"districts": ["大兴区"], "kinds": ["厂房"]}),
    ("必须双回路供电", {"dual_power": True, "hard": ["dual_power"]}),
    # plainly said: hard place, scored spec
    ("大兴的厂房", {"districts": ["大兴区"], "soft": [], "hard": []}),
    ("要能办环评", {"env_assessment": True, "soft": [], "hard": []}),
    # English
    ("preferably in Shunyi", {"preferred_districts": ["顺义区"], "districts": []}),
    ("ideally with dual power supply", {"dual_power": True, "soft": ["dual_power"]}),
    ("near the airport", {"near": ["首都机场", "大兴机场"], "industry": None}),
    ("close to Zhongguancun Life Science Park", {"near": ["中关村生命科学园"]}),
    ("must be in Haidian", {"districts": ["海淀区"]}),
    ("Shunyi preferred, floor load 3 t/sqm", {"preferred_districts": ["顺义区"], "soft": []}),
]

NUMBERS = [
    # approximations
    ("三四千平的厂房", {"area_min_m2": 3000.0, "area_max_m2": 4000.0, "area_target_m2": 3500.0}),
    ("七八百平", {"area_min_m2": 700.0, "area_max_m2": 800.0}),
    ("一千二三百平米", {"area_min_m2": 1200.0, "area_max_m2": 1300.0}),
    ("三千五六百平", {"area_min_m2": 3500.0, "area_max_m2": 3600.0}),
    ("十来亩地", {"area_min_m2": 6666.7, "area_max_m2": 8666.71, "kinds": ["土地"]}),
    ("二十来亩", {"area_min_m2": 13333.4}),
    ("三千出头平方米", {"area_min_m2": 3000.0, "area_max_m2": 3450.0}),
    ("50亩出头", {"area_min_m2": 33333.5, "area_max_m2": 38333.5}),
    ("两千多平", {"area_min_m2": 2000.0, "area_max_m2": 2500.0}),
    ("小两千平", {"area_min_m2": 1700.0, "area_max_m2": 2000.0}),
    ("万把平米", {"area_min_m2": 9000.0, "area_max_m2": 12000.0}),
    ("三到四千平", {"area_min_m2": 3000.0, "area_max_m2": 4000.0}),
    ("两三万平", {"area_min_m2": 20000.0, "area_max_m2": 30000.0}),
    # ranges and one-sided limits
    ("1500-2000平", {"area_min_m2": 1500.0, "area_max_m2": 2000.0}),
    ("一千五到两千平米", {"area_min_m2": 1500.0, "area_max_m2": 2000.0}),
    ("1500平左右", {"area_target_m2": 1500.0, "area_min_m2": 1200.0, "area_max_m2": 1950.0}),
    ("1500平上下", {"area_target_m2": 1500.0, "area_min_m2": 1200.0}),
    ("约1500平", {"area_target_m2": 1500.0, "area_min_m2": 1200.0}),
    ("5000平以上", {"area_min_m2": 5000.0, "area_max_m2": 7500.0}),
    ("2000平以下", {"area_max_m2": 2000.0}),
    ("2000平以内", {"area_max_m2": 2000.0}),
    ("不超过2000平", {"area_max_m2": 2000.0}),
    # money
    ("租金两三块", {"rent_max_yuan_m2_day": 3.0, "deal": "出租"}),
    ("预算七八百万买个小厂房", {"total_max_wan": 800.0, "deal": "出售"}),
    ("预算大概一个亿,买地", {"total_max_wan": 10000.0}),
    ("需要一块地,十五亩上下", {"rent_max_yuan_m2_day": None, "kinds": ["土地"]}),
    ("房租一年不超过100万,2000平", {"rent_max_yuan_m2_day": 1e6 / 2000 / 365}),
    ("每月租金不超过2万,500平", {"rent_max_yuan_m2_day": 2e4 * 12 / 500 / 365}),
    ("每亩不超过60万", {"price_max_yuan_m2": 600000 / 666.67, "deal": "出售"}),
    ("土地单价50万/亩", {"price_max_yuan_m2": 500000 / 666.67}),
    # English
    ("3,000-4,000 sqm factory", {"area_min_m2": 3000.0, "area_max_m2": 4000.0}),
    ("about 2,000 square meters", {"area_target_m2": 2000.0, "area_min_m2": 1600.0}),
    ("at least 5000 m2", {"area_min_m2": 5000.0}),
    ("up to 800 sqm", {"area_max_m2": 800.0}),
    ("over 10,000 sq ft", {"area_min_m2": 929.0304}),
    ("20 acres of land", {"area_target_m2": 80937.13, "kinds": ["土地"]}),
    ("30 mu of industrial land", {"area_target_m2": 20000.1}),
    ("2 hectares", {"area_target_m2": 20000.0}),
    ("between 1500 and 2000 sqm", {"area_min_m2": 1500.0, "area_max_m2": 2000.0}),
    ("3k sqm", {"area_target_m2": 3000.0}),
    ("rent under RMB 1.2 per sqm per day", {"rent_max_yuan_m2_day": 1.2, "deal": "出租"}),
    ("CNY 90/sqm/month", {"rent_max_yuan_m2_day": 90 / 30.42}),
    ("USD 0.5 per sqm per day", {"rent_max_yuan_m2_day": 0.5 * 7.1}),
    ("budget up to USD 5 million to buy", {"total_max_wan": 3550.0, "deal": "出售"}),
    ("total budget RMB 80 million", {"total_max_wan": 8000.0}),
    ("annual tax around RMB 5 million", {"annual_tax_wan": 500.0}),
]

NEGATIONS = [
    ("不要地下室", {"no_basement": True}),
    ("不考虑通州", {"excluded_districts": ["通州区"]}),
    ("通州不考虑,顺义可以", {"excluded_districts": ["通州区"], "districts": ["顺义区"]}),
    ("除了通州都行", {"excluded_districts": ["通州区"], "districts": []}),
    ("海淀昌平以外都可以", {"excluded_districts": ["海淀区", "昌平区"]}),
    ("地下的就算了", {"no_basement": True}),
    ("不要仓库", {"excluded_kinds": ["仓库"]}),
    ("不需要GMP", {"gmp": False}),
    ("GMP不需要", {"gmp": False}),
    ("不要生命园", {"excluded_parks": ["中关村生命科学园"], "parks": []}),
    ("租金不要超过3块", {"rent_max_yuan_m2_day": 3.0, "excludes": []}),
    ("不要西晒", {"excludes": ["西晒"]}),
    ("no basement", {"no_basement": True}),
    ("not in Tongzhou", {"excluded_districts": ["通州区"]}),
    ("excluding Daxing and Fangshan", {"excluded_districts": ["大兴区", "房山区"]}),
    ("GMP not required", {"gmp": False}),
    ("no more than 3 RMB per sqm per day", {"rent_max_yuan_m2_day": 3.0}),
]

SPECS = [
    ("十万级洁净车间", {"cleanroom": True, "cleanroom_iso": 8.0}),
    ("万级洁净", {"cleanroom_iso": 7.0}),
    ("百级", {"cleanroom_iso": 5.0}),
    ("三十万级净化车间", {"cleanroom_iso": 8.5}),
    ("D级洁净区", {"cleanroom_iso": 8.0}),
    ("ISO 7 cleanroom", {"cleanroom": True, "cleanroom_iso": 7.0}),
    ("class 10,000 clean room", {"cleanroom_iso": 7.0}),
    ("需要洁净车间", {"cleanroom": True, "cleanroom_iso": None}),
    ("层高8米", {"ceiling_height_m": 8.0}),
    ("承重1吨", {"floor_load_kg_m2": 1000.0}),
    ("配电2000kVA", {"power_kva": 2000.0}),
    ("ceiling at least 8 m", {"ceiling_height_m": 8.0}),
    ("10m clear height", {"ceiling_height_m": 10.0}),
    ("floor load 1,000 kg/sqm", {"floor_load_kg_m2": 1000.0}),
    ("power supply 2 MVA", {"power_kva": 2000.0}),
    ("dual-circuit power and EIA", {"dual_power": True, "env_assessment": True}),
]

DATES = [
    ("明年3月入驻", {"move_in_by": "2027-03-31"}),
    ("下个月就要搬", {"move_in_by": "2027-01-31"}),
    ("急,下周就要", {"move_in_by": "2026-12-15"}),
    ("Q2进场", {"move_in_by": "2027-06-30"}),
    ("明年二季度前要入驻", {"move_in_by": "2027-06-30"}),
    ("年底前入驻", {"move_in_by": "2026-12-31"}),
    ("三个月内入驻", {"move_in_by": "2027-03-02"}),
    ("2027年5月份要用", {"move_in_by": "2027-05-31"}),
    ("move in by March 2027", {"move_in_by": "2027-03-31"}),
    ("available from next month", {"move_in_by": "2027-01-31"}),
    ("start in Q3 2027", {"move_in_by": "2027-09-30"}),
    ("成立于2015年3月", {"move_in_by": None}),
    ("租期5年", {"lease_years": 5.0, "deal": "出租"}),
    ("签三年", {"lease_years": 3.0}),
    ("5-year lease", {"lease_years": 5.0}),
    ("房租一年不超过100万", {"lease_years": None}),
]

KINDS_AND_DEALS = [
    ("买50亩地", {"kinds": ["土地"], "deal": "出售"}),
    ("拿地建厂", {"kinds": ["土地"]}),
    ("租个研发办公", {"kinds": ["研发楼"], "deal": "出租"}),
    ("looking to lease a factory", {"kinds": ["厂房"], "deal": "出租"}),
    ("want to buy an office", {"kinds": ["写字楼"], "deal": "出售"}),
    ("a warehouse to rent", {"kinds": ["仓库"], "deal": "出租"}),
    ("wet lab space", {"kinds": ["实验室"]}),
]

INDUSTRIES = [
    ("生物制剂生产,2000平", {"profile": "生物药生产"}),
    ("化药制剂生产", {"profile": "化学药生产"}),
    ("做芯片封测", {"profile": "集成电路制造与封测"}),
    ("做芯片设计的", {"profile": "集成电路设计"}),
    ("AI startup", {"profile": "软件与人工智能"}),
    ("near the airport", {"profile": None}),
    ("we make biologics", {"profile": "生物药生产"}),
    ("medical device manufacturing", {"profile": "医疗器械生产"}),
    ("a level floor, please", {"profile": None}),
    ("EV battery plant", {"profile": "新能源汽车零部件"}),
]

PLACES = [
    ("in Chaoyang", {"districts": ["朝阳区"]}),
    ("Chaoyang District office", {"districts": ["朝阳区"]}),
    ("Haidian or Changping", {"districts": ["海淀区", "昌平区"]}),
    ("E-Town factory", {"districts": ["大兴区"]}),
    ("Yizhuang", {"districts": ["大兴区"]}),
    ("Daxing", {"districts": ["大兴区"]}),
    ("亦庄或者大兴", {"districts": ["大兴区"], "near": ["亦庄"]}),
    ("望京", {"districts": ["朝阳区"]}),
    ("马驹桥", {"districts": ["通州区"]}),
    ("生命园里的实验室", {"parks": ["中关村生命科学园"]}),
    ("Zhongguancun Life Science Park lab", {"parks": ["中关村生命科学园"]}),
]


def _ids(cases):
    return [c[0][:24] for c in cases]


@pytest.mark.parametrize(("text", "expected"), SOFT_AND_HARD, ids=_ids(SOFT_AND_HARD))
def test_soft_and_hard(text, expected):
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), NUMBERS, ids=_ids(NUMBERS))
def test_numbers(text, expected):
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), NEGATIONS, ids=_ids(NEGATIONS))
def test_negations(text, expected):
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), SPECS, ids=_ids(SPECS))
def test_specs(text, expected):
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), DATES, ids=_ids(DATES))
def test_dates(text, expected):
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), KINDS_AND_DEALS, ids=_ids(KINDS_AND_DEALS))
def test_kinds_and_deals(text, expected):
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), INDUSTRIES, ids=_ids(INDUSTRIES))
def test_industries(text, expected):
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), PLACES, ids=_ids(PLACES))
def test_places(text, expected):
    check(text, expected)


WHOLE = [
    (
        "客户王总,做医疗器械的,要在大兴或亦庄租个两三千平的厂房,最好带洁净车间,万级就行,"
        "明年二季度前要入驻",
        {
            "districts": ["大兴区"],
            "area_min_m2": 2000.0,
            "area_max_m2": 3000.0,
            "cleanroom_iso": 7.0,
            "soft": ["cleanroom"],
            "move_in_by": "2027-06-30",
            "profile": "医疗器械生产",
            "deal": "出租",
        },
    ),
    (
        "刚跟客户通完电话:做锂电池材料的,想买地,二十亩左右,顺义、通州都行,不要房山,预算大概一个亿",
        {
            "kinds": ["土地"],
            "districts": ["顺义区", "通州区"],
            "excluded_districts": ["房山区"],
            "total_max_wan": 10000.0,
            "ceiling_height_m": None,  # a plot gets no building defaults
            "floor_load_kg_m2": None,
            "unparsed": [],
        },
    ),
    (
        "Client (German auto parts) needs ~5,000 sqm plant, ceiling 10m+, floor load 3 t/sqm, "
        "Shunyi preferred, lease 5 years, budget around 1.5 RMB per sqm per day",
        {
            "kinds": ["厂房"],
            "area_target_m2": 5000.0,
            "ceiling_height_m": 10.0,
            "floor_load_kg_m2": 3000.0,
            "preferred_districts": ["顺义区"],
            "lease_years": 5.0,
            "rent_max_yuan_m2_day": 1.5,
            "deal": "出租",
        },
    ),
    (
        "Hi, we're a US medical device company. Looking for 2000-3000 square meters of factory "
        "space in Beijing E-Town, GMP not required, ISO 8 cleanroom, move in Q3 2027.",
        {
            "districts": ["大兴区"],
            "gmp": False,
            "cleanroom_iso": 8.0,
            "move_in_by": "2027-09-30",
            "profile": "医疗器械生产",
        },
    ),
]


@pytest.mark.parametrize(("text", "expected"), WHOLE, ids=[c[0][:16] for c in WHOLE])
def test_whole_sentences(text, expected):
    check(text, expected)


def test_plain_english_need_is_usable():
    from parklink.matching.requirement import missing

    req = parse_text("Looking for a 2,000 sqm factory near the airport", today=TODAY)
    assert not missing(req)
    assert req.kinds == ("厂房",) and req.area_target_m2 == 2000
    assert "首都机场" in req.near and req.park_industries == ()


def test_stated_text_is_the_original_words():
    req = parse_text("三四千平的厂房,每天不超过1块5", today=TODAY)
    assert req.stated_text("area") == "三四千平"


def test_lead_fields_that_repeat_the_need_keep_its_reading():
    """A lead stores its need's reading in its fields (leads._fill_from_need): parsing the
    lead must give the same requirement as parsing the sentence."""
    text = "顺义优先,三四千平的厂房,最好有双回路"
    from_text = parse_text(text, today=TODAY)
    stored = {
        "need": text,
        "kind": "厂房",
        "area_min_m2": 3000,
        "area_max_m2": 4000,
        "requires": {"dual_power": True},
    }
    from_lead = parse_lead(stored, today=TODAY)
    assert from_lead == from_text
