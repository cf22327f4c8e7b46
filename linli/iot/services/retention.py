"""How long IoT data is kept: raw telemetry and refusals LINLI_IOT_TELEMETRY_DAYS (the
hourly rollup and door counts stay), handled message ids LINLI_IOT_DEDUP_DAYS (a broker
redelivers within seconds or hours, never weeks)."""

from datetime import datetime, timedelta

from django.conf import settings

from linli.iot.models import ReceivedMessage, Rejection, Telemetry

BATCH = 5000


def _prune(model, field: str, before: datetime) -> int:
    removed = 0
    while True:
        ids = list(model.objects.filter(**{f"{field}__lt": before})
                   .values_list("pk", flat=True)[:BATCH])
        if not ids:
            return removed
        removed += model.objects.filter(pk__in=ids).delete()[0]


def prune(now: datetime) -> int:
    telemetry = now - timedelta(days=settings.IOT_TELEMETRY_DAYS)
    return (_prune(Telemetry, "received_at", telemetry)
            + _prune(Rejection, "at", telemetry)
            + _prune(ReceivedMessage, "received_at",
                     now - timedelta(days=settings.IOT_DEDUP_DAYS)))
