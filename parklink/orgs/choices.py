from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    INSTITUTE = "institute", _("科研机构")
    UNIVERSITY = "university", _("高校")
    HOSPITAL = "hospital", _("医院")
    INVESTOR = "investor", _("投资机构")
    GOVERNMENT = "government", _("政府/事业单位")
    PLATFORM = "platform", _("服务平台")
    OTHER = "other", _("其他")
