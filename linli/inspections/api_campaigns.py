"""The inspections API: campaigns (mounted under /api/inspections in linli/api.py)."""

from ninja import Router

router = Router(tags=["inspections"])
