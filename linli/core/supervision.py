"""The supervision sweep (督办) shared by every workflow with clocks (ADR 0006).

For each supervised clock, the sweep scans the indexed deadline column for rows past it
that have had no notice for that deadline, in slices of ids (a backlog is never loaded at
once). Each row is claimed with a conditional UPDATE that records the deadline in the
clock's `supervised` column, so however many sweepers run at once a deadline gets one
notice; only the winner calls the app's hook, in the same transaction as the claim.
"""

import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from django.db import models, transaction

from linli.core.clocks import Clock, Clocks

log = logging.getLogger(__name__)

BATCH = 500

# hook(row, clock, now): `row` holds pk, state, the deadline as "due", and `fields`.
Hook = Callable[[dict[str, Any], Clock, datetime], None]


def _overdue(model: type[models.Model], clock: Clock, now: datetime):
    return model._default_manager.filter(clock.overdue_q(now), clock.unsupervised_q())


def _batches(model, clock: Clock, now: datetime, fields: tuple[str, ...]
             ) -> Iterator[list[dict[str, Any]]]:
    last = 0
    names = ("pk", "state", clock.due, *fields)
    while True:
        rows = list(_overdue(model, clock, now).filter(pk__gt=last).order_by("pk")
                    .values_list(*names)[:BATCH])
        if not rows:
            return
        yield [{**dict(zip(names, row, strict=True)), "due": row[2]} for row in rows]
        last = rows[-1][0]


@transaction.atomic
def _supervise_one(model, clock: Clock, row: dict[str, Any], now: datetime,
                   hook: Hook) -> bool:
    # The claim: only if the row still sits in that state with that deadline, and no
    # other sweeper has recorded a notice for this very deadline.
    won = (model._default_manager
           .filter(pk=row["pk"], state=row["state"], **{clock.due: row["due"]})
           .exclude(**{clock.supervised: row["due"]})
           .update(**{clock.supervised: row["due"]}))
    if won:
        hook(row, clock, now)
    return bool(won)


def supervise_overdue(model: type[models.Model], clocks: Clocks, hook: Hook, *,
                      now: datetime, fields: tuple[str, ...] = ()) -> int:
    """Claim every row newly past a supervised clock and call `hook` for it; returns how
    many. One broken row is logged and skipped: it must not stop the sweep."""
    fired = 0
    for clock in clocks.supervised():
        for rows in _batches(model, clock, now, fields):
            for row in rows:
                try:
                    fired += _supervise_one(model, clock, row, now, hook)
                except Exception:
                    log.exception("supervision of %s %s failed", model._meta.label,
                                  row["pk"])
    return fired
