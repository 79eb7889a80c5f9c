"""Building the index in bulk (issue 15): the rebuild path leaves the same searchable index,
the triggers and FTS5 settings as it found them, and incremental syncs keep working."""

from __future__ import annotations

import pytest
from django.db import connection

from parklink.search import services
from parklink.search.models import DocType, SearchDocument
from parklink.search.selectors import search
from parklink.search.services import (
    Doc,
    search_document_sync,
    search_documents_replace,
    search_reindex,
    tokens_for,
)
from parklink.zh import normalise
from tests.factories.news import ArticleFactory
from tests.factories.parks import ParkFactory

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(
    "connection.vendor != 'sqlite'", reason="FTS5 triggers and settings are SQLite's"
)


def _triggers() -> list[tuple[str, str]]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s"
            " ORDER BY name",
            [SearchDocument._meta.db_table],
        )
        return cur.fetchall()


def _automerge(table: str) -> int | None:
    with connection.cursor() as cur:
        cur.execute(f"SELECT v FROM {table}_config WHERE k = 'automerge'")
        row = cur.fetchone()
    return row[0] if row else None


@sqlite_only
def test_reindex_restores_triggers_and_automerge():
    before = _triggers()
    assert len(before) == 3
    ParkFactory(name="中关村生命科学园")
    search_reindex()
    assert _triggers() == before
    for table in services._FTS_TABLES:
        assert _automerge(table) == services._DEFAULT_AUTOMERGE


@sqlite_only
def test_rebuilt_index_passes_fts5_integrity_check():
    ParkFactory(name="中关村生命科学园", aliases=["生命园"])
    ArticleFactory(title="园区新闻", body="中关村生命科学园新增企业十余家,带动医药产业集群发展。")
    search_reindex()
    with connection.cursor() as cur:
        for table in services._FTS_TABLES:
            # rank 1: the index is also compared with the content table; raises when corrupt.
            cur.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")


def test_replace_drops_old_documents_and_indexes_new_ones():
    ParkFactory(name="未来科学城")
    search_reindex()
    assert search("未来科学城")
    docs = [
        Doc(DocType.ARTICLE, 7, "新闻标题", "/news/7/", "集成电路产业集群发展迅速", True),
        Doc(DocType.PARK, 8, "中关村集成电路设计园", "/parks/8/", "海淀区", True, ("芯园",)),
    ]
    assert search_documents_replace(docs) == 2
    assert SearchDocument.objects.count() == 2
    assert search("未来科学城") == []
    assert [(r.type, r.id) for r in search("集群发展")] == [("article", 7)]
    assert search("芯园")[0].id == 8
    assert search("产业")  # a two-character word: the term index


def test_documents_written_after_a_bulk_rebuild_are_searchable():
    """The triggers are back: a record synced one by one after `reindex` is found, and an
    updated one no longer under its old text."""
    park = ParkFactory(name="中关村生命科学园")
    search_reindex()
    late = ArticleFactory(title="后来的文章", body="量子计算联合实验室揭牌成立。")
    search_document_sync(type=DocType.ARTICLE, object_id=late.pk)
    assert ("article", late.pk) in [(r.type, r.id) for r in search("量子计算联合实验室")]
    park.name = "中关村量子信息园"
    park.save()
    search_document_sync(type=DocType.PARK, object_id=park.pk)
    assert ("park", park.pk) in [(r.type, r.id) for r in search("量子信息园")]
    assert ("park", park.pk) not in [(r.type, r.id) for r in search("生命科学园")]


def test_sub_words_follow_new_user_words():
    """Sub-words are cached per token; a new user word clears the cache, so a token cut
    before the word was added gains it as a sub-word, as in a fresh process."""
    word = "华人民共"  # inside 中华人民共和国; not a dictionary word until added
    before = tokens_for("中华人民共和国").split()
    assert "中华人民共和国" in before and word not in before
    services._words_added([word])
    after = tokens_for("中华人民共和国").split()
    assert "中华人民共和国" in after and word in after


def test_fold_width_matches_the_table():
    everything = "".join(chr(c) for c in range(0x20, 0x10000) if not 0xD800 <= c < 0xE000)
    assert normalise.fold_width(everything) == everything.translate(normalise._WIDTH_TABLE)
    assert normalise.fold_width("ＡＢＣ１２３　园区，。") == "ABC123 园区，。"
