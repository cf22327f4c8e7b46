"""The honours API (mounted under /api/community; the honours part fills this in)."""

from ninja import Router

router = Router(tags=["community"])
