"""Who may do what to a case (DESIGN.md §5). Checked by the API and pages to show the right
buttons, and again by `services.case_transition` before anything moves."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from linli.accounts import scope
from linli.accounts.models import Role
from linli.cases.models import Case, CaseEvent, Rating
from linli.cases.transitions import TRANSITIONS, Who, allowed_actions
from linli.orgs.models import AreaKind
from linli.orgs.selectors import community_path


def is_dispatcher(actor, case: Case) -> bool:
    return scope.has_role(actor, Role.DISPATCHER, case.area)


def is_unit_member(actor, case: Case) -> bool:
    return case.unit_id is not None and case.unit_id in scope.unit_ids(actor)


def is_reporter(actor, case: Case) -> bool:
    return actor.is_authenticated and case.reporter_id == actor.pk


def dispatched_it(actor, case: Case) -> bool:
    return CaseEvent.objects.filter(case=case, action="dispatch", actor=actor).exists()


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


_CHECKS = {
    Who.DISPATCHER: is_dispatcher,
    Who.UNIT: is_unit_member,
    Who.VERIFIER: can_verify,
    Who.REPORTER: is_reporter,
}


def can_take(actor, case: Case, action: str) -> bool:
    """Role and scope only; whether the state allows it is the table's business."""
    move = TRANSITIONS.get(action)
    return move is not None and _CHECKS[move.who](actor, case)


def can_apply(case: Case, action: str) -> bool:
    """False for a move the table allows from the state that the case's data rules out: a
    second rating, reopening a case not rated unsatisfied or rated too long ago (the
    service refuses them all)."""
    if action == "rate":
        return case.rated_at is None
    if action == "reopen":
        return (case.rating == Rating.UNSATISFIED and case.rated_at is not None
                and timezone.now() - case.rated_at <= timedelta(days=settings.REOPEN_DAYS))
    return True


def actions_for(actor, case: Case) -> list[str]:
    """The actions `actor` may take on `case` now, in the table's order: what pages show
    as buttons and the API as `allowed_actions`."""
    return [action for action in allowed_actions(case.state)
            if can_take(actor, case, action) and can_apply(case, action)]


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
