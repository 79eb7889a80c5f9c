"""Leads (招商线索): enterprises' requirements, every submission behind them, and the
pipeline record the 招商 team keeps on each."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parklink.leads.choices import (
    CLOSED_STAGES,
    OPEN_STAGES,
    BudgetUnit,
    Channel,
    ConsentBasis,
    FollowUpKind,
    Grade,
    LostReason,
    ProjectType,
    Stage,
)
from parklink.parks.choices import Deal, SpaceKind

MAX_AREA_M2 = Decimal("10000000")
MAX_WAN = Decimal("100000000")  # 1 万亿元 in 万元: nothing real is larger


def _wan_field(label: str) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_WAN)],
    )


def _score_field(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class Tag(models.Model):
    """A free label an agent puts on leads (重点客户, 展会, 生物医药…)."""

    name = models.CharField(_("标签"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LeadQuerySet(models.QuerySet["Lead"]):
    def live(self) -> LeadQuerySet:
        """Leads not merged into another (a merged lead stays only as a tombstone)."""
        return self.filter(merged_into__isnull=True)

    def open(self) -> LeadQuerySet:
        return self.filter(stage__in=OPEN_STAGES, merged_into__isnull=True)

    def pool(self) -> LeadQuerySet:
        """The 公海: open leads without an owner, claimable by any agent."""
        return self.open().filter(owner__isnull=True)

    def owned_by(self, user) -> LeadQuerySet:
        return self.filter(owner=user)


class Lead(models.Model):
    """One enterprise's requirement (需求、用途、税收、公司、联系人、手机号), worked through the
    招商 pipeline by an agent. Several submissions (Inquiry) may merge into one Lead."""

    ref = models.CharField(_("编号"), max_length=64, unique=True)
    # --- the six fields of the lead block ---
    company = models.CharField(_("公司"), max_length=200, blank=True)
    company_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    contact = models.CharField(_("联系人"), max_length=50)
    # Mainland numbers as 11 digits, others in E.164 (+14155552671): at most 16 characters.
    mobile = models.CharField(_("手机号"), max_length=16, db_index=True)
    need = models.TextField(_("需求"), max_length=2000, blank=True)
    use = models.CharField(_("用途"), max_length=200, blank=True)
    annual_tax_wan = _wan_field(_("预计年纳税(万元)"))
    # --- the structured requirement (exchange format) ---
    kind = models.CharField(_("载体类型"), max_length=8, choices=SpaceKind.choices, blank=True)
    deal = models.CharField(_("租售"), max_length=4, choices=Deal.choices, blank=True)
    area_min_m2 = models.DecimalField(
        _("最小面积(平方米)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(MAX_AREA_M2)],
    )
    area_max_m2 = models.DecimalField(
        _("最大面积(平方米)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(MAX_AREA_M2)],
    )
    budget = models.DecimalField(
        _("预算"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_WAN)],
    )
    budget_unit = models.CharField(
        _("预算单位"), max_length=12, choices=BudgetUnit.choices, blank=True
    )
    districts = models.JSONField(_("意向区域"), default=list, blank=True)
    parks = models.JSONField(_("意向园区"), default=list, blank=True)
    spaces = models.JSONField(_("关注房源"), default=list, blank=True)
    industry = models.CharField(_("行业"), max_length=50, blank=True, db_index=True)
    requires = models.JSONField(_("硬性条件"), default=dict, blank=True)
    # --- the company (招商 record) ---
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    registered_capital_wan = _wan_field(_("注册资本(万元)"))
    founded_year = models.PositiveSmallIntegerField(
        _("成立年份"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    staff = models.PositiveIntegerField(
        _("员工人数"), null=True, blank=True, validators=[MaxValueValidator(2_000_000)]
    )
    qualifications = models.JSONField(_("资质"), default=list, blank=True)
    # --- the project ---
    project_type = models.CharField(
        _("项目类型"), max_length=8, choices=ProjectType.choices, blank=True
    )
    total_investment_wan = _wan_field(_("投资总额(万元)"))
    last_year_tax_wan = _wan_field(_("上年度纳税额(万元)"))
    last_year_sales_wan = _wan_field(_("上年度开票销售额(万元)"))
    expected_sales_wan = _wan_field(_("预计入驻后年开票(万元)"))
    # --- grading ---
    score_intent = _score_field(_("意向度(1-5)"))
    score_funds = _score_field(_("资金实力(1-5)"))
    score_fit = _score_field(_("区域匹配度(1-5)"))
    grade = models.CharField(_("等级"), max_length=1, choices=Grade.choices, blank=True)
    # --- source and consent (PIPL) ---
    channel = models.CharField(_("来源渠道"), max_length=8, choices=Channel.choices)
    consent_basis = models.CharField(
        _("个人信息处理依据"), max_length=8, choices=ConsentBasis.choices
    )
    consent_at = models.DateTimeField(_("同意时间"), null=True, blank=True)
    # --- pipeline ---
    stage = models.CharField(
        _("阶段"), max_length=8, choices=Stage.choices, default=Stage.NEW, db_index=True
    )
    lost_reason = models.CharField(
        _("流失原因"), max_length=8, choices=LostReason.choices, blank=True
    )
    lost_note = models.CharField(_("流失说明"), max_length=500, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    assigned_at = models.DateTimeField(_("分配时间"), null=True, blank=True)
    next_follow_up = models.DateField(_("下次跟进"), null=True, blank=True, db_index=True)
    last_follow_up_at = models.DateTimeField(_("最近跟进"), null=True, blank=True)
    last_inquiry_at = models.DateTimeField(_("最近咨询"), db_index=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("标签"), blank=True, related_name="leads")
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新于"), auto_now=True)
    # --- project facts for the evaluation (项目研判); None is unknown, never false ---
    land_mu = models.DecimalField(
        _("用地面积(亩)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("150000"))],
    )
    annual_output_wan = _wan_field(_("预计年产值(万元)"))
    is_high_tech = models.BooleanField(_("高新技术企业"), null=True, blank=True)
    is_specialized = models.BooleanField(_("专精特新企业"), null=True, blank=True)
    # A duplicate merged by hand (lead_merge) stays as a tombstone pointing at the lead that
    # took its inquiries and follow-ups: its audit trail and match history keep their
    # target, and no list, export or API shows it (lead_scope leaves it out). Erasing the
    # surviving lead erases its tombstones too (PIPL).
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("已合并入"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="merged_leads",
    )

    objects = LeadQuerySet.as_manager()

    class Meta:
        verbose_name = _("招商线索")
        verbose_name_plural = _("招商线索")
        ordering = ["-last_inquiry_at", "-id"]
        # Every read starts from lead_scope (merged_into IS NULL), so the indexes of the
        # lists and the dashboard lead with merged_into: the IS NULL is an equality both
        # SQLite and PostgreSQL search on, and the columns after it make each query an
        # index-only range (docs/benchmarks.md, "Manager's dashboard").
        indexes = [
            models.Index(fields=["stage", "owner"], name="lead_stage_owner"),
            models.Index(fields=["owner", "next_follow_up"], name="lead_owner_next"),
            # The list's ORDER BY (LIST_ORDER): page N reads N pages of the index, no sort.
            models.Index(fields=["merged_into", "-last_inquiry_at", "-id"], name="lead_live_list"),
            # The dashboard's new leads: one index seek per channel × stage × week.
            models.Index(
                fields=["merged_into", "channel", "stage", "created_at", "owner"],
                name="lead_live_period",
            ),
            # Pipeline counts by stage, the 公海 count, the lost leads of a period.
            models.Index(
                fields=["merged_into", "stage", "owner", "next_follow_up", "created_at"],
                name="lead_live_stage",
            ),
            # Follow-ups due (reminders in date order, the per-agent counts).
            models.Index(
                fields=["merged_into", "next_follow_up", "stage", "owner"],
                name="lead_live_follow",
            ),
            # The funnel's lost leads of a period, whose audit trail it reads: their ids
            # from the index alone (PostgreSQL's other indexes hold no id, so it read
            # 14,000 rows of the table at 100,000 leads). Partial, so only lost leads pay
            # for it on writes; SQLite keeps using lead_live_stage (rowids are in it).
            models.Index(
                fields=["created_at", "owner", "id"],
                condition=Q(merged_into__isnull=True, stage=Stage.LOST),
                name="lead_live_lost",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(area_min_m2__isnull=True)
                | Q(area_max_m2__isnull=True)
                | Q(area_min_m2__lte=models.F("area_max_m2")),
                name="lead_area_range_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(stage=Stage.LOST) | ~Q(lost_reason=""),
                name="lead_lost_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.company or self.contact}"

    def get_absolute_url(self) -> str:
        return reverse("office:lead-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def is_closed(self) -> bool:
        return self.stage in CLOSED_STAGES

    @property
    def in_pool(self) -> bool:
        return self.owner_id is None and self.is_open

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.area_min_m2 is not None
            and self.area_max_m2 is not None
            and self.area_min_m2 > self.area_max_m2
        ):
            errors["area_max_m2"] = _("最大面积不能小于最小面积")
        if self.budget is not None and not self.budget_unit:
            errors["budget_unit"] = _("填写了预算时必须填写预算单位")
        if self.stage == Stage.LOST and not self.lost_reason:
            errors["lost_reason"] = _("流失的线索必须填写流失原因")
        if errors:
            raise ValidationError(errors)


class Inquiry(models.Model):
    """One submission exactly as received (form, API, import…), with its channel, time, a
    hash of the sender's IP and the user agent; linked to the Lead it created or merged
    into. Never discarded: the lead's timeline shows every one."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="inquiries")
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    received_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)
    data = models.JSONField(_("提交内容"), default=dict)
    ip_hash = models.CharField(_("IP 摘要"), max_length=64, blank=True)
    user_agent = models.CharField(_("浏览器标识"), max_length=300, blank=True)
    merged = models.BooleanField(_("合并入已有线索"), default=False)
    # SHA-256 of the canonical JSON of `data`: re-importing the same row adds nothing.
    digest = models.CharField(max_length=64, db_index=True, editable=False)
    consent = models.BooleanField(_("已同意"), default=False)
    consent_text = models.CharField(_("同意声明"), max_length=300, blank=True)
    # A submission acknowledged from the spool (leads/spool.py) carries its spool key: the
    # drain stores each one exactly once, however often it runs or is interrupted.
    intake_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("咨询记录")
        verbose_name_plural = _("咨询记录")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake_key"],
                condition=~Q(intake_key=""),
                name="inquiry_intake_key_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lead_id} {self.channel} {self.received_at:%Y-%m-%d %H:%M}"


