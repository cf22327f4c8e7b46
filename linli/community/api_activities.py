"""The activities API (mounted under /api/community; the activities part fills this in)."""

from ninja import Router

router = Router(tags=["community"])
