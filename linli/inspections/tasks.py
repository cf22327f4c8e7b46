"""Thin tasks: load by id, call a function. Safe to run twice. The workflow queues them by
name (core.tasks.enqueue), so this is the only module that imports both sides."""

from celery import shared_task

from linli.inspections import notify, supervision
from linli.inspections.services import campaigns


@shared_task(name="inspections.event_notify", ignore_result=True)
def event_notify(event_id: int) -> None:
    notify.event_notify(event_id)


@shared_task(name="inspections.supervise_overdue", ignore_result=True)
def supervise_overdue() -> int:
    return supervision.supervise_overdue()


@shared_task(name="inspections.schedules_run", ignore_result=True)
def schedules_run() -> int:
    return campaigns.schedules_run()
