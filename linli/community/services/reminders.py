"""The day-before reminder of an activity: each published activity starting within 24 hours
is claimed once (a conditional UPDATE of `reminded_at`, so two sweeps at once remind once),
then the accounts of its confirmed sign-ups hear about it (the person's own and whoever
signed them up), each message with a source key so a retry adds nothing."""

from datetime import datetime, timedelta

from django.db import transaction

from linli.community.models import Activity, ActivityState

AHEAD = timedelta(hours=24)


def _due(now: datetime):
    return Activity.objects.filter(state=ActivityState.PUBLISHED, reminded_at__isnull=True,
                                   starts_at__gt=now, starts_at__lte=now + AHEAD)


def activities_remind(*, now: datetime) -> int:
    """Remind every activity due; returns how many activities were reminded."""
    from linli.community.notify_activities import activity_remind_notify

    done = 0
    for pk in list(_due(now).values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = _due(now).filter(pk=pk).update(reminded_at=now)
            if not claimed:
                continue
            activity_remind_notify(Activity.objects.get(pk=pk))
        done += 1
    return done
