from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _on_space_changed(sender: Any, **kwargs: Any) -> None:
    from parklink.parks import facets  # on first use: NumPy stays out of every start-up

    facets.on_space_changed(sender, **kwargs)


def _on_spaces_changed(sender: Any, **kwargs: Any) -> None:
    from parklink.parks import facets

    facets.on_spaces_changed(sender, **kwargs)


class ParksConfig(AppConfig):
    name = "parklink.parks"
    label = "parks"
    verbose_name = _("园区与房源")

    def ready(self) -> None:
        from parklink.parks.signals import space_changed, spaces_changed

        # The space search's columnar index re-reads a changed space on its next use.
        space_changed.connect(_on_space_changed, dispatch_uid="parks.facets")
        spaces_changed.connect(_on_spaces_changed, dispatch_uid="parks.facets.many")
