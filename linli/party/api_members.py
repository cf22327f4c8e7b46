"""The members API (mounted under /api/party; the members part fills this in)."""

from ninja import Router

router = Router(tags=["party"])
