"""Helpers for queuing tasks. Tasks are always queued after the surrounding transaction
commits, so a worker never sees a row that might still roll back."""

import atexit
import contextlib
import logging
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from celery import shared_task
from django.db import transaction

log = logging.getLogger(__name__)
_muted: ContextVar[bool] = ContextVar("linli_tasks_muted", default=False)


def enqueue(task, *args, **kwargs) -> None:
    """Queue `task` (a Celery task, or its registered name) once the transaction commits.
    By name, a service queues its own task without importing the `tasks` module that
    imports the service: no import circle, and the name is checked here, not at commit.
    A task with a batch form (`batch_form`) goes through the process's publisher."""
    if _muted.get():
        return
    if isinstance(task, str):
        task = _registered(task)
    if task.name in _batch_forms and len(args) == 1 and not kwargs and not eager():
        transaction.on_commit(lambda: _publisher.put(task.name, args[0]))
        return
    transaction.on_commit(lambda: task.delay(*args, **kwargs))


def send_now(name: str, *args, priority: int | None = None) -> None:
    """Queue the task registered as `name` at once, not at commit, with a message priority
    (on Redis 0 goes first): for a process that queues outside transactions (the IoT
    subscriber). A failure to reach the broker is raised to the caller."""
    _registered(name).apply_async(args=args, priority=priority)


def eager() -> bool:
    """The embedded default: no broker, tasks run in the process that queues them."""
    from celery import current_app

    return bool(current_app.conf.task_always_eager)


# --- batch forms: one message for many calls ------------------------------------------------

# How long the publisher waits after a call for others to join it: a notification leaves
# at most this much later, and a burst of reports shares one message per this much time.
GATHER_SECONDS = 0.05
_batch_forms: dict[str, str] = {}  # a task's name -> the name of its form taking a list


def batch_form(name: str, batch_name: str) -> None:
    """Declare that the task `batch_name` does the work of task `name` for a list of its
    single arguments. With a broker, calls of `name` are then handed to one thread per
    process that publishes whatever has piled up as one `batch_name` message: a burst of
    reports, each of which queued its notification, costs one publish, not hundreds
    (Celery's publish was a quarter of a report's CPU). Without a broker nothing changes."""
    _batch_forms[name] = batch_name


class _Publisher:
    """The thread that publishes the batch forms. It starts with the first call (again in a
    forked child, where threads do not survive) and drains what is left at exit. A message
    lost to a crash between commit and publish was as lost before: the window is the same
    order of time."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def put(self, name: str, arg: Any) -> None:
        self._queue.put((name, arg))
        if self._thread is None or not self._thread.is_alive():
            self._start()

    def _start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                if self._thread is None:
                    atexit.register(self.drain)
                self._thread = threading.Thread(target=self._run, name="linli-publisher",
                                                daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            time.sleep(GATHER_SECONDS)  # let a burst pile up behind the first call
            self._publish([first])

    def drain(self) -> None:
        """Publish what is waiting now (at exit)."""
        self._publish([])

    def _publish(self, pending: list[tuple[str, Any]]) -> None:
        with contextlib.suppress(queue.Empty):
            while True:
                pending.append(self._queue.get_nowait())
        grouped: dict[str, list[Any]] = {}
        for name, arg in pending:
            grouped.setdefault(name, []).append(arg)
        for name, args in grouped.items():
            try:
                _registered(_batch_forms[name]).delay(args)
            except Exception:  # the broker is down: say what was not queued, keep going
                log.exception("could not queue %s for %s", name, args)


_publisher = _Publisher()


_importing = threading.Lock()


def _registered(name: str):
    from celery import current_app

    if name not in current_app.tasks:  # the apps' tasks modules are not imported yet
        # One thread imports them; the others wait for it. Unlocked, a second thread of a
        # fresh web process found Celery's "imported" mark set before the import had
        # finished, and its report failed with NotRegistered.
        with _importing:
            if name not in current_app.tasks:
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
