"""The demo registers: about 450 residents in households over the demo dwellings, the seven
standard care tags with their legal basis, care plans held by the grid workers, and visits,
some overdue. The demo `resident` login (张秀兰, living alone) is linked to her record, so
"what Linli holds about me" shows her tag, plan and visits.

Households are written by the spreadsheet import's writer (`imports.write.registry_write`,
ciphertext and keyed hashes as an import makes them); logins, move-outs and all care go
through the services (`resident_link_user`, `resident_move_out`, `consent_record`,
`resident_tag_add`, `care_plan_save`, `visit_record`), so the audit log is what a working
community would have. One seeded generator makes the same people every time;
ID numbers carry the 江汉区 area code 420103, a birth date and a valid check digit.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from linli.accounts.models import Role, RoleAssignment, User
from linli.core.audit import audit_record
from linli.core.crypto import blind_index, decrypt
from linli.core.demo import DemoContext
from linli.orgs.demo import DemoTree
from linli.orgs.models import Area
from linli.people import services
from linli.people.demo import data as d
from linli.people.demo.care_tags import care_tags_ensure
from linli.people.imports.cells import Person as Row
from linli.people.imports.write import registry_write
from linli.people.models import CarePlan, CareTag, Consent, Relation, Resident, Tenure, VisitKind
from linli.people.validators import id_number_check_digit

SEED = 2026
# Birth dates are fixed against this day, so the same ID numbers appear whenever loaded.
REFERENCE = date(2026, 1, 1)
# (kind, weight): who lives in a dwelling.
KINDS = [("alone_elderly", 12), ("elderly_couple", 14), ("family", 34), ("three_generations", 12),
         ("grandparents", 8), ("young_tenant", 10), ("empty", 22)]
# Care tag code -> how many residents carry it.
TAGGED = {"lonely_elderly": 7, "disabled_care": 3, "disability": 3, "subsistence": 3,
          "left_behind_child": 3, "community_correction": 2, "severe_mental": 2}


@dataclass
class Person:
    name: str
    gender: str
    born: date
    relation: str
    phone: str = ""
    login: User | None = None


@dataclass
class Demo:
    rng: random.Random
    today: date
    ref: date
    ids: set[str] = field(default_factory=set)
    keepers: dict[str, User] = field(default_factory=dict)  # community path -> dispatcher
    workers: dict[str, User] = field(default_factory=dict)  # grid path -> grid worker
    rows: list[tuple[Row, str, User | None]] = field(default_factory=list)  # row, kind, login
    residents: list[tuple[Resident, str]] = field(default_factory=list)  # (resident, kind)

    def keeper(self, path: str) -> User:
        return next(u for p, u in self.keepers.items() if path.startswith(p))

    def worker(self, path: str) -> User:
        return next(u for p, u in self.workers.items() if path.startswith(p))


# --- synthetic people ------------------------------------------------------------------

def _born(demo: Demo, youngest: int, oldest: int) -> date:
    years = demo.rng.randint(youngest, oldest)
    return demo.ref - timedelta(days=int(years * 365.25) + demo.rng.randint(0, 364))


def _person(demo: Demo, relation: str, youngest: int, oldest: int, surname: str = "",
            gender: str = "") -> Person:
    rng = demo.rng
    gender = gender or rng.choice(["male", "female"])
    given = rng.choice(d.GIVEN_MALE if gender == "male" else d.GIVEN_FEMALE)
    born = _born(demo, youngest, oldest)
    adult = (demo.ref - born).days > 14 * 365
    phone = rng.choice(d.PHONE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}" if adult else ""
    return Person(f"{surname or rng.choice(d.SURNAMES)}{given}", gender, born, relation, phone)


def _household(demo: Demo, kind: str) -> list[Person]:
    """The members of one household of this kind, head first."""
    rng = demo.rng
    if kind == "alone_elderly":
        return [_person(demo, Relation.HEAD, 72, 90)]
    if kind == "young_tenant":
        return [_person(demo, Relation.HEAD, 22, 34)]
    old = kind in ("elderly_couple", "grandparents")
    head = _person(demo, Relation.HEAD, 62 if old else 32, 85 if old else 50, gender="male")
    surname = head.name[0]
    members = [head, _person(demo, Relation.SPOUSE, 60 if old else 30, 82 if old else 48,
                             gender="female")]
    if kind == "grandparents":
        members.append(_person(demo, Relation.GRANDCHILD, 6, 13, surname))
    elif kind in ("family", "three_generations"):
        members += [_person(demo, Relation.CHILD, 1, 20, surname)
                    for _ in range(rng.choice([1, 1, 2]))]
    if kind == "three_generations":
        members.append(_person(demo, Relation.PARENT, 68, 88, surname))
    return members


def _id_number(demo: Demo, person: Person) -> str:
    serial = demo.rng.randint(1, 499) * 2 - (person.gender == "male")  # odd: male
    while True:
        first17 = f"{d.AREA_CODE}{person.born:%Y%m%d}{serial % 1000:03d}"
        number = first17 + id_number_check_digit(first17)
        if number not in demo.ids:
            demo.ids.add(number)
            return number
        serial += 2


# --- registering -----------------------------------------------------------------------

def _logins(tree: DemoTree) -> dict[int, User]:
    """Dwelling id -> the demo login living there (residents and the volunteer)."""
    rows = RoleAssignment.objects.filter(role=Role.RESIDENT, user__username__in=list(
        d.LOGIN_GENDERS)).select_related("user")
    return {row.area_id: row.user for row in rows}


def _login_person(demo: Demo, user: User, kind: str) -> list[Person]:
    """A household with the login's person in it: the head, or the spouse of a male head."""
    members = _household(demo, kind)
    gender = d.LOGIN_GENDERS[user.username]
    person = members[0]
    if len(members) > 1 and members[1].relation == Relation.SPOUSE and gender == "female":
        person = members[1]
    person.name = user.display_name.split()[-1]
    person.gender = gender
    person.phone = decrypt(user.phone_cipher) if user.phone_cipher else person.phone
    person.login = user
    return members


