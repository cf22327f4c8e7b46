"""Supervision (督办): a notice when a case passes its acceptance or handling deadline.

Timers are data: the sweeper scans the indexed `*_due_at` columns. Each case's notice is
claimed with a conditional UPDATE that records the deadline it was raised for in
`*_supervised_for`, so however many sweepers run at once, a deadline gets one notice. When
the deadline moves (extension, rework) and passes again, there is a new notice.
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from linli.cases.models import Case, CaseEvent, State
from linli.core.audit import audit_record

log = logging.getLogger(__name__)

BATCH = 500  # a backlog is swept in slices of this many ids, never loaded at once


@dataclass(frozen=True)
class Deadline:
    name: str
    states: tuple[str, ...]
    due_field: str
    supervised_field: str


DEADLINES = (
    Deadline("accept", (State.REPORTED,), "accept_due_at", "accept_supervised_for"),
    Deadline("handle", (State.DISPATCHED, State.IN_PROGRESS, State.REWORK),
             "handle_due_at", "handle_supervised_for"),
)

Row = tuple[int, str, datetime, int, str, str]


def overdue(deadline: Deadline, now: datetime) -> QuerySet[Case]:
    """Cases past `deadline` that have had no notice for its current due time."""
    due, supervised = deadline.due_field, deadline.supervised_field
    not_yet = Q(**{f"{supervised}__isnull": True}) | ~Q(**{supervised: F(due)})
    return Case.objects.filter(not_yet, state__in=deadline.states, **{f"{due}__lt": now})


def _batches(deadline: Deadline, now: datetime) -> Iterator[list[Row]]:
    last = 0
    while True:
        rows: list[Row] = list(
            overdue(deadline, now).filter(pk__gt=last).order_by("pk").values_list(
                "pk", "state", deadline.due_field, "district_id", "area_path", "title"
            )[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


@transaction.atomic
def _supervise_one(deadline: Deadline, row: Row, now: datetime) -> bool:
    from linli.cases.tasks import case_event_notify
    from linli.core.tasks import enqueue

    pk, state, due, district_id, area_path, title = row
    # The claim: only if the case still sits in that state with that deadline, and no
    # other sweeper has recorded a notice for this very deadline.
    won = (Case.objects.filter(pk=pk, state=state, **{deadline.due_field: due})
           .exclude(**{deadline.supervised_field: due})
           .update(**{deadline.supervised_field: due}))
    if not won:
        return False
    data = {"deadline": deadline.name, "due_at": due.isoformat()}
    event = CaseEvent.objects.create(
        case_id=pk, district_id_copy=district_id, at=now, actor=None, action="supervise",
        from_state=state, to_state=state, data=data, is_public=False)
    audit_record(actor=None, action="case.supervised", object_type="cases.case",
                 object_id=pk, object_label=f"#{pk} {title}", changes=data,
                 area_path=area_path)
    enqueue(case_event_notify, event.pk)
    return True


def supervise_overdue(now: datetime | None = None) -> int:
    """Raise a supervision notice for every case newly past a deadline; returns how many."""
    now = now or timezone.now()
    fired = 0
    for deadline in DEADLINES:
        for rows in _batches(deadline, now):
            for row in rows:
                try:
                    fired += _supervise_one(deadline, row, now)
                except Exception:  # one broken case must not stop the sweep
                    log.exception("supervision of case %s failed", row[0])
    return fired
