"""Thin tasks: load by id, call the delivery code. Safe to run twice."""

from celery import shared_task


@shared_task(name="notifications.deliver", ignore_result=True)
def deliver(notification_id: int) -> None:
    from linli.notifications.delivery import notification_deliver

    notification_deliver(notification_id=notification_id)


@shared_task(name="notifications.retry_failed", ignore_result=True)
def retry_failed() -> None:
    from linli.notifications.delivery import deliveries_retry

    deliveries_retry()
