"""The providers API (mounted under /api/library; the providers part fills this in)."""

from ninja import Router

router = Router(tags=["library"])
