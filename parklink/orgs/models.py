"""Organisations (机构): enterprises, research institutes, universities, hospitals, investors."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parklink.core.hygiene import unsafe_urls
from parklink.orgs.choices import OrgKind
from parklink.zh.validators import normalise_uscc


class Organization(models.Model):
    """An organisation located in (or of interest to) a park: tenant, prospect or institute."""

    name = models.CharField(_("机构名称"), max_length=200, unique=True)
    aliases = models.JSONField(_("别名"), default=list, blank=True)
    kind = models.CharField(
        _("类型"),
        max_length=16,
        choices=OrgKind.choices,
        default=OrgKind.ENTERPRISE,
        db_index=True,
    )
    # NULL, not "", when absent: the unique constraint applies only to codes that exist.
    uscc = models.CharField(  # noqa: DJ001
        _("统一社会信用代码"), max_length=18, blank=True, null=True
    )
    industry = models.CharField(_("行业"), max_length=50, blank=True, db_index=True)
    park = models.ForeignKey(
        "parks.Park",
        verbose_name=_("所在园区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organizations",
    )
    segments = models.JSONField(_("产业链环节"), default=list, blank=True)
    description = models.TextField(_("简介"), blank=True)
    sources = models.JSONField(_("来源"), default=list, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("更新于"), auto_now=True)
    name_en = models.CharField(_("英文名"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"], condition=Q(uscc__isnull=False), name="org_uscc_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:org-detail", args=[self.pk])

    def clean(self) -> None:
        if bad := unsafe_urls(self.sources):
            raise ValidationError(
                {"sources": _("只接受 http(s) 链接:%(urls)s") % {"urls": ", ".join(bad)[:200]}}
            )
        if self.uscc == "":
            self.uscc = None
        if self.uscc:
            try:
                self.uscc = normalise_uscc(self.uscc)
            except ValueError as exc:
                raise ValidationError({"uscc": str(exc)}) from exc

    @property
    def all_names(self) -> list[str]:
        return [self.name, *[a for a in self.aliases if a]]
