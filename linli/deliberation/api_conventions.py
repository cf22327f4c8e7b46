"""The conventions API (stub: filled in by the conventions part)."""

from ninja import Router

router = Router(tags=["deliberation"])
