"""Thin tasks: load by id, call a function. Safe to run twice. The workflow queues them by
name (core.tasks.enqueue), so this is the only module that imports both sides."""

from celery import shared_task

from linli.disputes import notify, supervision


@shared_task(name="disputes.event_notify", ignore_result=True)
def event_notify(event_id: int) -> None:
    notify.event_notify(event_id)


@shared_task(name="disputes.supervise_overdue", ignore_result=True)
def supervise_overdue() -> int:
    return supervision.supervise_overdue()


@shared_task(name="disputes.agreement_reminders", ignore_result=True)
def agreement_reminders() -> int:
    return supervision.agreement_reminders()
