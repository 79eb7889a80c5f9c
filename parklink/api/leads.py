"""API endpoints of the leads domain."""

from ninja import Router

router = Router(tags=["leads"])
