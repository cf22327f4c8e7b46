"""Who may do what in party work.

- Party data (organisations' members, members, dual registrations, posts held, service
  hours, contact households and their visits) is read and kept only by party-work staff
  (党务工作者, the `party_worker` role) at or above its place, and read by the member
  themselves (their own record, registrations, contacts and visits). Nobody else sees it:
  not a leader, not a dispatcher, not an administrator without the role.
- Joint work (joint meetings, resolutions, co-building agreements, property results) is
  kept by party-work staff and read by them, dispatchers and leaders of the place. A
  resolution's owner unit's people see it and move it (acknowledge, report done); a
  co-building unit's people see their agreements and record deliveries.
- Residents rate their own estate's property company and see its results.
"""

from linli.accounts import scope
from linli.accounts.models import Role

PARTY = (Role.PARTY_WORKER,)
WORK = (Role.PARTY_WORKER, Role.DISPATCHER, Role.LEADER)
FOLLOWERS = (Role.PARTY_WORKER, Role.DISPATCHER)  # who follow up a low property month


def _at_or_above(actor, roles, path: str) -> bool:
    return any(path.startswith(p) for p in scope.area_paths(actor, roles))


def keeps(actor, path: str) -> bool:
    """Party-work staff at or above the place: they see and keep its party data."""
    return _at_or_above(actor, PARTY, path)


def is_party_staff(actor) -> bool:
    return bool(scope.area_paths(actor, PARTY))


def follows(actor, path: str) -> bool:
    """Reads joint work at the place: party-work staff, dispatchers, leaders."""
    return _at_or_above(actor, WORK, path)


def is_work_staff(actor) -> bool:
    return bool(scope.area_paths(actor, WORK))


def sees_joint_work(actor) -> bool:
    """Who has joint work to see at all: its staff, and the people of units (owners of
    resolutions, co-building units). Anyone else gets a 404, not an empty page."""
    return is_work_staff(actor) or bool(scope.unit_ids(actor))


def own_member(actor):
    """The actor's own party-member record, or None."""
    from linli.party.models import Member

    if not getattr(actor, "is_authenticated", False):
        return None
    cached = getattr(actor, "_linli_party_member", False)
    if cached is False:
        cached = (Member.objects.filter(user=actor, left_on__isnull=True).first()
                  or Member.objects.filter(resident__user=actor, left_on__isnull=True).first())
        actor._linli_party_member = cached
    return cached


def is_member(actor, member) -> bool:
    own = own_member(actor)
    return own is not None and own.pk == member.pk


def sees_member(actor, member) -> bool:
    return keeps(actor, member.area_path) or is_member(actor, member)


def of_unit(actor, unit_id: int) -> bool:
    return unit_id in scope.unit_ids(actor)


def lives_in(actor, path: str) -> bool:
    return any(a.area.path.startswith(path) for a in scope.assignments(actor)
               if a.role == Role.RESIDENT)


# --- the movers of the tables (workflow.py) -----------------------------------------------

def registration_staff(actor, registration) -> bool:
    return keeps(actor, registration.area_path)


def registration_member(actor, registration) -> bool:
    return is_member(actor, registration.member)


def resolution_staff(actor, resolution) -> bool:
    return keeps(actor, resolution.area_path)


def resolution_unit(actor, resolution) -> bool:
    return of_unit(actor, resolution.owner_unit_id)


def meeting_staff(actor, meeting) -> bool:
    return keeps(actor, meeting.area_path)


def supervision_follower(actor, item) -> bool:
    return _at_or_above(actor, FOLLOWERS, item.area_path)


def agreement_staff(actor, agreement) -> bool:
    return keeps(actor, agreement.area_path)
