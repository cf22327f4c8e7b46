"""Cases in any state, reached the way people reach them: through the services.

Tests never write a case row to put it in a state; `case_in_state` walks a fresh report
through `case_transition` step by step, so every state a test starts from is one the
service itself can produce.
"""

from collections.abc import Callable
from typing import cast

from linli.accounts.models import Role, User
from linli.accounts.tests.factories import UserFactory, assign
from linli.cases.models import Case, Category, Route, State
from linli.cases.services import case_report, case_transition
from linli.cases.tests.factories import category

# What each step needs from the world: the actor's name and the action's inputs.
Step = tuple[str, str, Callable[[object], dict]]


def _none(world) -> dict:
    return {}


def _note(text: str) -> Callable[[object], dict]:
    return lambda world: {"note": text}


def _dispatch(world) -> dict:
    return {"unit": world.unit_a}


_ACCEPTED: list[Step] = [("alice", "accept", _none)]
_DISPATCHED = [*_ACCEPTED, ("alice", "dispatch", _dispatch)]
_IN_PROGRESS = [*_DISPATCHED, ("uma", "acknowledge", _none)]
_RESOLVED = [*_IN_PROGRESS, ("uma", "resolve", _note("已更换水管"))]
_VERIFIED = [*_RESOLVED, ("gina", "verify", _none)]

WALKS: dict[str, list[Step]] = {
    State.REPORTED: [],
    State.ACCEPTED: _ACCEPTED,
    State.REJECTED: [("alice", "reject", _note("不属于社区受理范围"))],
    State.DISPATCHED: _DISPATCHED,
    State.IN_PROGRESS: _IN_PROGRESS,
    State.RESOLVED: _RESOLVED,
    State.REWORK: [*_RESOLVED, ("gina", "fail", _note("仍在漏水"))],
    State.VERIFIED: _VERIFIED,
    State.CLOSED: [*_VERIFIED, ("alice", "close", _none)],
    State.ON_HOLD: [*_ACCEPTED, ("alice", "hold", _note("等待维修基金审批"))],
    # MERGED needs a master: see case_in_state.
}


def leak_category(world) -> Category:
    """The pipe-leak category, routed to the property unit in community A."""
    cat = category()
    Route.objects.get_or_create(category=cat, area=world.community_a,
                                defaults={"unit": world.unit_a})
    return cat


def report(world, reporter=None, area=None, cat: Category | None = None, **extra) -> Case:
    return case_report(actor=reporter or world.rita, category=cat or leak_category(world),
                       area=area or world.dwelling_a,
                       description=extra.pop("description", "厨房水管漏水，地面积水"),
                       **extra)


def case_in_state(world, state: str, *, reporter=None, dispatcher=None) -> Case:
    """A case of `reporter` (rita) walked to `state`; `dispatcher` (alice) takes the
    dispatcher's steps."""
    case = report(world, reporter)
    if state == State.MERGED:
        master = report(world, reporter, description="同一处漏水，楼上邻居也报了")
        return case_transition(actor=dispatcher or world.alice, case=case, action="merge",
                               master=master)
    for actor_name, action, inputs in WALKS[state]:
        actor = getattr(world, actor_name)
        if actor_name == "alice" and dispatcher is not None:
            actor = dispatcher
        case = case_transition(actor=actor, case=case, action=action, **inputs(world))
    assert case.state == state
    return case


def second_unit(world):
    """Another active unit serving community A: where a reassignment (改派) can go."""
    from linli.orgs.models import Unit
    from linli.orgs.tests.factories import UnitFactory

    unit = Unit.objects.filter(name="花楼维修队").first()
    return unit or UnitFactory(name="花楼维修队", service_areas=[world.community_a])


def noticed_case(world, state: str, *, respond_in=None) -> Case:
    """A case walked to `state` (dispatched or later, the unit still holding it) with a
    supervision notice alice issued right after the dispatch, still unanswered."""
    from datetime import timedelta

    from django.utils import timezone

    case = report(world)
    for actor_name, action, inputs in WALKS[state]:
        case = case_transition(actor=getattr(world, actor_name), case=case, action=action,
                               **inputs(world))
        if action == "dispatch":
            case = case_transition(
                actor=world.alice, case=case, action="notice", note="请今天内上门处理",
                respond_by=timezone.now() + (respond_in or timedelta(days=1)))
    assert case.state == state and case.notice_due_at is not None
    return case


def more_actors(world):
    """Beside the standard world: rex, a resident of dwelling A who did not report;
    ulla, a member of community B's unit; gwen, grid worker of grid A2; alma, a second
    dispatcher of community A; una, a second member of unit A."""
    for name, role, area, unit in [
        ("rex", Role.RESIDENT, world.dwelling_a, None),
        ("ulla", Role.UNIT_MEMBER, world.community_b, world.unit_b),
        ("gwen", Role.GRID_WORKER, world.grid_a2, None),
        ("alma", Role.DISPATCHER, world.community_a, None),
        ("una", Role.UNIT_MEMBER, world.community_a, world.unit_a),
    ]:
        user = cast(User, UserFactory(username=name))
        assign(user, role, area, unit=unit)
        setattr(world, name, user)
    return world


def snapshot(case: Case) -> dict:
    """Everything a refused action must leave as it was: the row, its event log, its photos
    and extensions, and the audit log."""
    from linli.cases.models import CaseEvent, Extension, Photo
    from linli.core.models import AuditEntry

    return {
        "row": Case.objects.filter(pk=case.pk).values().get(),
        "events": list(CaseEvent.objects.filter(case_id=case.pk).values_list("id", flat=True)),
        "photos": Photo.objects.filter(case_id=case.pk).count(),
        "extensions": list(Extension.objects.filter(case_id=case.pk).values()),
        "audit": AuditEntry.objects.count(),
    }
