"""One search document per searchable record (article, park, organisation, space).

A document has three fields, weighted in that order when ranking: `names` (the record's
name, aliases and English name, one per line), `title` and the body `text`. Each is stored
twice:

- segmented with jieba (`names_tokens`, `title_tokens`, `tokens`, space-separated) for the
  term index: SQLite FTS5 and PostgreSQL's `simple` configuration then index Chinese words
  as they index English ones (tech-notes: FTS5's own tokenizers find nothing in Chinese);
- as simplified text for the trigram (phrase and substring) index: FTS5 `tokenize=trigram`
  on SQLite, pg_trgm GIN indexes on PostgreSQL.

The indexes themselves are created by migration 0003 per database vendor
(docs/search.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocType(models.TextChoices):
    ARTICLE = "article", _("资讯")
    PARK = "park", _("园区")
    ORG = "org", _("机构")
    SPACE = "space", _("房源")


class SearchDocument(models.Model):
    """The searchable text of one record, with what a result shows."""

    type = models.CharField(max_length=8, choices=DocType.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    names = models.TextField(blank=True, default="")  # name, aliases, English name; one a line
    text = models.TextField()  # simplified body text: trigram index and snippets
    names_tokens = models.TextField(blank=True, default="")  # jieba tokens of `names`
    title_tokens = models.TextField(blank=True, default="")  # jieba tokens of `title`
    tokens = models.TextField()  # jieba tokens of `text`, space-separated
    public = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("搜索文档")
        verbose_name_plural = _("搜索文档")
        constraints = [
            models.UniqueConstraint(fields=["type", "object_id"], name="searchdoc_unique")
        ]

    def __str__(self) -> str:
        return f"{self.type}#{self.object_id} {self.title}"
