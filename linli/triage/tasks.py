"""Thin tasks: load by id, call a service. Safe to run twice."""

import contextlib

from celery import shared_task

from linli.core.errors import Conflict
from linli.triage import services
from linli.triage.models import Trigger


@shared_task(name="triage.train", ignore_result=True)
def train(run_id: int) -> None:
    services.train_run(run_id)


@shared_task(name="triage.nightly", ignore_result=True)
def nightly() -> None:
    """Hourly: start the night's run in the training hour, once (services.nightly_due)."""
    if services.nightly_due():
        with contextlib.suppress(Conflict):
            services.train_request(actor=None, trigger=Trigger.NIGHTLY)


@shared_task(name="triage.suggestions_record", ignore_result=True)
def suggestions_record() -> int:
    return services.suggestions_record()
