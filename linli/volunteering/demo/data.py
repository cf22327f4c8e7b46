"""What the volunteering demo holds, per community: wishes in every state and tasks in every
state, each with the claims it carries. Read by volunteering.py."""

from dataclasses import dataclass, field

from linli.volunteering.models import ClaimState, TaskKind, WishCategory

C, K, W = ClaimState, TaskKind, WishCategory
# A claim's plan: (volunteer, the state it ends in, hours, rating)
ClaimPlan = tuple[str, str, str, int | None]


@dataclass
class TaskPlan:
    title: str
    kind: str
    needed: int
    points: int
    days: int           # negative: it happened that many days ago
    hours: int
    end_state: str
    claims: list[ClaimPlan] = field(default_factory=list)
    by_grid_worker: bool = False


@dataclass
class WishPlan:
    requester: str
    category: str
    text: str
    days: int           # when it is wanted: negative in the past
    end_state: str      # posted, published, fulfilled, declined, cancelled
    task: TaskPlan | None = None


def wishes_a() -> list[WishPlan]:
    return [
        WishPlan("resident", W.COMPANIONSHIP, "下周二上午想请人陪我去协和医院复查，腿脚不便。", -4,
                 "fulfilled", TaskPlan("陪同张阿姨去医院复查", K.WISH, 1, 0, -4, 3, "completed",
                                       [("volunteer", C.CONFIRMED, "3", 5)])),
        WishPlan("resident_c", W.ERRANDS, "帮忙代买一周的菜和米，送到家门口。", -3, "fulfilled",
                 TaskPlan("为王阿姨代购生活用品", K.WISH, 1, 20, -3, 2, "completed",
                          [("volunteer_a2", C.CONFIRMED, "1.5", 4)])),
        WishPlan("resident_d", W.REPAIRS, "厨房灯不亮了，想请人帮忙换个灯泡。", 2, "published",
                 TaskPlan("帮李师傅换厨房灯泡", K.WISH, 1, 0, 2, 1, "full",
                          [("volunteer_a3", C.CLAIMED, "1", None)])),
        WishPlan("resident", W.TUTORING, "孙子上初二，数学跟不上，想请志愿者周末辅导。", 5,
                 "posted"),
        WishPlan("resident_c", W.HEALTH, "想学会用电子血压计，自己在家量血压。", 3, "posted"),
        WishPlan("resident_d", W.OTHER, "楼道里堆了很多杂物，想请人帮忙清理。", 4, "declined"),
        WishPlan("resident", W.ERRANDS, "帮我到驿站取一个快递。", 1, "cancelled"),
    ]


def tasks_a() -> list[TaskPlan]:
    return [
        TaskPlan("社区文艺汇演场地布置", K.ACTIVITY_SUPPORT, 3, 0, -6, 4, "completed",
                 [("volunteer", C.CONFIRMED, "4", 5), ("volunteer_a2", C.CONFIRMED, "3.5", 4),
                  ("volunteer_a3", C.CONFIRMED, "4", None)]),
        TaskPlan("独居老人周末探访", K.VISIT, 2, 30, 3, 3, "full",
                 [("volunteer", C.CLAIMED, "3", None), ("volunteer_a2", C.CLAIMED, "3", None)]),
        TaskPlan("夜间治安巡逻", K.PATROL, 4, 0, -1, 3, "in_progress",
                 [("volunteer_a3", C.CHECKED_IN, "3", None),
                  ("volunteer", C.CHECKED_OUT, "2", None),
                  ("volunteer_a2", C.REPORTED, "2", None)], by_grid_worker=True),
        TaskPlan("垃圾分类宣传", K.ACTIVITY_SUPPORT, 5, 0, 4, 3, "published",
                 [("volunteer_a2", C.CLAIMED, "3", None), ("volunteer", C.WITHDRAWN, "3", None)]),
        TaskPlan("防汛沙袋清点", K.OTHER, 2, 0, 6, 2, "draft"),
        TaskPlan("消夏晚会秩序维护", K.ACTIVITY_SUPPORT, 6, 0, 5, 3, "cancelled",
                 [("volunteer_a3", C.CLAIMED, "3", None)]),
        TaskPlan("敬老院集中慰问", K.VISIT, 2, 0, -5, 2, "completed",
                 [("volunteer_a3", C.REJECTED, "2", None), ("volunteer_a2", C.CONFIRMED, "2", 5)]),
    ]


def wishes_b() -> list[WishPlan]:
    return [
        WishPlan("resident_b", W.COMPANIONSHIP, "老伴住院了，想请人陪我说说话。", -2, "fulfilled",
                 TaskPlan("陪黄大爷聊天", K.WISH, 1, 0, -2, 2, "completed",
                          [("volunteer_b", C.CONFIRMED, "2", 5)])),
        WishPlan("resident_e", W.ERRANDS, "帮忙到社区医院取降压药。", 1, "published",
                 TaskPlan("为陈阿姨取药", K.WISH, 1, 10, 1, 1, "published")),
        WishPlan("resident_f", W.TUTORING, "想学用手机挂号和视频通话。", 4, "posted"),
        WishPlan("resident_b", W.REPAIRS, "楼道里杂物太多，想请人清理。", 3, "declined"),
        WishPlan("resident_e", W.OTHER, "想找人一起晨练打太极。", 2, "cancelled"),
    ]


def tasks_b() -> list[TaskPlan]:
    return [
        TaskPlan("加装电梯意见收集", K.ACTIVITY_SUPPORT, 2, 0, -5, 3, "completed",
                 [("volunteer_b", C.CONFIRMED, "3", 4), ("volunteer_b2", C.CONFIRMED, "2.5", 5)]),
        TaskPlan("困难家庭走访", K.VISIT, 1, 25, 2, 2, "full",
                 [("volunteer_b2", C.CLAIMED, "2", None)]),
        TaskPlan("周末安全巡查", K.PATROL, 2, 0, -1, 2, "in_progress",
                 [("volunteer_b", C.REPORTED, "2", None)]),
        TaskPlan("社区读书会", K.ACTIVITY_SUPPORT, 3, 0, 6, 2, "published"),
        TaskPlan("冬季送温暖物资清点", K.OTHER, 2, 0, 7, 2, "draft"),
        TaskPlan("露天电影放映", K.ACTIVITY_SUPPORT, 3, 0, 3, 3, "cancelled"),
    ]
