"""The agreements API (mounted under /api/party; the agreements part fills this in)."""

from ninja import Router

router = Router(tags=["party"])
