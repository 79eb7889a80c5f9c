"""zh.places: the bilingual gazetteer (whole words, never substrings)."""

import pytest

from parklink.zh.places import district_en, find_places, normalise_district, places_for


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("near the airport", ["首都机场", "大兴机场"]),
        ("Capital Airport", ["首都机场"]),
        ("PKX", ["大兴机场"]),
        ("机场附近", ["首都机场", "大兴机场"]),
        ("in Shunyi", ["顺义区"]),
        ("Chaoyang District", ["朝阳区"]),
        ("E-Town", ["亦庄"]),
        ("e town", ["亦庄"]),
        ("Future Science City", ["未来科学城"]),
        ("马驹桥", ["马驹桥"]),
        ("副中心", ["城市副中心"]),
    ],
)
def test_places_found_by_name_in_both_languages(text, names):
    hits = find_places(text)
    assert [p.name for h in hits for p in h.places] == names


@pytest.mark.parametrize("text", ["AI chips", "main road", "daxingfoo", "Shunyiyi", "Chaoyangs"])
def test_words_inside_other_words_are_not_places(text):
    assert find_places(text) == []


def test_districts_in_pinyin_and_english():
    assert normalise_district("Changping") == "昌平区"
    assert normalise_district("haidian district") == "海淀区"
    assert normalise_district("望京") == "朝阳区"
    assert normalise_district("Atlantis") is None
    assert district_en("昌平区") == "Changping District"


def test_every_place_has_a_district_and_a_point_in_beijing():
    for word in ("首都机场", "亦庄", "中关村", "北京南站", "怀柔科学城"):
        (p,) = places_for(word)
        assert p.districts and 39.4 < p.lat < 41.1 and 115.4 < p.lng < 117.5
