from datetime import date

import pytest

from parklink.news.entities import CatalogueName, Gazetteer, catalogue_names, find_entities
from parklink.news.extract import extract_text


@pytest.fixture
def gazetteer():
    return Gazetteer(
        catalogue_names(
            [(1, "中关村生命科学园", ["生命园", "北京中关村生命科学园"])],
            [
                (7, "百济神州", ["百济神州(北京)生物科技有限公司"]),
                (8, "国家蛋白质科学中心(北京)", []),
            ],
        )
    )


def test_catalogue_names_and_aliases_link_to_canonical(gazetteer):
    text = "中关村生命科学园(简称“生命园”)汇聚了百济神州等企业。"
    found = {(e.name, e.kind, e.canonical, e.ref_id) for e in find_entities(text, gazetteer)}
    assert ("中关村生命科学园", "park", "中关村生命科学园", 1) in found
    assert ("生命园", "park", "中关村生命科学园", 1) in found
    assert ("百济神州", "org", "百济神州", 7) in found


def test_offsets_point_into_the_text(gazetteer, seed_text):
    body = extract_text(seed_text, fetched_at=date(2025, 5, 3)).body
    for e in find_entities(body, gazetteer):
        assert body[e.start : e.end] == e.name


def test_traditional_and_full_width_text_matches_the_catalogue(gazetteer):
    text = "中關村生命科學園引入國家蛋白質科學中心（北京）。"
    found = find_entities(text, gazetteer)
    names = {(e.name, e.canonical) for e in found}
    assert ("中關村生命科學園", "中关村生命科学园") in names
    assert ("國家蛋白質科學中心（北京）", "国家蛋白质科学中心(北京)") in names


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("园区引入北京生命科学研究所等机构。", "北京生命科学研究所", "org"),
        ("又有如蛋白质药物国家工程研究中心等项目。", "蛋白质药物国家工程研究中心", "org"),
        ("园区引入国家蛋白质科学中心(北京)等三大科研机构。", "国家蛋白质科学中心(北京)", "org"),
        ("华为云联合北京昌平科技园发展有限公司举办论坛。", "北京昌平科技园发展有限公司", "org"),
        ("在中关村发展集团的指导下。", "中关村发展集团", "org"),
        ("患者转诊到北京大学第三医院治疗。", "北京大学第三医院", "org"),
        ("项目落户大兴生物医药产业基地。", "大兴生物医药产业基地", "park"),
        ("清华大学的团队。", "清华大学", "org"),
    ],
)
def test_new_organisations_and_parks_by_shape(text, name, kind):
    found = [(e.name, e.kind, e.canonical) for e in find_entities(text, None)]
    assert (name, kind, None) in found


def test_generic_phrases_are_not_organisations():
    found = [e.name for e in find_entities("为北京建设全国科技创新中心提供支撑。", None)]
    assert "全国科技创新中心" not in found
    assert "北京" in found


def test_places_and_people():
    found = find_entities("区委书记甘靖中带队到昌平区和海淀调研。", None)
    got = {(e.name, e.kind, e.canonical) for e in found}
    assert ("甘靖中", "person", None) in got
    assert ("昌平区", "place", "昌平区") in got
    assert ("海淀", "place", "海淀区") in got


def test_longer_span_wins_and_catalogue_wins_ties():
    gaz = Gazetteer([CatalogueName("中关村", "park", "中关村国家自主创新示范区")])
    found = find_entities("在中关村发展集团的指导下,中关村持续发展。", gaz)
    assert [(e.name, e.kind) for e in found] == [("中关村发展集团", "org"), ("中关村", "park")]
