from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "parklink.office"
    label = "office"
    verbose_name = _("招商后台")
