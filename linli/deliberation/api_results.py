"""The results API (stub: filled in by the results part)."""

from ninja import Router

router = Router(tags=["deliberation"])
