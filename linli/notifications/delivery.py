"""Sending one notification through each active channel, exactly once per channel.

Each (notification, channel) has one Delivery row. A worker claims it with a conditional
UPDATE before sending, so of two workers running the same task only one sends; a row already
sent or skipped is never claimed again. Failures stay `failed` and are picked up again by
`deliveries_retry` until LINLI_NOTIFY_MAX_ATTEMPTS.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from linli.core.tasks import enqueue
from linli.notifications.channels import NotificationChannel, Skipped, active_channels
from linli.notifications.models import Delivery, DeliveryState, Notification

log = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send.
LEASE = timedelta(minutes=5)
# A failed delivery waits this long before the next try.
RETRY_AFTER = timedelta(minutes=5)
BATCH = 500


def _claim(delivery: Delivery, now: datetime) -> bool:
    free = Q(state=DeliveryState.FAILED) | Q(claimed_at__isnull=True) | Q(
        claimed_at__lt=now - LEASE)
    return bool(Delivery.objects.filter(
        free, pk=delivery.pk, state__in=[DeliveryState.PENDING, DeliveryState.FAILED],
        attempts__lt=settings.NOTIFY_MAX_ATTEMPTS,
    ).update(state=DeliveryState.PENDING, claimed_at=now, attempts=F("attempts") + 1))


def _finish(delivery: Delivery, state: str, error: str = "") -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        state=state, last_error=error[:500],
        sent_at=timezone.now() if state == DeliveryState.SENT else None)


def _send(notification: Notification, channel: NotificationChannel) -> None:
    delivery, _created = Delivery.objects.get_or_create(notification=notification,
                                                        channel=channel.name)
    if not _claim(delivery, timezone.now()):
        return
    user = notification.recipient
    try:
        if not user.is_active:
            raise Skipped("inactive user")
        channel.send(notification, user)
    except Skipped as exc:
        _finish(delivery, DeliveryState.SKIPPED, str(exc))
    except Exception as exc:  # any channel failure is recorded and retried later
        log.warning("delivery %s of notification %s failed: %s", channel.name,
                    notification.pk, exc)
        _finish(delivery, DeliveryState.FAILED, f"{type(exc).__name__}: {exc}")
    else:
        _finish(delivery, DeliveryState.SENT)


def notification_deliver(*, notification_id: int) -> None:
    notification = (Notification.objects.select_related("recipient")
                    .filter(pk=notification_id).first())
    if notification is None:
        return
    for channel in active_channels():
        _send(notification, channel)


def deliveries_retry(*, now: datetime | None = None) -> int:
    """Queue delivery again for notifications with a failed or abandoned delivery that may
    still be retried. Returns how many notifications were queued."""
    now = now or timezone.now()
    due = Delivery.objects.filter(
        Q(state=DeliveryState.FAILED, claimed_at__lt=now - RETRY_AFTER)
        | Q(state=DeliveryState.PENDING, claimed_at__lt=now - LEASE),
        attempts__lt=settings.NOTIFY_MAX_ATTEMPTS)
    ids = sorted(set(due.values_list("notification_id", flat=True)[:BATCH]))
    for pk in ids:
        enqueue("notifications.deliver", pk)
    return len(ids)
