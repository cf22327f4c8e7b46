"""Giving a case to a unit, as a dispatch and a reassignment (改派) both do: which units may
take it, and the fresh round of handling the unit gets."""

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from linli.cases.deadlines import limits_for
from linli.cases.models import Case
from linli.core.clocks import due_and_warn
from linli.core.errors import ValidationFailed
from linli.orgs.models import Unit
from linli.orgs.selectors import units_serving


def handover(case: Case, unit: Any, actor, now: datetime) -> dict[str, Any]:
    """The columns that give `case` to `unit` from `now`; refused for a unit that is not
    active or does not serve the case's area."""
    if not isinstance(unit, Unit) or not unit.is_active:
        raise ValidationFailed(_("Choose an active handling unit."), code="bad_unit")
    if not units_serving(case.area).filter(pk=unit.pk).exists():
        raise ValidationFailed(_("%(unit)s does not serve this area.") % {"unit": unit.name},
                               code="bad_unit")
    # A notice left open from an earlier round (a case closed, reopened and dispatched
    # again) was meant for that round: the new one starts without it.
    return {"unit": unit, "dispatched_by": actor, "acknowledged_at": None,
            "notice_due_at": None, **fresh_handling(case, now)}


def fresh_handling(case: Case, now: datetime) -> dict[str, Any]:
    """A new round of handling (dispatch, rework, reassignment) gets the category's limit
    for the case's priority from `now`: more time granted to an earlier round does not
    carry over."""
    limits = limits_for(case.category, case.priority)
    due, warn = due_and_warn(now, limits.handle, limits.unit)
    return {"handle_limit": limits.handle, "limit_unit": limits.unit,
            "handle_started_at": now, "handle_due_at": due, "handle_warn_at": warn}
