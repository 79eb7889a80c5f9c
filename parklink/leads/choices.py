"""Enumerations of the leads domain. Values are the Chinese words operators see and the
exchange format carries."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """The 招商 pipeline: 新线索 → 已联系 → 需求确认 → 已带看 → 谈判中 → 已签约 / 已流失."""

    NEW = "新线索", _("新线索")
    CONTACTED = "已联系", _("已联系")
    CONFIRMED = "需求确认", _("需求确认")
    VISITED = "已带看", _("已带看")
    NEGOTIATING = "谈判中", _("谈判中")
    WON = "已签约", _("已签约")
    LOST = "已流失", _("已流失")


OPEN_STAGES = (
    Stage.NEW,
    Stage.CONTACTED,
    Stage.CONFIRMED,
    Stage.VISITED,
    Stage.NEGOTIATING,
)
CLOSED_STAGES = (Stage.WON, Stage.LOST)


class Channel(models.TextChoices):
    """Where a submission came from (来源渠道)."""

    WEB = "网站表单", _("网站表单")
    API = "接口", _("接口")
    IMPORT = "导入", _("导入")
    PHONE = "电话", _("电话")
    REFERRAL = "转介绍", _("转介绍")
    EVENT = "活动", _("活动")
    PLATFORM = "第三方平台", _("第三方平台")
    OFFICE = "后台录入", _("后台录入")
    OTHER = "其他", _("其他")


class ConsentBasis(models.TextChoices):
    """The legal basis for processing the contact's personal data (PIPL art. 13)."""

    FORM = "表单同意", _("表单勾选同意")
    API = "接口同意", _("接口提交时声明同意")
    CONTRACT = "业务往来", _("既有业务往来(订立、履行合同所必需)")
    ORAL = "口头同意", _("电话/当面口头同意")


class FollowUpKind(models.TextChoices):
    CALL = "电话", _("电话")
    VISIT = "拜访", _("拜访/带看")
    WECHAT = "微信", _("微信")
    EMAIL = "邮件", _("邮件")
    MEETING = "会谈", _("会谈")
    OTHER = "其他", _("其他")


class ProjectType(models.TextChoices):
    HQ = "总部", _("总部")
    RND = "研发", _("研发")
    PRODUCTION = "生产", _("生产")
    CDMO = "CDMO", _("CDMO")
    ACCELERATOR = "加速器", _("加速器")
    SALES = "销售", _("销售/办公")
    WAREHOUSE = "仓储", _("仓储物流")
    OTHER = "其他", _("其他")


class Qualification(models.TextChoices):
    HIGH_TECH = "高新技术企业", _("高新技术企业")
    SRDI = "专精特新", _("专精特新")
    LITTLE_GIANT = "专精特新小巨人", _("专精特新“小巨人”")
    TECH_SME = "科技型中小企业", _("科技型中小企业")
    LISTED = "上市公司", _("上市公司")


class Grade(models.TextChoices):
    A = "A", _("A 重点")
    B = "B", _("B 积极")
    C = "C", _("C 一般")
    D = "D", _("D 观望")


class LostReason(models.TextChoices):
    PRICE = "价格", _("价格不合适")
    LOCATION = "区位", _("区位不合适")
    SPACE = "载体", _("载体条件不满足")
    COMPETITOR = "竞品", _("选择了其他园区")
    POLICY = "政策", _("政策/准入不符")
    NO_NEED = "需求取消", _("需求取消或延期")
    UNREACHABLE = "联系不上", _("联系不上")
    OTHER = "其他", _("其他")


class BudgetUnit(models.TextChoices):
    """Units of a lead's budget: rent per m² per day or month, sale per m², or a total."""

    YUAN_M2_DAY = "元/平方米/天", _("元/平方米/天")
    YUAN_M2_MONTH = "元/平方米/月", _("元/平方米/月")
    YUAN_M2 = "元/平方米", _("元/平方米")
    WAN_TOTAL = "万元", _("万元(总价)")
    WAN_YEAR = "万元/年", _("万元/年")
