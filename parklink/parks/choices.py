"""Enumerations of the catalogue. Values are the Chinese words of the exchange format."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SpaceKind(models.TextChoices):
    FACTORY = "厂房", _("厂房")
    LAND = "土地", _("土地")
    RND = "研发楼", _("研发楼")
    OFFICE = "写字楼", _("写字楼")
    LAB = "实验室", _("实验室")
    WAREHOUSE = "仓库", _("仓库")


class Deal(models.TextChoices):
    RENT = "出租", _("出租")
    SALE = "出售", _("出售")


class Letting(models.TextChoices):
    WHOLE = "整租", _("整租")
    PART = "分租", _("分租")
    DIVISIBLE = "可分割", _("可分割")


class SpaceStatus(models.TextChoices):
    FOR_RENT = "可租", _("可租")
    FOR_SALE = "可售", _("可售")
    LEASED = "已租", _("已租")
    SOLD = "已售", _("已售")
    WITHDRAWN = "下架", _("下架")


AVAILABLE_STATUSES = (SpaceStatus.FOR_RENT, SpaceStatus.FOR_SALE)


class PriceUnit(models.TextChoices):
    """Rents are kept per m² per day; sales per m² or as a total in 万元."""

    YUAN_M2_DAY = "元/平方米/天", _("元/平方米/天")
    YUAN_M2 = "元/平方米", _("元/平方米")
    WAN_TOTAL = "万元", _("万元(总价)")


class FireClass(models.TextChoices):
    A = "甲", _("甲类")
    B = "乙", _("乙类")
    C = "丙", _("丙类")
    D = "丁", _("丁类")
    E = "戊", _("戊类")


class FactKind(models.TextChoices):
    """What a park fact measures."""

    PLANNED_AREA = "planned_area", _("规划面积")
    BUILDING_AREA = "building_area", _("建筑面积")
    LAND_AREA = "land_area", _("占地面积")
    OCCUPANCY = "occupancy", _("入驻率")
    ENTERPRISES = "enterprises", _("企业数量")
    FOUNDED = "founded", _("建设/成立时间")
    OUTPUT = "output", _("产值")
    INVESTMENT = "investment", _("投资")
    RENT = "rent", _("租金")
    DESIGNATION = "designation", _("称号/资质")
    OTHER = "other", _("其他")


class FactOrigin(models.TextChoices):
    DATASET = "dataset", _("数据集")
    ARTICLE = "article", _("资讯抽取")
    MANUAL = "manual", _("人工录入")
