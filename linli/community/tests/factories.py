"""Builders for community-life tests: rows as the services would write them.

The world (linli/conftest.py): alice is the dispatcher of community A, bob of community B,
gina the grid worker of grid A1, rita a resident of dwelling A (101), leo the street's
leader, uma a member of unit A (花楼物业).
"""

import io
from datetime import datetime, timedelta
from typing import cast

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone
from PIL import Image

from linli.accounts.models import Role, User
from linli.accounts.tests.factories import UserFactory, assign
from linli.community.models import (
    Activity,
    ActivityKind,
    ActivityPhoto,
    ActivityState,
    Board,
    BoardKind,
    HonourEntry,
    Notice,
    NoticeFile,
    NoticeKind,
    NoticeState,
    SignUp,
    SubjectKind,
)
from linli.orgs.models import Area
from linli.orgs.tests.factories import make_area
from linli.people import services as people
from linli.people.models import Resident
from linli.people.tests.factories import resident


def activity(world, *, area: Area | None = None, actor=None, title: str = "反诈讲座",
             capacity: int = 10, state: str = ActivityState.PUBLISHED,
             starts_at: datetime | None = None, hours: int = 2, **fields) -> Activity:
    """An activity starting in two days by default, sign-up open from an hour ago until
    its start."""
    now = timezone.now()
    area = area or world.community_a
    starts_at = starts_at or now + timedelta(days=2)
    values = {"signup_opens_at": min(now - timedelta(hours=1), starts_at - timedelta(hours=2)),
              "signup_closes_at": starts_at, "kind": ActivityKind.LECTURE,
              "venue": "社区活动室", "check_in_code": "2468", **fields}
    return Activity.objects.create(
        area=area, area_path=area.path, title=title, capacity=capacity, state=state,
        starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
        created_by=actor or world.alice,
        published_at=now if state != ActivityState.DRAFT else None, **values)


def household_member(actor, of: Resident, name: str, **fields) -> Resident:
    """Another member of `of`'s household (a registry record without a login)."""
    values = {"relation": "child", "tenure": "owner", **fields}
    return people.resident_create(actor=actor, household=of.household, name=name, **values)


def resident_user(actor, dwelling: Area, username: str, name: str = "") -> User:
    """A resident login with a registry record at `dwelling`."""
    user = cast(User, UserFactory(username=username))
    assign(user, Role.RESIDENT, dwelling)
    resident(actor, dwelling, name or f"居民{username}", user=user)
    return user


def homes(parent: Area, count: int, prefix: str = "") -> list[Area]:
    return [make_area("dwelling", f"{prefix}{1001 + n}", parent) for n in range(count)]


def notice(world, *, area: Area | None = None, actor=None, title: str = "停水通知",
           kind: str = NoticeKind.OUTAGE, state: str = NoticeState.PUBLISHED,
           publish_at: datetime | None = None, **fields) -> Notice:
    area = area or world.community_a
    now = timezone.now()
    return Notice.objects.create(
        area=area, area_path=area.path, kind=kind, title=title, body=f"{title}：请相互转告。",
        state=state, publish_at=publish_at or now - timedelta(minutes=5),
        published_at=now if state == NoticeState.PUBLISHED else None,
        created_by=actor or world.alice, **fields)


def board(world, *, area: Area | None = None, kind: str = BoardKind.GOOD_DEEDS,
          title: str = "善行义举榜", actor=None) -> Board:
    area = area or world.community_a
    return Board.objects.create(area=area, area_path=area.path, kind=kind, title=title,
                                created_by=actor or world.alice)


def entry(board: Board, *, actor, subject_kind: str = SubjectKind.PERSON,
          subject_name: str = "王阿姨", reason: str = "照顾独居老人十年如一日",
          state: str = "nominated", **fields) -> HonourEntry:
    today = timezone.localdate()
    return HonourEntry.objects.create(
        board=board, area_path=board.area_path, period_start=today.replace(day=1),
        subject_kind=subject_kind, subject_name=subject_name, reason=reason, state=state,
        nominated_by=actor, nominated_at=timezone.now(), **fields)


def signup(activity: Activity, person: Resident, *, by, state: str = "confirmed") -> SignUp:
    """A sign-up row as the service writes it (the count kept with it)."""
    now = timezone.now()
    if state == "confirmed":
        Activity.objects.filter(pk=activity.pk).update(taken=F("taken") + 1)
    return SignUp.objects.create(activity=activity, resident=person,
                                 household_id=person.household_id, name=person.name,
                                 state=state, signed_up_by=by, signed_up_at=now,
                                 confirmed_at=now if state == "confirmed" else None)


def _png() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="photo.png")


def photo(activity: Activity, *, by) -> ActivityPhoto:
    return ActivityPhoto.objects.create(activity=activity, file=_png(), added_by=by)


def attachment(notice: Notice, *, by) -> NoticeFile:
    return NoticeFile.objects.create(notice=notice, file=_png(), content_type="image/png",
                                     name="photo.png", added_by=by)


# --- ratings (最美楼栋) ------------------------------------------------------------------------

def rating_buildings(world) -> dict[str, Area]:
    """Community A's buildings for a rating: 1栋 (world.building_a: three residents in
    101), 2栋 (two residents), 3栋 (three residents)."""
    b2 = make_area("building", "2栋", world.estate_a)
    b3 = make_area("building", "3栋", world.estate_a)
    for n in range(3):
        resident(world.alice, world.dwelling_a, f"一栋居民{n}", relation="child")
    for n, home in enumerate(homes(b2, 2, "2-")):
        resident(world.alice, home, f"二栋居民{n}")
    for n, home in enumerate(homes(b3, 3, "3-")):
        resident(world.alice, home, f"三栋居民{n}")
    return {"1栋": world.building_a, "2栋": b2, "3栋": b3}


def checked_in(activity: Activity, people: list[Resident], *, by, at: datetime) -> None:
    """`people` took part in `activity`: confirmed and checked in at `at`."""
    for person in people:
        row = signup(activity, person, by=by)
        SignUp.objects.filter(pk=row.pk).update(checked_in_at=at, checked_in_via="staff",
                                                checked_in_by=by)


# --- notices ---------------------------------------------------------------------------------

def rita_record(world, name: str = "李秀兰") -> Resident:
    """rita's own registry record at dwelling A (the world gives her the role only)."""
    return resident(world.alice, world.dwelling_a, name, user=world.rita)


def readers(world, count: int, *, parent: Area | None = None, prefix: str = "r") -> list[User]:
    """`count` resident logins, one household each, in building A (or under `parent`)."""
    parent = parent or world.entrance_a
    return [resident_user(world.alice, d, f"{prefix}{i}", name=f"张{i}兰")
            for i, d in enumerate(homes(parent, count, prefix=prefix))]
