"""Thin tasks: load by id, call a function. Safe to run twice."""

from celery import shared_task

from linli.surveys import notify


@shared_task(name="surveys.event_notify", ignore_result=True)
def event_notify(event_id: int) -> None:
    notify.event_notify(event_id)
