"""The hybrid index: weighted fields in the term index plus trigram indexes for phrases.

SQLite (FTS5, external content over search_searchdocument, kept in sync by triggers):
- `search_fts`: jieba tokens of names, title and body (unicode61 splits on the spaces);
  detail=column, enough for bm25 with column weights and column filters.
- `search_tri_head`: trigram index of names and title (short; detail=full for bm25 and
  phrase queries).
- `search_tri`: trigram index of the body, detail=none: every trigram of the phrase must be
  in the document, the phrase itself is then checked on the stored text (`instr`). About
  half the size and build time of a detail=full trigram index (docs/benchmarks.md).

PostgreSQL: a generated tsvector (names weight A, title B, body D, 'simple' config over the
same tokens) with GIN, and pg_trgm GIN indexes on names, title and body for ILIKE phrases.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        names_tokens, title_tokens, tokens,
        content='search_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0', detail=column)""",
    """CREATE VIRTUAL TABLE search_tri_head USING fts5(
        names, title, content='search_searchdocument', content_rowid='id',
        tokenize='trigram')""",
    """CREATE VIRTUAL TABLE search_tri USING fts5(
        text, content='search_searchdocument', content_rowid='id',
        tokenize='trigram', detail=none)""",
    """CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, names_tokens, title_tokens, tokens)
            VALUES (new.id, new.names_tokens, new.title_tokens, new.tokens);
        INSERT INTO search_tri_head(rowid, names, title) VALUES (new.id, new.names, new.title);
        INSERT INTO search_tri(rowid, text) VALUES (new.id, new.text);
        END""",
    """CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, names_tokens, title_tokens, tokens)
            VALUES ('delete', old.id, old.names_tokens, old.title_tokens, old.tokens);
        INSERT INTO search_tri_head(search_tri_head, rowid, names, title)
            VALUES ('delete', old.id, old.names, old.title);
        INSERT INTO search_tri(search_tri, rowid, text) VALUES ('delete', old.id, old.text);
        END""",
    """CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, names_tokens, title_tokens, tokens)
            VALUES ('delete', old.id, old.names_tokens, old.title_tokens, old.tokens);
        INSERT INTO search_tri_head(search_tri_head, rowid, names, title)
            VALUES ('delete', old.id, old.names, old.title);
        INSERT INTO search_tri(search_tri, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO search_fts(rowid, names_tokens, title_tokens, tokens)
            VALUES (new.id, new.names_tokens, new.title_tokens, new.tokens);
        INSERT INTO search_tri_head(rowid, names, title) VALUES (new.id, new.names, new.title);
        INSERT INTO search_tri(rowid, text) VALUES (new.id, new.text);
        END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    "INSERT INTO search_tri_head(search_tri_head) VALUES ('rebuild')",
    "INSERT INTO search_tri(search_tri) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_tri",
    "DROP TABLE IF EXISTS search_tri_head",
    "DROP TABLE IF EXISTS search_fts",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        tokens, content='search_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END""",
    """CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens);
        END""",
    """CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens);
        INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "DROP INDEX IF EXISTS search_searchdocument_tsv",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tsv",
    """ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', names_tokens), 'A')
        || setweight(to_tsvector('simple', title_tokens), 'B')
        || setweight(to_tsvector('simple', tokens), 'D')) STORED""",
    "CREATE INDEX search_searchdocument_tsv ON search_searchdocument USING GIN (tsv)",
    """CREATE INDEX search_doc_names_trgm ON search_searchdocument
        USING GIN (names gin_trgm_ops)""",
    """CREATE INDEX search_doc_title_trgm ON search_searchdocument
        USING GIN (title gin_trgm_ops)""",
    """CREATE INDEX search_doc_text_trgm ON search_searchdocument
        USING GIN (text gin_trgm_ops)""",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS search_doc_text_trgm",
    "DROP INDEX IF EXISTS search_doc_title_trgm",
    "DROP INDEX IF EXISTS search_doc_names_trgm",
    "DROP INDEX IF EXISTS search_searchdocument_tsv",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tsv",
    """ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector
        GENERATED ALWAYS AS (to_tsvector('simple', tokens)) STORED""",
    "CREATE INDEX search_searchdocument_tsv ON search_searchdocument USING GIN (tsv)",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_document_fields")]
    operations = [migrations.RunPython(forward, backward)]
