"""The demo's deliberation (居民议事) in community 花楼, walked through the real services with
the clock set in the past:

- 夜间临时停车位 (parking): raised by `resident` 45 days ago, supported and discussed (one
  comment hidden by the grid worker), put on the agenda, discussed at the council meeting
  30 days ago (31 of 37 members present), decided by the council's open vote at two thirds
  of its 37 members (27 for, 5 against, 2 abstain), published, one objection dismissed,
  stood after the 公示 period; adopted, now being carried out (progress notes).
- 1栋加装电梯 (a lift in building 1 of 花楼小区): a household vote open now, two thirds of the
  households needed, secret; four paper ballots entered door to door and one online, while
  `resident`'s household has not voted yet; a courtyard meeting of the building in two days.
- 花楼社区居民公约: version 1 adopted by the council last year; version 2 (文明养犬) drafted.
- Topics in other states: one collecting support (电动自行车充电桩), one referred to the
  case loop (a street light), one declined with its reason; one in community 水塔.

Every dwelling gets a floor area (owners' votes weigh by it). Seeded; loading notifies nobody.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from linli.accounts.models import User
from linli.cases.models import Category as CaseCategory
from linli.core.demo import DemoContext
from linli.core.tasks import tasks_muted
from linli.deliberation import services
from linli.deliberation.electorate import adult_born_by
from linli.deliberation.models import (
    Attendees,
    Body,
    BodyKind,
    Category,
    Channel,
    Comment,
    Electorate,
    Rules,
    Stance,
    Supporter,
    Threshold,
    Topic,
    Vote,
)
from linli.orgs.demo import DemoTree
from linli.orgs.models import Area, AreaKind
from linli.people.models import Resident

SEED = 1717


def floor_areas(tree: DemoTree, rng: random.Random) -> None:
    """Floor areas of 55–140 m² (专有部分面积), the same whenever the demo loads."""
    for dwelling in tree.dwellings:
        area = Decimal(rng.randrange(5500, 14000, 50)) / 100
        Area.objects.filter(pk=dwelling.pk).update(floor_area=area)


@dataclass
class Walk:
    tree: DemoTree
    now: datetime
    rng: random.Random

    def ago(self, days: float, hour: int = 10) -> datetime:
        day = timezone.localtime(self.now - timedelta(days=days))
        return day.replace(hour=hour, minute=0, second=0, microsecond=0)

    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    @property
    def community(self) -> Area:
        return self.tree.communities[0]


def _backdate(row, at: datetime, field: str = "created_at") -> None:
    """A row the service stamped with the real time, put at the story's time."""
    type(row).objects.filter(pk=row.pk).update(**{field: at})


def _say(walk: "Walk", username: str, topic: Topic, text: str, at: datetime) -> Comment:
    comment = services.comment_add(actor=walk.user(username), topic=topic, text=text)
    _backdate(comment, at, "at")
    return comment


def _support(walk: "Walk", username: str, topic: Topic, at: datetime) -> Topic:
    user = walk.user(username)
    topic = services.topic_support(actor=user, topic=topic, now=at)
    Supporter.objects.filter(topic=topic, user=user).update(at=at)
    return topic


def council(walk: Walk) -> Body:
    """花楼社区议事会: 37 adult residents of the community, `resident` among them."""
    dispatcher = walk.user("dispatcher")
    body = services.body_create(actor=dispatcher, area=walk.community, name="花楼社区议事会",
                                kind=BodyKind.COUNCIL, term_start=date(2024, 1, 1),
                                term_end=date(2028, 12, 31), quorum=">1/2")
    her = Resident.objects.get(user__username="resident")
    adults = list(Resident.objects.filter(
        area_path__startswith=walk.community.path, moved_out__isnull=True,
        birth_date__lte=adult_born_by(date(2024, 1, 1))).exclude(pk=her.pk).order_by("pk"))
    chosen = [her, *walk.rng.sample(adults, 36)]
    for i, person in enumerate(chosen):
        services.member_add(actor=dispatcher, body=body, resident=person,
                            post="召集人" if i == 1 else "成员", joined_on=date(2024, 1, 1))
    return body


def paper(walk: Walk, vote: Vote, actor: User, stances: list, at: datetime,
          channel: str = Channel.PAPER, skip: set[int] | None = None) -> None:
    """Paper ballots for the electors who have not voted, in the electorate's order."""
    electors = [e for e in vote.electors.order_by("pk")
                if not hasattr(e, "participation") and e.pk not in (skip or set())]
    for elector, stance in zip(electors, stances, strict=False):
        option = vote.options.get(stance=stance)
        services.ballot_record_paper(actor=actor, vote=vote, elector=elector,
                                     choices=[option.pk], channel=channel, now=at)


