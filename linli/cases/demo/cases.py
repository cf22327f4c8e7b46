"""The demo's cases: a default unit for every leaf category in both communities, and about
200 cases in every state over the last 60 days.

Each case is walked through the real services (`case_report`, `case_transition`,
`extension_request`, `extension_decide`) with the clock set in the past, so the event log,
deadlines, lateness flags and traffic lights are what a working community would have.
Content comes from one seeded generator and timing from another, so the same cases, in
the same states, appear whatever day the demo is loaded.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from linli.accounts.models import Role, RoleAssignment, User
from linli.cases.demo import data as d
from linli.cases.models import Case, Category, Channel, Extension, LimitUnit, Route
from linli.cases.services import case_report, case_transition, extension_decide, extension_request
from linli.core.demo import DemoContext
from linli.core.tasks import tasks_muted
from linli.core.workcalendar import add_working_time, hours_per_day, is_workday, working_windows
from linli.orgs.demo import DemoTree
from linli.orgs.models import Area, Unit

SEED = 2026


@dataclass
class Place:
    community: Area
    grid: Area
    estate: Area
    building: Area
    entrance: Area
    dwelling: Area


@dataclass
class People:
    dispatchers: dict[int, User] = field(default_factory=dict)   # community id ->
    grid_workers: dict[int, User] = field(default_factory=dict)  # grid id ->
    members: dict[int, User] = field(default_factory=dict)       # unit id ->
    residents: dict[int, list[User]] = field(default_factory=dict)  # community id ->
    homes: dict[int, Place] = field(default_factory=dict)          # user id ->


@dataclass
class CasePlan:
    path: str
    code: str
    place: Place
    level: str
    channel: str
    reporter: User
    verifier: User
    seed: int
    master: "CasePlan | None" = None
    photos: bool = False
    handle_hours: float = 8.0
    times: list[datetime] = field(default_factory=list)
    case: Case | None = None

    @property
    def steps(self) -> list[str]:
        return d.PATHS[self.path]

    @property
    def area(self) -> Area:
        return getattr(self.place, self.level)


def demo_routes(tree: DemoTree) -> int:
    """A default unit for every active leaf category in each community."""
    leaves = list(Category.objects.exclude(triage="").filter(is_active=True))
    rows = []
    for community, own in zip(tree.communities, ("property_a", "property_b"), strict=True):
        for category in leaves:
            key = d.ROUTES.get(category.code, "property")
            unit = tree.units[own if key == "property" else key]
            rows.append(Route(category=category, area=community, unit=unit))
    Route.objects.bulk_create(rows)
    return len(rows)


def demo_cases(tree: DemoTree, *, now: datetime | None = None) -> int:
    """Routes plus the demo cases; returns how many cases were created."""
    now = now or timezone.now()
    demo_routes(tree)
    rng, clock = random.Random(SEED), random.Random(SEED + 1)
    places = _places(tree)
    people = _people(places)
    categories = {c.code: c for c in Category.objects.all()}
    hours = {code: _handle_hours(c) for code, c in categories.items() if c.handle_limit}
    plans = _plan(rng, clock, now, tree, places, people, hours)
    photos = d.jpegs()
    # History, not live work: nobody is notified about events weeks old.
    with tasks_muted():
        for plan in sorted(plans, key=lambda p: p.times[0]):
            _walk(plan, categories, people, tree, photos)
    return len(plans)


# --- who and where ------------------------------------------------------------------------

def _places(tree: DemoTree) -> list[Place]:
    areas = {a.pk: a for a in Area.objects.filter(path__startswith=tree.district.path)}
    places = []
    for dwelling in tree.dwellings:
        chain = {areas[pk].kind: areas[pk] for pk in dwelling.ancestor_ids}
        places.append(Place(chain["community"], chain["grid"], chain["estate"],
                            chain["building"], chain["entrance"], dwelling))
    return places


def _people(places: list[Place]) -> People:
    people = People()
    by_dwelling = {p.dwelling.pk: p for p in places}
    rows = RoleAssignment.objects.select_related("user", "area").order_by("user__username")
    for row in rows:
        if row.role == Role.DISPATCHER:
            people.dispatchers[row.area_id] = row.user
        elif row.role == Role.GRID_WORKER:
            people.grid_workers[row.area_id] = row.user
        elif row.role == Role.UNIT_MEMBER and row.unit_id is not None:
            people.members.setdefault(row.unit_id, row.user)
        elif row.role == Role.RESIDENT and row.area_id in by_dwelling:
            home = by_dwelling[row.area_id]
            people.residents.setdefault(home.community.pk, []).append(row.user)
            people.homes[row.user.pk] = home
    return people


def _reporter(rng: random.Random, people: People, places: list[Place], community: Area,
              channel: str, level: str) -> tuple[User, Place]:
    local = [p for p in places if p.community.pk == community.pk]
    if channel == Channel.RESIDENT_WEB:
        user = rng.choice(people.residents[community.pk])
        home = people.homes[user.pk]
        if level == "dwelling":
            return user, home
        nearby = [p for p in local if p.estate.pk == home.estate.pk]
        return user, rng.choice(nearby if rng.random() < 0.6 else local)
    place = rng.choice(local)
    if channel == Channel.GRID_PATROL:
        return people.grid_workers[place.grid.pk], place
    return people.dispatchers[community.pk], place


def _channel(rng: random.Random, path: str, code: str) -> str:
    # Ratings, reopening and private matters come from residents themselves.
    if any(s.startswith(("rate", "reopen")) for s in d.PATHS[path]) or code in d.PRIVATE:
        return Channel.RESIDENT_WEB
    return rng.choices([Channel.RESIDENT_WEB, Channel.GRID_PATROL, Channel.HOTLINE],
                       weights=[55, 30, 15])[0]


def _code(rng: random.Random, path: str) -> str:
    if path == "advised":
        return rng.choice(sorted(d.PRIVATE))
    excluded = set(d.PRIVATE)
    if not path.startswith("closed"):  # emergencies do not sit waiting or get refused
        excluded |= d.EMERGENCY
    if path in ("in_progress_overdue", "reported_overdue"):
        excluded |= d.LONG_LIMIT
    codes = [c for c in d.TEXTS if c not in excluded]
    return rng.choices(codes, weights=[d.TEXTS[c].weight for c in codes])[0]


# --- the plan -----------------------------------------------------------------------------

def _handle_hours(category: Category) -> float:
    """The category's handling limit in hours of its own clock."""
    per_unit = float(hours_per_day()) if category.limit_unit == LimitUnit.WORK_DAYS else 1.0
    return float(category.handle_limit or 0) * per_unit


