"""Helpers for queuing tasks. Tasks are always queued after the surrounding transaction
commits, so a worker never sees a row that might still roll back."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

_muted: ContextVar[bool] = ContextVar("linli_tasks_muted", default=False)


def enqueue(task, *args, **kwargs) -> None:
    if _muted.get():
        return
    transaction.on_commit(lambda: task.delay(*args, **kwargs))


@contextmanager
def tasks_muted() -> Iterator[None]:
    """Queue nothing inside the block: for writing history (the demo, imports), whose
    side effects (notifications about events long past) must not happen now."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)
