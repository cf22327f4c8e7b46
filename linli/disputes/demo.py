"""The demo's disputes: about 40 over the last month in both communities, in every grade
and state, each walked through the real services with the clock set in the past.

Grid workers register what they found (or the office what came by phone or at the door);
parties are mostly residents of the demo registry, some outsiders. Green disputes are
mediated on site by the grid worker, yellow and red ones by the community's mediator; some
end in agreements (a few with 司法确认 applied for, one performed and closed), some are
withdrawn, fail, or are referred; a few are overdue. Two cases show the grade rules at
work: the same neighbours again within 90 days (a repeat raises one level) and a party in
the care register (a vulnerable party raises one level); one red dispute is handled jointly
with the police station and the judicial office (三所联动). Seeded: the same disputes in the
same states whatever day the demo is loaded. Loading notifies nobody (old history).
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from linli.accounts.models import Role, RoleAssignment, User
from linli.cases.selectors import case_list
from linli.core.demo import DemoContext
from linli.core.tasks import tasks_muted
from linli.disputes import services
from linli.disputes.models import (
    Dispute,
    GradeRule,
    Kind,
    KindLimit,
    PartyRole,
    ReferralTo,
    Source,
)
from linli.disputes.services import PartyInput
from linli.disputes.shipped import ship_defaults
from linli.orgs.demo import DemoTree
from linli.orgs.models import Area, AreaKind
from linli.people.models import Resident, ResidentTag

SEED = 2613

# What happens to a dispute after it is registered, step by step (see `_step`).
PATHS: dict[str, list[str]] = {
    "registered": [],
    "accepted": ["accept"],
    "mediating": ["accept", "session"],
    "mediating_twice": ["accept", "session", "session"],
    "agreed": ["accept", "session", "agreement", "agree"],
    "agreed_judicial": ["accept", "session", "agreement:judicial", "agree", "judicial"],
    "agreed_performed": ["accept", "session", "agreement", "agree", "performed"],
    "closed": ["accept", "session", "agreement", "agree", "performed", "follow_up", "close"],
    "withdrawn": ["accept", "withdraw"],
    "withdrawn_closed": ["accept", "withdraw", "follow_up", "close"],
    "failed": ["accept", "session", "fail"],
    "referred": ["accept", "session", "fail", "refer"],
    "referred_department": ["accept", "refer"],
    "referred_closed": ["accept", "session", "fail", "refer", "follow_up", "close"],
}

# Days between a step and the one before it (a range, drawn from the seeded clock).
GAPS: dict[str, tuple[float, float]] = {
    "accept": (0.05, 1.0), "session": (1.0, 4.0), "agreement": (0.5, 3.0),
    "agree": (0.01, 0.05), "judicial": (2.0, 6.0), "performed": (5.0, 9.0),
    "withdraw": (1.0, 5.0), "fail": (2.0, 6.0), "refer": (0.5, 2.0),
    "follow_up": (3.0, 8.0), "close": (0.05, 0.3),
}

# (path, grade, community 0 = 花楼 / 1 = 水塔, registered this many days ago, kind)
# Grades: green (two people), yellow (six), red (over thirty with a petition risk),
# violence (a threat of violence: red), vulnerable (a party in the care register: one up),
# repeat (the same parties as the dispute before it: one up).
PLAN: list[tuple[str, str, int, float, str]] = [
    ("registered", "green", 0, 0.3, Kind.NEIGHBOUR),
    ("registered", "yellow", 0, 1.2, Kind.PROPERTY),
    ("registered", "green", 1, 0.6, Kind.FAMILY),
    ("registered", "green", 1, 2.5, Kind.DEBT),
    ("accepted", "green", 0, 3.0, Kind.NEIGHBOUR),
    ("accepted", "yellow", 0, 4.5, Kind.LABOUR),
    ("accepted", "green", 1, 2.0, Kind.OTHER),
    ("mediating", "green", 0, 6.0, Kind.NEIGHBOUR),
    ("mediating", "yellow", 0, 9.0, Kind.PROPERTY),
    ("mediating_twice", "red", 0, 12.0, Kind.PROPERTY),       # joint handling (三所联动)
    ("mediating", "vulnerable", 0, 7.0, Kind.FAMILY),
    ("mediating", "yellow", 1, 8.0, Kind.MARRIAGE),
    ("mediating", "green", 1, 5.0, Kind.NEIGHBOUR),
    ("mediating", "violence", 1, 4.0, Kind.DEBT),
    ("mediating", "yellow", 0, 50.0, Kind.LABOUR),             # mediation overdue
    ("mediating_twice", "green", 1, 46.0, Kind.NEIGHBOUR),     # mediation overdue
    ("agreed", "green", 0, 14.0, Kind.NEIGHBOUR),
    ("agreed_judicial", "yellow", 0, 20.0, Kind.DEBT),
    ("agreed_judicial", "green", 1, 18.0, Kind.PROPERTY),
    ("agreed_performed", "yellow", 1, 25.0, Kind.LABOUR),
    ("agreed", "green", 1, 11.0, Kind.FAMILY),
    ("agreed", "yellow", 0, 60.0, Kind.PROPERTY),              # follow-up overdue
    ("closed", "green", 0, 29.0, Kind.NEIGHBOUR),              # the first of a repeat …
    ("accepted", "repeat", 0, 2.0, Kind.NEIGHBOUR),            # … the same parties again
    ("closed", "yellow", 0, 27.0, Kind.PROPERTY),
    ("closed", "green", 1, 28.0, Kind.DEBT),
    ("closed", "green", 1, 26.0, Kind.NEIGHBOUR),
    ("withdrawn", "green", 0, 10.0, Kind.FAMILY),
    ("withdrawn", "green", 1, 9.0, Kind.DEBT),
    ("withdrawn_closed", "green", 0, 24.0, Kind.NEIGHBOUR),
    ("withdrawn_closed", "yellow", 1, 22.0, Kind.MARRIAGE),
    ("failed", "yellow", 0, 16.0, Kind.MARRIAGE),
    ("failed", "green", 1, 13.0, Kind.OTHER),
    ("referred", "yellow", 0, 21.0, Kind.LABOUR),
    ("referred_department", "red", 1, 15.0, Kind.PROPERTY),
    ("referred_closed", "green", 0, 28.0, Kind.DEBT),
    ("referred_closed", "yellow", 1, 27.5, Kind.LABOUR),
    ("agreed", "green", 0, 8.0, Kind.OTHER),
    ("mediating", "green", 0, 3.5, Kind.PROPERTY),
    ("closed", "yellow", 1, 23.0, Kind.FAMILY),
    ("mediating", "case", 0, 5.0, Kind.NEIGHBOUR),             # a case that became one
]

SUMMARIES: dict[str, list[str]] = {
    Kind.NEIGHBOUR: ["楼上卫生间漏水渗到楼下天花板，楼下要求赔偿维修费，双方多次争吵。",
                     "邻居在楼道堆放杂物、占用公共通道，对门住户多次协商未果。",
                     "楼上夜间噪音扰民，楼下老人休息受影响，双方言语冲突。",
                     "一楼住户私搭雨棚遮挡二楼采光，双方各执一词。"],
    Kind.PROPERTY: ["业主因电梯长期故障拒交物业费，物业公司催缴引发争执。",
                    "小区停车位分配不公，多名业主与物业发生争执。",
                    "物业维修公共管道时损坏业主家地板，赔偿数额未谈拢。"],
    Kind.FAMILY: ["子女之间就老人赡养费分摊发生矛盾，老人情绪低落。",
                  "兄弟两家因老房子居住权发生口角。"],
    Kind.MARRIAGE: ["夫妻因家庭开支问题长期争吵，一方提出离婚。",
                    "离婚后双方就孩子探视时间安排发生争执。"],
    Kind.DEBT: ["邻居之间借款两万元到期未还，出借人多次上门催讨。",
                "装修款尾款支付发生争议，装修工人上门讨要。"],
    Kind.LABOUR: ["小区保洁员被拖欠两个月工资，与劳务公司发生争执。",
                  "装修工程队工人讨薪，与包工头发生冲突。"],
    Kind.OTHER: ["宠物狗咬伤邻居小孩，双方就医疗费用产生分歧。",
                 "小区广场舞音量过大，附近居民与跳舞队伍发生争执。"],
}

AGREEMENTS = {
    "responsibilities": ["经查明，被申请人对纠纷的发生负主要责任，申请人负次要责任。",
                         "双方对纠纷的发生均有一定责任。"],
    "terms": ["一、被申请人于履行期限前一次性支付申请人维修费人民币叁仟元整；\n"
              "二、申请人收到款项后不再就此事主张其他权利；\n三、双方今后和睦相处。",
              "一、双方同意按调解方案分担费用，各承担一半；\n二、此后任何一方不得再因此事争吵。",
              "一、被申请人向申请人赔礼道歉，并在履行期限前恢复原状；\n二、双方就此纠纷再无其他争议。"],
    "manner": ["银行转账", "现金当面支付，人民调解员见证", "被申请人自行恢复原状"],
}

OUTSIDERS = ["周国平", "吴海燕", "郑小军", "冯雪梅", "蒋文斌", "沈丽华", "韩志刚", "杨春燕"]
SESSION_RECORDS = ["调解员分别听取双方陈述，释法说理，双方情绪趋于平稳。",
                   "现场查看后组织双方面对面协商，初步形成解决方案。",
                   "邀请楼栋长参加，双方就赔偿数额进一步协商。"]
NOTES = {
    "withdraw": ["双方自行和解，申请人撤回调解申请。", "申请人表示不再追究，撤回申请。"],
    "fail": ["双方分歧较大，经多次调解未能达成协议。", "被申请人拒绝继续调解。"],
    "refer": ["已告知当事人向人民法院起诉，移交相关材料。", "移交劳动仲裁委员会处理。",
              "移交区住建局物业科处理。"],
    "follow_up": ["电话回访，双方关系缓和，协议已履行，无新矛盾。",
                  "上门回访，当事人对调解结果满意。"],
}
SOURCES = [Source.DAILY_REPORT, Source.DAILY_REPORT, Source.RESIDENT, Source.HOTLINE,
           Source.WALK_IN]
FACTS = {"green": (2, False, False), "vulnerable": (2, False, False),
         "repeat": (2, False, False), "yellow": (6, False, False),
         "red": (35, False, True), "violence": (3, True, False)}


@dataclass
class Staff:
    """Who does what in one community."""

    dispatcher: User
    mediator: User
    grid_workers: dict[int, User] = field(default_factory=dict)  # grid id ->


@dataclass
class Walk:
    """One dispute being walked through its steps."""

    plan: tuple[str, str, int, float, str]
    registrar: User
    handler: User | None = None
    dispute: Dispute | None = None


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _staff(tree: DemoTree) -> list[Staff]:
    staff = [Staff(_user("dispatcher"), _user("mediator")),
             Staff(_user("dispatcher_b"), _user("mediator_b"))]
    for assignment in RoleAssignment.objects.filter(
            role=Role.GRID_WORKER, area__in=tree.grids).select_related("user", "area"):
        index = 0 if assignment.area.path.startswith(tree.communities[0].path) else 1
        staff[index].grid_workers.setdefault(assignment.area_id, assignment.user)
    return staff


def _residents_by_grid(tree: DemoTree) -> dict[int, list[Resident]]:
    living = list(Resident.objects.filter(moved_out__isnull=True, anonymised_at__isnull=True)
                  .select_related("household__dwelling").order_by("id"))
    by_grid: dict[int, list[Resident]] = {grid.pk: [] for grid in tree.grids}
    for resident in living:
        for grid in tree.grids:
            if resident.area_path.startswith(grid.path):
                by_grid[grid.pk].append(resident)
    return by_grid


def _building(resident: Resident) -> Area:
    dwelling = resident.household.dwelling
    return dwelling.ancestor_of_kind(AreaKind.BUILDING) or dwelling


class _Builder:
    def __init__(self, tree: DemoTree, now: datetime):
        self.tree, self.now = tree, now
        self.rng, self.clock = random.Random(SEED), random.Random(SEED + 1)
        self.staff = _staff(tree)
        self.residents = _residents_by_grid(tree)
        # Who is in the care register (has_care_tag's question, asked once for everyone).
        self.cared = set(ResidentTag.objects.values_list("resident_id", flat=True))
        self.previous: tuple[Area, list[PartyInput], User] | None = None

    # --- registration ------------------------------------------------------------------

    def _grid(self, community: int) -> Area:
        grids = [g for g in self.tree.grids
                 if g.path.startswith(self.tree.communities[community].path)
                 and g.pk in self.staff[community].grid_workers and self.residents[g.pk]]
        return self.rng.choice(grids)

    def _parties(self, grid: Area, grade: str) -> tuple[Area, list[PartyInput]]:
        people = self.residents[grid.pk]
        cared = [r for r in people if r.pk in self.cared]
        first = self.rng.choice(cared if grade == "vulnerable" and cared else
                                [r for r in people if r.pk not in self.cared] or people)
        parties = [PartyInput(role=PartyRole.APPLICANT, resident_id=first.pk)]
        if self.rng.random() < 0.7:
            others = [r for r in people if r.pk not in self.cared and
                      r.household_id != first.household_id]
            other = self.rng.choice(others)
            parties.append(PartyInput(role=PartyRole.RESPONDENT, resident_id=other.pk))
        else:
            parties.append(PartyInput(role=PartyRole.RESPONDENT,
                                      name=self.rng.choice(OUTSIDERS),
                                      phone=f"139{self.rng.randrange(10**8):08d}"))
        return _building(first), parties

    def register(self, walk: Walk, at: datetime) -> None:
        _path, grade, community, _age, kind = walk.plan
        if grade == "case":
            walk.dispute = self._from_case(walk, kind, at)
            return
        source = self.rng.choice(SOURCES)
        if grade == "repeat" and self.previous is not None:
            area, parties, walk.registrar = self.previous
        else:
            grid = self._grid(community)
            area, parties = self._parties(grid, grade)
            grid_worker = self.staff[community].grid_workers[grid.pk]
            walk.registrar = (grid_worker if source in (Source.DAILY_REPORT, Source.WALK_IN)
                              else self.staff[community].dispatcher)
            self.previous = (area, parties, walk.registrar)
        people, violence, petition = FACTS[grade]
        if grade == "yellow":
            people += self.rng.randrange(0, 12)
        walk.dispute = services.dispute_register(
            actor=walk.registrar, area=area, kind=kind, source=source,
            summary=self.rng.choice(SUMMARIES[kind]), people_involved=people,
            violence_threat=violence, petition_risk=petition, parties=parties, now=at)

    def _from_case(self, walk: Walk, kind: str, at: datetime) -> Dispute:
        """A grid worker turns a case they can see into a dispute in one step (both stay
        linked), between residents of their grid."""
        community = walk.plan[2]
        grid_id, walk.registrar = next(iter(self.staff[community].grid_workers.items()))
        grid = next(g for g in self.tree.grids if g.pk == grid_id)
        _building_of_first, parties = self._parties(grid, "green")
        case = (case_list(actor=walk.registrar).filter(reported_at__lt=at)
                .order_by("id").first())
        assert case is not None, "the cases demo runs first"
        return services.dispute_from_case(actor=walk.registrar, case_id=case.pk, kind=kind,
                                          parties=parties, now=at)

    # --- the steps ---------------------------------------------------------------------

    def _coordinator(self, walk: Walk) -> User:
        staff = self.staff[walk.plan[2]]
        assert walk.dispute is not None
        return staff.dispatcher if walk.dispute.grade == "green" else staff.mediator

    def _note(self, action: str) -> str:
        return self.rng.choice(NOTES[action])

    def step(self, walk: Walk, step: str, at: datetime) -> None:
        dispute = walk.dispute
        assert dispute is not None
        action, _sep, option = step.partition(":")
        if action == "accept":
            services.dispute_transition(actor=self._coordinator(walk), dispute=dispute,
                                        action="accept", now=at)
            dispute.refresh_from_db()
            walk.handler = dispute.owner
            return
        handler = walk.handler or self._coordinator(walk)
        if action == "session":
            services.session_add(actor=handler, dispute=dispute,
                                 held_on=timezone.localdate(at), mediator_id=handler.pk,
                                 attendees="双方当事人、人民调解员",
                                 record=self.rng.choice(SESSION_RECORDS), now=at)
        elif action == "agreement":
            signed = timezone.localdate(at)
            services.agreement_save(
                actor=handler, dispute=dispute, facts=dispute.summary,
                responsibilities=self.rng.choice(AGREEMENTS["responsibilities"]),
                terms=self.rng.choice(AGREEMENTS["terms"]),
                performance_manner=self.rng.choice(AGREEMENTS["manner"]),
                performance_deadline=signed + timedelta(days=self.rng.randrange(3, 8)),
                signed_on=signed, judicial_wanted=option == "judicial", now=at)
        elif action == "judicial":
            services.judicial_applied(actor=handler, agreement=dispute.agreement,
                                      applied_on=timezone.localdate(at), now=at)
        elif action == "performed":
            services.agreement_performance(actor=handler, agreement=dispute.agreement,
                                           performed=True, note="已按协议履行。", now=at)
        elif action == "refer":
            to = ReferralTo.DEPARTMENT if walk.plan[0] == "referred_department" else (
                self.rng.choice([ReferralTo.COURT, ReferralTo.ARBITRATION]))
            names = {ReferralTo.COURT: "江汉区人民法院",
                     ReferralTo.ARBITRATION: "江汉区劳动人事争议仲裁委员会",
                     ReferralTo.DEPARTMENT: "江汉区住房和城市更新局"}
            services.dispute_transition(actor=handler, dispute=dispute, action="refer",
                                        note=self._note("refer"), referral_to=to,
                                        referral_name=names[to], now=at)
        else:  # agree, withdraw, fail, follow_up, close
            note = self._note(action) if action in NOTES else ""
            services.dispute_transition(actor=handler, dispute=dispute, action=action,
                                        note=note, now=at)
        dispute.refresh_from_db()

    # --- timing ------------------------------------------------------------------------

    def times(self, walk: Walk) -> list[datetime]:
        """When it was registered, then each step: in order, and all before now."""
        path, _grade, _community, age, _kind = walk.plan
        start = self.now - timedelta(days=age)
        times = [start]
        for step in PATHS[path]:
            low, high = GAPS[step.partition(":")[0]]
            times.append(times[-1] + timedelta(days=self.clock.uniform(low, high)))
        latest = self.now - timedelta(minutes=10)
        if times[-1] > latest:  # squeeze the steps into the time there was
            span = (times[-1] - start) / (latest - start)
            times = [start + (t - start) / span for t in times]
        return times


def demo_disputes(tree: DemoTree, *, now: datetime | None = None) -> int:
    """Register and walk the demo disputes; returns how many."""
    ship_defaults(GradeRule, KindLimit)  # emptied tables lose the seeded rules
    builder = _Builder(tree, now or timezone.now())
    with tasks_muted():
        for plan in PLAN:
            walk = Walk(plan=plan, registrar=builder.staff[plan[2]].dispatcher)
            times = builder.times(walk)
            builder.register(walk, times[0])
            for step, at in zip(PATHS[plan[0]], times[1:], strict=True):
                builder.step(walk, step, at)
    return len(PLAN)


def demo_step_disputes(demo: DemoContext) -> None:
    demo_disputes(demo.tree)


DEMO_STEPS = [(75, demo_step_disputes)]