def _plan(rng, clock, now, tree, places, people, hours) -> list[CasePlan]:
    plans: list[CasePlan] = []
    for path, count, age in d.PLAN:
        for _ in range(count):
            community = tree.communities[0 if rng.random() < 0.55 else 1]
            if path.startswith("merged"):
                plan = _duplicate(rng, plans, path, community, places, people, now)
                _schedule(plan, clock, now, floor=plan.master.times[0] if plan.master else None)
            else:
                plan = _new_plan(rng, path, community, places, people)
                plan.handle_hours = hours[plan.code]
                _schedule(plan, clock, now, age=age)
            plan.photos = len(plans) % 17 == 5
            plans.append(plan)
    return plans


def _new_plan(rng, path, community, places, people) -> CasePlan:
    code = _code(rng, path)
    level = d.TEXTS[code].level
    channel = _channel(rng, path, code)
    reporter, place = _reporter(rng, people, places, community, channel, level)
    grid_worker = people.grid_workers[place.grid.pk]
    by_reporter = channel == Channel.RESIDENT_WEB and rng.random() < 0.4
    return CasePlan(path, code, place, level, channel, reporter,
                    reporter if by_reporter else grid_worker, rng.randrange(1 << 30))


def _duplicate(rng, plans, path, community, places, people, now) -> CasePlan:
    """A second report of an open case: same category and place, another reporter."""
    old = now - timedelta(days=6)
    masters = [p for p in plans if p.path in d.OPEN_PATHS and p.times[0] < old
               and p.place.community.pk == community.pk]
    master = rng.choice(masters)
    others = [u for u in people.residents[community.pk] if u != master.reporter]
    return CasePlan(path, master.code, master.place, master.level, Channel.RESIDENT_WEB,
                    rng.choice(others), master.verifier, rng.randrange(1 << 30),
                    master=master)


