"""Helpers for queuing tasks. Tasks are always queued after the surrounding transaction
commits, so a worker never sees a row that might still roll back."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from celery import shared_task
from django.db import transaction

_muted: ContextVar[bool] = ContextVar("linli_tasks_muted", default=False)


def enqueue(task, *args, **kwargs) -> None:
    """Queue `task` (a Celery task, or its registered name) once the transaction commits.
    By name, a service queues its own task without importing the `tasks` module that
    imports the service: no import circle, and the name is checked here, not at commit."""
    if _muted.get():
        return
    if isinstance(task, str):
        task = _registered(task)
    transaction.on_commit(lambda: task.delay(*args, **kwargs))


def _registered(name: str):
    from celery import current_app

    if name not in current_app.tasks:  # the apps' tasks modules are not imported yet
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


@contextmanager
def tasks_muted() -> Iterator[None]:
    """Queue nothing inside the block: for writing history (the demo, imports), whose
    side effects (notifications about events long past) must not happen now."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


# --- the foundation's own tasks (Celery finds each app's `tasks` module): export jobs ---

@shared_task(name="core.export_job_run", ignore_result=True)
def export_job_run(job_id: int) -> None:
    from linli.core.exports.services import export_job_run as run

    run(job_id=job_id)


@shared_task(name="core.exports_cleanup", ignore_result=True)
def exports_cleanup() -> int:
    from linli.core.exports.services import exports_cleanup as sweep

    return sweep()
