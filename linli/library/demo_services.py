"""The demo's services, venues and bookings in 花楼社区, made by the real services with
times in the past (`now=`), notifying nobody.

- Services of several providers over the next two weeks: 上门保洁 by 安居家政 for 30 points
  (`resident` has points to book it in the browser), free 上门助浴, 测血压 (booked at once),
  四点半课堂, and 水电维修 by 何师傅 (the `volunteer` login, who confirms on the desk).
- Bookings in every state: requested, confirmed, declined with a reason, cancelled,
  served and rated, and served not yet rated by `resident`.
- Two venues of 花楼社区党群服务中心: 社区书屋 (no approval) and 多功能活动室 (approval), with
  rooms, opening hours and some bookings.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from linli.accounts.models import User
from linli.core.tasks import tasks_muted
from linli.library import services
from linli.library.models import Price, Provider, ServiceKind, Slot
from linli.library.services import ServiceData
from linli.people.models import Resident

K = ServiceKind
POINTS_TOP_UP = 120


def _at(now: datetime, days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localtime(now).date() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def _provider(community, name: str) -> Provider:
    return Provider.objects.get(community=community, name=name)


def _skilled(community, username: str) -> Provider:
    return Provider.objects.get(community=community, resident__user__username=username)


def _service(staff, provider, community, past, **fields):
    data = ServiceData(**fields)
    return services.service_create(actor=staff, provider=provider, area=community, data=data)


def _slots(staff, service, past, days: int, hour: int, *, hours: int = 1,
           weeks: int = 2) -> list[Slot]:
    start = _at(past, days, hour)
    return services.slots_add(actor=staff, service=service, starts_at=start,
                              ends_at=start + timedelta(hours=hours), weeks=weeks, now=past)


def _top_up(community, user, desk) -> None:
    from linli.points.models import AccountKind, EntryKind
    from linli.points.services import account_for, posting

    account = account_for(kind=AccountKind.RESIDENT, community=community, owner=user)
    if account.balance < POINTS_TOP_UP:
        posting(key=f"library.demo_grant:{user.username}", kind=EntryKind.GRANT,
                debit=account_for(kind=AccountKind.ISSUER, community=community),
                credit=account,
                amount=POINTS_TOP_UP - account.balance, actor=desk,
                memo="社区服务积分体验")


def _people(community) -> tuple[Resident, list[Resident]]:
    """`resident`, then others: those with a login first (they book for themselves), then
    residents without one (staff book for them at the desk)."""
    rows = list(Resident.objects.filter(moved_out__isnull=True, anonymised_at__isnull=True,
                                        area_path__startswith=community.path)
                .exclude(user__username="volunteer").select_related("user")
                .order_by("pk")[:60])
    me = next(r for r in rows if r.user is not None and r.user.username == "resident")
    rest = [r for r in rows if r.pk != me.pk]
    rest.sort(key=lambda r: r.user_id is None)
    return me, rest[:6]


def _who(person: Resident, staff):
    return person.user or staff


def demo_services(demo) -> None:
    community = demo.tree.communities[0]
    staff = User.objects.get(username="dispatcher")
    now = timezone.now()
    past = now - timedelta(days=10)
    with tasks_muted():
        _build(community, staff, now, past)


def _build(community, staff, now, past) -> None:
    me, others = _people(community)
    clean = _service(staff, _provider(community, "安居家政服务有限公司"), community, past,
                     kind=K.HOUSEKEEPING, title="上门保洁", place="居民家中",
                     description="两小时上门保洁：厨房、卫生间、地面。", price=Price.POINTS,
                     price_points=30, capacity=2)
    bath = _service(staff, _provider(community, "江汉区乐龄助老服务中心"), community, past,
                    kind=K.ELDERLY_CARE, title="上门助浴", place="老人家中",
                    description="为行动不便的老人上门助浴，两名护理员同行。", capacity=1)
    pressure = _service(staff, _provider(community, "花楼社区卫生服务站"), community, past,
                        kind=K.HEALTH, title="测血压", place="社区卫生服务站",
                        description="免费测血压、血糖，医生现场解读。", capacity=10,
                        needs_confirmation=False)
    class_ = _service(staff, _provider(community, "童心托育服务社"), community, past,
                      kind=K.TUTORING, title="四点半课堂", place="党群服务中心二楼",
                      description="放学后作业辅导与看护。", capacity=15)
    repair = _service(staff, _skilled(community, "volunteer"), community, past,
                      kind=K.REPAIR, title="水电维修", place="居民家中",
                      description="换水龙头、修电路、疏通管道，材料费自理。", capacity=1)
    # Slots: a past one for the served bookings, then two weeks ahead.
    for service, hour in ((clean, 9), (bath, 14), (pressure, 8), (class_, 16),
                          (repair, 10)):
        start = _at(past, 1, hour)
        services.slots_add(actor=staff, service=service, starts_at=start,
                           ends_at=start + timedelta(hours=2 if service == class_ else 1),
                           now=past - timedelta(days=1))
        _slots(staff, service, now, 1, hour, hours=2 if service == class_ else 1)
        _slots(staff, service, now, 3, hour, hours=2 if service == class_ else 1)
    desk = staff
    _top_up(community, me.user, desk)
    _bookings(community, staff, now, past, me, others,
              clean=clean, bath=bath, pressure=pressure, class_=class_, repair=repair)
    _venues(community, staff, now, past, me, others)


def _first(service, after: datetime) -> Slot:
    return Slot.objects.filter(service=service, starts_at__gt=after).order_by("starts_at")[0]


def _book(person: Resident, slot: Slot, at: datetime, note: str = ""):
    staff = User.objects.get(username="dispatcher")
    return services.booking_create(actor=_who(person, staff), slot=slot, resident=person, note=note,
                                   now=at)


def _bookings(community, staff, now, past, me, others, *, clean, bath, pressure, class_,
              repair) -> None:
    volunteer = User.objects.get(username="volunteer")
    move = services.booking_transition
    served_at = _first(pressure, past).ends_at + timedelta(minutes=5)
    # served and rated; served, not yet rated by `resident`
    rated = _book(others[0], _first(pressure, past), past)
    move(actor=staff, booking=rated, action="complete", now=served_at)
    move(actor=_who(others[0], staff), booking=rated, action="rate", rating=5, comment="医生很耐心",
         now=served_at)
    mine = _book(me, _first(repair, past), past, note="厨房水龙头漏水")
    move(actor=volunteer, booking=mine, action="confirm", now=past + timedelta(hours=1))
    move(actor=volunteer, booking=mine, action="complete",
         now=_first(repair, past).ends_at)
    # ahead: requested (to confirm on the desk), confirmed, declined, cancelled
    _book(me, _first(bath, now), now - timedelta(hours=2), note="老人腿脚不便，需要两人")
    _book(others[1], _first(repair, now), now - timedelta(hours=1), note="卫生间灯不亮")
    confirmed = _book(me, _first(clean, now), now - timedelta(hours=3), note="周末上午最好")
    move(actor=staff, booking=confirmed, action="confirm", now=now - timedelta(hours=2))
    declined = _book(others[2], _first(class_, now), now - timedelta(hours=5))
    move(actor=staff, booking=declined, action="decline", now=now - timedelta(hours=4),
         note="孩子年龄未满6岁，暂不能参加，可以看看童心托育的托管服务")
    cancelled = _book(me, _first(clean, now + timedelta(days=3)), now - timedelta(hours=6))
    move(actor=me.user, booking=cancelled, action="cancel",
         now=now - timedelta(hours=5))
    _book(others[3], _first(pressure, now), now - timedelta(hours=1))


def _venues(community, staff, now, past, me, others) -> None:
    centre = _provider(community, "花楼社区党群服务中心")
    books = _service(staff, centre, community, past, kind=K.VENUE, title="社区书屋",
                     place="党群服务中心一楼", description="安静的阅读空间，可预约自习。",
                     capacity=1, is_venue=True, needs_confirmation=False)
    hall = _service(staff, centre, community, past, kind=K.VENUE, title="多功能活动室",
                    place="党群服务中心三楼", description="可容纳60人，适合排练、讲座和聚会。",
                    capacity=1, is_venue=True, needs_confirmation=True)
    for name, seats in (("阅览区", 20), ("自习室", 8)):
        services.room_add(actor=staff, service=books, name=name, seats=seats)
    services.room_add(actor=staff, service=hall, name="大厅", seats=60)
    for weekday in range(7):
        services.hours_set(actor=staff, service=books, weekday=weekday,
                           ranges=[(time(9), time(12)), (time(14), time(20))])
        if weekday < 6:
            services.hours_set(actor=staff, service=hall, weekday=weekday,
                               ranges=[(time(8, 30), time(21))])
    study = books.rooms.get(name="自习室")
    big = hall.rooms.get(name="大厅")
    for i, person in enumerate(others[:3]):
        day = 1 + i
        if timezone.localtime(_at(now, day, 9)).weekday() == 6:
            day += 1
        services.room_book(actor=_who(person, staff), room=study, resident=person,
                           starts_at=_at(now, day, 14), ends_at=_at(now, day, 16), now=now)
    day = 2 if timezone.localtime(_at(now, 2, 9)).weekday() != 6 else 3
    rehearsal = services.room_book(actor=_who(others[4], staff), room=big, resident=others[4],
                                   starts_at=_at(now, day, 19), ends_at=_at(now, day, 21),
                                   note="广场舞队排练", now=now)
    services.booking_transition(actor=staff, booking=rehearsal, action="confirm", now=now)
    services.room_book(actor=_who(others[5], staff), room=big, resident=others[5],
                       starts_at=_at(now, day, 9), ends_at=_at(now, day, 11),
                       note="楼栋议事会", now=now)