# --- the clock ----------------------------------------------------------------------------

def _schedule(plan: CasePlan, clock: random.Random, now: datetime,
              age: tuple[float, float] = (0, 0), floor: datetime | None = None) -> None:
    """Report time and one time per step, every one of them in the past."""
    if floor is not None:
        start = floor + timedelta(hours=clock.uniform(1, 48))
    else:
        start = now - timedelta(days=clock.uniform(*age))
    for _ in range(120):
        times = _times(plan, clock, start)
        if times[-1] <= now - timedelta(minutes=5):
            plan.times = times
            return
        start -= timedelta(hours=12 if floor else 24)
    raise RuntimeError(f"demo case {plan.path} does not fit before now")


def _times(plan: CasePlan, clock: random.Random, start: datetime) -> list[datetime]:
    urgent = plan.code in d.EMERGENCY
    staff_reports = plan.channel == Channel.GRID_PATROL
    at = start if urgent else _snap(start, clock, staff_reports)
    times = [at]
    for step in plan.steps:
        name = step.partition(":")[0]
        hours = _gap(plan, name, clock)
        by_resident = name in ("rate", "reopen") or (
            name in ("verify", "fail") and plan.verifier == plan.reporter
            and plan.channel == Channel.RESIDENT_WEB)
        if urgent:
            at += timedelta(hours=hours)
        elif by_resident:
            at = _snap(at + timedelta(hours=hours), clock, working=False)
        else:
            at = add_working_time(at, hours)
        times.append(at)
    return times


def _gap(plan: CasePlan, action: str, clock: random.Random) -> float:
    """Hours from the previous step. Handling steps take a share of the category's limit,
    so short and long limits are met about equally often; the rest have fixed ranges."""
    share = d.HANDLING_SHARE.get(action)
    if share is None:
        return clock.uniform(*d.GAPS[action]) * (0.1 if plan.code in d.EMERGENCY else 1)
    hours = plan.handle_hours * clock.uniform(*share)
    if action == "resolve" and clock.random() < d.SLOW_SHARE:
        hours *= d.SLOW_FACTOR
    return hours


def _snap(moment: datetime, clock: random.Random, working: bool) -> datetime:
    """Move `moment` into working hours (staff) or waking hours (residents)."""
    local = timezone.localtime(moment)
    windows = working_windows() if working else ((time(7), time(22)),)
    for _ in range(40):
        if not working or is_workday(local.date()):
            for begin, end in windows:
                opens = local.replace(hour=begin.hour, minute=begin.minute, second=0)
                closes = local.replace(hour=end.hour, minute=end.minute, second=0)
                if local < opens:
                    return opens + timedelta(minutes=clock.uniform(1, 50))
                if local < closes:
                    return local
        local = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0)
    return local


# --- walking a case -----------------------------------------------------------------------

def _walk(plan: CasePlan, categories, people: People, tree: DemoTree, photos) -> None:
    rng = random.Random(plan.seed)
    case = _report(plan, categories[plan.code], rng, photos)
    for step, at in zip(plan.steps, plan.times[1:], strict=True):
        case = _step(plan, case, step, at, rng, people, tree, photos)
    plan.case = case


def _report(plan: CasePlan, category: Category, rng: random.Random, photos) -> Case:
    text = d.TEXTS[plan.code]
    p = plan.place
    words = {"estate": p.estate.name, "building": p.building.name,
             "entrance": p.entrance.name, "room": p.dwelling.name}
    description = rng.choice(text.descriptions).format(**words)
    prefix: dict[str, str] = {Channel.HOTLINE: "市民来电反映：",
                              Channel.GRID_PATROL: "网格巡查发现："}
    kinds = ["estate", "building", "entrance", "dwelling"]
    address = "".join(words[k if k != "dwelling" else "room"]
                      for k in kinds[:kinds.index(plan.level) + 1])
    anchor = p.estate if plan.level == "estate" else p.building
    return case_report(
        actor=plan.reporter, category=category, area=plan.area, channel=plan.channel,
        title=rng.choice(text.titles).format(**words)[:100],
        description=prefix.get(plan.channel, "") + description, address=address,
        lat=_near(anchor.lat, rng), lng=_near(anchor.lng, rng),
        photos=d.uploads(photos, rng, 2) if plan.photos else (),
        reporter_name=rng.choice(d.CALLER_NAMES) if plan.channel == Channel.HOTLINE
        else "", now=plan.times[0])


