"""One search document per searchable record (article, park, organisation, space).

The text is segmented with jieba before it is stored (`tokens`, space-separated): SQLite's
FTS5 and PostgreSQL's `simple` text-search configuration then index Chinese words as they
index English ones (tech-notes: FTS5's own tokenizers find nothing in Chinese).
The full-text index itself is created by migration 0002 per database vendor.
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
    text = models.TextField()  # simplified text, for snippets
    tokens = models.TextField()  # jieba tokens, space-separated
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
