from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "parklink.policies"
    label = "policies"
    verbose_name = _("项目研判与政策")
