"""Enumerations of the leases domain. Values are the Chinese words of the exchange format."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LeaseStatus(models.TextChoices):
    """Where a lease stands on a given day (Asia/Shanghai calendar days)."""

    FUTURE = "待生效", _("待生效")
    ACTIVE = "生效", _("生效")
    EXPIRED = "已到期", _("已到期")
    TERMINATED = "已退租", _("已退租")


class RentUnit(models.TextChoices):
    """How a lease's rent is quoted; everything is annualised from it (365 days, 12 months)."""

    YUAN_M2_DAY = "元/平方米/天", _("元/平方米/天")
    YUAN_M2_MONTH = "元/平方米/月", _("元/平方米/月")
    YUAN_M2_YEAR = "元/平方米/年", _("元/平方米/年")
    YUAN_MONTH = "元/月", _("元/月")
    YUAN_YEAR = "元/年", _("元/年")
    WAN_YEAR = "万元/年", _("万元/年")


class UnitState(models.TextChoices):
    """The colour of a unit in the 租控表 (stacking plan) on a given day."""

    VACANT = "vacant", _("空置")
    LEASED = "leased", _("已租")
    EXPIRING_90 = "expiring_90", _("90天内到期")
    EXPIRING_180 = "expiring_180", _("180天内到期")
    EXPIRING_365 = "expiring_365", _("一年内到期")
    RESERVED = "reserved", _("已预订(未来租约)")
    NOT_LETTABLE = "not_lettable", _("不可租(出售/下架)")
