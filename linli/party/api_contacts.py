"""The contacts API (mounted under /api/party; the contacts part fills this in)."""

from ninja import Router

router = Router(tags=["party"])
