"""The ratings API (mounted under /api/community; the ratings part fills this in)."""

from ninja import Router

router = Router(tags=["community"])
