"""The catalogue: parks (园区), their buildings, spaces (载体/房源) and park facts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parklink.core.hygiene import unsafe_urls
from parklink.parks.choices import (
    AVAILABLE_STATUSES,
    Deal,
    FactKind,
    FactOrigin,
    FireClass,
    Letting,
    PriceUnit,
    SpaceKind,
    SpaceStatus,
)
from parklink.parks.rules import validate_rules

MAX_AREA_M2 = Decimal("100000000")  # 100 km²: nothing we list is larger


class Industry(models.Model):
    """An industry a park leads in or an enterprise belongs to (生物医药, 集成电路设计 …)."""

    name = models.CharField(_("产业"), max_length=50, unique=True)
    name_en = models.CharField(
        _("英文名"),
        max_length=100,
        blank=True,
        help_text=_("英文界面显示的名称;留空时按常用译名或拼音自动生成"),
    )

    class Meta:
        verbose_name = _("产业")
        verbose_name_plural = _("产业")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Park(models.Model):
    """An industrial or science park (园区) that has spaces to let or sell."""

    name = models.CharField(_("园区名称"), max_length=100, unique=True)
    aliases = models.JSONField(_("别名"), default=list, blank=True)
    english_name = models.CharField(_("英文名"), max_length=200, blank=True)
    city = models.CharField(_("城市"), max_length=20, default="北京市")
    district = models.CharField(_("区县"), max_length=20, blank=True, db_index=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    planned_area_m2 = models.DecimalField(
        _("规划面积(平方米)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AREA_M2 * 100)],
    )
    building_area_m2 = models.DecimalField(
        _("建筑面积(平方米)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AREA_M2 * 100)],
    )
    founded = models.CharField(
        _("成立/建设时间"), max_length=10, blank=True, help_text=_("YYYY、YYYY-MM 或 YYYY-MM-DD")
    )
    operator = models.CharField(_("运营方"), max_length=100, blank=True)
    industries = models.ManyToManyField(
        Industry, verbose_name=_("主导产业"), blank=True, related_name="parks"
    )
    min_annual_tax_yuan_per_m2 = models.DecimalField(
        _("最低年纳税(元/平方米)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    description = models.TextField(_("简介"), blank=True)
    sources = models.JSONField(_("来源"), default=list, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新于"), auto_now=True)
    # The park's 招商 contact shown on its public pages (the site-wide hotline when empty).
    agent_name = models.CharField(_("招商顾问"), max_length=50, blank=True)
    agent_photo = models.CharField(_("顾问照片"), max_length=300, blank=True)
    agent_hotline = models.CharField(_("招商热线"), max_length=30, blank=True)
    agent_mobile = models.CharField(_("顾问手机"), max_length=30, blank=True)
    agent_wechat = models.CharField(_("顾问微信号"), max_length=50, blank=True)
    photos = models.JSONField(_("园区图片"), default=list, blank=True)
    # Admission rules (准入条件, parks/rules.py) and where they come from (URLs or citations).
    rules = models.JSONField(_("准入条件"), default=dict, blank=True, validators=[validate_rules])
    rules_sources = models.JSONField(_("准入条件来源"), default=list, blank=True)

    class Meta:
        verbose_name = _("园区")
        verbose_name_plural = _("园区")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:park-detail", args=[self.pk])

    def clean(self) -> None:
        if self.founded and not _is_partial_date(self.founded):
            raise ValidationError({"founded": _("日期格式应为 YYYY、YYYY-MM 或 YYYY-MM-DD")})
        _refuse_unsafe_urls(self, ("sources", "photos", "rules_sources"))

    @property
    def all_names(self) -> list[str]:
        return [self.name, *[a for a in self.aliases if a]]


def _refuse_unsafe_urls(obj: models.Model, fields: tuple[str, ...]) -> None:
    """Only http(s) links in photo and source lists (`javascript:`, `data:` refused)."""
    errors = {
        name: _("只接受 http(s) 链接:%(urls)s") % {"urls": ", ".join(bad)[:200]}
        for name in fields
        if (bad := unsafe_urls(getattr(obj, name, None)))
    }
    if errors:
        raise ValidationError(errors)


def _is_partial_date(value: str) -> bool:
    import re

    return bool(re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value))


class ParkFact(models.Model):
    """A sourced fact about a park (入驻率 91% in 2010, 规划面积 7.19 km² …).

    Provenance is never dropped: every fact names where it came from, and facts accepted
    from ingested articles keep the sentence they were stated in.
    """

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="facts")
    kind = models.CharField(_("类型"), max_length=32, choices=FactKind.choices)
    label = models.CharField(_("说明"), max_length=200, blank=True)
    value = models.DecimalField(_("数值"), max_digits=18, decimal_places=4, null=True, blank=True)
    value_text = models.CharField(_("原文数值"), max_length=200, blank=True)
    unit = models.CharField(_("单位"), max_length=16, blank=True)
    as_of = models.CharField(_("时点"), max_length=10, blank=True)
    source_url = models.URLField(_("来源链接"), max_length=500, blank=True)
    source_title = models.CharField(_("来源"), max_length=300, blank=True)
    source_text = models.TextField(_("原文句子"), blank=True)
    origin = models.CharField(
        _("来源类型"), max_length=16, choices=FactOrigin.choices, default=FactOrigin.MANUAL
    )
    article_id = models.PositiveBigIntegerField(_("资讯ID"), null=True, blank=True)
    uncertain = models.BooleanField(_("存疑"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("园区事实")
        verbose_name_plural = _("园区事实")
        ordering = ["park", "kind", "as_of"]

    def __str__(self) -> str:
        return f"{self.park}: {self.get_kind_display()} {self.value_text or self.value} {self.unit}"


class Building(models.Model):
    """A building (楼栋) or plot inside a park."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="buildings")
    name = models.CharField(_("楼栋"), max_length=100)
    floors = models.PositiveSmallIntegerField(_("总层数"), null=True, blank=True)

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        ordering = ["park", "name"]
        constraints = [
            models.UniqueConstraint(fields=["park", "name"], name="building_unique_per_park")
        ]

    def __str__(self) -> str:
        return f"{self.park} {self.name}"


