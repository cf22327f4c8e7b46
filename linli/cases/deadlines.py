"""Time limits for cases: which limit a category gives at a priority. The arithmetic on the
working calendar, the lights and the overdue queries are the shared clocks' (core.clocks);
the case's clocks are declared in `transitions.py`."""

from dataclasses import dataclass
from decimal import Decimal

from linli.cases.models import Category, Priority, TimeLimit
from linli.core.clocks import LimitUnit
from linli.core.versioned import Versioned

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


def _limit_row(key: tuple[int, str]) -> Limits | None:
    row = TimeLimit.objects.filter(category_id=key[0], priority=key[1]).first()
    return None if row is None else Limits(row.accept_limit, row.handle_limit, row.limit_unit)


# Every report reads its limits; they change when an admin edits them.
_rows = Versioned(("cases_timelimit",), _limit_row)


def limits_for(category: Category, priority: str) -> Limits:
    row = _rows.get((category.pk, priority))
    if row is not None:
        return row
    if (priority == category.priority and category.accept_limit is not None
            and category.handle_limit is not None and category.limit_unit):
        return Limits(category.accept_limit, category.handle_limit, category.limit_unit)
    accept, handle, unit = PRIORITY_DEFAULTS[Priority(priority)]
    return Limits(accept, handle, unit)
