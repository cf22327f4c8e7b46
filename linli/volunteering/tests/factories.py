"""Builders for volunteering tests: every object is made through the real services."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import cast

from django.utils import timezone

from linli.accounts.models import Role, User
from linli.accounts.tests.factories import UserFactory, assign
from linli.points.models import EarningAction, EarningRule
from linli.volunteering import services
from linli.volunteering.models import Claim, ClaimState, Task, TaskKind, Wish, WishCategory
from linli.volunteering.services_claims import claim_create


def window(days: int = 1, hours: int = 3) -> tuple[datetime, datetime]:
    start = timezone.now().replace(microsecond=0) + timedelta(days=days)
    return start, start + timedelta(hours=hours)


def volunteer(username: str, community, dwelling=None):
    user = cast(User, UserFactory(username=username))
    assign(user, Role.VOLUNTEER, community)
    if dwelling is not None:
        assign(user, Role.RESIDENT, dwelling)
    return user


def hour_rule(community, points: int = 10, cap: int | None = 200) -> EarningRule:
    return EarningRule.objects.create(community=community, action=EarningAction.VOLUNTEER_HOUR,
                                      points_per_unit=points, cap=cap)


def wish(world, **overrides) -> Wish:
    start, end = window()
    fields = {"actor": world.rita, "area": world.dwelling_a,
              "category": WishCategory.COMPANIONSHIP, "description": "想请人陪我去医院复查",
              "starts_at": start, "ends_at": end, "address": "1栋1单元101"} | overrides
    return services.wish_post(**fields)


def task(world, *, needed: int = 2, points: int = 0, publish: bool = True, **overrides) -> Task:
    start, end = window()
    fields = {"actor": world.alice, "area": world.grid_a1, "title": "社区文艺汇演场地布置",
              "kind": TaskKind.ACTIVITY_SUPPORT, "starts_at": start, "ends_at": end,
              "volunteers_needed": needed, "points_offered": points,
              "publish": publish} | overrides
    return services.task_create(**fields)


def wish_task(world, *, needed: int = 1, points: int = 0) -> Task:
    """A task published from rita's wish by alice."""
    return services.wish_publish(actor=world.alice, wish=wish(world), title="陪同就医",
                                 volunteers_needed=needed, points_offered=points)


def claim(world, t: Task, user=None, state: str = ClaimState.CLAIMED,
          hours: str = "2.5") -> Claim:
    """A claim on `t` by `user` (vera by default), walked to `state`."""
    c = claim_create(actor=user or world.vera, task=t)
    steps: dict[str, list[str]] = {ClaimState.CHECKED_IN: ["check_in"],
             ClaimState.CHECKED_OUT: ["check_in", "check_out"],
             ClaimState.REPORTED: ["report"], ClaimState.CONFIRMED: ["report", "confirm"],
             ClaimState.WITHDRAWN: ["withdraw"], ClaimState.REJECTED: ["report", "reject"]}
    for action in steps.get(state, []):
        actor = world.alice if action in ("confirm", "reject") else c.volunteer
        c = services.transition(actor=actor, obj=c, action=action, hours=Decimal(hours),
                                note="没有来" if action == "reject" else "")
    assert c.state == state
    return c
