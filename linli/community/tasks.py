"""Thin tasks: load by id, call a function. Safe to run twice. Services queue them by name
(core.tasks.enqueue), so this is the only module that imports both sides."""

from celery import shared_task

from linli.community import notify


@shared_task(name="community.event_notify", ignore_result=True)
def event_notify(event_id: int) -> None:
    notify.event_notify(event_id)


@shared_task(name="community.signup_promoted", ignore_result=True)
def signup_promoted(signup_id: int) -> None:
    notify.signup_promoted_notify(signup_id)


@shared_task(name="community.sweep", ignore_result=True)
def sweep() -> dict:
    from linli.community.services.sweep import community_sweep

    return community_sweep()


@shared_task(name="community.notice_deliver", ignore_result=True)
def notice_deliver(notice_id: int) -> None:
    from linli.community.services.delivery import notice_deliver as deliver

    deliver(notice_id)
