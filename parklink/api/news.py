"""API endpoints of the news domain."""

from ninja import Router

router = Router(tags=["news"])
