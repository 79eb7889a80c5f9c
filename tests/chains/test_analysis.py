"""The chain engine on hand-made inputs: placement rules, statuses, targets, co-mentions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from parklink.chains.analysis import (
    DEFAULT_CONFIG,
    FILL,
    GAP,
    STRENGTHEN,
    STRONG,
    WEAK,
    ChainConfig,
    OrgInfo,
    ParkInfo,
    chain_analyse,
    comention_network,
    place,
    relevant,
    segment_status,
    sentence_around,
    template_choose,
)
from parklink.chains.definitions import Segment, Template, builtin_templates, template_find

TEMPLATES = builtin_templates()
BIO = template_find("生物医药", TEMPLATES)
IC = template_find("集成电路", TEMPLATES)
HOME = ParkInfo(id=1, name="生命园", district="昌平区", industries=("生物医药",))


def org(i: int, name: str, **kw) -> OrgInfo:
    return OrgInfo(id=i, name=name, **kw)


def segments_of(o: OrgInfo, template: Template = BIO) -> set[str]:
    return {p.segment for p in place(o, template)}


@pytest.mark.parametrize(
    ("name", "kind", "segment"),
    [
        ("北京协和医院", "hospital", "临床/医疗服务"),
        ("华北制药集团", "enterprise", "生产制造"),
        ("扬子江海燕药业", "enterprise", "生产制造"),
        ("某某医疗器械股份有限公司", "enterprise", "医疗器械"),
        ("北京市药品检验所", "institute", "检验检测/注册审评"),
        ("九州通医药集团", "enterprise", "流通/销售"),
        ("启明创投", "investor", "投融资/孵化"),
    ],
)
def test_name_shape_places_on_its_segment(name, kind, segment):
    assert segment in segments_of(org(1, name, kind=kind))


def test_generic_research_name_places_only_when_relevant_to_the_chain():
    bio_institute = org(1, "北京生命科学研究所", kind="institute")
    rocket_institute = org(2, "中国运载火箭技术研究院", kind="institute")
    assert "基础研究/科研" in segments_of(bio_institute)
    assert relevant(bio_institute, BIO)
    assert not relevant(rocket_institute, BIO)
    assert segments_of(rocket_institute) == set()
    # An institute with a neutral name counts when its park leads in the chain's industries.
    in_bio_park = org(3, "北京离子中心甲", kind="institute", park_industries=("生物医药",))
    assert relevant(in_bio_park, BIO)


def test_kind_alone_is_not_enough():
    assert segments_of(org(1, "某中心", kind="hospital", park_industries=("生物医药",))) == set()


def test_exemplar_places_a_name_without_shape():
    assert segments_of(org(1, "迈瑞")) == {"医疗器械"}


def test_industry_and_description_keywords_place():
    assert "医疗器械" in segments_of(org(1, "甲公司", industry="体外诊断"))
    described = org(1, "乙公司", industry="生物医药", description="专注新药研发与CRO服务")
    assert "药物研发/CRO" in segments_of(described)


def test_news_sentences_add_weight_but_are_capped():
    one = org(1, "丙科技", industry="生物医药", sentences=("丙科技开展临床试验。",))
    assert segments_of(one) == set()  # 0.25 < threshold
    two = replace(one, sentences=("丙科技开展临床试验。", "丙科技的临床研究进展顺利。"))
    (p,) = place(two, BIO)
    assert p.segment == "临床/医疗服务"
    assert p.score == pytest.approx(DEFAULT_CONFIG.news_cap)
    many = replace(one, sentences=tuple(f"丙科技第{i}期临床试验。" for i in range(10)))
    assert place(many, BIO)[0].score == pytest.approx(DEFAULT_CONFIG.news_cap)


def test_explicit_segments_win_over_other_evidence():
    o = org(1, "北京协和医院", kind="hospital", segments=("CRO",))
    assert segments_of(o) == {"药物研发/CRO"}
    # Segments of another chain do not count: the other rules apply.
    other = replace(o, segments=("芯片设计",))
    assert segments_of(other) == {"临床/医疗服务"}


def test_placement_threshold_comes_from_the_config():
    o = org(1, "某医疗器械公司")
    strict = ChainConfig(place_threshold=0.95)
    assert place(o, BIO) and not place(o, BIO, strict)


@pytest.mark.parametrize(
    ("count", "status"), [(0, GAP), (1, WEAK), (2, WEAK), (3, STRONG), (10, STRONG)]
)
def test_status_thresholds(count, status):
    seg = BIO.segments[0]
    assert segment_status(count, seg) == status


def test_status_thresholds_follow_config_and_segment_override():
    seg = Segment(name="甲", stage="上游")
    assert segment_status(2, seg, ChainConfig(strong_min=2)) == STRONG
    assert segment_status(2, replace(seg, strong_min=5), ChainConfig(strong_min=2)) == WEAK


def _world() -> list[OrgInfo]:
    home = {"park_id": 1, "park_name": "生命园", "district": "昌平区"}
    return [
        org(1, "北京生命科学研究所", kind="institute", **home),
        org(2, "北京蛋白质研究中心", kind="institute", **home),
        org(3, "北京脑科学研究中心", kind="institute", **home),
        org(4, "迈瑞", **home),
        org(10, "北京协和医院", kind="hospital", park_id=2, park_name="东城园", district="东城区"),
        org(11, "北京天坛医院", kind="hospital", park_id=3, park_name="丰台园", district="丰台区"),
        org(12, "昌平区医院", kind="hospital"),
        org(13, "乐普(北京)医疗器械股份有限公司", park_id=4, park_name="未来科学城"),
        org(14, "北京大学医学部研究所", kind="institute", park_id=2, park_name="东城园"),
    ]


def test_statuses_and_targets_on_a_small_world():
    result = chain_analyse(park=HOME, template=BIO, orgs=_world())
    by_name = {s.name: s for s in result.segments}
    assert by_name["基础研究/科研"].status == STRONG
    assert by_name["医疗器械"].status == WEAK
    assert by_name["临床/医疗服务"].status == GAP
    assert [p.org.name for p in by_name["医疗器械"].placements] == ["迈瑞"]

    own = {o.name for o in _world() if o.park_id == 1}
    names = [t.org.name for t in result.targets]
    assert not own & set(names)  # never the park's own organisations
    # No target on a strong segment.
    assert "北京大学医学部研究所" not in names
    clinical = [t for t in result.targets if t.segment == "临床/医疗服务"]
    assert {t.org.name for t in clinical} == {"北京协和医院", "北京天坛医院", "昌平区医院"}
    assert all(t.action == FILL for t in clinical)
    devices = [t for t in result.targets if t.segment == "医疗器械"]
    assert [t.org.name for t in devices] == ["乐普(北京)医疗器械股份有限公司"]
    assert devices[0].action == STRENGTHEN and devices[0].local == ("迈瑞",)
    # Ranked best first; a gap outranks a weak segment at equal evidence.
    scores = [t.score for t in result.targets]
    assert scores == sorted(scores, reverse=True)
    assert names.index("北京协和医院") < names.index("乐普(北京)医疗器械股份有限公司")


def test_reasons_name_the_action_segment_place_and_evidence():
    result = chain_analyse(park=HOME, template=BIO, orgs=_world())
    reasons = {t.org.name: t.reason for t in result.targets}
    assert reasons["北京协和医院"].startswith("补链:临床/医疗服务环节空白,北京协和医院位于东城园")
    assert "依据:该环节代表机构“协和”" in reasons["北京协和医院"]
    assert "依据:名称含“医院”" in reasons["北京天坛医院"]
    assert reasons["昌平区医院"].startswith("补链:") and "尚未落户园区" in reasons["昌平区医院"]
    assert reasons["乐普(北京)医疗器械股份有限公司"].startswith("强链:医疗器械环节仅1家(迈瑞)")


def test_same_district_ranks_first_among_equals():
    result = chain_analyse(park=HOME, template=BIO, orgs=_world())
    clinical = [t.org.name for t in result.targets if t.segment == "临床/医疗服务"]
    world = [replace(o, district="昌平区") if o.id == 11 else o for o in _world()]
    moved = chain_analyse(park=HOME, template=BIO, orgs=world)
    clinical_moved = [t.org.name for t in moved.targets if t.segment == "临床/医疗服务"]
    assert clinical_moved[0] == "北京天坛医院" and clinical[0] != "北京天坛医院"


def test_target_caps_come_from_the_config():
    config = ChainConfig(max_targets_per_segment=1, max_targets=2)
    result = chain_analyse(park=HOME, template=BIO, orgs=_world(), config=config)
    segments = [t.segment for t in result.targets]
    assert len(segments) == 2 and len(set(segments)) == 2


def test_comention_network_counts_shared_articles():
    pairs = comention_network({100: [1, 2, 3], 101: [2, 1], 102: [3]})
    assert pairs == {(1, 2): 2, (1, 3): 1, (2, 3): 1}


def test_comentions_raise_a_target_and_show_in_the_reason():
    plain = chain_analyse(park=HOME, template=BIO, orgs=_world())
    linked = chain_analyse(
        park=HOME, template=BIO, orgs=_world(), article_orgs={500: [4, 11]}, park_articles=[]
    )
    before = {t.org.name: t for t in plain.targets}["北京天坛医院"]
    after = {t.org.name: t for t in linked.targets}["北京天坛医院"]
    assert after.score > before.score and after.shared_articles == 1
    assert "与园区内迈瑞同见于1篇资讯" in after.reason
    assert [(e.a.name, e.b.name, e.articles) for e in linked.network] == [
        ("迈瑞", "北京天坛医院", 1)
    ]
    # An article naming the park itself counts too.
    by_park = chain_analyse(
        park=HOME, template=BIO, orgs=_world(), article_orgs={501: [10]}, park_articles=[501]
    )
    target = {t.org.name: t for t in by_park.targets}["北京协和医院"]
    assert "与本园区同见于1篇资讯" in target.reason


def test_network_leaves_out_pairs_without_the_park():
    result = chain_analyse(park=HOME, template=BIO, orgs=_world(), article_orgs={1: [10, 11]})
    assert result.network == ()


def test_unplaced_lists_own_organisations_off_the_chain():
    world = [*_world(), org(20, "泰康人寿", park_id=1)]
    result = chain_analyse(park=HOME, template=BIO, orgs=world)
    assert [o.name for o in result.unplaced] == ["泰康人寿"]


def test_template_choice_follows_park_industries_then_placed_orgs():
    assert template_choose(HOME, TEMPLATES).name == "生物医药"
    chips = ParkInfo(id=9, name="芯园", industries=("集成电路设计", "芯片设计", "云计算"))
    assert template_choose(chips, TEMPLATES).name == "集成电路"
    bare = ParkInfo(id=9, name="无产业园")
    own = [org(1, "长安汽车", park_id=9), org(2, "京西重工", park_id=9)]
    assert template_choose(bare, TEMPLATES, own).name == "新能源汽车"


def test_as_dict_has_the_design_keys():
    data = chain_analyse(park=HOME, template=BIO, orgs=_world()).as_dict()
    assert set(data) == {"park", "template", "segments", "targets"}
    assert {k for s in data["segments"] for k in s} == {"name", "stage", "orgs", "status"}
    assert {k for t in data["targets"] for k in t} == {"segment", "org", "reason"}
    assert [s["name"] for s in data["segments"]] == [s.name for s in BIO.segments]


def test_sentence_around_cuts_at_sentence_ends():
    text = "第一句。园区引入北京生命科学研究所等机构;第三句!"
    start = text.index("北京生命科学研究所")
    assert sentence_around(text, start, start + 9) == "园区引入北京生命科学研究所等机构"
    assert sentence_around("无标点", 0, 1) == "无标点"


def test_ic_template_does_not_take_biomedical_institutes():
    assert segments_of(org(1, "北京生命科学研究所", kind="institute"), IC) == set()
