from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "parklink.matching"
    label = "matching"
    verbose_name = _("智能匹配")

    def ready(self) -> None:
        from parklink.matching.receivers import on_space_changed, on_spaces_changed
        from parklink.parks.signals import space_changed, spaces_changed

        space_changed.connect(on_space_changed, dispatch_uid="matching.on_space_changed")
        spaces_changed.connect(on_spaces_changed, dispatch_uid="matching.on_spaces_changed")

        from django.db.models.signals import post_save

        from parklink.matching.receivers import on_building_saved

        # A building's floor count is only edited in the admin (no service sends a signal).
        post_save.connect(
            on_building_saved, sender="parks.Building", dispatch_uid="matching.on_building_saved"
        )

        # Leads store a submission's free-text need; this fills blank structured fields
        # from it (stated values only, no industry defaults).
        from functools import partial

        from parklink.leads import hooks
        from parklink.matching.parse import parse_text

        hooks.need_parser = partial(parse_text, apply_defaults=False)
