"""The demo's volunteering: earning rules in both communities, wishes in every state, tasks
in every state, and claims at every step, with confirmed hours, ratings and the points they
earned (so volunteers have points to spend in the store).

Everything goes through the real services with the clock set in the past, so events,
stamps, totals and the ledger are what a working community would have. Confirmations are
dated in the current month, so the honour list of the month shows them.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from linli.accounts.models import Role
from linli.core.demo import DemoContext
from linli.core.tasks import tasks_muted
from linli.orgs.demo import DemoTree
from linli.orgs.models import Area
from linli.points.models import EarningAction, EarningRule
from linli.volunteering import services
from linli.volunteering.demo.data import (
    ClaimPlan,
    TaskPlan,
    WishPlan,
    tasks_a,
    tasks_b,
    wishes_a,
    wishes_b,
)
from linli.volunteering.demo.skills import skills_load
from linli.volunteering.models import Claim, ClaimState, Skill, Task, Wish
from linli.volunteering.services_claims import claim_create
from linli.volunteering.services_profiles import profile_update

User = get_user_model()

# (action, points per unit, monthly cap per person)
RULES = [(EarningAction.VOLUNTEER_HOUR, 10, 200), (EarningAction.ACTIVITY_ATTENDANCE, 5, None),
         (EarningAction.ADOPTED_PROPOSAL, 20, None), (EarningAction.MEDIATION_HELP, 15, None)]

C = ClaimState


@dataclass(frozen=True)
class Side:
    """One community's staff."""

    community: Area
    dispatcher: str
    grid_worker: str


@dataclass
class Clock:
    """The moment the demo is loaded, and the people it has looked up (each user object
    keeps its role assignments cached, so looking them up once saves many queries)."""

    now: datetime
    confirmations: int = 0
    users: dict = field(default_factory=dict)

    def user(self, username: str):
        if username not in self.users:
            self.users[username] = User.objects.get(username=username)
        return self.users[username]

    def ago(self, days: float, hour: int | None = None) -> datetime:
        moment = self.now - timedelta(days=days)
        return moment.replace(hour=hour, minute=0) if hour is not None else moment

    def ahead(self, days: int, hour: int) -> datetime:
        return (self.now + timedelta(days=days)).replace(hour=hour, minute=0, second=0,
                                                         microsecond=0)

    def confirmed(self) -> datetime:
        """The next confirmation: recent, ten minutes apart, never before this month (the
        honour list of the month shows them)."""
        self.confirmations += 1
        start = timezone.localtime(self.now).replace(day=1, hour=0, minute=0, second=0,
                                                     microsecond=0)
        return max(self.now - timedelta(minutes=10 * self.confirmations), start)


def _home(user) -> Area:
    return user.assignments.get(role=Role.RESIDENT).area


def demo_rules(communities: list[Area]) -> None:
    for community in communities:
        for action, points, cap in RULES:
            EarningRule.objects.update_or_create(
                community=community, action=action,
                defaults={"points_per_unit": points, "cap": cap, "is_active": True})


# --- claims -----------------------------------------------------------------------------

def _walk_claim(clock: Clock, side: Side, task: Task, plan: ClaimPlan) -> Claim:
    username, state, hours, rating = plan
    volunteer = clock.user(username)
    claim = claim_create(actor=volunteer, task=task, now=task.created_at + timedelta(hours=2))
    start, end = task.starts_at, task.ends_at
    steps: list[tuple[str, object, datetime, dict]] = []
    if state in (C.CHECKED_IN, C.CHECKED_OUT):
        steps.append(("check_in", volunteer, start, {}))
    if state == C.CHECKED_OUT:
        steps.append(("check_out", volunteer, start + timedelta(hours=float(hours)), {}))
    if state in (C.REPORTED, C.CONFIRMED, C.REJECTED):
        steps.append(("report", volunteer, end, {"hours": Decimal(hours)}))
    if state == C.CONFIRMED:
        confirmer = _confirmer(clock, side, task)
        steps.append(("confirm", confirmer, clock.confirmed(),
                      {"rating": rating, "comment": "谢谢您的帮助" if rating else ""}))
    if state == C.REJECTED:
        steps.append(("reject", clock.user(side.dispatcher), end + timedelta(hours=3),
                      {"note": "当天未到岗"}))
    if state == C.WITHDRAWN:
        steps.append(("withdraw", volunteer, task.created_at + timedelta(hours=5), {}))
    for action, actor, at, data in steps:
        claim = services.transition(actor=actor, obj=claim, action=action, now=at, **data)
    return claim


def _confirmer(clock: Clock, side: Side, task: Task):
    """The wish's requester confirms their own wish's work; staff everything else."""
    wish = task.source_wish
    return clock.user(wish.requester.username if wish else side.dispatcher)


# --- tasks ------------------------------------------------------------------------------

