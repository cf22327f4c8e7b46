"""Thin tasks: load by id, call a service. Safe to run twice."""

from celery import shared_task


@shared_task(name="cases.case_event_notify", ignore_result=True)
def case_event_notify(event_id: int) -> None:
    from linli.cases.notify import case_event_notify as notify

    notify(event_id)


@shared_task(name="cases.supervise_overdue", ignore_result=True)
def supervise_overdue() -> int:
    from linli.cases.supervision import supervise_overdue as sweep

    return sweep()
