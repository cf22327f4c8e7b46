"""Who may do what with needs surveys.

- Staff (grid workers, dispatchers, leaders) at or above a place write surveys to it, open
  and close them, and read their reports; staff serving a place (scope.serves) enter the
  answers of its households during a visit.
- Residents answer the open surveys of the places they live in, for their household (or
  themselves, for a survey answered per person).
"""

from linli.accounts import scope
from linli.accounts.models import Role
from linli.orgs.models import Area

STAFF = (Role.GRID_WORKER, Role.DISPATCHER, Role.LEADER)


def manages(actor, area: Area) -> bool:
    return scope.has_role(actor, STAFF, area)


def serves(actor, area: Area) -> bool:
    return scope.serves(actor, STAFF, area)


def survey_organiser(actor, survey) -> bool:
    return manages(actor, survey.area)
