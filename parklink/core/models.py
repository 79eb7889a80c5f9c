"""Cross-cutting records: the audit log, operators' API tokens, 招商 teams."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One audited event: who did what to which record, when (PIPL: every unmasked view
    of personal data and every change of a lead is one entry)."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("动作"), max_length=64, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    target_id = models.CharField(_("对象ID"), max_length=64, blank=True, db_index=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    ip_hash = models.CharField(_("IP 摘要"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id or '-'} {self.action} {self.target_type}#{self.target_id}"


class ApiToken(models.Model):
    """An operator's token for the JSON API. Only a SHA-256 of the key is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    # Null only for tokens created before expiry existed (they never expire until revoked).
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def is_active(self) -> bool:
        return not self.revoked and not self.is_expired()

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "pl_" + secrets.token_urlsafe(32)


class Team(models.Model):
    """A 招商 team (招商一组…): a manager who belongs to teams sees the leads owned by their
    members and the unowned ones; a manager in no team, and every admin, sees them all."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("成员"), related_name="teams", blank=True
    )

    class Meta:
        verbose_name = _("招商团队")
        verbose_name_plural = _("招商团队")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ImportRun(models.Model):
    """One import (`parklink import`, an office upload) being written in short batches.

    The run is all-or-nothing although no transaction spans it: every batch records, in the
    same transaction as its writes, how to undo them (``ImportUndo``). A run that ends well
    drops its undo records; one that fails, or whose process died (SIGKILL, power loss), is
    undone by ``parklink.core.import_journal.import_recover`` on the next import or worker
    round, so the database holds the import whole or not at all."""

    class Status(models.TextChoices):
        RUNNING = "running", _("写入中")
        DONE = "done", _("完成")
        UNDONE = "undone", _("已撤销")

    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.RUNNING, db_index=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    files = models.JSONField(_("文件"), default=list, blank=True)
    host = models.CharField(_("主机"), max_length=100, blank=True)
    pid = models.PositiveIntegerField(_("进程号"), null=True, blank=True)
    counts = models.JSONField(_("计数"), default=dict, blank=True)
    started_at = models.DateTimeField(_("开始"), auto_now_add=True)
    heartbeat_at = models.DateTimeField(_("最近写入"), default=timezone.now)
    finished_at = models.DateTimeField(_("结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"import #{self.pk} {self.status}"


class ImportUndo(models.Model):
    """How to undo rows an import wrote (one record per model and batch): delete them
    (``before`` is null: ``object_ids`` were created) or put their previous state back
    (``before``: the rows serialised before the change)."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="undo")
    model = models.CharField(max_length=100)
    object_ids = models.JSONField(default=list)
    before = models.TextField(null=True, blank=True)  # noqa: DJ001 null = "delete them"

    class Meta:
        indexes = [models.Index(fields=["run", "id"], name="importundo_run_id")]

    def __str__(self) -> str:
        return f"undo {self.model} ×{len(self.object_ids)}"