class FollowUp(models.Model):
    """A call, visit, WeChat message… an agent logged on a lead (跟进记录)."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(_("方式"), max_length=4, choices=FollowUpKind.choices)
    note = models.TextField(_("内容"), max_length=2000)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("跟进人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    next_follow_up = models.DateField(_("下次跟进"), null=True, blank=True)

    class Meta:
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.lead_id} {self.kind} {self.at:%Y-%m-%d}"


class AssignmentRule(models.Model):
    """Route new leads of an industry to an agent (used when PARKLINK_LEAD_ASSIGNMENT is
    `industry`). The industry matches when it is contained in the lead's industry."""

    industry = models.CharField(_("行业"), max_length=50, unique=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("招商专员"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("分配规则")
        verbose_name_plural = _("分配规则")
        ordering = ["industry"]

    def __str__(self) -> str:
        return f"{self.industry} → {self.agent}"


class LeadTrace(models.Model):
    """What remains of a lead deleted on its subject's request (PIPL art. 47): no name, no
    mobile, no company, no free text; enough for funnel and channel statistics."""

    created_month = models.CharField(_("创建月份"), max_length=7)
    erased_at = models.DateTimeField(_("删除时间"), auto_now_add=True)
    channel = models.CharField(_("来源渠道"), max_length=8, choices=Channel.choices)
    stage = models.CharField(_("阶段"), max_length=8, choices=Stage.choices)
    grade = models.CharField(_("等级"), max_length=1, blank=True)
    industry = models.CharField(_("行业"), max_length=50, blank=True)
    kind = models.CharField(_("载体类型"), max_length=8, blank=True)
    districts = models.JSONField(_("意向区域"), default=list, blank=True)
    inquiries = models.PositiveIntegerField(_("咨询次数"), default=0)
    follow_ups = models.PositiveIntegerField(_("跟进次数"), default=0)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("已删除线索(匿名统计)")
        verbose_name_plural = _("已删除线索(匿名统计)")
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"{self.created_month} {self.channel} {self.stage}"


class LeadRefCounter(models.Model):
    """The last lead number issued on one day: references are L<YYYYMMDD><n, 4+ digits>,
    taken under the row's lock in the creating transaction, so they never collide."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("线索编号计数")
        verbose_name_plural = _("线索编号计数")

    def __str__(self) -> str:
        return f"{self.day} {self.last}"
