from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleStatus(models.TextChoices):
    PUBLISHED = "published", _("已发布")
    DRAFT = "draft", _("待审")
    HIDDEN = "hidden", _("已隐藏")
    TAKEN_DOWN = "taken_down", _("已下线(版权)")


class EntityKind(models.TextChoices):
    PARK = "park", _("园区")
    ORG = "org", _("机构")
    PLACE = "place", _("地点")
    PERSON = "person", _("人物")


class ReviewStatus(models.TextChoices):
    """A mention or fact found by ingestion, as the review queue sees it."""

    LINKED = "linked", _("已关联")  # matched a catalogue record automatically
    PROPOSED = "proposed", _("待审核")  # new entity or fact awaiting an operator
    ACCEPTED = "accepted", _("已采纳")
    MERGED = "merged", _("已合并")
    REJECTED = "rejected", _("已驳回")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("进行中")
    DONE = "done", _("完成")
    FAILED = "failed", _("失败")
