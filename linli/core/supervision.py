"""The supervision sweep (督办) shared by every workflow with clocks (ADR 0006).

For each supervised clock, the sweep scans the indexed deadline column for rows past it
that have had no notice for that deadline, in slices of ids (a backlog is never loaded at
once). Each row is claimed with a conditional UPDATE that records the deadline in the
clock's `supervised` column, so however many sweepers run at once a deadline gets one
notice; only the winner calls the app's hook, in the same transaction as the claim.

`sweep_due` is that sweep for any deadline column and the column that records its claim:
the clocks use it, and so do timers outside a workflow's states (an agreement's
performance check, the 司法确认 window).
"""

import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.db.models import F, Q

from linli.core.clocks import Clock, Clocks

log = logging.getLogger(__name__)

BATCH = 500

# hook(row, clock, now): `row` holds pk, state, the deadline as "due", and `fields`.
Hook = Callable[[dict[str, Any], Clock, datetime], None]
# A timer's hook(row, now): `row` holds pk, the deadline as "due", and `fields`.
TimerHook = Callable[[dict[str, Any], datetime], None]


def _batches(qs: models.QuerySet, due: str, fields: tuple[str, ...]
             ) -> Iterator[list[dict[str, Any]]]:
    last = 0
    names = ("pk", due, *fields)
    while True:
        rows = list(qs.filter(pk__gt=last).order_by("pk").values_list(*names)[:BATCH])
        if not rows:
            return
        yield [{**dict(zip(names, row, strict=True)), "due": row[1]} for row in rows]
        last = rows[-1][0]


@transaction.atomic
def _claim_one(model, row: dict[str, Any], due: str, claimed: str, match: tuple[str, ...],
               now: datetime, hook: TimerHook) -> bool:
    # The claim: only if the row still holds that deadline (and the `match` columns the
    # values read), and no other sweeper has recorded a notice for this very deadline.
    won = (model._default_manager
           .filter(pk=row["pk"], **{due: row["due"]}, **{name: row[name] for name in match})
           .exclude(**{claimed: row["due"]})
           .update(**{claimed: row["due"]}))
    if won:
        hook(row, now)
    return bool(won)


def sweep_due(qs: models.QuerySet, *, due: str, claimed: str, hook: TimerHook,
              now: datetime, fields: tuple[str, ...] = (), match: tuple[str, ...] = ()
              ) -> int:
    """Claim every row of `qs` whose deadline column `due` has passed and whose `claimed`
    column does not hold that deadline yet, and call `hook` for each claimed row in the
    claim's transaction; returns how many. The timer of any row, with or without a
    workflow (an agreement's performance check): one call per deadline however many
    sweepers run, a moved deadline gets a new one. One broken row is logged and skipped."""
    model = qs.model
    pending = qs.filter(**{f"{due}__lt": now}).filter(
        Q(**{f"{claimed}__isnull": True}) | ~Q(**{claimed: F(due)}))
    fired = 0
    for rows in _batches(pending, due, tuple(dict.fromkeys((*match, *fields)))):
        for row in rows:
            try:
                fired += _claim_one(model, row, due, claimed, match, now, hook)
            except Exception:
                log.exception("timer %s of %s %s failed", due, model._meta.label,
                              row["pk"])
    return fired


def supervise_overdue(model: type[models.Model], clocks: Clocks, hook: Hook, *,
                      now: datetime, fields: tuple[str, ...] = ()) -> int:
    """Claim every row newly past a supervised clock and call `hook` for it; returns how
    many. One broken row is logged and skipped: it must not stop the sweep."""
    fired = 0
    for clock in clocks.supervised():
        def clock_hook(row: dict[str, Any], now: datetime, clock: Clock = clock) -> None:
            hook(row, clock, now)
        fired += sweep_due(model._default_manager.filter(state__in=clock.states),
                           due=clock.due, claimed=clock.supervised, hook=clock_hook,
                           now=now, fields=fields, match=("state",))
    return fired
