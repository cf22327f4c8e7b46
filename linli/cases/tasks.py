"""Thin tasks: load by id, call a service. Safe to run twice. The services queue them by
name (core.tasks.enqueue), so this is the only module that imports both sides."""

from celery import shared_task

from linli.cases import notify, supervision


@shared_task(name="cases.case_event_notify", ignore_result=True)
def case_event_notify(event_id: int) -> None:
    notify.case_event_notify(event_id)


@shared_task(name="cases.supervise_overdue", ignore_result=True)
def supervise_overdue() -> int:
    return supervision.supervise_overdue()
