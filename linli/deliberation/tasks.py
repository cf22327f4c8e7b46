"""Thin tasks: load by id, call a function. Safe to run twice. The workflow queues them by
name (core.tasks.enqueue), so this is the only module that imports both sides."""

from celery import shared_task

from linli.deliberation import notify
from linli.deliberation.models import Objection
from linli.deliberation.services import conventions, sweep


@shared_task(name="deliberation.topic_event_notify", ignore_result=True)
def topic_event_notify(event_id: int) -> None:
    notify.topic_event_notify(event_id)


@shared_task(name="deliberation.vote_event_notify", ignore_result=True)
def vote_event_notify(event_id: int) -> None:
    notify.vote_event_notify(event_id)


@shared_task(name="deliberation.votes_sweep", ignore_result=True)
def votes_sweep() -> int:
    return sweep.votes_sweep()


@shared_task(name="deliberation.objection_notify", ignore_result=True)
def objection_notify(objection_id: int) -> None:
    objection = Objection.objects.select_related("vote").get(pk=objection_id)
    notify.objection_raised_notify(objection.vote, objection.pk)


@shared_task(name="deliberation.convention_notify", ignore_result=True)
def convention_notify(version_id: int) -> None:
    conventions.convention_in_force_notify(version_id)
