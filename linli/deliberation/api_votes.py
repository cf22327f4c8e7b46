"""The votes API (stub: filled in by the votes part)."""

from ninja import Router

router = Router(tags=["deliberation"])
