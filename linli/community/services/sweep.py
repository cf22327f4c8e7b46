"""The minute's sweep of community life: reminders the day before an activity, and the
inbox messages of notices whose publishing time has come. Both are idempotent."""

from datetime import datetime

from django.utils import timezone

from linli.community.services.delivery import notices_deliver
from linli.community.services.reminders import activities_remind


def community_sweep(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {"reminded": activities_remind(now=now), "delivered": notices_deliver(now=now)}
