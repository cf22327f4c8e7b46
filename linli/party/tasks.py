"""Thin tasks: load by id, call a function. Safe to run twice. Services queue them by name
(core.tasks.enqueue), so this is the only module that imports both sides."""

from celery import shared_task

from linli.party import notify, sweeps


@shared_task(name="party.event_notify", ignore_result=True)
def event_notify(event_id: int) -> None:
    notify.event_notify(event_id)


@shared_task(name="party.sweep", ignore_result=True)
def sweep() -> int:
    return sweeps.sweep()


@shared_task(name="party.property_sweep", ignore_result=True)
def property_sweep() -> int:
    return sweeps.property_sweep()
