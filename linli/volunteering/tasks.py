"""Thin tasks: load by id, call a function. Safe to run twice."""

from celery import shared_task


@shared_task(name="volunteering.event_notify", ignore_result=True)
def event_notify(event_id: int) -> None:
    from linli.volunteering.notify import event_notify as notify

    notify(event_id)