class SpaceQuerySet(models.QuerySet["Space"]):
    def available(self) -> SpaceQuerySet:
        """To let or for sale: never leased, sold or withdrawn."""
        return self.filter(status__in=AVAILABLE_STATUSES)

    def fresh(self, now=None) -> SpaceQuerySet:
        """Reconfirmed within PARKLINK['LISTING_STALE_DAYS'] days."""
        now = now or timezone.now()
        cutoff = now - timedelta(days=settings.PARKLINK["LISTING_STALE_DAYS"])
        return self.filter(confirmed_at__gte=cutoff)

    def stale(self, now=None) -> SpaceQuerySet:
        now = now or timezone.now()
        cutoff = now - timedelta(days=settings.PARKLINK["LISTING_STALE_DAYS"])
        return self.filter(confirmed_at__lt=cutoff)

    def public(self) -> SpaceQuerySet:
        """What the public portal and public API list."""
        return self.available().fresh()

    def in_district(self, district: str) -> SpaceQuerySet:
        return self.filter(park__district=district)


class Space(models.Model):
    """A listing (载体/房源): a factory, plot, R&D floor, office, lab or warehouse in a park,
    to let or for sale."""

    ref = models.CharField(_("编号"), max_length=64, unique=True)
    park = models.ForeignKey(
        Park, verbose_name=_("园区"), on_delete=models.PROTECT, related_name="spaces"
    )
    building = models.ForeignKey(
        Building,
        verbose_name=_("楼栋"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="spaces",
    )
    title = models.CharField(_("标题"), max_length=200, blank=True)
    kind = models.CharField(_("类型"), max_length=8, choices=SpaceKind.choices, db_index=True)
    deal = models.CharField(_("租售"), max_length=4, choices=Deal.choices, db_index=True)
    letting = models.CharField(
        _("租赁方式"), max_length=8, choices=Letting.choices, default=Letting.WHOLE
    )
    min_lettable_m2 = models.DecimalField(
        _("最小可租面积(平方米)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1"))],
    )
    area_m2 = models.DecimalField(
        _("面积(平方米)"),
        max_digits=12,
        decimal_places=2,
        db_index=True,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(MAX_AREA_M2)],
    )
    price = models.DecimalField(
        _("价格"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    price_unit = models.CharField(
        _("价格单位"), max_length=12, choices=PriceUnit.choices, blank=True
    )
    # Derived, kept by clean(): rent in 元/平方米/天, sale in 元/平方米; for search and sort.
    unit_price = models.DecimalField(
        _("单价"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        db_index=True,
        editable=False,
    )
    floor = models.CharField(_("楼层"), max_length=20, blank=True)
    ceiling_height_m = models.DecimalField(
        _("层高(米)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1.5")), MaxValueValidator(Decimal("60"))],
    )
    floor_load_kg_m2 = models.PositiveIntegerField(
        _("承重(公斤/平方米)"), null=True, blank=True, validators=[MaxValueValidator(20000)]
    )
    power_kva = models.PositiveIntegerField(
        _("配电(kVA)"), null=True, blank=True, validators=[MaxValueValidator(1000000)]
    )
    dual_power = models.BooleanField(_("双回路"), default=False)
    column_spacing_m = models.DecimalField(
        _("柱距(米)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("100"))],
    )
    freight_lifts = models.PositiveSmallIntegerField(_("货梯数量"), null=True, blank=True)
    fire_class = models.CharField(
        _("消防等级"), max_length=2, choices=FireClass.choices, blank=True
    )
    env_assessment = models.BooleanField(_("可办环评"), default=False)
    gmp = models.BooleanField(_("GMP"), default=False)
    cleanroom_class = models.CharField(_("洁净等级"), max_length=20, blank=True)
    available_from = models.DateField(_("可入驻日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=4,
        choices=SpaceStatus.choices,
        default=SpaceStatus.FOR_RENT,
        db_index=True,
    )
    description = models.TextField(_("描述"), blank=True)
    photos = models.JSONField(_("图片"), default=list, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新于"), auto_now=True, db_index=True)
    confirmed_at = models.DateTimeField(
        _("最近确认"),
        default=timezone.now,
        db_index=True,
        help_text=_("运营人员最近一次确认房源仍然有效的时间"),
    )
    address = models.CharField(
        _("房源地址"), max_length=200, blank=True, help_text=_("留空时显示园区地址")
    )
    property_fee = models.DecimalField(
        _("物业费(元/平方米/月)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))],
    )
    min_lease_months = models.PositiveSmallIntegerField(
        _("最短租期(月)"), null=True, blank=True, validators=[MaxValueValidator(600)]
    )

    objects = SpaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("房源")
        verbose_name_plural = _("房源")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["status", "kind", "deal"], name="space_status_kind_deal"),
            models.Index(fields=["park", "status"], name="space_park_status"),
            # The dashboard's spaces for rent (leases app): the supply per (park, kind) and
            # the spaces its held leases join, walked in (park, kind) order, and the asking
            # rents; index-only, no sort for the per-park cells (the id last: PostgreSQL's
            # indexes do not carry it, and the counts and the lease EXISTS read it).
            # docs/benchmarks.md.
            models.Index(
                fields=["deal", "park", "kind", "status", "unit_price", "area_m2", "id"],
                name="space_deal_park_kind",
            ),
            # Covers the public search's filters and facet counts: the facet aggregates
            # scan this index alone instead of the (wide) rows.
            models.Index(
                fields=[
                    "status",
                    "confirmed_at",
                    "kind",
                    "deal",
                    "park",
                    "gmp",
                    "area_m2",
                    "unit_price",
                    "ceiling_height_m",
                    "floor_load_kg_m2",
                    "power_kva",
                    "updated_at",
                ],
                name="space_public_search",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="space_area_positive"),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0), name="space_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.park} {self.kind} {self.area_m2}㎡"

    def get_absolute_url(self) -> str:
        return reverse("portal:space-detail", args=[self.pk])

    @property
    def is_available(self) -> bool:
        return self.status in AVAILABLE_STATUSES

    @property
    def is_stale(self) -> bool:
        cutoff = timezone.now() - timedelta(days=settings.PARKLINK["LISTING_STALE_DAYS"])
        return self.confirmed_at < cutoff

    def compute_unit_price(self) -> Decimal | None:
        if self.price is None or not self.price_unit:
            return None
        if self.price_unit == PriceUnit.WAN_TOTAL:
            if not self.area_m2:
                return None
            return (self.price * 10000 / self.area_m2).quantize(Decimal("0.0001"))
        return self.price

    def clean(self) -> None:
        _refuse_unsafe_urls(self, ("photos",))
        errors: dict[str, str] = {}
        if self.price is not None and not self.price_unit:
            errors["price_unit"] = _("填写了价格时必须填写价格单位")
        if self.deal == Deal.RENT and self.price_unit and self.price_unit != PriceUnit.YUAN_M2_DAY:
            errors["price_unit"] = _("出租房源的价格单位应为 元/平方米/天")
        if self.deal == Deal.SALE and self.price_unit == PriceUnit.YUAN_M2_DAY:
            errors["price_unit"] = _("出售房源的价格单位应为 元/平方米 或 万元")
        if self.deal == Deal.RENT and self.status == SpaceStatus.FOR_SALE:
            errors["status"] = _("出租房源的状态不能是 可售")
        if self.deal == Deal.SALE and self.status in (SpaceStatus.FOR_RENT, SpaceStatus.LEASED):
            errors["status"] = _("出售房源的状态不能是 可租/已租")
        if (
            self.min_lettable_m2 is not None
            and self.area_m2 is not None
            and self.min_lettable_m2 > self.area_m2
        ):
            errors["min_lettable_m2"] = _("最小可租面积不能大于总面积")
        if self.building_id and self.park_id and self.building.park_id != self.park_id:
            errors["building"] = _("楼栋不属于该园区")
        if errors:
            raise ValidationError(errors)
        self.unit_price = self.compute_unit_price()


class SpaceChange(models.Model):
    """History of a space's price and status (price history for the agent and the alerts)."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    field = models.CharField(max_length=32)
    old = models.CharField(max_length=100, blank=True)
    new = models.CharField(max_length=100, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("房源变更")
        verbose_name_plural = _("房源变更")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.space_id} {self.field}: {self.old} → {self.new}"
