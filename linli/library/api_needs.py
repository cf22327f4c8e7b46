"""The needs API (mounted under /api/library; the needs part fills this in)."""

from ninja import Router

router = Router(tags=["library"])
