"""What the matching engine remembers: per lead and space, what was recommended or refused
(so it is not proposed again), and the alerts sent to lead owners."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackKind(models.TextChoices):
    RECOMMENDED = "recommended", _("已推荐给客户")
    NOT_INTERESTED = "not_interested", _("不感兴趣")


class MatchFeedback(models.Model):
    """A space recommended to a lead's enterprise, or marked 不感兴趣 for it: either way it
    is not proposed to that lead again."""

    lead = models.ForeignKey(
        "leads.Lead", verbose_name=_("线索"), on_delete=models.CASCADE, related_name="+"
    )
    space = models.ForeignKey(
        "parks.Space", verbose_name=_("房源"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=FeedbackKind.choices)
    score = models.FloatField(_("匹配分"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("匹配反馈")
        verbose_name_plural = _("匹配反馈")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lead", "space", "kind"], name="match_feedback_once_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lead_id}→{self.space_id} {self.kind}"


class MatchAlert(models.Model):
    """A newly listed or changed space that fits an open lead above the alert threshold:
    shown in the owner's back-office list, e-mailed at once or in the daily digest.
    Unique per (lead, space): an owner is told once."""

    lead = models.ForeignKey(
        "leads.Lead", verbose_name=_("线索"), on_delete=models.CASCADE, related_name="+"
    )
    space = models.ForeignKey(
        "parks.Space", verbose_name=_("房源"), on_delete=models.CASCADE, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        on_delete=models.CASCADE,
        related_name="match_alerts",
    )
    score = models.FloatField(_("匹配分"))
    reasons = models.JSONField(_("匹配理由"), default=list)
    trigger = models.CharField(_("触发"), max_length=32, blank=True)
    config_version = models.CharField(_("规则版本"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("匹配提醒")
        verbose_name_plural = _("匹配提醒")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["lead", "space"], name="match_alert_once")]
        indexes = [models.Index(fields=["owner", "read_at"], name="match_alert_owner_read")]

    def __str__(self) -> str:
        return f"{self.lead_id}←{self.space_id} {self.score:.0f}"


class AlertPreference(models.Model):
    """How an operator wants match alerts by e-mail: at once (default) or a daily digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_alert_pref"
    )
    daily_digest = models.BooleanField(_("每日汇总"), default=False)
    email = models.BooleanField(_("邮件提醒"), default=True)

    class Meta:
        verbose_name = _("匹配提醒设置")
        verbose_name_plural = _("匹配提醒设置")

    def __str__(self) -> str:
        return f"{self.user_id} digest={self.daily_digest}"
