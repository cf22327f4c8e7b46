"""Thin tasks: load by id, call a service. Safe to run twice."""

from celery import shared_task


@shared_task(name="points.redemption_notify", ignore_result=True)
def redemption_notify(redemption_id: int) -> None:
    from linli.points.notify import redemption_notify as notify

    notify(redemption_id)
