"""Thin tasks: load by id, call a service. Safe to run twice. The services queue them by
name (core.tasks.enqueue), so this is the only module that imports both sides."""

import logging

from celery import shared_task

from linli.cases import notify, supervision

log = logging.getLogger(__name__)


@shared_task(name="cases.case_event_notify", ignore_result=True)
def case_event_notify(event_id: int) -> None:
    notify.case_event_notify(event_id)


@shared_task(name="cases.case_events_notify", ignore_result=True)
def case_events_notify(event_ids: list[int]) -> None:
    """`case_event_notify` for many events: what a burst of reports queues (core.tasks)."""
    for event_id in event_ids:
        try:
            notify.case_event_notify(event_id)
        except Exception:  # one event's failure must not silence the others
            log.exception("notifying case event %s failed", event_id)


@shared_task(name="cases.supervise_overdue", ignore_result=True)
def supervise_overdue() -> int:
    return supervision.supervise_overdue()
