"""Who may do what in deliberation.

- Staff of a place (grid workers, dispatchers, leaders at or above its area, and for a
  community or anything in it also those working inside it) see its topics,
  bodies, meetings and votes, screen topics, moderate comments, record attendance and paper
  ballots, and note an adopted topic's progress. A topic is referred to the case loop by
  its case desk: the grid workers and dispatchers (cases' rule for who reports).
- Organisers (dispatchers and leaders) set up bodies, meetings, votes and conventions, open
  and cancel votes and answer objections.
- Residents of a place (a resident's assignment at a dwelling inside it) see its topics,
  meetings, votes and conventions, raise and support topics, comment, check in, vote when
  they are in the frozen electorate, and object during the 公示 period.
"""

from linli.accounts import scope
from linli.accounts.models import Role
from linli.orgs.models import Area

STAFF = (Role.GRID_WORKER, Role.DISPATCHER, Role.LEADER)
ORGANISERS = (Role.DISPATCHER, Role.LEADER)
CASE_DESK = (Role.GRID_WORKER, Role.DISPATCHER)


def is_staff(actor, area: Area) -> bool:
    """Staff of a place (scope.serves): they discuss and screen its topics, tick names at
    its council and go door to door with its paper ballots."""
    return scope.serves(actor, STAFF, area)


def is_organiser(actor, area: Area) -> bool:
    return scope.has_role(actor, ORGANISERS, area)


def lives_in(actor, area: Area) -> bool:
    """The actor is a resident of a dwelling at or below `area`."""
    return any(a.role == Role.RESIDENT and a.area.path.startswith(area.path)
               for a in scope.assignments(actor))


def may_see(actor, area: Area) -> bool:
    return is_staff(actor, area) or lives_in(actor, area)


def resident_paths(actor) -> list[str]:
    """The dwellings the actor lives in: a place is theirs when a path starts with it."""
    return [a.area.path for a in scope.assignments(actor) if a.role == Role.RESIDENT]


# --- the movers of the tables (workflow.py) -----------------------------------------------

def topic_staff(actor, topic) -> bool:
    return is_staff(actor, topic.area)


def topic_case_desk(actor, topic) -> bool:
    return scope.has_role(actor, CASE_DESK, topic.area)


def vote_organiser(actor, vote) -> bool:
    return is_organiser(actor, vote.area)
