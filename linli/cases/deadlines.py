"""Time limits and deadlines for cases, on the working calendar (core.workcalendar)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from linli.cases.models import Case, Category, LimitUnit, Priority, State, TimeLimit
from linli.core.workcalendar import deadline

WARN_FRACTION = Decimal("0.8")  # yellow from 80 % of the limit, red past 100 %

# When neither a TimeLimit row nor the category itself gives a limit for a priority.
PRIORITY_DEFAULTS = {
    Priority.EMERGENCY: (Decimal("0.5"), Decimal("2"), LimitUnit.CLOCK_HOURS),
    Priority.URGENT: (Decimal("1"), Decimal("8"), LimitUnit.WORK_HOURS),
    Priority.NORMAL: (Decimal("2"), Decimal("3"), LimitUnit.WORK_DAYS),
}


@dataclass(frozen=True)
class Limits:
    accept: Decimal
    handle: Decimal
    unit: str


def limits_for(category: Category, priority: str) -> Limits:
    row = TimeLimit.objects.filter(category=category, priority=priority).first()
    if row is not None:
        return Limits(row.accept_limit, row.handle_limit, row.limit_unit)
    if (priority == category.priority and category.accept_limit is not None
            and category.handle_limit is not None and category.limit_unit):
        return Limits(category.accept_limit, category.handle_limit, category.limit_unit)
    accept, handle, unit = PRIORITY_DEFAULTS[Priority(priority)]
    return Limits(accept, handle, unit)


def due_and_warn(start: datetime, amount: Decimal, unit: str) -> tuple[datetime, datetime]:
    return deadline(start, amount, unit), deadline(start, amount * WARN_FRACTION, unit)


class Light:
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


def _light(now: datetime, warn_at: datetime | None, due_at: datetime | None,
           done_at: datetime | None) -> str | None:
    if due_at is None:
        return None
    moment = done_at or now
    if moment > due_at:
        return Light.RED
    if warn_at is not None and moment >= warn_at:
        return Light.YELLOW
    return Light.GREEN


def traffic_light(case: Case, now: datetime) -> str | None:
    """Green < 80 % of the running limit, yellow 80-100 %, red past it; None when no clock
    runs (closed, rejected, on hold, merged)."""
    if case.state == State.REPORTED:
        return _light(now, case.accept_warn_at, case.accept_due_at, None)
    if case.state in (State.DISPATCHED, State.IN_PROGRESS, State.REWORK):
        return _light(now, case.handle_warn_at, case.handle_due_at, None)
    if case.state in (State.RESOLVED, State.VERIFIED):
        return _light(now, case.handle_warn_at, case.handle_due_at, case.resolved_at)
    return None