def _near(value: Decimal | None, rng: random.Random) -> Decimal | None:
    """A point within about 60 m, so a map does not stack an estate's cases on one pin."""
    if value is None:
        return None
    return value + Decimal("0.0006") * Decimal(rng.randint(-100, 100)) / 100


def _member(people: People, case: Case) -> User:
    return people.members[case.unit_id or 0]


def _step(plan, case, step, at, rng, people, tree, photos) -> Case:
    action, _sep, arg = step.partition(":")
    if action == "ext":
        return _extension(case, arg, at, rng, people)
    actor = people.dispatchers[plan.place.community.pk]
    data: dict = {}
    by_reporter = (action in ("verify", "fail") and plan.verifier == plan.reporter
                   and plan.channel == Channel.RESIDENT_WEB)
    note = rng.choice(d.REPORTER_NOTES[action] if by_reporter else d.NOTES.get(action, ("",)))
    if action == "dispatch":
        data["unit"] = _wrong_unit(case, tree) if arg == "wrong" else case.suggested_unit
    elif action == "accept" and case.priority == "normal" and rng.random() < 0.08:
        data["priority"] = "urgent"
    elif action in ("acknowledge", "resolve", "return"):
        actor = _member(people, case)
        note = _unit_note(plan, case, action, note, tree)
    elif action in ("verify", "fail"):
        actor = plan.verifier
    elif action in ("rate", "reopen"):
        actor = plan.reporter
        if action == "rate":
            data.update(rating=arg, comment=rng.choice(d.RATING_COMMENTS[arg]))
    elif action == "advise":
        note = rng.choice(d.ADVICE_NOTES[plan.code])
    elif action == "merge" and plan.master is not None:
        data["master"] = plan.master.case
        note = f"与#{data['master'].pk}为同一问题，并单处理。"
    evidence = d.uploads(photos, rng, 1) if action == "resolve" and plan.photos else ()
    return case_transition(actor=actor, case=case, action=action, note=note, now=at,
                           photos=evidence, **data)


def _unit_note(plan: CasePlan, case: Case, action: str, note: str, tree: DemoTree) -> str:
    if action == "resolve":
        return d.TEXTS[plan.code].resolution
    if action == "return":
        right = case.suggested_unit.name if case.suggested_unit else ""
        return f"不属于我单位职责范围，请改派{right}。"
    return note


def _wrong_unit(case: Case, tree: DemoTree) -> Unit:
    """A plausible mistake: the municipal repair team for an estate matter, or else the
    estate's property company."""
    repair = tree.units["repair"]
    if case.suggested_unit_id != repair.pk:
        return repair
    own = "property_a" if case.community_id == tree.communities[0].pk else "property_b"
    return tree.units[own]


def _extension(case: Case, decision: str, at: datetime, rng: random.Random,
               people: People) -> Case:
    if not decision:
        extension_request(actor=_member(people, case), case=case,
                          amount=d.EXTRA_TIME[LimitUnit(case.limit_unit)],
                          reason=rng.choice(d.EXTENSION_REASONS), now=at)
        return case
    pending = case.extensions.get(decision=Extension.Decision.PENDING)
    note = "同意延期。" if decision == "approve" else "时限内可以完成，不同意延期。"
    return extension_decide(actor=people.dispatchers[case.community_id], extension=pending,
                            approve=decision == "approve", note=note, now=at)


def demo_step_categories(demo: DemoContext) -> None:
    from linli.cases.categories import categories_load

    categories_load()


def demo_step_cases(demo: DemoContext) -> None:
    demo_cases(demo.tree)


DEMO_STEPS = [(10, demo_step_categories), (40, demo_step_cases)]
