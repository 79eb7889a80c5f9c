"""The policy library (政策库) and the review queue of policies read from documents."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parklink.core.hygiene import safe_url
from parklink.news.models import Reviewable

MAX_AMOUNT_WAN = Decimal("10000000")  # 1000 亿元: nothing real is larger


class PolicyQuerySet(models.QuerySet["Policy"]):
    def valid_on(self, day: date) -> PolicyQuerySet:
        """In force on `day` (a missing bound is open)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def ending_between(self, first: date, last: date) -> PolicyQuerySet:
        return self.filter(valid_to__gte=first, valid_to__lte=last)

    def in_region(self, district: str, city: str = "北京市") -> PolicyQuerySet:
        """Policies that apply in a district: the district's own, the city's and those
        without a region."""
        return self.filter(region__in=[r for r in (district, city, "") if r is not None])


class Policy(models.Model):
    """A support policy (落户奖励, 租金补贴, 人才政策, 研发补助 …): who issued it, where and
    when it applies, the conditions an enterprise must meet and the most it pays."""

    ref = models.CharField(_("编号"), max_length=64, unique=True)
    title = models.CharField(_("政策名称"), max_length=200)
    issuer = models.CharField(_("发布机构"), max_length=100, blank=True)
    region = models.CharField(
        _("适用地区"), max_length=20, blank=True, db_index=True, help_text=_("区县全称或 北京市")
    )
    valid_from = models.DateField(_("生效日期"), null=True, blank=True)
    valid_to = models.DateField(_("截止日期"), null=True, blank=True, db_index=True)
    industries = models.JSONField(_("适用产业"), default=list, blank=True)
    conditions = models.JSONField(_("申报条件"), default=list, blank=True)
    benefit = models.TextField(_("支持内容"), blank=True)
    amount_wan_max = models.DecimalField(
        _("最高金额(万元)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_AMOUNT_WAN)],
    )
    source = models.CharField(_("来源"), max_length=500, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新于"), auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("政策")
        verbose_name_plural = _("政策")
        ordering = ["-valid_to", "ref"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="policy_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("portal:policy-detail", args=[self.ref])

    def clean(self) -> None:
        errors = {}
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            errors["valid_to"] = _("截止日期不能早于生效日期")
        if self.source and not safe_url(self.source):  # text, or an http(s) link
            errors["source"] = _("只接受 http(s) 链接:%(urls)s") % {"urls": self.source[:200]}
        if errors:
            raise ValidationError(errors)


class PolicyProposal(Reviewable):
    """A policy read from a document by the text reader, waiting for an operator: accepted
    (it becomes or updates a Policy) or rejected. Keeps the text and, per proposed field,
    the sentence it came from."""

    source_name = models.CharField(_("来源文件"), max_length=300)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    text = models.TextField(_("原文"))
    parsed = models.JSONField(_("识别结果"), default=dict)
    proposals = models.JSONField(_("识别依据"), default=list)
    policy = models.ForeignKey(
        Policy,
        verbose_name=_("政策"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("政策识别待审")
        verbose_name_plural = _("政策识别待审")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source_name}: {self.parsed.get('title', '')}"

    @staticmethod
    def digest_of(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
