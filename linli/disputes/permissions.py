"""Who may do what with disputes: the role checks `workflow.py` names for each mover in the
table, and the checks of the acts that are not moves (registering, reading).

- Staff of a place (at or above its area): grid workers, dispatchers, mediators, leaders.
  They see and register disputes there.
- A coordinator (mediator, dispatcher or leader of the place) accepts, regrades, reassigns.
- A handler: the owner, or by grade — green: a grid worker, mediator or dispatcher of the
  place; yellow and red: a mediator or dispatcher (the community mediation studio).
- The closer: the handler, except that a yellow or red dispute is never closed by a grid
  worker alone.
"""

from linli.accounts import scope
from linli.accounts.models import Role
from linli.disputes.models import Dispute, Grade

STAFF = (Role.GRID_WORKER, Role.DISPATCHER, Role.MEDIATOR, Role.LEADER)
COORDINATORS = (Role.MEDIATOR, Role.DISPATCHER, Role.LEADER)
GREEN_HANDLERS = (Role.GRID_WORKER, Role.MEDIATOR, Role.DISPATCHER)
GRADED_HANDLERS = (Role.MEDIATOR, Role.DISPATCHER)


def is_staff(actor, area) -> bool:
    return scope.has_role(actor, STAFF, area)


def may_register(actor, area) -> bool:
    return is_staff(actor, area)


def is_coordinator(actor, dispute: Dispute) -> bool:
    return scope.has_role(actor, COORDINATORS, dispute.area)


def _handler_roles(dispute: Dispute) -> tuple[str, ...]:
    return GREEN_HANDLERS if dispute.grade == Grade.GREEN else GRADED_HANDLERS


def is_handler(actor, dispute: Dispute) -> bool:
    if getattr(actor, "pk", None) is not None and actor.pk == dispute.owner_id:
        return scope.has_role(actor, STAFF, dispute.area)
    return scope.has_role(actor, _handler_roles(dispute), dispute.area)


def may_close(actor, dispute: Dispute) -> bool:
    if dispute.grade != Grade.GREEN:
        return scope.has_role(actor, (*GRADED_HANDLERS, Role.LEADER), dispute.area)
    return is_handler(actor, dispute)
