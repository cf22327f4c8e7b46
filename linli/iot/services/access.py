"""Door access (门禁): events counted per entrance per hour, never a face, a card number or
any personal identifier; and the opt-in welfare watch of a care-plan resident whose door
has been quiet too long."""

from datetime import datetime
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from linli.iot.models import AccessCount, Device


def door_activity(*, device: Device, values: dict[str, Decimal], at: datetime) -> None:
    """A door's telemetry: `opens`, the number of access events since its last message."""
    opens = values.get("opens")
    if opens is None or opens <= 0:
        return
    hour = timezone.localtime(at).replace(minute=0, second=0, microsecond=0)
    count, _created = AccessCount.objects.get_or_create(device=device, hour=hour)
    AccessCount.objects.filter(pk=count.pk).update(count=F("count") + int(opens))


def welfare_sweep(now: datetime) -> int:
    """Raise a welfare check for every watched resident whose door has been quiet past
    their watch's hours (written with the welfare watch, services/access.py)."""
    return 0
