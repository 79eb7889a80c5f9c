from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "parklink.search"
    label = "search"
    verbose_name = _("搜索")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from parklink.news.models import Article
        from parklink.orgs.models import Organization
        from parklink.parks.models import Park
        from parklink.parks.signals import space_changed, spaces_changed
        from parklink.search import receivers

        space_changed.connect(receivers.on_space_changed, dispatch_uid="search.space_changed")
        spaces_changed.connect(receivers.on_spaces_changed, dispatch_uid="search.spaces_changed")
        for model in (Park, Organization, Article):
            uid = f"search.{model._meta.label}"
            post_save.connect(receivers.on_model_saved, sender=model, dispatch_uid=uid + ".save")
            post_delete.connect(receivers.on_model_saved, sender=model, dispatch_uid=uid + ".del")
