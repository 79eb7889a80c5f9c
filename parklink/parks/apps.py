from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParksConfig(AppConfig):
    name = "parklink.parks"
    label = "parks"
    verbose_name = _("园区与房源")
