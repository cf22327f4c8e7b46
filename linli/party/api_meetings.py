"""The meetings API (mounted under /api/party; the meetings part fills this in)."""

from ninja import Router

router = Router(tags=["party"])
