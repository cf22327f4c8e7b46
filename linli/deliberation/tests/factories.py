"""Builders for deliberation tests. Residents are made through the registry's services;
topics, bodies and draft votes are rows as the services would write them; a vote is opened
through the workflow (the electorate is frozen by the real code).

The world (linli/conftest.py): alice is the dispatcher of community A, bob of community B,
gina the grid worker of grid A1, rita a resident of dwelling A (101), leo the street's leader.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import cast

from django.db import transaction
from django.utils import timezone

from linli.accounts.models import Role, User
from linli.accounts.tests.factories import UserFactory, assign
from linli.deliberation.models import (
    Body,
    BodyKind,
    Category,
    Electorate,
    Member,
    Option,
    Stance,
    Threshold,
    Topic,
    Vote,
)
from linli.deliberation.workflow import VOTES
from linli.orgs.models import Area
from linli.orgs.tests.factories import make_area
from linli.people.models import Resident
from linli.people.tests.factories import resident

ADULT = date(1980, 1, 1)
CHILD = date.today().replace(year=date.today().year - 10)


def dwellings(parent: Area, count: int, floor_area: Decimal | None = Decimal("90.00"),
              prefix: str = "") -> list[Area]:
    """`count` dwellings under `parent`, named 1001, 1002 …, each with a floor area."""
    made = []
    for n in range(count):
        d = make_area("dwelling", f"{prefix}{1001 + n}", parent)
        if floor_area is not None:
            Area.objects.filter(pk=d.pk).update(floor_area=floor_area)
            d.floor_area = floor_area
        made.append(d)
    return made


def voter(actor, dwelling: Area, username: str, *, name: str = "", born: date = ADULT,
          tenure: str = "owner", relation: str = "head") -> User:
    """A resident login with a registry record at `dwelling`."""
    user = cast(User, UserFactory(username=username))
    assign(user, Role.RESIDENT, dwelling)
    resident(actor, dwelling, name or f"居民{username}", user=user, birth_date=born,
             tenure=tenure, relation=relation)
    return user


def person(actor, dwelling: Area, name: str = "王建国", *, born: date = ADULT,
           tenure: str = "owner", relation: str = "head") -> Resident:
    """A registry resident without a login (votes on paper)."""
    return resident(actor, dwelling, name, birth_date=born, tenure=tenure, relation=relation)


def topic(world, *, area: Area | None = None, actor=None, title: str = "小区停车难",
          category: str = Category.PARKING, state: str = "raised",
          supporters_needed: int = 10, **fields) -> Topic:
    area = area or world.estate_a
    return Topic.objects.create(
        area=area, area_path=area.path, title=title, description=f"{title}，请大家议一议。",
        category=category, state=state, raised_by=actor or world.rita,
        supporters_needed=supporters_needed, **fields)


def body(world, *, area: Area | None = None, name: str = "花楼社区议事会",
         kind: str = BodyKind.COUNCIL, members: list | None = None,
         quorum: str = ">1/2") -> Body:
    """A body for a term that runs this year; `members` are residents or users."""
    area = area or world.community_a
    today = timezone.localdate()
    made = Body.objects.create(area=area, area_path=area.path, name=name, kind=kind,
                               term_start=today - timedelta(days=365),
                               term_end=today + timedelta(days=3 * 365), quorum=quorum)
    for someone in members or ():
        is_resident = isinstance(someone, Resident)
        Member.objects.create(body=made, resident=someone if is_resident else None,
                              user=None if is_resident else someone,
                              name=someone.name if is_resident else someone.username,
                              joined_on=today - timedelta(days=30))
    return made


YES_NO = (("同意", Stance.FOR), ("反对", Stance.AGAINST), ("弃权", Stance.ABSTAIN))


def vote(world, *, area: Area | None = None, electorate: str = Electorate.HOUSEHOLDS,
         threshold: str = Threshold.MAJORITY_CAST, question: str = "是否同意加装电梯？",
         options=YES_NO, opened: bool = True, actor=None, closes_in=timedelta(days=7),
         **fields) -> Vote:
    """A vote, opened by `actor` (alice) unless `opened` is False."""
    area = area or world.estate_a
    made = Vote.objects.create(
        area=area, area_path=area.path, question=question, electorate=electorate,
        threshold=threshold, opens_at=timezone.now(), closes_at=timezone.now() + closes_in,
        created_by=actor or world.alice, **fields)
    for position, (label, stance) in enumerate(options):
        Option.objects.create(vote=made, label=label, stance=stance, position=position)
    if opened:
        with transaction.atomic():
            VOTES.transition(actor=actor or world.alice, obj=made, action="open")
    return made


def option(made: Vote, stance: str = Stance.FOR) -> Option:
    return made.options.get(stance=stance)
