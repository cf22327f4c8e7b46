"""The demo's needs survey: 「2026年第四季度居民需求调研（急难愁盼）」 to 民族街道, made and opened
by `leader` three weeks ago with the quarterly questions, closing in a week; 150 households
answered (those with a login online, the others entered by their grid's worker during a
visit), `resident`'s household left to answer in the walk. Most of 花楼社区's needs are then
classified by `dispatcher` (水塔社区's by `dispatcher_b`) and some turned into work (a case,
a volunteering task, a deliberation topic, a booking when the library demo has a free
slot), the urgent ones left open for the walk. Loaded after the service library (step 95);
notifies nobody."""

import random
from datetime import datetime, timedelta

from django.utils import timezone

from linli.accounts import scope
from linli.accounts.models import Role, User
from linli.core.tasks import tasks_muted
from linli.orgs.models import Area, AreaKind
from linli.people.models import Household, Resident
from linli.surveys import services
from linli.surveys.models import QuestionKind, Survey

TITLE = "2026年第四季度居民需求调研（急难愁盼）"
ANSWERS = 150
NEEDS = [
    ("楼道灯坏了，晚上老人上下楼看不见", "urgent"),
    ("家里老人独居，希望社区定期上门探访", "urgent"),
    ("厨房水管漏水，楼下邻居家天花板在滴水", "urgent"),
    ("加装电梯，老人爬六楼太难了", "hard"),
    ("小区停车难，晚上车位不够", "hard"),
    ("老旧小区外墙脱落，担心砸到人", "hard"),
    ("孩子放学没人接，希望有课后托管", "worrying"),
    ("老伴卧床，白天没人照看", "worrying"),
    ("想要老年食堂，一个人做饭不方便", "hoped"),
    ("希望开设智能手机课，教老人用手机挂号", "hoped"),
    ("希望小区多一些健身器材", "hoped"),
    ("希望有法律咨询，邻里纠纷不知道怎么办", "worrying"),
]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _grid_workers() -> list[tuple[str, User]]:
    workers = User.objects.filter(assignments__role=Role.GRID_WORKER, is_active=True)
    return sorted({(p, u) for u in workers.distinct()
                   for p in scope.area_paths(u, [Role.GRID_WORKER])}, key=lambda x: x[0])


def _at(now: datetime, days: int, hour: int) -> datetime:
    """A local hour on the day `days` from today (8 days at 0 h: the end of the 7th)."""
    day = timezone.localdate(now) + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _make(leader: User, street: Area, made: datetime, now: datetime) -> Survey:
    survey = services.survey_create(actor=leader, area=street, data=services.SurveyData(
        title=TITLE, intro="为了解居民最急、最难、最愁、最盼的事，请每户花三分钟填写。"
        "您的回答只用于社区服务，不对外公开。", opens_at=made, closes_at=_at(now, 8, 0)))
    data = [
        services.QuestionData(QuestionKind.SINGLE, "您家常住几口人？",
                              ["1人", "2人", "3人", "4人及以上"]),
        services.QuestionData(QuestionKind.MULTIPLE, "您家最需要哪些服务？（可多选）",
                              ["助老助餐", "托育看护", "家政维修", "健康义诊", "法律咨询",
                               "文体活动"], required=False),
        services.QuestionData(QuestionKind.SCALE, "您对社区服务的满意程度", scale_max=5),
        services.QuestionData(QuestionKind.TEXT, "您家目前最急需解决的困难或最大的期盼是什么？",
                              required=False, asks_need=True),
        services.QuestionData(QuestionKind.AREA, "这件事在哪里？（您家所在楼栋或小区）",
                              required=False),
    ]
    for q in data:
        services.question_add(actor=leader, survey=survey, data=q)
    services.survey_transition(actor=leader, survey=survey, action="open", now=made)
    Survey.objects.filter(pk=survey.pk).update(created_at=made)
    survey.refresh_from_db()
    return survey


def _answers(survey: Survey, household: Household, rng: random.Random) -> dict:
    q = list(survey.questions.order_by("position"))
    building = household.dwelling.ancestor_of_kind(AreaKind.BUILDING)
    need = rng.choice(NEEDS)[0] if rng.random() < 0.8 else ""
    return {q[0].pk: rng.choices(range(4), weights=[2, 4, 3, 2])[0],
            q[1].pk: sorted(rng.sample(range(6), rng.randint(1, 3))),
            q[2].pk: rng.choices(range(1, 6), weights=[1, 2, 4, 6, 4])[0],
            q[3].pk: need, q[4].pk: building.pk if building and need else ""}


