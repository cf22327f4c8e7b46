"""Who may do what with daily reports.

- A grid worker files their own report, for one of their grids (an assignment at or above
  the grid), and reads their own reports.
- Overseers (dispatchers and leaders) read the reports, the day's overview and the month's
  rates of the communities in their areas. Nobody else reads them.
"""

from linli.accounts import scope
from linli.accounts.models import Role
from linli.orgs.models import Area, AreaKind

WORKER = Role.GRID_WORKER
OVERSEERS = (Role.DISPATCHER, Role.LEADER)


def is_worker(actor) -> bool:
    return scope.has_role(actor, WORKER)


def is_workers_grid(actor, grid: Area) -> bool:
    return grid.kind == AreaKind.GRID and scope.has_role(actor, WORKER, grid)


def is_overseer(actor, area: Area | None = None) -> bool:
    return scope.has_role(actor, OVERSEERS, area)


def may_read(actor, report) -> bool:
    return report.worker_id == getattr(actor, "pk", None) or is_overseer(actor, report.grid)
