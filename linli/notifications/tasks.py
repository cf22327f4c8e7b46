"""Thin tasks: load by id, call the delivery code. Safe to run twice.

The delivery code queues `notifications.deliver` by name, so it need not import this
module and this one imports it at the top."""

from celery import shared_task

from linli.notifications.delivery import deliveries_retry, notification_deliver


@shared_task(name="notifications.deliver", ignore_result=True)
def deliver(notification_id: int) -> None:
    notification_deliver(notification_id=notification_id)


@shared_task(name="notifications.retry_failed", ignore_result=True)
def retry_failed() -> None:
    deliveries_retry()
