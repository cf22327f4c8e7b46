"""The surveys API (mounted under /api/surveys; the surveys part fills this in)."""

from ninja import Router

router = Router(tags=["surveys"])
