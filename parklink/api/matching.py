"""API endpoints of the matching domain."""

from ninja import Router

router = Router(tags=["matching"])
