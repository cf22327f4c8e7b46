"""The demo's activities in 花楼社区: a month of them in every state, made by the real
services with times in the past, notifying nobody.

- a draft (社区春晚筹备会); open for sign-up with room (百家宴: `resident` may sign up in the
  browser); full with a waiting list (插花培训, 3 places, 1 waiting); starting within the
  hour (反诈讲座: `resident` is signed up and checks in with the door code now); ended and
  not yet reported, with attendance (消防演练); reported with photos (邻里节); cancelled
  (义诊); one for the care group lonely_elderly (独居老人生日会).
- Sign-ups by the community's residents with logins and their households; attendance
  earns points through the community's earning rule (the points demo sets it up).
"""

import io
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from linli.accounts.models import User
from linli.community import services
from linli.community.models import Activity, ActivityPhoto, SignUp
from linli.community.services.activities import ActivityData
from linli.core.tasks import tasks_muted
from linli.orgs.models import Area
from linli.people.models import CareTag, Resident
from linli.people.selectors import tagged_q


def _at(now: datetime, days: int, hour: int, minute: int = 0) -> datetime:
    """A local time on the day `days` from now: activities start on the hour or half."""
    day = timezone.localtime(now).date() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def _soon(now: datetime) -> datetime:
    """The next ten minutes' mark at least half an hour ahead: check-in is open now."""
    start = timezone.localtime(now + timedelta(minutes=40))
    return start.replace(minute=start.minute - start.minute % 10, second=0, microsecond=0)


def _data(title: str, kind: str, starts: datetime, *, hours: int = 2, capacity: int = 30,
          opens: datetime, venue: str = "花楼社区党群服务中心", care_tag=None,
          description: str = "") -> ActivityData:
    return ActivityData(title=title, kind=kind, venue=venue, starts_at=starts,
                        ends_at=starts + timedelta(hours=hours), signup_opens_at=opens,
                        signup_closes_at=starts, capacity=capacity, care_tag=care_tag,
                        description=description or f"{title}，欢迎社区居民报名参加。")


def _make(staff, area: Area, data: ActivityData, *, made: datetime,
          publish: bool = True) -> Activity:
    act = services.activity_create(actor=staff, area=area, data=data, now=made)
    Activity.objects.filter(pk=act.pk).update(created_at=made)
    if publish:
        services.activity_transition(actor=staff, activity=act, action="publish", now=made)
    return act


def _photo(label: str, colour: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 480), colour)
    ImageDraw.Draw(image).rectangle((80, 80, 560, 400), outline="white", width=8)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return SimpleUploadedFile(f"{label}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _people(community: Area) -> list[Resident]:
    """Residents of the community: those with a login first (they sign themselves up and
    earn points), then others (signed up by staff at the desk); `resident` is kept out."""
    rows = (Resident.objects.filter(moved_out__isnull=True, anonymised_at__isnull=True,
                                    area_path__startswith=community.path)
            .exclude(user__username="resident").select_related("user").order_by("pk"))
    with_login = [r for r in rows if r.user_id is not None]
    return with_login + [r for r in rows[:40] if r.user_id is None]


def _sign(act: Activity, people: list[Resident], at: datetime, desk) -> list[SignUp]:
    return [services.signup_create(actor=person.user or desk, activity=act, resident=person,
                                   now=at)
            for person in people]


def demo_activities(demo) -> None:
    community = demo.tree.communities[0]
    staff = User.objects.get(username="dispatcher")
    grid = User.objects.get(username="grid")
    me = Resident.objects.filter(user__username="resident").first()
    now = timezone.now()
    day = timedelta(days=1)
    others = _people(community)
    mine = [me] if me is not None else []
    with tasks_muted():
        _make(staff, community, _data("社区春晚筹备会", "festival", _at(now, 12, 19),
                                      opens=now + day), made=now - day, publish=False)

        feast = _make(staff, community, _data("百家宴", "festival", _at(now, 5, 11, 30),
                                              capacity=40, opens=now - 3 * day,
                                              venue="花楼小区中心广场"), made=now - 4 * day)
        _sign(feast, others[:4], now - 2 * day, staff)

        flowers = _make(staff, community, _data("插花培训", "training", _at(now, 3, 14, 30),
                                                capacity=3, opens=now - 2 * day),
                        made=now - 3 * day)
        _sign(flowers, others[:4], now - day, staff)  # 3 places, the fourth waits

        lecture = _make(staff, community, _data("反诈讲座", "lecture", _soon(now),
                                                opens=now - 6 * day), made=now - 7 * day)
        _sign(lecture, mine + others[:3], now - 5 * day, staff)

        drill_start = _at(now, -2, 9, 30)
        drill = _make(staff, community, _data("消防演练", "drill", drill_start,
                                              opens=now - 9 * day, venue="花楼小区1栋前空地"),
                      made=now - 10 * day)
        rows = _sign(drill, others[:5], now - 8 * day, staff)
        for row in rows[:4]:  # four of five came
            services.check_in_by_staff(actor=grid, signup=row,
                                       now=drill_start + timedelta(minutes=10))

        fair_start = _at(now, -10, 9)
        fair = _make(staff, community, _data("邻里节", "festival", fair_start, hours=4,
                                             capacity=100, opens=now - 20 * day),
                     made=now - 21 * day)
        rows = _sign(fair, others[:6], now - 15 * day, staff)
        for row in rows:
            services.check_in_by_staff(actor=grid, signup=row,
                                       now=fair_start + timedelta(minutes=5))
        services.activity_transition(
            actor=staff, activity=fair, action="report",
            report="邻里节共有六十余位居民参加，现场有义剪、义诊和手工摊位，居民们互相认识了新邻居。",
            photos=[_photo("fair-1", "#c0392b"), _photo("fair-2", "#2980b9")],
            now=fair_start + timedelta(hours=6))
        ActivityPhoto.objects.filter(activity=fair).update(
            added_at=fair_start + timedelta(hours=6))

        clinic = _make(staff, community, _data("义诊", "clinic", _at(now, 6, 9),
                                               opens=now - 5 * day), made=now - 6 * day)
        _sign(clinic, others[:2], now - 4 * day, staff)
        services.activity_transition(actor=staff, activity=clinic, action="cancel",
                                     note="合作医院医生临时调派，改期另行通知。",
                                     now=now - 3 * day)

        tag = CareTag.objects.filter(code="lonely_elderly").first()
        if tag is not None:
            birthday = _make(staff, community, _data(
                "独居老人生日会", "care", _at(now, 4, 15), capacity=15, opens=now - 2 * day,
                care_tag=tag), made=now - 3 * day)
            tagged = list(Resident.objects.filter(
                tagged_q(tag), moved_out__isnull=True, area_path__startswith=community.path)
                .exclude(user__username="resident").order_by("pk")[:3])
            _sign(birthday, tagged, now - day, staff)
