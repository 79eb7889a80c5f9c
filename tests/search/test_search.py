"""Full-text search: the same behaviour on SQLite FTS5 and PostgreSQL tsvector."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from parklink.parks.choices import SpaceStatus
from parklink.search.models import SearchDocument
from parklink.search.selectors import query_terms, search
from parklink.search.services import search_document_sync, search_reindex
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import IndustryFactory, ParkFactory, SpaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    life = ParkFactory(name="中关村生命科学园", aliases=["生命园"], district="昌平区")
    life.industries.add(IndustryFactory(name="生物医药"))
    chip = ParkFactory(name="中关村集成电路设计园", district="海淀区")
    chip.industries.add(IndustryFactory(name="集成电路设计"))
    OrganizationFactory(name="北京生命科学研究所", industry="科研", park=life)
    SpaceFactory(park=life, title="生命园GMP厂房", description="可办环评,双回路")
    SpaceFactory(park=chip, title="芯片研发楼整层", status=SpaceStatus.LEASED)
    search_reindex()
    return {"life": life, "chip": chip}


def titles(results):
    return [r.title for r in results]


def test_search_finds_park_by_full_name(catalogue):
    assert titles(search("中关村生命科学园"))[0] == "中关村生命科学园"


def test_search_finds_park_by_alias_and_industry(catalogue):
    assert "中关村生命科学园" in titles(search("生命园"))
    assert titles(search("生物医药", types=["park"])) == ["中关村生命科学园"]


def test_sub_word_inside_a_catalogue_name_is_found(catalogue):
    # 生命科学 sits inside the user word 中关村生命科学园 (tech-notes pitfall).
    found = titles(search("生命科学"))
    assert "中关村生命科学园" in found and "北京生命科学研究所" in found


def test_traditional_query_finds_simplified_text(catalogue):
    assert "中关村生命科学园" in titles(search("生命科學園"))


def test_all_words_must_match_before_any_word_may(catalogue):
    both = titles(search("集成电路 海淀"))
    assert both == ["中关村集成电路设计园"]
    # No document has both words: fall back to either.
    either = set(titles(search("集成电路 生物医药")))
    assert {"中关村集成电路设计园", "中关村生命科学园"} <= either


def test_leased_space_is_not_public(catalogue):
    assert titles(search("芯片研发楼")) == []
    assert titles(search("生命园GMP厂房", types=["space"])) == ["生命园GMP厂房"]


@pytest.mark.parametrize("query", ["", "   ", "!!!", "，。"])
def test_empty_or_punctuation_query_gives_nothing(catalogue, query):
    assert search(query) == []
    assert query_terms(query) == []


def test_snippet_shows_the_matching_text(catalogue):
    hit = search("双回路", types=["space"])[0]
    assert "双回路" in hit.snippet


def test_sync_adds_updates_and_deletes_one_document(catalogue):
    park = ParkFactory(name="怀柔科学城", district="怀柔区")
    search_document_sync(type="park", object_id=park.pk)
    assert titles(search("怀柔科学城")) == ["怀柔科学城"]
    pk = park.pk
    park.delete()
    search_document_sync(type="park", object_id=pk)
    assert "怀柔科学城" not in titles(search("怀柔科学城"))


def test_saving_a_park_enqueues_its_reindex(catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ParkFactory(name="中关村软件园", district="海淀区")
    assert titles(search("中关村软件园")) == ["中关村软件园"]


def test_saves_in_one_transaction_make_one_sync_job(
    catalogue, django_capture_on_commit_callbacks, monkeypatch
):
    from django.db import transaction

    from parklink.search import tasks

    class Counting:
        def __init__(self, task):
            self.task, self.calls = task, []

        def enqueue(self, *args):
            self.calls.append(args)
            return self.task.enqueue(*args)

    batch, single = (
        Counting(tasks.search_documents_sync_task),
        Counting(tasks.search_document_sync_task),
    )
    monkeypatch.setattr(tasks, "search_documents_sync_task", batch)
    monkeypatch.setattr(tasks, "search_document_sync_task", single)
    with django_capture_on_commit_callbacks(execute=True):
        parks = [ParkFactory(name="中关村软件园", district="海淀区")]
        parks.append(ParkFactory(name="北京经济技术开发区", district="大兴区"))
        try:
            with transaction.atomic():
                ParkFactory(name="回滚测试园区", district="通州区")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        parks.append(ParkFactory(name="未来科学城", district="昌平区"))
    park_jobs = [c for c in [*single.calls, *batch.calls] if c[0] == "park"]
    assert len(park_jobs) == 1  # one job for the transaction, not one per save
    assert {p.pk for p in parks} <= set(park_jobs[0][1])
    for park in parks:
        assert titles(search(park.name))[0] == park.name
    assert not search("回滚测试园区")


def test_reindex_is_complete_and_repeatable(catalogue):
    first = SearchDocument.objects.count()
    assert search_reindex() == first == 2 + 1 + 2


def test_api_search(client, catalogue):
    resp = client.get("/api/v1/search", {"q": "生命园"})
    assert resp.status_code == 200
    body = resp.json()
    assert {r["title"] for r in body["results"]} == {"中关村生命科学园", "生命园GMP厂房"}
    assert set(body["results"][0]) == {"type", "id", "title", "url", "snippet", "score"}


def test_api_search_rejects_missing_query(client, catalogue):
    resp = client.get("/api/v1/search")
    assert resp.status_code == 422
    assert "invalid input" in resp.json()["error"]


def test_command_json_contract(catalogue):
    out = io.StringIO()
    call_command("search", "中关村生命科学园", "--json", stdout=out)
    payload = json.loads(out.getvalue())
    assert payload["results"][0]["title"] == "中关村生命科学园"
    assert set(payload["results"][0]) == {"type", "id", "title", "snippet", "score"}


def test_portal_search_page(client, catalogue):
    resp = client.get("/search/", {"q": "生命园"})
    assert resp.status_code == 200
    assert "中关村生命科学园" in resp.content.decode()
    empty = client.get("/search/", {"q": "火星基地"})
    assert "没有找到相关结果" in empty.content.decode()


def test_query_word_longer_than_indexed_sub_words_still_matches(catalogue):
    from parklink.zh import segment

    segment.add_words(["生命科学园"])  # as the news gazetteer does for aliases
    assert "中关村生命科学园" in titles(search("生命科学园"))
