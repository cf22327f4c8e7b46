"""Thin tasks: load by id, call a function. Safe to run twice. Services queue them by name
(core.tasks.enqueue), so this is the only module that imports both sides."""

from celery import shared_task

from linli.library import notify


@shared_task(name="library.event_notify", ignore_result=True)
def event_notify(event_id: int) -> None:
    notify.event_notify(event_id)
