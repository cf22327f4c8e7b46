"""Who may do what to a case (DESIGN.md §5): the role checks `workflow.CASES` names for
each mover in the table, and the checks of the acts that are not moves. Pages and the API
ask the workflow (`CASES.actions_for`) for buttons; the services ask again before
anything moves."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.accounts.models import Role
from linli.cases.models import Case, CaseEvent, Channel
from linli.core.errors import PermissionDenied
from linli.orgs.models import AreaKind
from linli.orgs.selectors import community_path

# Those who work on the cases of their areas: the queue, the case map, the exports.
STAFF_ROLES = [Role.GRID_WORKER, Role.DISPATCHER, Role.MEDIATOR, Role.LEADER, Role.ADMIN]


def is_case_staff(actor) -> bool:
    return bool(actor.is_superuser) or scope.has_role(actor, STAFF_ROLES)


def is_dispatcher(actor, case: Case) -> bool:
    return scope.has_role(actor, Role.DISPATCHER, case.area)


def is_supervisor(actor, case: Case) -> bool:
    """Supervision by hand (督办): a dispatcher or leader whose area covers the case's (a
    street's dispatchers and leaders supervise the cases of all its communities)."""
    return scope.has_role(actor, [Role.DISPATCHER, Role.LEADER], case.area)


def is_unit_member(actor, case: Case) -> bool:
    return case.unit_id is not None and case.unit_id in scope.unit_ids(actor)


@dataclass(frozen=True)
class AppForReporter:
    """The app that filed a case for a reporter with no account here (an Open311 request)
    speaking for that reporter on that one case. Only the services' `for_reporter=True`
    path makes one (the Open311 update service alone passes it); it is nobody's login and
    holds no role."""

    case_id: int
    is_authenticated = False
    is_superuser = False
    is_active = False
    pk = None


def is_reporter(actor, case: Case) -> bool:
    if isinstance(actor, AppForReporter):
        return actor.case_id == case.pk and case.reporter_id is None
    return actor.is_authenticated and case.reporter_id == actor.pk


def for_reporter(actor, case: Case) -> AppForReporter:
    """The actor for a step an app takes for the reporter of a case it filed: only with no
    person acting (actor None), on a case filed through an app with no reporter account."""
    if actor is not None or case.reporter_id is not None or case.channel != Channel.OPEN311:
        raise PermissionDenied(_("Only the app that filed this case speaks for its "
                                 "reporter."))
    return AppForReporter(case.pk)


def dispatched_it(actor, case: Case) -> bool:
    # A reassignment (改派) is a dispatch to another unit.
    return CaseEvent.objects.filter(case=case, action__in=["dispatch", "reassign"],
                                    actor=actor).exists()


def grid_worker_communities(actor) -> list[str]:
    """Paths of the communities in which the actor is a grid worker."""
    paths = {community_path(a.area) for a in scope.assignments(actor)
             if a.role == Role.GRID_WORKER}
    return sorted(p for p in paths if p is not None)


def is_grid_worker_for(actor, case: Case) -> bool:
    """The grid worker of the case's grid. A case placed at the community itself, in no
    grid (an Open311 address, "anywhere in the community"), is every grid worker's of that
    community: otherwise nobody but its reporter could ever verify it."""
    if scope.has_role(actor, Role.GRID_WORKER, case.area):
        return True
    return (case.area.kind == AreaKind.COMMUNITY
            and case.area.path in grid_worker_communities(actor))


def can_verify(actor, case: Case) -> bool:
    """The grid worker of the case's grid, or its reporter; never whoever dispatched it."""
    if not (is_grid_worker_for(actor, case) or is_reporter(actor, case)):
        return False
    return not dispatched_it(actor, case)


def can_report_in(actor, area) -> bool:
    """Residents report within their own community; staff within their areas."""
    for assignment in scope.assignments(actor):
        if assignment.role == Role.RESIDENT:
            community = community_path(assignment.area)
            if community is not None and area.path.startswith(community):
                return True
        elif assignment.role in (Role.GRID_WORKER, Role.DISPATCHER) and area.is_within(
                assignment.area):
            return True
    return False


def can_request_extension(actor, case: Case) -> bool:
    return is_unit_member(actor, case)


def can_decide_extension(actor, case: Case) -> bool:
    return is_dispatcher(actor, case)


def can_merge(actor, case: Case, master: Case) -> bool:
    return is_dispatcher(actor, case) and is_dispatcher(actor, master)


def can_enter_hotline(actor, area) -> bool:
    """Hotline calls are typed in by the dispatchers of the place the caller names."""
    return scope.has_role(actor, Role.DISPATCHER, area)


def can_add_photos(actor, case: Case) -> bool:
    """Role only; `services.case_photos_add` also checks the case's state."""
    return is_reporter(actor, case) or is_unit_member(actor, case)


def can_publish(actor, community) -> bool:
    """Whether a community publishes its public cases is its admin's or leader's call (at
    the community or above)."""
    return getattr(actor, "is_authenticated", False) and (
        actor.is_superuser or scope.has_role(actor, [Role.ADMIN, Role.LEADER], community))
