from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "parklink.news"
    label = "news"
    verbose_name = _("产业资讯")