def _row(demo: Demo, dwelling: Area, head: Person, person: Person, tenure: str,
         moved_in: date) -> Row:
    number = _id_number(demo, person)
    return Row(row=0, place=(), head_name=head.name, relation=person.relation,
               name=person.name, id_number=number, phone=person.phone,
               birth_date=person.born, gender=person.gender, tenure=tenure,
               moved_in=max(moved_in, person.born), moved_out=None,
               id_hash=blind_index(number), dwelling_id=dwelling.pk,
               dwelling_path=dwelling.path)


def _household_rows(demo: Demo, dwelling: Area, kind: str, members: list[Person]) -> None:
    head = members[0]
    moved_in = min(demo.ref - timedelta(days=60), max(
        date(1995, 1, 1), head.born + timedelta(days=365 * 24 + demo.rng.randint(0, 3000))))
    tenure = Tenure.TENANT if kind == "young_tenant" else demo.rng.choice(
        [Tenure.OWNER, Tenure.OWNER, Tenure.OWNER, Tenure.TENANT])
    for person in members:
        row = _row(demo, dwelling, head, person, tenure, moved_in)
        demo.rows.append((row, kind, person.login))


def _register(demo: Demo) -> None:
    """All households at once, through the spreadsheet import's writer (the rows are made
    valid here); then the logins are linked through the service, which checks them."""
    registry_write([row for row, _kind, _login in demo.rows])
    by_hash = {r.id_number_hash: r for r in Resident.objects.select_related("user")}
    for row, kind, login in demo.rows:
        resident = by_hash[row.id_hash]
        if login is not None:
            resident = services.resident_link_user(actor=demo.keeper(resident.area_path),
                                                   resident=resident, user=login)
        demo.residents.append((resident, kind))
    audit_record(actor=None, action="resident.imported", object_type="people.resident",
                 object_label="demo", changes={"residents_created": len(demo.rows)})


def _kind(demo: Demo) -> str:
    return demo.rng.choices([k for k, _w in KINDS], weights=[w for _k, w in KINDS])[0]


def _staff(demo: Demo, tree: DemoTree) -> None:
    for row in RoleAssignment.objects.filter(role__in=[Role.DISPATCHER, Role.GRID_WORKER],
                                             area__in=tree.communities + tree.grids
                                             ).select_related("user", "area"):
        target = demo.keepers if row.role == Role.DISPATCHER else demo.workers
        target.setdefault(row.area.path, row.user)


def _move_some_out(demo: Demo) -> None:
    """A few residents moved away this year (their households stay)."""
    movers = [r for r, kind in demo.residents if r.relation == Relation.CHILD
              and r.birth_date and (demo.ref - r.birth_date).days > 18 * 365]
    for resident in demo.rng.sample(movers, min(6, len(movers))):
        moved_out = demo.today - timedelta(days=demo.rng.randint(10, 200))
        if resident.moved_in and moved_out > resident.moved_in:
            services.resident_move_out(actor=demo.keeper(resident.area_path),
                                       resident=resident, moved_out=moved_out)


# --- care ------------------------------------------------------------------------------

def _age(demo: Demo, resident: Resident) -> int:
    return (demo.ref - resident.birth_date).days // 365 if resident.birth_date else 0


def _candidates(demo: Demo, code: str) -> list[Resident]:
    living = [(r, k) for r, k in demo.residents if r.moved_out is None and r.user_id is None]
    rules = {
        "lonely_elderly": lambda r, k: k == "alone_elderly",
        "disabled_care": lambda r, k: _age(demo, r) >= 75 and k != "alone_elderly",
        "disability": lambda r, k: 30 <= _age(demo, r) <= 60,
        "subsistence": lambda r, k: r.relation == Relation.HEAD and k == "family",
        "left_behind_child": lambda r, k: r.relation == Relation.GRANDCHILD,
        "community_correction": lambda r, k: r.gender == "male" and 25 <= _age(demo, r) <= 50,
        "severe_mental": lambda r, k: 25 <= _age(demo, r) <= 60 and k != "young_tenant",
    }
    return [r for r, k in living if rules[code](r, k)]


