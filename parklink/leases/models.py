"""Leases (租赁合同): who holds which space, from when to when, at what rent; and the expiry
warnings sent about them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Least
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parklink.leases import terms
from parklink.leases.choices import LeaseStatus, RentUnit

MAX_AREA_M2 = Decimal("100000000")


def last_day_sql() -> Least:
    """A lease's last day in SQL: the contract end or the earlier termination (the
    expression of the lease_last_day_cover index, which a query must repeat to use it)."""
    return Least(F("end"), Coalesce(F("terminated_on"), F("end")))


class LeaseQuerySet(models.QuerySet["Lease"]):
    def with_last_day(self) -> LeaseQuerySet:
        """Annotate ``ends_on``: the contract end or the earlier termination."""
        return self.annotate(ends_on=last_day_sql())

    def active_on(self, day: date) -> LeaseQuerySet:
        """Leases holding their space on ``day`` (start <= day <= end and not terminated
        before it)."""
        return self.filter(start__lte=day, end__gte=day).filter(
            Q(terminated_on__isnull=True) | Q(terminated_on__gte=day)
        )

    def future_on(self, day: date) -> LeaseQuerySet:
        """Committed leases that have not started on ``day`` (reservations)."""
        return self.filter(start__gt=day).filter(
            Q(terminated_on__isnull=True) | Q(terminated_on__gte=F("start"))
        )

    def holding_from(self, day: date) -> LeaseQuerySet:
        """Leases that hold their space on ``day`` or any later day."""
        return self.filter(end__gte=day).filter(
            Q(terminated_on__isnull=True) | Q(terminated_on__gte=day)
        )

    def ending_between(self, first: date, last: date) -> LeaseQuerySet:
        """Leases whose last day (end or earlier termination) falls in [first, last]."""
        return self.with_last_day().filter(ends_on__gte=first, ends_on__lte=last)


class Lease(models.Model):
    """A lease contract (租赁合同) of a space to a tenant organisation: the term, the area
    taken, the rent and its unit, deposit, free-rent months and yearly escalation. A space
    can hold a current lease and committed future ones (reservations) side by side."""

    ref = models.CharField(_("合同编号"), max_length=64, unique=True)
    space = models.ForeignKey(
        "parks.Space", verbose_name=_("房源"), on_delete=models.PROTECT, related_name="leases"
    )
    tenant = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("租户"),
        on_delete=models.PROTECT,
        related_name="leases",
    )
    start = models.DateField(_("起租日"))
    end = models.DateField(_("到期日"), db_index=True)
    area_m2 = models.DecimalField(
        _("租赁面积(平方米)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AREA_M2)],
    )
    rent = models.DecimalField(
        _("租金"), max_digits=14, decimal_places=4, default=0, validators=[MinValueValidator(0)]
    )
    rent_unit = models.CharField(
        _("租金单位"), max_length=12, choices=RentUnit.choices, default=RentUnit.YUAN_M2_DAY
    )
    # Derived, kept by clean(): the base rent of one year in 元 (for sums and sorting).
    annual_rent_yuan = models.DecimalField(
        _("年租金(元)"), max_digits=16, decimal_places=2, default=0, editable=False
    )
    deposit_months = models.DecimalField(
        _("押金(月)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    free_rent_months = models.DecimalField(
        _("免租期(月)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(120)],
    )
    escalation_pct = models.DecimalField(
        _("年递增(%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(-50), MaxValueValidator(100)],
    )
    terminated_on = models.DateField(_("退租日"), null=True, blank=True)
    # Derived, kept by clean() and refreshed daily by the worker: the state today.
    status = models.CharField(
        _("状态"),
        max_length=4,
        choices=LeaseStatus.choices,
        default=LeaseStatus.ACTIVE,
        db_index=True,
        editable=False,
    )
    documents = models.JSONField(_("合同文件"), default=list, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leases",
    )
    renewal_lead = models.ForeignKey(
        "leads.Lead",
        verbose_name=_("续约商机"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("备注"), max_length=500, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新于"), auto_now=True)

    objects = LeaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("租赁合同")
        verbose_name_plural = _("租赁合同")
        ordering = ["end", "ref"]
        # The dashboard aggregates the leases held on a day (active_on) several ways; these
        # two indexes carry every column those sums read, so each is an index-only scan:
        # from the spaces (occupancy by park and kind: space, then term) or from the end
        # date (expiry months, rollover, tenant mix: end >= day reads only the leases
        # still running, however much history accumulates). docs/benchmarks.md.
        indexes = [
            models.Index(
                fields=["space", "start", "end", "terminated_on", "area_m2", "annual_rent_yuan"],
                name="lease_space_cover",
            ),
            models.Index(fields=["start", "end", "terminated_on"], name="lease_term"),
            models.Index(fields=["owner", "end"], name="lease_owner_end"),
            models.Index(
                fields=[
                    "end",
                    "start",
                    "terminated_on",
                    "space",
                    "tenant",
                    "owner",
                    "area_m2",
                    "annual_rent_yuan",
                    "ref",
                ],
                name="lease_active_cover",
            ),
            # The last day (with_last_day's expression, verbatim, so SQLite and PostgreSQL
            # match it) first: the expiry months and the rollover group the leases held on
            # a day by their last day, walking this index in order (no sort, no per-row
            # CASE); start/end/terminated_on/area/rent after it keep it index-only.
            models.Index(
                last_day_sql(),
                "start",
                "end",
                "terminated_on",
                "area_m2",
                "annual_rent_yuan",
                name="lease_last_day_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="lease_end_after_start"),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="lease_area_positive"),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True) | Q(terminated_on__gte=F("start")),
                name="lease_terminated_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.tenant} {self.start}~{self.end}"

    def get_absolute_url(self) -> str:
        return reverse("office:lease-detail", args=[self.pk])

    @property
    def last_day(self) -> date:
        return terms.effective_end(self.start, self.end, self.terminated_on)

    def status_on(self, day: date) -> str:
        return terms.status_on(self.start, self.end, self.terminated_on, day)

    def is_active_on(self, day: date) -> bool:
        return terms.is_active(self.start, self.end, self.terminated_on, day)

    def as_terms(self) -> terms.Terms:
        return terms.Terms(
            start=self.start,
            end=self.end,
            area_m2=self.area_m2,
            rent=self.rent,
            rent_unit=self.rent_unit,
            terminated_on=self.terminated_on,
            escalation_pct=self.escalation_pct or Decimal(0),
            free_rent_months=self.free_rent_months or Decimal(0),
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("到期日不能早于起租日")
        if self.terminated_on and self.start and self.terminated_on < self.start:
            errors["terminated_on"] = _("退租日不能早于起租日")
        if self.rent_unit not in terms.RENT_UNITS:
            errors["rent_unit"] = _("未知的租金单位")
        if self.space_id:
            space = self.space
            if space.deal != "出租":
                errors["space"] = _("只有出租房源可以签租赁合同")
            elif self.area_m2 is not None and self.area_m2 > space.area_m2:
                errors["area_m2"] = _("租赁面积不能大于房源面积")
        if errors:
            raise ValidationError(errors)
        if self.rent is not None and self.area_m2 is not None:
            self.annual_rent_yuan = terms.annual_rent(self.rent, self.rent_unit, self.area_m2)


class ExpiryWarning(models.Model):
    """An in-app warning that a lease ends soon, for one recipient (the lease's agent or a
    manager); one per lease end date, so a warning is given once (and again if the lease
    is extended and nears its new end)."""

    lease = models.ForeignKey(
        Lease, verbose_name=_("租赁合同"), on_delete=models.CASCADE, related_name="warnings"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="lease_warnings",
    )
    lease_end = models.DateField(_("到期日"))
    window_days = models.PositiveSmallIntegerField(_("提前天数"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        ordering = ["lease_end", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lease", "recipient", "lease_end"], name="lease_warning_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lease_id} → {self.recipient_id} {self.lease_end}"