def convention(walk: Walk, body: Body) -> None:
    dispatcher = walk.user("dispatcher")
    made = services.convention_create(
        actor=dispatcher, area=walk.community, title="花楼社区居民公约",
        text=CONVENTION_V1, note="初稿")
    first = made.versions.get()
    opened = walk.ago(400, 19)
    _backdate(made, opened - timedelta(days=20))
    _backdate(first, opened - timedelta(days=20))
    vote = services.vote_create(
        actor=dispatcher, area=walk.community, question="是否通过《花楼社区居民公约》？",
        electorate=Electorate.MEMBERS, body=body, threshold=Threshold.TWO_THIRDS_CAST,
        secret=False, closes_at=opened + timedelta(days=7), convention_version=first,
        now=opened)
    services.vote_transition(actor=dispatcher, vote=vote, action="open", now=opened)
    vote.refresh_from_db()
    paper(walk, vote, dispatcher, [Stance.FOR] * 30 + [Stance.AGAINST] * 2 + [Stance.ABSTAIN],
          opened + timedelta(hours=1))
    closed = services.vote_close(vote, now=vote.closes_at)
    services.vote_stand(closed, now=closed.publicity_ends_at)
    second = services.version_add(actor=dispatcher, convention=made, text=CONVENTION_V2,
                                  note="增加文明养犬条款（第六条），征求意见稿")
    _backdate(second, walk.ago(10))


def parking(walk: Walk, body: Body) -> None:
    """The parking topic through discussion, the council meeting and its 2/3 vote."""
    resident, grid, dispatcher = (walk.user(n) for n in ("resident", "grid", "dispatcher"))
    raised = walk.ago(45, 20)
    topic = services.topic_raise(
        actor=resident, area=walk.community, category=Category.PARKING,
        title="夜间停车难，建议在友益街沿线划定临时停车位",
        description=("社区老旧小区多，晚上下班回来小区里根本停不下车，很多车只能停在消防通道上。"
                     "建议在友益街沿线划定夜间临时停车位（19:00—次日7:00），白天恢复通行，"
                     "请大家一起议一议。"), now=raised)
    _backdate(topic, raised)
    for day, name in enumerate(("volunteer", "volunteer_a2", "volunteer_a3", "resident_c",
                                "resident_d")):
        topic = _support(walk, name, topic, raised + timedelta(days=day + 1))
    _say(walk, "resident_c", topic, "同意！每天晚上九点以后回来都要绕好几圈。",
         raised + timedelta(days=1, hours=1))
    rude = _say(walk, "volunteer_a2", topic, "占消防通道的那几户就是没素质，应该把名字贴出来！",
                raised + timedelta(days=2))
    _say(walk, "grid", topic, "网格已初步统计，友益街沿线可划夜间车位约 40 个，"
         "需征求沿街商户意见。", raised + timedelta(days=3))
    services.comment_hide(actor=grid, topic=topic, comment=rude,
                          reason="涉及对他人的人身评价，已隐藏；意见可以就事论事地提。",
                          now=raised + timedelta(days=2, hours=2))
    services.topic_transition(actor=dispatcher, topic=topic, action="agenda",
                              note="提交 11 月社区议事会审议", now=walk.ago(38))
    topic.refresh_from_db()
    start = walk.ago(30, 19)
    meeting = services.meeting_create(
        actor=dispatcher, area=walk.community, body=body, title="花楼社区议事会 11 月例会",
        starts_at=start, place="花楼社区党群服务中心二楼会议室", topic_ids=[topic.pk],
        now=walk.ago(35))
    members = list(body.members.order_by("pk"))
    services.meeting_check_in(actor=resident, meeting=meeting, code=meeting.check_in_code,
                              now=start - timedelta(minutes=10))
    for member in members[1:31]:
        services.attendance_record(actor=dispatcher, meeting=meeting, member=member)
    meeting.attendance.update(at=start - timedelta(minutes=5))
    _backdate(meeting, walk.ago(35))
    item = meeting.agenda.get()
    services.meeting_minutes(
        actor=dispatcher, meeting=meeting, now=start + timedelta(hours=2),
        minutes=("应到 37 人，实到 31 人，达到法定人数。会议听取了网格员关于友益街沿线车位的"
                 "统计情况，沿街商户代表到会发言。经讨论，形成夜间临时停车位方案，提交议事会"
                 "成员表决（须全体成员三分之二以上同意）。"),
        decisions={item.pk: "形成方案：友益街沿线划定夜间临时停车位 38 个，提交表决。"})
    vote = services.vote_create(
        actor=dispatcher, area=walk.community, topic=topic, meeting=meeting, body=body,
        question="是否同意在友益街沿线划定夜间临时停车位（19:00—次日7:00）？",
        description="方案见 11 月例会纪要：划定 38 个车位，白天恢复通行，由物业安排巡查。",
        electorate=Electorate.MEMBERS, threshold=Threshold.TWO_THIRDS_ELECTORATE,
        secret=False, closes_at=walk.ago(23, 20), now=start + timedelta(hours=2))
    services.vote_transition(actor=dispatcher, vote=vote, action="open",
                             now=start + timedelta(hours=2))
    vote.refresh_from_db()
    for_option = vote.options.get(stance=Stance.FOR)
    services.ballot_cast(actor=resident, vote=vote, choices=[for_option.pk],
                         now=start + timedelta(hours=2, minutes=5))
    stances = [Stance.FOR] * 26 + [Stance.AGAINST] * 5 + [Stance.ABSTAIN] * 2
    paper(walk, vote, dispatcher, stances, start + timedelta(hours=2, minutes=30))
    closed = services.vote_close(vote, now=vote.closes_at)
    objection = services.objection_raise(
        actor=walk.user("volunteer_a2"), vote=closed, now=walk.ago(21),
        text="表决那天我出差不在，没有机会表达反对意见。")
    _backdate(objection, walk.ago(21), "at")
    services.objection_answer(
        actor=dispatcher, objection=objection, uphold=False, now=walk.ago(20),
        answer=("本次表决的投票人是议事会成员，您不是成员；居民的意见已在议事会例会前的"
                "议题讨论中收集。"))
    closed.refresh_from_db()
    services.vote_stand(closed, now=closed.publicity_ends_at)
    topic.refresh_from_db()
    first = services.progress_add(actor=dispatcher, topic=topic, budget=Decimal("12000.00"),
                                  note="已与城管中队、交警确认划线位置 38 个，"
                                       "施工费用由社区微更新经费支出。")
    _backdate(first, walk.ago(14), "at")
    second = services.progress_add(actor=grid, topic=topic,
                                   note="划线施工已完成 30 个，剩余 8 个本周内完成；"
                                        "夜间由物业巡查。")
    _backdate(second, walk.ago(5), "at")


