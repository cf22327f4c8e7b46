"""The demo's joint meetings, after the shared base of demo.py.

Each 联合党委 held a meeting last month and one this month. 花楼's this month took up the
parking problem (停车难: the demo's parking topic, else an open parking case, else free
text) and resolved it, owned by 花楼物业服务中心 (the `property` login's unit) and still
assigned for the walk; its other resolutions are in every state: in progress, reported
done, done, cancelled, and one of last month overdue and supervised (督办). A meeting is
planned next week with its agenda. Written through the services, at past moments.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from linli.accounts.selectors import unit_members
from linli.party.services.meetings import (
    resolution_add,
    resolution_transition,
    resolutions_supervise,
)
from linli.party.services.meetings_plan import (
    agenda_item_add,
    attendance_record,
    meeting_create,
    meeting_transition,
    seat_organisations,
)

# the property companies, by their party organisations' names (demo.UNIT_ORGS)
PROPERTY_A = "花楼物业服务中心党支部"
PROPERTY_B = "水塔物业党支部"


def _at(day, hour: int = 14) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time())
                               + timedelta(hours=hour))


def _unit(demo, name: str):
    """The unit of a unit organisation, by the unit's name or the organisation's."""
    org = demo.unit_orgs.get(name) or next(
        (o for o in demo.unit_orgs.values() if o.name == name), None)
    return org.unit if org is not None else None


def _worker(unit):
    first = unit_members(unit=unit).first() if unit is not None else None
    return first.user if first is not None else None


def _held(demo, joint, staff, title: str, when: datetime, items: list[dict]):
    meeting = meeting_create(actor=staff, joint=joint, title=title, scheduled_at=when,
                             venue="社区党群服务中心二楼会议室")
    made = [agenda_item_add(actor=staff, meeting=meeting, **item) for item in items]
    for index, org in enumerate(seat_organisations(meeting)):
        attendance_record(actor=staff, meeting=meeting, organisation=org,
                          present=index % 4 != 3, attendee=f"{org.name[:6]}代表")
    meeting_transition(actor=staff, meeting=meeting, action="hold",
                       minutes=f"{title}：通报上月决议落实情况，研究议题{len(made)}项。",
                       now=when + timedelta(hours=2))
    return meeting, made


def _parking_item(joint, now: datetime) -> dict:
    from linli.cases.selectors import needing_several_units
    from linli.deliberation.selectors import open_topics

    topic = next((t for t in open_topics(area_path=joint.area_path) if "停车" in t.title),
                 None)
    if topic is not None:
        return {"topic": topic, "title": "停车难：夜间临时停车位"}
    case = next((c for c in needing_several_units(area_path=joint.area_path, now=now)
                 if "停" in c.title), None)
    if case is not None:
        return {"case": case, "title": "停车难"}
    return {"title": "停车难：小区及周边夜间停车位不足"}


def _moves(resolution, steps, when: datetime) -> None:
    for i, (actor, action, note) in enumerate(steps):
        resolution_transition(actor=actor, resolution=resolution, action=action, note=note,
                              now=when + timedelta(days=i + 1))


def _flower(demo, joint, staff) -> None:
    today = demo.today
    now = timezone.now()
    prop = _unit(demo, PROPERTY_A)
    worker = _worker(prop)
    hospital, school = _unit(demo, "武汉市第一医院"), _unit(demo, "民族路小学")
    last = _at(today.replace(day=1) - timedelta(days=20))
    meeting, items = _held(demo, joint, staff, "上月联席会议", last,
                           [{"title": "老旧小区楼道堆物清理"}, {"title": "学校周边交通秩序"}])
    resolution_add(actor=staff, meeting=meeting, text="三日内清理1-3栋楼道堆物",
                             owner_unit=prop, working_days=3, agenda_item=items[0], now=last)
    solved = resolution_add(actor=staff, meeting=meeting, text="上下学时段安排护学岗",
                            owner_unit=school, working_days=10, agenda_item=items[1],
                            now=last)
    if worker is not None:
        _moves(solved, [(_worker(school), "acknowledge", ""),
                        (_worker(school), "report_done", "每日护学岗两人")], last)
    this = _at(max(today.replace(day=1), today - timedelta(days=3)), 9)
    meeting, items = _held(demo, joint, staff, "本月联席会议", min(this, now),
                           [_parking_item(joint, now), {"title": "老年人健康义诊"},
                            {"title": "电动车充电桩建设"}])
    when = min(this, now)
    resolution_add(actor=staff, meeting=meeting, agenda_item=items[0], owner_unit=prop,
                   text="在友益街沿线划定夜间临时停车位，物业负责引导和巡查", working_days=20,
                   now=when)
    clinic = resolution_add(actor=staff, meeting=meeting, text="每月一次老年人义诊",
                            owner_unit=hospital, working_days=15, agenda_item=items[1],
                            now=when)
    piles = resolution_add(actor=staff, meeting=meeting, text="调研充电桩选址",
                           owner_unit=prop, working_days=10, agenda_item=items[2], now=when)
    extra = resolution_add(actor=staff, meeting=meeting, text="楼道照明检修",
                           owner_unit=prop, working_days=8, now=when)
    dropped = resolution_add(actor=staff, meeting=meeting, text="外墙粉刷",
                             owner_unit=prop, working_days=30, now=when)
    if worker is not None:
        _moves(piles, [(worker, "acknowledge", "")], when)
        _moves(extra, [(worker, "report_done", "已更换感应灯12盏")], when)
        _moves(clinic, [(_worker(hospital), "acknowledge", "")], when)
        _moves(solved, [(staff, "confirm", "")], last + timedelta(days=5))
    _moves(dropped, [(staff, "cancel", "纳入区级老旧小区改造统筹")], when)
    resolutions_supervise(now=now)


def _tower(demo, joint, staff) -> None:
    today = demo.today
    prop = _unit(demo, PROPERTY_B)
    last = _at(today.replace(day=1) - timedelta(days=15))
    meeting, items = _held(demo, joint, staff, "上月联席会议", last,
                           [{"title": "水塔小区二次供水"}])
    done = resolution_add(actor=staff, meeting=meeting, text="清洗二次供水水箱",
                          owner_unit=prop, working_days=5, agenda_item=items[0], now=last)
    worker = _worker(prop)
    if worker is not None:
        _moves(done, [(worker, "report_done", "已清洗并送检"), (staff, "confirm", "")],
               last)
    this = min(_at(max(today.replace(day=1), today - timedelta(days=2)), 9), timezone.now())
    meeting, items = _held(demo, joint, staff, "本月联席会议", this,
                           [{"title": "停车秩序整治"}])
    resolution_add(actor=staff, meeting=meeting, text="规范小区内停车标线", owner_unit=prop,
                   working_days=15, agenda_item=items[0], now=this)


def _next_week(demo, joint, staff) -> None:
    meeting = meeting_create(actor=staff, joint=joint, title="下周联席会议",
                             scheduled_at=_at(demo.today + timedelta(days=7), 15),
                             venue="社区党群服务中心二楼会议室")
    for title in ("停车位划线进展通报", "冬季燃气安全检查", "困难群众走访慰问"):
        agenda_item_add(actor=staff, meeting=meeting, title=title)


def demo_meetings(demo) -> None:
    for community, joint in demo.joints.items():
        staff = demo.staff.get(community)
        if staff is None or not joint.seats.exists():
            continue
        if community.startswith("花楼"):
            _flower(demo, joint, staff)
            _next_week(demo, joint, staff)
        else:
            _tower(demo, joint, staff)
