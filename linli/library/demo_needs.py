"""The demo's needs of the service library in 花楼社区 (after the providers and services
demos; the surveys part adds 150 survey answers with needs in its own step).

- a history of needs matched to providers, met or closed unmet, so the suggestions show a
  delivery record: 乐龄助老 always delivers, 巧手家电 mostly, 花楼物业 keeps failing;
- one need met through a volunteering task;
- open requests from residents (one from the `resident` login, matched to a repair shop);
- one open need whose words suggest 急, not yet classified: the walk's need.

All through the services, dated in the past with `now=`, notifying nobody.
"""

from datetime import timedelta

from django.utils import timezone

from linli.accounts.models import User
from linli.core.tasks import tasks_muted
from linli.library.models import NeedSource, Provider
from linli.library.services import TaskData, need_post, need_to_task, need_transition
from linli.people.models import Resident

WALK_TEXT = "独居老人在家摔倒，腿脚受伤，急需有人上门照护"
RESIDENT_TEXT = "家里厨房水管漏水，希望尽快上门维修"

# provider, need's words, urgency, delivered?
HISTORY = [
    ("江汉区乐龄助老服务中心", "老人行动不便，需要上门助浴", "hard", True),
    ("江汉区乐龄助老服务中心", "独居老人午餐没人做，需要助餐", "urgent", True),
    ("江汉区乐龄助老服务中心", "老人看病需要陪诊", "hard", True),
    ("江汉区乐龄助老服务中心", "希望有人定期陪老人聊天", "worrying", True),
    ("巧手家电维修店", "家里冰箱坏了，需要维修", "worrying", True),
    ("巧手家电维修店", "洗衣机漏水需要修理", "urgent", True),
    ("巧手家电维修店", "空调不制冷", "worrying", True),
    ("巧手家电维修店", "热水器打不着火", "hard", False),
    ("花楼物业服务中心", "楼道灯坏了很久", "worrying", False),
    ("花楼物业服务中心", "单元门锁坏了需要维修", "worrying", False),
    ("花楼物业服务中心", "楼顶漏水", "urgent", True),
    ("花楼物业服务中心", "下水道堵塞需要疏通维修", "hard", False),
    ("花楼社区青年志愿服务队", "老人的收音机坏了想修一修", "hoped", True),
    ("花楼社区青年志愿服务队", "需要有人帮忙代购生活用品", "worrying", False),
    ("暖心心理咨询工作室", "老伴去世后情绪低落，很孤单", "worrying", True),
]
OPEN = [
    ("孩子放学没人接，家长下班晚，担心安全", "worrying"),
    ("希望社区开设智能手机课程", "hoped"),
    ("家里老人失能，护理困难", "hard"),
]


def _people(community) -> list[Resident]:
    return list(Resident.objects.filter(
        area_path__startswith=community.path, moved_out__isnull=True,
        anonymised_at__isnull=True, user__isnull=True).order_by("pk")[:30])


def demo_needs(demo) -> None:
    community = demo.tree.communities[0]
    grid = User.objects.get(username="grid")
    dispatcher = User.objects.get(username="dispatcher")
    providers = {p.name: p for p in Provider.objects.filter(community=community)}
    people = _people(community)
    if not people or not providers:
        return
    now = timezone.now()
    with tasks_muted():
        for i, (name, text, urgency, delivered) in enumerate(HISTORY):
            at = now - timedelta(days=60 - i * 3)
            person = people[i % len(people)]
            need = need_post(actor=grid, text=text, resident=person,
                             source=NeedSource.REQUEST, now=at)
            need_transition(actor=grid, need=need, action="classify", urgency=urgency,
                            now=at + timedelta(hours=1))
            need_transition(actor=dispatcher, need=need, action="match",
                            provider=providers[name], now=at + timedelta(hours=2))
            if delivered:
                need_transition(actor=grid, need=need, action="meet",
                                now=at + timedelta(days=2))
            else:
                need_transition(actor=grid, need=need, action="close",
                                note="服务方多次未上门，居民另行解决",
                                now=at + timedelta(days=5))
        # met through a volunteering task
        at = now - timedelta(days=10)
        need = need_post(actor=grid, text="独居老人家里需要大扫除，行动不便",
                         resident=people[-1], source=NeedSource.STAFF, now=at)
        need_transition(actor=grid, need=need, action="classify", urgency="hard",
                        now=at + timedelta(hours=1))
        need_to_task(actor=grid, need=need, now=at + timedelta(hours=2), data=TaskData(
            title="为独居老人大扫除", starts_at=at + timedelta(days=2),
            ends_at=at + timedelta(days=2, hours=3), volunteers_needed=3,
            points_offered=20))
        need_transition(actor=grid, need=need, action="meet", note="志愿者已打扫完毕",
                        now=at + timedelta(days=3))
        # open requests
        for j, (text, urgency) in enumerate(OPEN):
            at = now - timedelta(days=5 - j)
            need = need_post(actor=grid, text=text, resident=people[j + 1],
                             source=NeedSource.REQUEST, now=at)
            need_transition(actor=grid, need=need, action="classify", urgency=urgency,
                            now=at + timedelta(hours=3))
        own = Resident.objects.filter(user__username="resident").first()
        if own is not None and own.user is not None:
            need = need_post(actor=own.user, text=RESIDENT_TEXT, resident=own,
                             source=NeedSource.REQUEST, now=now - timedelta(days=2))
            need_transition(actor=grid, need=need, action="classify", urgency="urgent",
                            now=now - timedelta(days=2) + timedelta(hours=1))
            need_transition(actor=grid, need=need, action="match",
                            provider=providers["巧手家电维修店"],
                            now=now - timedelta(days=1))
        # the walk's need: the words suggest 急; nobody has classified it yet
        need_post(actor=grid, text=WALK_TEXT, resident=people[0], source=NeedSource.STAFF,
                  now=now - timedelta(hours=3))
