from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "parklink.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from parklink.core import cache, changefeed

        # Any committed write to public content invalidates the cached portal pages.
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(cache.on_public_write, dispatch_uid=f"core.page_cache.{signal!r}")
        changefeed.start_if_configured()