def lift(walk: Walk) -> None:
    """A household vote open now on a lift in building 1 of 花楼小区."""
    grid, dispatcher = walk.user("grid"), walk.user("dispatcher")
    building = walk.tree.dwellings[0].ancestor_of_kind(AreaKind.BUILDING)
    assert building is not None
    raised = walk.ago(20, 21)
    topic = services.topic_raise(
        actor=walk.user("volunteer"), area=building, category=Category.LIFT,
        title="1栋加装电梯，请各户表态",
        description=("1栋是 1995 年的六层老楼，楼里老人多，上下楼困难。区里有加装电梯补贴，"
                     "请各户先表个态：同意的话由社区牵头做方案和费用分摊。"), now=raised)
    _backdate(topic, raised)
    topic = _support(walk, "resident", topic, raised + timedelta(days=1))
    _say(walk, "resident", topic, "我住一楼用不上，但楼上的老邻居太不容易了，我同意。",
         raised + timedelta(days=1, hours=1))
    services.topic_transition(actor=dispatcher, topic=topic, action="agenda",
                              note="按一户一票征求 1 栋住户意见", now=walk.ago(15))
    topic.refresh_from_db()
    opened = walk.ago(3, 9)
    vote = services.vote_create(
        actor=dispatcher, area=building, topic=topic,
        question="是否同意 1 栋加装电梯（费用按楼层分摊，一楼不分摊）？",
        description="一户一票，须 1 栋三分之二以上住户同意。投票截止前可以修改选票。",
        electorate=Electorate.HOUSEHOLDS, threshold=Threshold.TWO_THIRDS_ELECTORATE,
        secret=True, changeable=True, closes_at=walk.ago(-4, 20), now=opened)
    services.vote_transition(actor=dispatcher, vote=vote, action="open", now=opened)
    vote.refresh_from_db()
    services.ballot_cast(actor=walk.user("volunteer"), vote=vote,
                         choices=[vote.options.get(stance=Stance.FOR).pk],
                         now=opened + timedelta(hours=3))
    hers = Resident.objects.get(user__username="resident").household_id
    skip = set(vote.electors.filter(household_id=hers).values_list("pk", flat=True))
    paper(walk, vote, grid, [Stance.FOR, Stance.FOR, Stance.FOR, Stance.AGAINST],
          walk.ago(2, 16), channel=Channel.DOOR, skip=skip)
    services.meeting_create(
        actor=dispatcher, area=building, attendees=Attendees.HOUSEHOLDS,
        title="1栋楼院协商会：加装电梯方案说明", starts_at=walk.ago(-2, 19),
        place="花楼小区 1栋 楼下活动场地", topic_ids=[topic.pk], now=walk.ago(1))


