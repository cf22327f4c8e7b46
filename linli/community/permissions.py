"""Who may do what in community life.

- Staff (grid workers, dispatchers, leaders) at or above a place publish activities and
  notices to it, moderate its honour boards and score its buildings. Staff serving a place
  (scope.serves: also those working inside its community) see its activities, notices,
  boards and ratings, check people in at its activities and see who has not read its
  notices.
- Residents see the activities, notices and approved entries of the places they live in,
  sign up themselves and their household, check in with the door code, nominate entries
  and reply to an entry that names them.
- A unit's members (unit_member) reply to an entry that names their unit.
"""

from linli.accounts import scope
from linli.accounts.models import Role
from linli.orgs.models import Area

STAFF = (Role.GRID_WORKER, Role.DISPATCHER, Role.LEADER)


def manages(actor, area: Area) -> bool:
    """Staff at or above the place: they publish to it and moderate it."""
    return scope.has_role(actor, STAFF, area)


def serves(actor, area: Area) -> bool:
    """Staff serving the place: they see it, check people in, knock on its doors."""
    return scope.serves(actor, STAFF, area)


def resident_paths(actor) -> list[str]:
    """The dwellings the actor lives in: a place is theirs when a path starts with it."""
    return [a.area.path for a in scope.assignments(actor) if a.role == Role.RESIDENT]


def lives_in(actor, area_path: str) -> bool:
    return any(p.startswith(area_path) for p in resident_paths(actor))


def may_see(actor, area: Area) -> bool:
    return serves(actor, area) or lives_in(actor, area.path)


def unit_ids(actor) -> set[int]:
    return {a.unit_id for a in scope.assignments(actor)
            if a.role == Role.UNIT_MEMBER and a.unit_id is not None}


# --- the movers of the tables (workflow.py) -----------------------------------------------

def activity_organiser(actor, activity) -> bool:
    return manages(actor, activity.area)


def notice_author(actor, notice) -> bool:
    return manages(actor, notice.area)


def entry_moderator(actor, entry) -> bool:
    return manages(actor, entry.board.area)
