"""Search relevance (issue 11) and the hybrid term + trigram index (issue 15), on the real
FTS5 / PostgreSQL indexes."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from parklink.orgs.models import Organization
from parklink.parks.models import Park
from parklink.search.models import SearchDocument
from parklink.search.selectors import query_phrases, search, search_page
from parklink.search.services import apply_document_changes, search_reindex
from tests.factories.news import ArticleFactory
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import ParkFactory, SpaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    life = ParkFactory(
        name="中关村生命科学园",
        aliases=["生命园"],
        english_name="Zhongguancun Life Science Park",
        district="昌平区",
    )
    other = ParkFactory(name="未来科学城", district="昌平区", description="毗邻中关村生命科学园")
    org = OrganizationFactory(name="北京生命科学研究所", park=life)
    body_only = ArticleFactory(
        title="昌平区产业发展综述",
        body="今年以来,中关村生命科学园新增企业十余家,带动区域医药产业集群发展。",
    )
    titled = ArticleFactory(
        title="中关村生命科学园二十载裂变",
        body="从生命细胞到创新网络,园区走过二十年。",
    )
    for i in range(8):
        SpaceFactory(park=life, title=f"中关村生命科学园 {1000 + i}㎡厂房出租")
    search_reindex()
    return {"life": life, "other": other, "org": org, "body": body_only, "titled": titled}


def keys(results):
    return [(r.type, r.id) for r in results]


def test_park_ranks_first_for_a_part_of_its_name(corpus):
    assert keys(search("生命科学园"))[0] == ("park", corpus["life"].pk)


def test_name_above_title_above_body(corpus):
    found = keys(search("中关村生命科学园", limit=50))
    park = found.index(("park", corpus["life"].pk))
    titled = found.index(("article", corpus["titled"].pk))
    body = found.index(("article", corpus["body"].pk))
    other = found.index(("park", corpus["other"].pk))  # the name only in its description
    assert park < titled < body
    assert titled < other


def test_exact_alias_comes_first(corpus):
    assert keys(search("生命园"))[0] == ("park", corpus["life"].pk)
    assert keys(search("北京生命科学研究所"))[0] == ("org", corpus["org"].pk)


def test_all_types_are_interleaved_under_all(corpus):
    first_page = keys(search("中关村生命科学园", limit=10))
    # Eight spaces carry the name in their titles; the article titled with it is still on
    # the first page, between them.
    assert ("article", corpus["titled"].pk) in first_page
    types = [t for t, _ in first_page]
    assert {"park", "space", "article"} <= set(types)


def test_english_name_finds_the_park(corpus):
    assert keys(search("Life Science Park"))[0] == ("park", corpus["life"].pk)
    assert keys(search("life science park"))[0] == ("park", corpus["life"].pk)


def test_every_result_is_a_link(corpus):
    results = search("生命科学", limit=50)
    assert results and all(r.url.startswith("/") for r in results)
    org = next(r for r in results if r.type == "org")
    assert org.url == corpus["org"].get_absolute_url()


def test_pages_have_no_fifty_cap_and_do_not_overlap(corpus):
    for i in range(60):
        ArticleFactory(title=f"园区动态第{i}期", body=f"细胞治疗产业第{i}期动态。")
    search_reindex()
    seen: list[tuple[str, int]] = []
    page = 1
    while True:
        result = search_page("细胞治疗", page=page, per_page=20)
        seen += keys(result.results)
        if not result.has_next:
            break
        page += 1
    assert page == 3
    assert len(seen) == len(set(seen)) == 60


@pytest.mark.parametrize("query", ["1", "园", "a", " 9 "])
def test_one_character_query_matches_nothing_and_says_why(corpus, query):
    result = search_page(query)
    assert result.results == []
    assert result.message


def test_two_digit_query_is_a_normal_query(corpus):
    ArticleFactory(title="园区新增12家企业", body="本月新增12家。")
    search_reindex()
    assert search_page("12").message == ""
    assert len(search("12")) == 1


def test_phrase_across_word_boundaries_is_found_by_trigram(corpus):
    # A substring that cuts words in half: no jieba token equals it.
    hit = search("产业集群发")
    assert keys(hit)[0] == ("article", corpus["body"].pk)
    assert "产业集群发" in hit[0].snippet


def test_two_character_word_uses_the_term_index(corpus):
    assert query_phrases("医药") == []
    assert ("article", corpus["body"].pk) in keys(search("医药"))


def test_query_phrases():
    assert query_phrases("生命科学园") == ["生命科学园"]
    assert query_phrases("Life  Science Park") == ["life science park"]
    assert query_phrases("集成电路 海淀") == []  # 海淀 is too short for trigrams
    assert query_phrases("集成电路 海淀区") == ["集成电路", "海淀区"]


def test_apply_document_changes_follows_writes_without_signals(corpus):
    park = Park.objects.bulk_create([Park(name="怀柔科学城东区", district="怀柔区")])[0]
    assert ("park", park.pk) not in keys(search("怀柔科学城东区"))
    assert apply_document_changes("park", [park.pk]) == 1
    assert keys(search("怀柔科学城东区")) == [("park", park.pk)]
    Park.objects.filter(pk=park.pk).update(name="怀柔综合性国家科学中心")
    apply_document_changes("park", [park.pk])
    assert (
        SearchDocument.objects.get(type="park", object_id=park.pk).title == "怀柔综合性国家科学中心"
    )
    assert keys(search("综合性国家科学中心"))[0] == ("park", park.pk)
    Organization.objects.filter(pk=corpus["org"].pk).delete()
    apply_document_changes("org", [corpus["org"].pk, 999_999])
    assert not SearchDocument.objects.filter(type="org", object_id=corpus["org"].pk).exists()


def test_apply_document_changes_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="unknown document kind"):
        apply_document_changes("lead", [1])


def test_portal_pages_and_links(client, corpus):
    for i in range(30):
        ArticleFactory(title=f"生命园快讯{i}", body="生命园简讯。")
    search_reindex()
    first = client.get("/search/", {"q": "生命园"}).content.decode()
    assert 'rel="next"' in first and "?q=%E7%94%9F%E5%91%BD%E5%9B%AD&amp;page=2" in first
    assert f'href="{corpus["life"].get_absolute_url()}"' in first
    second = client.get("/search/", {"q": "生命园", "page": "2"}).content.decode()
    assert 'rel="prev"' in second and 'start="21"' in second
    bad = client.get("/search/", {"q": "生命园", "page": "abc"})
    assert bad.status_code == 200


def test_portal_explains_a_one_character_query(client, corpus):
    html = client.get("/search/", {"q": "1"}).content.decode()
    assert "请输入至少两个字或字母再搜索" in html
    assert "search-results" not in html


def test_api_pages_and_explains(client, corpus):
    body = client.get("/api/v1/search", {"q": "生命科学园", "limit": 2}).json()
    assert body["page"] == 1 and body["has_next"] is True and len(body["results"]) == 2
    second = client.get("/api/v1/search", {"q": "生命科学园", "limit": 2, "page": 2}).json()
    pairs = [{(r["type"], r["id"]) for r in page["results"]} for page in (body, second)]
    assert len(pairs[1]) == 2 and not pairs[0] & pairs[1]
    short = client.get("/api/v1/search", {"q": "1"}).json()
    assert short["results"] == [] and "at least two" in short["message"]


def test_command_refuses_one_character_and_pages(corpus):
    with pytest.raises(CommandError, match="at least two"):
        call_command("search", "1")
    out = io.StringIO()
    call_command("search", "生命科学园", "--json", "--limit", "3", "--page", "2", stdout=out)
    assert len(json.loads(out.getvalue())["results"]) == 3


def test_space_search_does_not_show_a_sort_error_to_visitors(client, corpus):
    html = client.get("/spaces/", {"sort": "bogus"}).content.decode()
    assert "sort must be" not in html and "排序应为" not in html
