"""The topics API (stub: filled in by the topics part)."""

from ninja import Router

router = Router(tags=["deliberation"])
