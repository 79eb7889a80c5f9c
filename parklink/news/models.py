"""Industry news: articles ingested from pages, what they mention and the facts they state.

Provenance is never dropped: every mention and fact keeps its article, sentence and offsets.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parklink.news.choices import ArticleStatus, EntityKind, ReviewStatus, RunStatus


class Source(models.Model):
    """A site (or file drop) articles come from, with its crawl manners and copyright line."""

    name = models.CharField(_("来源名称"), max_length=100)
    domain = models.CharField(_("域名"), max_length=200, unique=True)
    base_url = models.URLField(_("网址"), blank=True)
    copyright_line = models.CharField(_("版权声明"), max_length=300, blank=True)
    respect_robots = models.BooleanField(_("遵守 robots.txt"), default=True)
    min_interval_s = models.FloatField(_("最小抓取间隔(秒)"), default=1.0)
    created_at = models.DateTimeField(auto_now_add=True)
    # Feed polling (`parklink worker`): an RSS/Atom feed or a list page of article links.
    feed_url = models.URLField(_("订阅源/列表页"), max_length=500, blank=True)
    poll_every_s = models.PositiveIntegerField(_("轮询间隔(秒)"), default=3600)
    last_polled_at = models.DateTimeField(_("上次轮询"), null=True, blank=True)
    active = models.BooleanField(_("启用轮询"), default=True)

    class Meta:
        verbose_name = _("资讯来源")
        verbose_name_plural = _("资讯来源")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or self.domain


class Article(models.Model):
    """A news article: the clean text of one page, published on the portal unless it is a
    duplicate of an article already held (then it points to its canonical)."""

    title = models.CharField(_("标题"), max_length=300)
    author = models.CharField(_("作者"), max_length=100, blank=True)
    published = models.DateField(_("发布日期"), null=True, blank=True, db_index=True)
    category = models.CharField(_("栏目"), max_length=50, blank=True, db_index=True)
    body = models.TextField(_("正文"))  # as extracted, original script kept
    body_simplified = models.TextField(_("正文(简体)"), blank=True)  # for matching and search
    language = models.CharField(_("语言"), max_length=10, default="zh-hans")
    source = models.ForeignKey(
        Source,
        verbose_name=_("来源"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    source_ref = models.CharField(_("来源地址"), max_length=1000)  # path or URL exactly as given
    url = models.URLField(_("原文链接"), max_length=1000, blank=True)
    fetched_at = models.DateTimeField(_("抓取时间"))
    views = models.PositiveIntegerField(_("浏览次数"), default=0)
    content_hash = models.CharField(max_length=64, db_index=True)
    minhash = models.BinaryField(null=True, blank=True, editable=False)
    tokens = models.TextField(blank=True, editable=False)  # jieba-segmented, for search
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("重复于"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    related = models.JSONField(_("原页相关文章"), default=list, blank=True)
    # The copyright notice the source page carried ("版权声明:本文由…发布"), shown with it.
    copyright_line = models.CharField(_("原页版权声明"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=ArticleStatus.choices,
        default=ArticleStatus.PUBLISHED,
        db_index=True,
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The original outlet the page names (来源：新华网), as opposed to the site it was read on.
    outlet = models.CharField(_("原始来源"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("资讯")
        verbose_name_plural = _("资讯")
        ordering = ["-published", "-id"]
        indexes = [
            models.Index(fields=["status", "-published"], name="article_status_pub"),
            # The portal's public articles are status = published AND duplicate_of IS NULL (an
            # equality both databases search on). The hot list reads the first rows of
            # this one in its order; with the category the next one also answers the
            # news list's count and its category counts from the index alone (at 200,000
            # articles each of the three read every row: 80–115 ms on SQLite).
            models.Index(
                fields=["status", "duplicate_of", "-views", "-published", "-id"],
                name="article_live_hot",
            ),
            models.Index(
                fields=["status", "duplicate_of", "category", "-views", "-published", "-id"],
                name="article_live_cat_hot",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:article-detail", args=[self.pk])


class Reviewable(models.Model):
    """What ingestion proposes and an operator decides on (the review queue)."""

    status = models.CharField(
        _("审核状态"),
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PROPOSED,
        db_index=True,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Mention(Reviewable):
    """A park, organisation, place or person named in an article, with offsets into body."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    kind = models.CharField(_("类型"), max_length=8, choices=EntityKind.choices)
    text = models.CharField(_("原文"), max_length=200)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    park = models.ForeignKey(
        "parks.Park", null=True, blank=True, on_delete=models.SET_NULL, related_name="mentions"
    )
    org = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentions",
    )

    class Meta:
        verbose_name = _("实体提及")
        verbose_name_plural = _("实体提及")
        ordering = ["article", "start"]

    def __str__(self) -> str:
        return f"{self.text} ({self.kind})"

    @property
    def canonical(self) -> str | None:
        if self.park_id:
            return self.park.name
        if self.org_id:
            return self.org.name
        return None


class Fact(Reviewable):
    """A quantity an article states about a subject (规划面积 7,190,000 m², 入住率 91% …),
    with the sentence it came from. Accepted facts about parks become ParkFacts."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="facts")
    subject = models.CharField(_("主体"), max_length=200)
    park = models.ForeignKey(
        "parks.Park", null=True, blank=True, on_delete=models.SET_NULL, related_name="news_facts"
    )
    org = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news_facts",
    )
    kind = models.CharField(_("类型"), max_length=32)
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=4, null=True, blank=True)
    value_text = models.CharField(_("原文数值"), max_length=100, blank=True)
    unit = models.CharField(_("单位"), max_length=8)  # m2, m, kg/m2, kva, yuan, %, count, date
    as_of = models.CharField(_("时点"), max_length=10, blank=True)
    text = models.TextField(_("原文句子"))
    start = models.PositiveIntegerField(default=0)
    end = models.PositiveIntegerField(default=0)
    park_fact_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Money only: the currency the value is in (CNY, USD, EUR, HKD …), never converted.
    currency = models.CharField(_("币种"), max_length=3, blank=True)
    # How sure ingestion is (0–1): the review queue is ranked by it.
    confidence = models.FloatField(_("置信度"), default=0.0)

    class Meta:
        verbose_name = _("事实")
        verbose_name_plural = _("事实")
        ordering = ["article", "start"]

    def __str__(self) -> str:
        return f"{self.subject} {self.kind} {self.value} {self.unit}"


class IngestRun(models.Model):
    """One ingest batch: status guard, counts and per-input errors (NetBox DataSource.sync)."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    inputs = models.PositiveIntegerField(default=0)
    ok = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The polled source this run read (None: a command-line or manual ingest).
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status} ok={self.ok} failed={self.failed}"


class TakedownRequest(models.Model):
    """A copyright holder's request to take an article down (侵权删除)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="takedowns")
    name = models.CharField(_("权利人"), max_length=100)
    contact = models.CharField(_("联系方式"), max_length=100)
    reason = models.TextField(_("理由"))
    created_at = models.DateTimeField(auto_now_add=True)
    handled = models.BooleanField(_("已处理"), default=False)

    class Meta:
        verbose_name = _("删除请求")
        verbose_name_plural = _("删除请求")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.article_id} {self.name}"