def other_topics(walk: Walk) -> None:
    charging = services.topic_raise(
        actor=walk.user("resident_d"), area=walk.community, category=Category.SAFETY,
        title="增设电动自行车集中充电桩",
        description="楼道里飞线充电太危险了，建议在各小区空地增设集中充电桩，按次扫码付费。",
        now=walk.ago(6, 21))
    _backdate(charging, walk.ago(6, 21))
    for day, name in enumerate(("volunteer_a3", "resident_c", "volunteer")):
        charging = _support(walk, name, charging, walk.ago(5 - day, 20))
    _say(walk, "resident_c", charging, "支持，我们楼上周就有人在楼道充电。", walk.ago(4, 21))
    estate = walk.tree.dwellings[0].ancestor_of_kind(AreaKind.ESTATE)
    light = services.topic_raise(
        actor=walk.user("resident"), area=estate, category=Category.SAFETY,
        title="2栋门口路灯坏了一个多星期",
        description="2栋门口那盏路灯一直不亮，晚上老人出门看不清台阶。", now=walk.ago(8, 20))
    _backdate(light, walk.ago(8, 20))
    street_light = CaseCategory.objects.filter(name_zh__contains="路灯", children__isnull=True
                                               ).order_by("pk").first()
    if street_light is not None:
        services.topic_refer(actor=walk.user("grid"), topic=light, category=street_light,
                             note="这是一件小事，转为案件直接派单处理。", now=walk.ago(7))
    stall = services.topic_raise(
        actor=walk.user("volunteer_a2"), area=walk.community, category=Category.OTHER,
        title="取缔小区门口的早餐摊", description="早上占道摆摊，油烟大，垃圾也多。",
        now=walk.ago(12, 8))
    _backdate(stall, walk.ago(12, 8))
    services.topic_transition(
        actor=walk.user("dispatcher"), topic=stall, action="decline", now=walk.ago(11),
        note=("占道经营属于城管执法事项，已转民族街城管中队依法处理，不列入居民议事。"
              "油烟和垃圾问题可以另提议题，讨论设置规范的早餐点。"))
    water = walk.tree.communities[1]
    seats = services.topic_raise(
        actor=walk.user("resident_b"), area=water, category=Category.PUBLIC_SPACE,
        title="水塔小区增设休闲座椅", description="小区花园没有座椅，老人散步累了没地方坐。",
        now=walk.ago(4, 18))
    _backdate(seats, walk.ago(4, 18))


def demo_deliberation(tree: DemoTree, now: datetime | None = None) -> None:
    walk = Walk(tree=tree, now=now or timezone.now(), rng=random.Random(SEED))
    floor_areas(tree, walk.rng)
    for community in tree.communities:
        Rules.objects.get_or_create(community=community)
    with tasks_muted():
        body = council(walk)
        convention(walk, body)
        parking(walk, body)
        lift(walk)
        other_topics(walk)


def demo_step_deliberation(demo: DemoContext) -> None:
    demo_deliberation(demo.tree)


def demo_present() -> bool:
    return Topic.objects.exists()


DEMO_STEPS = [(85, demo_step_deliberation)]

CONVENTION_V1 = """第一条 爱护社区环境，垃圾分类投放，不乱扔乱倒，不在楼道堆放杂物。
第二条 文明停车，不占用消防通道和盲道，电动自行车不进楼道、不飞线充电。
第三条 邻里互助，关心独居老人和困难家庭，积极参加志愿服务。
第四条 装修施工遵守作息时间，工作日 8:00—12:00、14:00—18:00，节假日不施工。
第五条 遇到矛盾纠纷协商解决，协商不成的请社区调解，不激化矛盾。
第六条 本公约经社区议事会表决通过后施行，由全体居民共同遵守。"""

CONVENTION_V2 = """第一条 爱护社区环境，垃圾分类投放，不乱扔乱倒，不在楼道堆放杂物。
第二条 文明停车，不占用消防通道和盲道，电动自行车不进楼道、不飞线充电。
第三条 邻里互助，关心独居老人和困难家庭，积极参加志愿服务。
第四条 装修施工遵守作息时间，工作日 8:00—12:00、14:00—18:00，节假日不施工。
第五条 遇到矛盾纠纷协商解决，协商不成的请社区调解，不激化矛盾。
第六条 文明养犬，出门拴绳，及时清理犬只粪便，不在电梯和楼道内放任犬只。
第七条 本公约经社区议事会表决通过后施行，由全体居民共同遵守。"""
