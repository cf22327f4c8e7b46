"""The access part of the IoT API, under /api/iot (docs/iot.md)."""

from ninja import Router

router = Router(tags=["iot"])