def _times(clock: Clock, days: int, hours: int) -> tuple[datetime, datetime, datetime]:
    """Created, starts, ends: past tasks were published a week before they ran."""
    if days < 0:
        starts = clock.ago(-days, hour=9)
        created = starts - timedelta(days=7)
    else:
        starts = clock.ahead(days, hour=9)
        created = clock.ago(2)
    return created, starts, starts + timedelta(hours=hours)


def _make_task(clock: Clock, side: Side, plan: TaskPlan, wish: Wish | None = None) -> Task:
    created, starts, ends = _times(clock, plan.days, plan.hours)
    staff = clock.user(side.grid_worker if plan.by_grid_worker else side.dispatcher)
    if wish is not None:
        task = services.wish_publish(actor=staff, wish=wish, title=plan.title,
                                     volunteers_needed=plan.needed,
                                     points_offered=plan.points, now=wish.created_at
                                     + timedelta(hours=20))
    else:
        area = staff.assignments.get(role__in=[Role.DISPATCHER, Role.GRID_WORKER]).area
        task = services.task_create(
            actor=staff, area=area, title=plan.title, kind=plan.kind, starts_at=starts,
            ends_at=ends, volunteers_needed=plan.needed, points_offered=plan.points,
            publish=plan.end_state != "draft", now=created,
            description="请准时到达，穿好志愿者马甲。")
    for claim in plan.claims:
        _walk_claim(clock, side, task, claim)
    return _finish_task(task, staff, plan.end_state)


def _finish_task(task: Task, staff, end_state: str) -> Task:
    task.refresh_from_db()
    if end_state in ("in_progress", "completed"):
        task = services.transition(actor=staff, obj=task, action="start", now=task.starts_at)
    if end_state == "completed":
        task = services.transition(actor=staff, obj=task, action="complete",
                                   now=task.ends_at + timedelta(hours=1))
    if end_state == "cancelled":
        task = services.transition(actor=staff, obj=task, action="cancel",
                                   note="天气预报有雷雨，活动取消", now=task.created_at
                                   + timedelta(hours=6))
    return task


# --- wishes -----------------------------------------------------------------------------

def _make_wish(clock: Clock, side: Side, plan: WishPlan) -> Wish:
    user = clock.user(plan.requester)
    created, starts, ends = _times(clock, plan.days, plan.task.hours if plan.task else 2)
    wish = services.wish_post(actor=user, area=_home(user), category=plan.category,
                              description=plan.text, starts_at=starts, ends_at=ends,
                              address="", now=created)
    if plan.task is not None:
        _make_task(clock, side, plan.task, wish=wish)
    elif plan.end_state == "declined":
        services.transition(actor=clock.user(side.dispatcher), obj=wish, action="decline",
                            note="楼道清理由物业负责，已转物业处理", now=created
                            + timedelta(hours=4))
    elif plan.end_state == "cancelled":
        services.transition(actor=user, obj=wish, action="cancel",
                            now=created + timedelta(hours=1))
    wish.refresh_from_db()
    assert wish.state == plan.end_state, (plan.text, wish.state)
    return wish


# --- profiles and the whole demo --------------------------------------------------------

PROFILES = {  # username: (skills, availability, grid index in the demo tree)
    "volunteer": (["companionship", "digital_help"], "工作日晚上、周末全天", 0),
    "volunteer_a2": (["errands", "culture_sports"], "周末上午", 1),
    "volunteer_a3": (["plumbing_electrics", "appliance_repair", "patrol"], "随叫随到", 2),
    "volunteer_b": (["companionship", "legal_advice"], "周二、周四下午", 3),
    "volunteer_b2": (["tutoring", "haircut"], "周末", 4),
}


def _profiles(clock: Clock, tree: DemoTree) -> None:
    for username, (codes, availability, grid) in PROFILES.items():
        profile_update(actor=clock.user(username),
                       skills=list(Skill.objects.filter(code__in=codes)),
                       availability=availability, grid=tree.grids[grid])


def demo_volunteering(tree: DemoTree) -> None:
    a, b = tree.communities
    skills_load()
    demo_rules([a, b])
    clock = Clock(timezone.localtime().replace(second=0, microsecond=0))
    plans = [(Side(a, "dispatcher", "grid"), wishes_a(), tasks_a()),
             (Side(b, "dispatcher_b", "grid_b"), wishes_b(), tasks_b())]
    with tasks_muted():  # history: nobody is notified of it now
        for side, wishes, tasks in plans:
            for wish in wishes:
                _make_wish(clock, side, wish)
            for task in tasks:
                _make_task(clock, side, task)
        _profiles(clock, tree)


def demo_step_volunteering(demo: DemoContext) -> None:
    demo_volunteering(demo.tree)


DEMO_STEPS = [(60, demo_step_volunteering)]
