"""The services API (mounted under /api/library; the services part fills this in)."""

from ninja import Router

router = Router(tags=["library"])
