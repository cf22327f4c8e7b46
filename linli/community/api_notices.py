"""The notices API (mounted under /api/community; the notices part fills this in)."""

from ninja import Router

router = Router(tags=["community"])
