"""Who may do what with inspections: the role checks `workflow.py` names for each mover of
the order table, and the checks of the acts that are not moves.

- Inspectors: grid workers, dispatchers and leaders of a place (at or above its area). They
  see targets, campaigns and orders there, inspect targets there and re-check orders there.
- Coordinators: dispatchers and leaders of the place. They run campaigns and schedules,
  reveal a target's contact and escalate overdue orders; the dispatchers also raise a case
  for a serious hazard (cases are reported by a place's dispatchers and grid workers).
- Targets are added, changed and imported by every inspector of the place: grid workers
  find premises on patrol.
- The responsible party's account (`Order.responsible_user`) may record the rectification
  of its own order, and never re-check it; nor may whoever recorded the rectification.
"""

from linli.accounts import scope
from linli.accounts.models import Role
from linli.inspections.models import Order

INSPECTORS = (Role.GRID_WORKER, Role.DISPATCHER, Role.LEADER)
COORDINATORS = (Role.DISPATCHER, Role.LEADER)


def is_inspector(actor, area) -> bool:
    return scope.has_role(actor, INSPECTORS, area)


def is_coordinator_of(actor, area) -> bool:
    return scope.has_role(actor, COORDINATORS, area)


def may_answer_for(user, area) -> bool:
    """Who may be an order's responsible account: a member of a handling unit or staff,
    assigned at or above the target's place."""
    return scope.has_role(user, (Role.UNIT_MEMBER, *INSPECTORS), area)


def _is(actor, user_id: int | None) -> bool:
    return user_id is not None and getattr(actor, "pk", None) == user_id


def may_rectify(actor, order: Order) -> bool:
    return _is(actor, order.responsible_user_id) or is_inspector(actor, order.target.area)


def may_recheck(actor, order: Order) -> bool:
    """Neither the responsible party nor who recorded the rectification re-checks it."""
    if _is(actor, order.responsible_user_id) or _is(actor, order.rectified_by_id):
        return False
    return is_inspector(actor, order.target.area)


def is_coordinator(actor, order: Order) -> bool:
    return is_coordinator_of(actor, order.target.area)


def is_case_desk(actor, order: Order) -> bool:
    """A dispatcher of the place raises a case for a serious hazard: the case desk."""
    return scope.has_role(actor, Role.DISPATCHER, order.target.area)
