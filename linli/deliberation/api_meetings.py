"""The meetings API (stub: filled in by the meetings part)."""

from ninja import Router

router = Router(tags=["deliberation"])