def _tag_plan(demo: Demo) -> dict[int, tuple[Resident, list[CareTag]]]:
    """resident id -> (resident, tags), every standard tag at least once."""
    care_tags_ensure()  # tables emptied by a test run lose the seeded tags
    tags = {tag.code: tag for tag in CareTag.objects.filter(code__in=list(TAGGED))}
    chosen: dict[int, tuple[Resident, list[CareTag]]] = {}
    login = next(r for r, _k in demo.residents
                 if r.user is not None and r.user.username == "resident")
    chosen[login.pk] = (login, [tags["lonely_elderly"]])
    for code, count in TAGGED.items():
        pool = _candidates(demo, code)
        for resident in demo.rng.sample(pool, min(count, len(pool))):
            chosen.setdefault(resident.pk, (resident, []))[1].append(tags[code])
    return chosen


def _care_for(demo: Demo, resident: Resident, tags: list[CareTag], overdue: bool) -> None:
    rng, keeper = demo.rng, demo.keeper(resident.area_path)
    basis = rng.choice([Consent.Basis.LEGAL_DUTY, Consent.Basis.CONSENT])
    reference = "江汉民政〔2025〕12号" if basis == Consent.Basis.LEGAL_DUTY else "本人书面同意书"
    services.consent_record(actor=keeper, resident=resident, basis=basis,
                                 reference=reference)
    for tag in tags:
        services.resident_tag_add(actor=keeper, resident=resident, tag=tag,
                                       note=rng.choice(["", "民政部门认定", "街道复核通过"]))
    contact = (f"{rng.choice(d.CONTACT_RELATIONS)} {rng.choice(d.SURNAMES)}"
               f"{rng.choice(d.GIVEN_FEMALE)} {rng.choice(d.PHONE_PREFIXES)}"
               f"{rng.randint(0, 99_999_999):08d}")
    worker = demo.worker(resident.area_path)
    plan = services.care_plan_save(actor=keeper, resident=resident, grid_worker=worker,
                                        emergency_contact=contact, needs=rng.choice(d.NEEDS),
                                        next_visit_due=demo.today - timedelta(days=84))
    _visits(demo, resident, plan, worker, overdue)


def _visits(demo: Demo, resident: Resident, plan: CarePlan, worker: User,
            overdue: bool) -> None:
    rng = demo.rng
    stop = demo.today - timedelta(days=plan.visit_every_days + rng.randint(3, 20)) \
        if overdue else demo.today
    due = plan.next_visit_due
    while (visited := due + timedelta(days=rng.randint(-2, 1))) <= stop:
        services.visit_record(
            actor=worker, resident=resident, visited_on=visited,
            kind=rng.choice([VisitKind.HOME, VisitKind.HOME, VisitKind.PHONE]),
            findings=rng.choice(d.FINDINGS), follow_up_needed=rng.random() < 0.1)
        due = visited + timedelta(days=plan.visit_every_days)


def _care(demo: Demo) -> int:
    plans = sorted(_tag_plan(demo).values(), key=lambda item: item[0].pk)
    seen_grids: set[str] = set()
    for index, (resident, tags) in enumerate(plans):
        grid = next(p for p in demo.workers if resident.area_path.startswith(p))
        # The first plan of every grid is overdue, so each to-do list has one; then 1 in 3.
        overdue = resident.user_id is None and (grid not in seen_grids or index % 3 == 1)
        if resident.user_id is None:
            seen_grids.add(grid)
        _care_for(demo, resident, tags, overdue)
    return len(plans)


def demo_people(tree: DemoTree, *, today: date | None = None) -> int:
    """Register the demo residents; returns how many."""
    today = today or timezone.localdate()
    demo = Demo(rng=random.Random(SEED), today=today, ref=min(today, REFERENCE))
    _staff(demo, tree)
    logins = _logins(tree)
    for dwelling in tree.dwellings:
        kind = _kind(demo)
        login = logins.get(dwelling.pk)
        if login is not None:
            kind = "alone_elderly" if login.username == "resident" else "family"
            _household_rows(demo, dwelling, kind, _login_person(demo, login, kind))
        elif kind != "empty":
            _household_rows(demo, dwelling, kind, _household(demo, kind))
    _register(demo)
    _move_some_out(demo)
    _care(demo)
    return len(demo.residents)


def demo_step_people(demo: DemoContext) -> None:
    demo_people(demo.tree)


DEMO_STEPS = [(70, demo_step_people)]