def _answer_all(survey: Survey, made: datetime, now: datetime, rng: random.Random) -> None:
    keep_out = Resident.objects.filter(user__username="resident").values("household_id")
    households = list(Household.objects.filter(area_path__startswith=survey.area_path)
                      .exclude(pk__in=keep_out).select_related("dwelling").order_by("pk"))
    logins = {r.household_id: r.user for r in Resident.objects.filter(
        user__isnull=False, moved_out__isnull=True, household__in=households)
        .select_related("user")}
    workers = _grid_workers()
    rng.shuffle(households)
    done = 0
    span = (now - made).total_seconds() - 3600
    for household in households:
        if done >= ANSWERS:
            break
        at = made + timedelta(seconds=rng.uniform(600, span))
        by = logins.get(household.pk)
        via = "online"
        if by is None:
            by = next((u for p, u in workers if household.area_path.startswith(p)), None)
            via = "visit"
        if by is None:
            continue
        services.response_submit(actor=by, survey=survey, household=household, via=via,
                                 answers=_answers(survey, household, rng), now=at)
        done += 1


def _urgency(text: str) -> str:
    return next((u for t, u in NEEDS if t == text), "hoped")


def _follow_up(survey: Survey, now: datetime) -> None:
    from linli.library import services as library
    from linli.library.models import Need
    from linli.surveys.models import Answer

    ids = Answer.objects.filter(response__survey=survey, need__isnull=False).values("need_id")
    needs = list(Need.objects.filter(pk__in=ids).select_related("community").order_by("pk"))
    staff = {"花楼社区": _user("dispatcher"), "水塔社区": _user("dispatcher_b")}
    at = now - timedelta(days=3)
    classified = []
    for i, need in enumerate(needs):
        actor = staff.get(need.community.name)
        if actor is None or (need.community.name == "水塔社区" and i % 3) or i % 5 == 4:
            continue  # 水塔: a third classified; some left 未分类 everywhere
        library.need_transition(actor=actor, need=need, action="classify",
                                urgency=_urgency(need.text), now=at)
        need.refresh_from_db()
        classified.append((actor, need))
    huanglou = [(a, n) for a, n in classified if n.community.name == "花楼社区"]
    _hand_over(huanglou, now)


def _hand_over(rows: list, now: datetime) -> None:
    from linli.cases.models import Category
    from linli.library import services as library
    from linli.library.models import Slot

    at = now - timedelta(days=2)
    done: set[str] = set()
    for actor, need in rows:
        if need.urgency == "urgent":
            continue  # left open: the walk turns them into work
        text = need.text
        if "电梯" in text and "topic" not in done:
            library.need_to_topic(actor=actor, need=need, title="加装电梯意见征集",
                                  category="lift", now=at)
            done.add("topic")
        elif "停车" in text and "case" not in done:
            category = (Category.objects.filter(is_active=True, children__isnull=True,
                                                name_zh__contains="停车").first()
                        or Category.objects.filter(is_active=True,
                                                   children__isnull=True).first())
            if category is not None:
                library.need_to_case(actor=actor, need=need, category=category, now=at)
                done.add("case")
        elif "卧床" in text and "task" not in done:
            start = now + timedelta(days=2)
            library.need_to_task(actor=actor, need=need, now=at, data=library.TaskData(
                title="上门陪护半天", starts_at=start, ends_at=start + timedelta(hours=4)))
            done.add("task")
        elif ("食堂" in text or "智能手机" in text) and "booking" not in done:
            slot = (Slot.objects.filter(is_active=True, starts_at__gt=now,
                                        service__provider__community_id=need.community_id)
                    .order_by("starts_at").first())
            if slot is not None and slot.taken < slot.capacity:
                library.need_to_booking(actor=actor, need=need, slot=slot, now=at)
                done.add("booking")


def demo_step_surveys(demo) -> None:
    leader = _user("leader")
    street = Area.objects.filter(kind=AreaKind.STREET, name="民族街道").first()
    if leader is None or street is None:
        return
    now = timezone.now()
    # Made at nine in the morning three weeks ago (answers come in from then on).
    made = _at(now, -21, 9)
    rng = random.Random(97)
    with tasks_muted():
        survey = _make(leader, street, made, now)
        _answer_all(survey, made, now, rng)
        _follow_up(survey, now)


def demo_present() -> bool:
    return Survey.objects.filter(title=TITLE).exists()


DEMO_STEPS = [(97, demo_step_surveys)]
