"""Who may do what with devices and alarms.

- Staff of a place (grid workers, dispatchers, leaders at or above it, or a community's grid
  workers inside it) see its devices and alarms; members of a device's owner unit see that
  unit's devices and their alarms.
- A responder (acknowledges and clears an alarm): a dispatcher or grid worker of the
  device's place, or a member of its owner unit. A leader watches; an administrator manages
  the registry.
- The registry (add, edit, retire, import, credentials): a dispatcher or administrator of
  the place.
"""

from linli.accounts import scope
from linli.accounts.models import Role
from linli.iot.models import Alarm, Device

STAFF = (Role.GRID_WORKER, Role.DISPATCHER, Role.LEADER, Role.ADMIN)
RESPONDERS = (Role.GRID_WORKER, Role.DISPATCHER)
MANAGERS = (Role.DISPATCHER, Role.ADMIN)


def _unit_member(actor, device: Device) -> bool:
    return device.owner_unit_id is not None and device.owner_unit_id in scope.unit_ids(actor)


def may_see_device(actor, device: Device) -> bool:
    return scope.serves(actor, STAFF, device.area) or _unit_member(actor, device)


def may_manage(actor, area) -> bool:
    return scope.has_role(actor, MANAGERS, area)


def _care_worker(actor, device: Device) -> bool:
    """The grid worker of the help button's care plan: the first to hear of a press, even
    when the resident lives outside the grids they serve."""
    plan = device.care_plan
    return (plan is not None and getattr(actor, "pk", None) is not None
            and plan.grid_worker_id == actor.pk)


def may_respond(actor, alarm: Alarm) -> bool:
    device = alarm.device
    return (scope.serves(actor, RESPONDERS, device.area) or _unit_member(actor, device)
            or _care_worker(actor, device))


def may_manage_device(actor, device: Device) -> bool:
    return may_manage(actor, device.area)
