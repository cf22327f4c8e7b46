"""The periodic schedule, driven in-process for the embedded default.

Production runs `celery beat` over the same `CELERY_BEAT_SCHEDULE`. Without a broker,
`linli run` calls `run_forever` in a thread: each entry's task runs in this process at its
interval. Entries use plain intervals (seconds or timedelta), so both drivers agree.
Every periodic task claims its rows with conditional updates, so running it from several
places at once is safe.
"""

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings

log = logging.getLogger(__name__)


def _seconds(schedule) -> float:
    if isinstance(schedule, timedelta):
        return schedule.total_seconds()
    return float(schedule)


def run_due(next_run: dict[str, float], now: float) -> list[str]:
    """Run every entry whose time has come; returns the names that ran."""
    from linli.celery import app

    ran = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        due = next_run.setdefault(name, now)
        if now < due:
            continue
        next_run[name] = now + _seconds(entry["schedule"])
        try:
            app.tasks[entry["task"]].apply(args=entry.get("args", ()),
                                           kwargs=entry.get("kwargs", {}))
            ran.append(name)
        except Exception:  # one failing task must not stop the others
            log.exception("periodic task %s failed", name)
    return ran


def run_forever(stop: threading.Event, tick: float = 5.0) -> None:
    from django.db import close_old_connections

    from linli.celery import app

    # Celery finds the apps' tasks modules only when a worker starts; without a worker,
    # load them here, or every entry would fail as "not registered".
    app.loader.import_default_modules()
    next_run: dict[str, float] = {}
    while not stop.is_set():
        close_old_connections()
        run_due(next_run, time.monotonic())
        stop.wait(tick)
